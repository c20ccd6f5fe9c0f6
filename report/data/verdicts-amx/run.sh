#!/usr/bin/env bash
# Issue 9, the stored-baseline gate at its defaults: the 8 CPU cells (none/THROUGHPUT x b1/b4 x
# sync/async), a baseline saved from RUNS runs of 6 processes a cell (--ov-save-baseline, then
# --ov-save-baseline-append), then comparison runs against it, unchanged (aa) or with 10% / 5%
# injected, cycling CYCLE, until DEADLINE (HH:MM UTC, the next one: 01:10 started at 23:40 is after midnight).
# Run again on the same OUT, it resumes: the numbering goes on after the comparisons there, and
# CYCLE starts again from its first item. With SEEDS (0 or more), every run is
# recorded in the history OUT/history.sqlite (--ov-history), after SEEDS plain runs made first,
# so that the comparisons take the drift between runs from the history's runs of this machine.
# Reads with:
#   .venv/bin/python -m ovperf.power OUT/cmp-*.json
# Usage: report/data/verdicts-amx/run.sh OUT DEADLINE [CYCLE [RUNS [SEEDS]]]   (CYCLE default aa,10,aa,5; RUNS 2)
set -u
out=${1:?usage: run.sh OUT DEADLINE [CYCLE [RUNS [SEEDS]]]}
deadline=${2:?usage: run.sh OUT DEADLINE [CYCLE [RUNS [SEEDS]]]}
IFS=, read -ra cycle <<< "${3:-aa,10,aa,5}"
runs=${4:-2}
seeds=${5:-}
cd "$(dirname "$0")/../../.."
CELLS="--ov-devices CPU --ov-hints none,THROUGHPUT --ov-batches 1,4 --ov-modes sync,async -k openvino"
MODEL="--ov-onnx .ovperf-export/yolov5n.onnx --ov-image .ovperf-export/bus.jpg"
mkdir -p "$out"
HISTORY=""; [ -n "$seeds" ] && HISTORY="--ov-history $out/history.sqlite"
log() { echo "$(date -u +%FT%TZ) $*" | tee -a "$out/progress.log"; }
for k in $(seq 1 "${seeds:-0}"); do
  [ -f "$out/seed$k.log" ] && continue
  start=$(date +%s)
  # shellcheck disable=SC2086  # option lists
  .venv/bin/pytest perf/ $CELLS $MODEL $HISTORY --benchmark-json "$out/seed$k.json" -q > "$out/seed$k.log" 2>&1
  log "seed$k rc=$? in $(( $(date +%s) - start )) s"
done
for k in $(seq 1 "$runs"); do
  [ -f "$out/base$k.log" ] && continue
  append=""; [ "$k" -gt 1 ] && append="--ov-save-baseline-append"
  start=$(date +%s)
  # shellcheck disable=SC2086  # option lists
  .venv/bin/pytest perf/ $CELLS $MODEL $HISTORY --ov-baseline-dir="$out" --ov-save-baseline base $append -q > "$out/base$k.log" 2>&1
  log "base$k rc=$? in $(( $(date +%s) - start )) s"
done
end=$(date -u -d "$deadline" +%s)
[ "$end" -gt "$(date -u +%s)" ] || end=$((end + 86400))
i=$(find "$out" -maxdepth 1 -name 'cmp-*.log' | wc -l)
j=0
while [ "$(date -u +%s)" -lt "$end" ]; do
  kind=${cycle[$(( j % ${#cycle[@]} ))]}; i=$((i + 1)); j=$((j + 1))
  inject=""; [ "$kind" = aa ] || inject="--ov-inject-slowdown $kind%"
  n=$(printf %02d "$i")
  start=$(date +%s)
  # shellcheck disable=SC2086  # option lists
  .venv/bin/pytest perf/ $CELLS $MODEL $HISTORY --ov-baseline-dir="$out" --ov-baseline base $inject \
      --benchmark-json "$out/cmp-$n-$kind.json" -q > "$out/cmp-$n-$kind.log" 2>&1
  log "cmp $n $kind rc=$? in $(( $(date +%s) - start )) s"
done
