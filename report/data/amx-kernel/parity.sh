#!/usr/bin/env bash
# Issue 9: does timing the OpenVINO convolution kernel around every round (the units kernel,
# ovperf.noise.UnitsKernel, or kernel.patch before it) move the model's own FPS? PAIRS pairs
# of plain runs of the 8 CPU cells (3 processes a cell, as run.sh), one from each clone,
# alternating which goes first, to parity/CLONE-NN.json (CLONE: the clone's commit, short).
# Read with:
#   .venv/bin/python report/data/amx-kernel/parity.py report/data/amx-kernel/parity
# Usage: report/data/amx-kernel/parity.sh PAIRS CLONE_WITHOUT CLONE_WITH
set -u
pairs=${1:?usage: parity.sh PAIRS CLONE_WITHOUT CLONE_WITH}
clones=("${2:?usage: parity.sh PAIRS CLONE_WITHOUT CLONE_WITH}" "${3:?usage: parity.sh PAIRS CLONE_WITHOUT CLONE_WITH}")
here=$(cd "$(dirname "$0")" && pwd)
out=$here/parity
mkdir -p "$out"
CELLS="--ov-devices CPU --ov-hints none,THROUGHPUT --ov-batches 1,4 --ov-modes sync,async -k openvino"
MODEL="--ov-onnx .ovperf-export/yolov5n.onnx --ov-image .ovperf-export/bus.jpg"
log() { echo "$(date -u +%FT%TZ) $*" | tee -a "$out/progress.log"; }
for k in $(seq 1 "$pairs"); do
  n=$(printf %02d "$k")
  order=(0 1); [ $((k % 2)) -eq 0 ] && order=(1 0)
  for i in "${order[@]}"; do
    clone=${clones[$i]}
    name=$(git -C "$clone" rev-parse --short HEAD)-$n
    start=$(date +%s)
    # shellcheck disable=SC2086  # option lists
    (cd "$clone" && .venv/bin/pytest perf/ $CELLS $MODEL --ov-processes 3 \
        --benchmark-json "$out/$name.json" -q > "$out/$name.log" 2>&1)
    log "$name rc=$? in $(( $(date +%s) - start )) s"
  done
done
