#!/usr/bin/env bash
# The same-session A/B gate's catch rate on this machine (issue 9's A/B Done-when), from real
# runs: the 4 b1 CPU cells (none/THROUGHPUT x sync/async), by default at the A/B defaults (8 pairs of
# processes a cell, one look), this Python against itself on both sides. By default runs
# cycle A/A, 5% injected into B, 3% injected into B, so that the machine's drift over the session falls
# on all three alike. No run starts after DEADLINE (HH:MM UTC), so that a session can end.
# Reads with: .venv/bin/python -m ovperf.power OUT/run-*.json
# Usage: report/data/ab-power-f32/run.sh OUT DEADLINE [PCT,PCT,...] [PYTEST ARGS...]
#   PCT,...: the slowdowns injected into B, cycled in this order (0 = A/A). Default: 0,5,3.
#   PYTEST ARGS: added to every run after the defaults, so they override them, e.g.
#   --ov-processes 16 --ov-max-time 600, or --ov-batches 4 for the b4 cells.
# The published runs (2026-12-01) ran at the A/B defaults of the time, 2 rounds of 48 frames a
# process; add --ov-rounds 2 --ov-frames 48 to repeat them (the default is now 6 of 16).
set -u
out=${1:?usage: run.sh OUT DEADLINE [PCT,...] [PYTEST ARGS...]}
deadline=${2:?usage: run.sh OUT DEADLINE [PCT,...] [PYTEST ARGS...]}
IFS=, read -r -a cycle <<< "${3:-0,5,3}"
shift $(( $# < 3 ? $# : 3 ))
cd "$(dirname "$0")/../../.."
mkdir -p "$out"
i=0
while [ "$(date -u +%H:%M)" \< "$deadline" ]; do
  i=$((i + 1))
  pct=${cycle[$(( (i - 1) % ${#cycle[@]} ))]}
  inject=""; [ "$pct" = 0 ] || inject="--ov-inject-slowdown $pct%"
  n=$(printf %02d "$i")
  start=$(date +%s)
  .venv/bin/pytest perf/ --ov-devices CPU --ov-hints none,THROUGHPUT --ov-batches 1 -k openvino \
    --ov-onnx .ovperf-export/yolov5n.onnx --ov-image .ovperf-export/bus.jpg \
    --ov-ab-python .venv/bin/python $inject "$@" --benchmark-json "$out/run-$n.json" -q > "$out/run-$n.log" 2>&1
  echo "run $n ${inject:-A/A} rc=$? in $(( $(date +%s) - start )) s, ended $(date -u +%FT%TZ)" | tee -a "$out/progress.log"
done
