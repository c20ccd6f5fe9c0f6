#!/usr/bin/env bash
# After run.sh: runs 25-32 on OpenVINO 2026.4.1 with an injected 5% slowdown, the same 4
# cells and defaults, appended to the same history. Runs 17-32 are then a series of 8 plain
# runs and 8 injected ones, all of one release. Usage: report/data/history-f32/run-inject.sh OUT
set -u
out=${1:?usage: run-inject.sh OUT}
cd "$(dirname "$0")/../../.."
for i in $(seq 25 32); do
  .venv/bin/tox -q -e ov2026.4 -- --ov-devices CPU --ov-hints none,THROUGHPUT --ov-batches 1 -k openvino \
    --ov-inject-slowdown 5% --ov-history "$out/history.sqlite" --benchmark-json "$out/run-$i.json" -q \
    > "$out/run-$i.log" 2>&1
  echo "run $i ov2026.4 injected 5% rc=$? $(date -u +%FT%TZ)" | tee -a "$out/progress.log"
done
