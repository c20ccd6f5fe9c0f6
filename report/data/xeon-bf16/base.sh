#!/usr/bin/env bash
# Issue 9 on an Intel Xeon host with avx512_bf16 and no AMX (CPU model 207, 2 cores; every cell
# bf16 at about 18 FPS): a stored baseline of 3 runs of the 8 CPU cells of
# report/data/verdicts-amx/run.sh (6 processes a cell, the --ov-save-baseline default), to this
# directory's base.json, from CLONE (a clone with its own .venv and .ovperf-export). The
# comparison runs against it follow with
#   CAMPAIGN=report/data/xeon-bf16 report/data/spread-amx/later.sh DEADLINE SPECS CLONE
# and are read with
#   .venv/bin/python -m ovperf.power report/data/xeon-bf16/hours-C/cmp-*.json
# Usage: report/data/xeon-bf16/base.sh CLONE [DIR [RUNS]]
#   DIR (default this directory): where base.json is saved, and the logs and progress.log go;
#   a run is appended (--ov-save-baseline-append) wherever DIR/base.json exists by then, so that a
#   baseline saved in one window can take runs from other hours. RUNS: how many runs (default 3).
# EXTRA="OPTIONS": more pytest options for every run (e.g. "--ov-processes 12"), each log line
# naming them.
set -u
clone=${1:?usage: base.sh CLONE [DIR [RUNS]]}
here=$(cd "$(dirname "$0")" && pwd)
dir=$(cd "${2:-$here}" && pwd)
runs=${3:-3}
extra=${EXTRA:-}
CELLS="--ov-devices CPU --ov-hints none,THROUGHPUT --ov-batches 1,4 --ov-modes sync,async -k openvino"
MODEL="--ov-onnx .ovperf-export/yolov5n.onnx --ov-image .ovperf-export/bus.jpg"
log() { echo "$(date -u +%FT%TZ) $*" | tee -a "$dir/progress.log"; }
done_before=$(find "$dir" -maxdepth 1 -name 'base*.log' | wc -l)
log "clone $(git -C "$clone" rev-parse --short HEAD): $runs runs to ${dir#"$here"/}/base.json${extra:+ (with $extra)}"
for n in $(seq $((done_before + 1)) $((done_before + runs))); do
  append=""; [ -e "$dir/base.json" ] && append=--ov-save-baseline-append
  start=$(date +%s)
  # shellcheck disable=SC2086  # option lists
  (cd "$clone" && .venv/bin/pytest perf/ $CELLS $MODEL --ov-baseline-dir="$dir" --ov-save-baseline base $append $extra \
      -q > "$dir/base$n.log" 2>&1)
  log "base$n rc=$? in $(( $(date +%s) - start )) s${extra:+ (with $extra)}"
done
