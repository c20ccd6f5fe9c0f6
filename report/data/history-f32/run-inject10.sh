#!/usr/bin/env bash
# After ab.sh: 16 more runs on OpenVINO 2026.4.1, the same 4 cells and defaults, appended to
# the same history: runs 33-40 plain, runs 41-48 with an injected 10% slowdown.
# Usage: report/data/history-f32/run-inject10.sh OUT
set -u
out=${1:?usage: run-inject10.sh OUT}
cd "$(dirname "$0")/../../.."
for i in $(seq 33 48); do
  inject=""
  [ "$i" -ge 41 ] && inject="--ov-inject-slowdown 10%"
  .venv/bin/tox -q -e ov2026.4 -- --ov-devices CPU --ov-hints none,THROUGHPUT --ov-batches 1 -k openvino \
    $inject --ov-history "$out/history.sqlite" --benchmark-json "$out/run-$i.json" -q > "$out/run-$i.log" 2>&1
  echo "run $i ov2026.4 ${inject:-plain} rc=$? $(date -u +%FT%TZ)" | tee -a "$out/progress.log"
done
