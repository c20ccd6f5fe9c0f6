#!/usr/bin/env bash
# A real nightly series across an OpenVINO upgrade: 24 runs of the 4 b1 CPU cells
# (none/THROUGHPUT x sync/async) at the default frames, rounds and processes, one after
# the other: runs 01-08 on OpenVINO 2025.4.1 (tox env ov2025.4), runs 09-24 on 2026.4.1
# (ov2026.4). Runs 01-16 are the upgrade series; runs 09-24, all one release, the control.
# Every run is appended to OUT/history.sqlite as a nightly job would (--ov-history) and
# written as --benchmark-json. Needs `tox -e export` (or `python -m ovperf.export --out
# .ovperf-export`) first. Usage: report/data/history-f32/run.sh OUT
set -u
out=${1:?usage: run.sh OUT}
cd "$(dirname "$0")/../../.."
mkdir -p "$out"
for i in $(seq -w 1 24); do
  env=ov2026.4
  [ "$i" -le 8 ] && env=ov2025.4
  .venv/bin/tox -q -e $env -- --ov-devices CPU --ov-hints none,THROUGHPUT --ov-batches 1 -k openvino \
    --ov-history "$out/history.sqlite" --benchmark-json "$out/run-$i.json" -q > "$out/run-$i.log" 2>&1
  echo "run $i $env rc=$? $(date -u +%FT%TZ)" | tee -a "$out/progress.log"
done
