#!/usr/bin/env bash
# A real nightly series on a bf16 host (Intel Xeon with AMX, 2 cores): 32 runs of the 4 b1
# CPU cells (none/THROUGHPUT x sync/async) at the default frames, rounds and processes, one
# after the other, each from its tox env:
#   runs 01-08 on OpenVINO 2025.4.1 (ov2025.4), 09-24 on 2026.4.1 (ov2026.4),
#   25-32 on 2026.4.1 with an injected 5% slowdown.
# Runs 01-16 are the upgrade series, 09-24 (one release) the control, 17-32 the injection.
# Every run is appended to OUT/history.sqlite as a nightly job would (--ov-history) and
# written as --benchmark-json. Needs `tox -e export` (or `python -m ovperf.export --out
# .ovperf-export`) first. Usage: report/data/history-bf16/run.sh OUT [FIRST]
set -u
out=${1:?usage: run.sh OUT [FIRST]}
cd "$(dirname "$0")/../../.."
mkdir -p "$out"
for i in $(seq -w "${2:-1}" 32); do
  env=ov2026.4 inject=""
  [ "$i" -le 8 ] && env=ov2025.4
  [ "$i" -ge 25 ] && inject="--ov-inject-slowdown 5%"
  # shellcheck disable=SC2086  # $inject is an option list
  .venv/bin/tox -q -e $env -- --ov-devices CPU --ov-hints none,THROUGHPUT --ov-batches 1 -k openvino $inject \
    --ov-history "$out/history.sqlite" --benchmark-json "$out/run-$i.json" -q > "$out/run-$i.log" 2>&1
  echo "run $i $env ${inject:-plain} rc=$? $(date -u +%FT%TZ)" | tee -a "$out/progress.log"
done
