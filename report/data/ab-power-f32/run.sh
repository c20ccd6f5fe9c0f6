#!/usr/bin/env bash
# The same-session A/B gate's catch rate on this machine (issue 9's A/B Done-when), from real
# runs: the 4 b1 CPU cells (none/THROUGHPUT x sync/async) with the A/B defaults (8 pairs of
# processes a cell, one look), this Python against itself on both sides. Runs cycle A/A,
# 5% injected into B, 3% injected into B, so that the machine's drift over the session falls
# on all three alike. No run starts after DEADLINE (HH:MM UTC), so that a session can end.
# Reads with: .venv/bin/python -m ovperf.power OUT/run-*.json
# Usage: report/data/ab-power-f32/run.sh OUT DEADLINE
set -u
out=${1:?usage: run.sh OUT DEADLINE}
deadline=${2:?usage: run.sh OUT DEADLINE}
cd "$(dirname "$0")/../../.."
mkdir -p "$out"
i=0
while [ "$(date -u +%H:%M)" \< "$deadline" ]; do
  i=$((i + 1))
  case $(( (i - 1) % 3 )) in 0) inject="" ;; 1) inject="--ov-inject-slowdown 5%" ;; 2) inject="--ov-inject-slowdown 3%" ;; esac
  n=$(printf %02d "$i")
  start=$(date +%s)
  .venv/bin/pytest perf/ --ov-devices CPU --ov-hints none,THROUGHPUT --ov-batches 1 -k openvino \
    --ov-onnx .ovperf-export/yolov5n.onnx --ov-image .ovperf-export/bus.jpg \
    --ov-ab-python .venv/bin/python $inject --benchmark-json "$out/run-$n.json" -q > "$out/run-$n.log" 2>&1
  echo "run $n ${inject:-A/A} rc=$? in $(( $(date +%s) - start )) s, ended $(date -u +%FT%TZ)" | tee -a "$out/progress.log"
done
