#!/usr/bin/env bash
# Issue 9: does a kernel that runs on the same units as the model (an OpenVINO bf16 convolution,
# AMX on this host) follow the machine's moves better than the numpy float64 reference kernel?
# CLONE is a clone of main with kernel.patch applied (git am), its own .venv and .ovperf-export.
# Plain runs of the 8 CPU cells of report/data/verdicts-amx/run.sh, 3 processes a cell (spread
# over the run, the default order), each to run-NN.json, until DEADLINE (HH:MM UTC); every
# NEIGHBOUR_EVERY-th run (default 4; 0 for none) beside a busy neighbour (neighbour.py at duty
# 0.3), whose runs are named run-NN-busy.json. Read with:
#   .venv/bin/python report/data/amx-kernel/track.py report/data/amx-kernel
# Usage: report/data/amx-kernel/run.sh DEADLINE CLONE
set -u
deadline=${1:?usage: run.sh DEADLINE CLONE}
clone=${2:?usage: run.sh DEADLINE CLONE}
here=$(cd "$(dirname "$0")" && pwd)
every=${NEIGHBOUR_EVERY:-4}
CELLS="--ov-devices CPU --ov-hints none,THROUGHPUT --ov-batches 1,4 --ov-modes sync,async -k openvino"
MODEL="--ov-onnx .ovperf-export/yolov5n.onnx --ov-image .ovperf-export/bus.jpg"
log() { echo "$(date -u +%FT%TZ) $*" | tee -a "$here/progress.log"; }
end=$(date -u -d "$deadline" +%s)
[ "$end" -gt "$(date -u +%s)" ] || end=$((end + 86400))
log "clone $(git -C "$clone" rev-parse --short HEAD)"
while [ "$(date -u +%s)" -lt "$end" ]; do
  n=$(printf %02d $(( $(find "$here" -maxdepth 1 -name 'run-*.json' | wc -l) + 1 )))
  name=run-$n; busy=""
  if [ "$every" -gt 0 ] && [ $(( 10#$n % every )) -eq 0 ]; then
    name=$name-busy
    python3 "$here/../spread-amx/neighbour.py" 86400 0.3 & busy=$!
  fi
  start=$(date +%s)
  # shellcheck disable=SC2086  # option lists
  (cd "$clone" && .venv/bin/pytest perf/ $CELLS $MODEL --ov-processes 3 \
      --benchmark-json "$here/$name.json" -q > "$here/$name.log" 2>&1)
  rc=$?
  [ -z "$busy" ] || kill "$busy"
  log "$name rc=$rc in $(( $(date +%s) - start )) s"
done
