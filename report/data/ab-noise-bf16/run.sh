#!/usr/bin/env bash
# Where the A/B's noise lives on this machine, and what a cell's time buys: real A/B runs of the
# 4 b1 CPU cells (none/THROUGHPUT x sync/async), this Python against itself, cycling two designs
# that differ only in rounds per process, each as A/A and with 5% injected into B:
#   8 pairs x 2 rounds (the A/B defaults), then 8 pairs x 6 rounds (--ov-rounds 6),
# one look each (--ov-max-time 1), so that the machine's drift over the session falls on both.
# No run starts after DEADLINE (HH:MM UTC). Reads with:
#   .venv/bin/python -m ovperf.power OUT/run-*.json          (catch rate)
#   .venv/bin/python -m ovperf.power --noise OUT/run-*.json  (noise by level, time per pair)
# Usage: report/data/ab-noise-bf16/run.sh OUT DEADLINE [CYCLE [BATCHES [LOOKS]]]
# CYCLE: injected %:rounds a process[:frames a round], comma-separated; default 0:2,5:2,0:6,5:6
# (as above; frames default to 48, the A/B default until 2026-12-02, now 16).
# BATCHES: --ov-batches, default 1 (the 4 b1 cells); 1,4 measures the 8 cells of issue 9.
# LOOKS: the options that set pairs and looks, default "--ov-processes 8 --ov-max-time 1" (one
# look); "" runs the A/B defaults (8 pairs a look, as many looks as --ov-max-time's default holds).
set -u
out=${1:?usage: run.sh OUT DEADLINE [CYCLE [BATCHES [LOOKS]]]}
deadline=${2:?usage: run.sh OUT DEADLINE [CYCLE [BATCHES [LOOKS]]]}
batches=${4:-1}
looks=${5---ov-processes 8 --ov-max-time 1}
cycle=()
IFS=, read -ra entries <<< "${3:-0:2,5:2,0:6,5:6}"
for e in "${entries[@]}"; do
  IFS=: read -r pct rounds frames <<< "$e"
  cycle+=("$pct|--ov-rounds $rounds --ov-frames ${frames:-48}")
done
cd "$(dirname "$0")/../../.."
mkdir -p "$out"
i=0
while [ "$(date -u +%H:%M)" \< "$deadline" ]; do
  i=$((i + 1))
  entry=${cycle[$(( (i - 1) % ${#cycle[@]} ))]}
  pct=${entry%%|*}; design=${entry#*|}
  inject=""; [ "$pct" = 0 ] || inject="--ov-inject-slowdown $pct%"
  n=$(printf %02d "$i")
  start=$(date +%s)
  # shellcheck disable=SC2086  # $looks, $design and $inject are option lists
  .venv/bin/pytest perf/ --ov-devices CPU --ov-hints none,THROUGHPUT --ov-batches "$batches" -k openvino \
    --ov-onnx .ovperf-export/yolov5n.onnx --ov-image .ovperf-export/bus.jpg \
    --ov-ab-python .venv/bin/python $looks $design $inject \
    --benchmark-json "$out/run-$n.json" -q > "$out/run-$n.log" 2>&1
  echo "run $n ${inject:-A/A} $design rc=$? in $(( $(date +%s) - start )) s, ended $(date -u +%FT%TZ)" | tee -a "$out/progress.log"
done
