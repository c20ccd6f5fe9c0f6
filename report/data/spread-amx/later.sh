#!/usr/bin/env bash
# Issue 9: two checkouts in turn against this directory's spread baseline (base.json, saved
# 00:06-00:13 UTC on 2026-12-06), hours after it was saved: the 8 CPU cells of
# report/data/verdicts-amx/run.sh, comparison runs cycling SPECS (CHECKOUT:KIND, KIND aa or the
# injected percentage) until DEADLINE (HH:MM UTC). Each checkout is a clone with its own .venv
# and .ovperf-export; a run of checkout C goes to hours-C/ (its commit, short), whose base.json
# links to ../base.json, so that every file reader of a campaign directory reads it as one:
#   .venv/bin/python -m ovperf.power report/data/spread-amx/hours-C/cmp-*.json
#   .venv/bin/python report/data/control/limits.py report/data/spread-amx/hours-C
# Usage: report/data/spread-amx/later.sh DEADLINE SPECS CHECKOUT [CHECKOUT ...]
#   SPECS e.g. 1:aa,1:10,0:10,1:5 (the checkout by its place in the list, from 0)
set -u
deadline=${1:?usage: later.sh DEADLINE SPECS CHECKOUT [CHECKOUT ...]}
IFS=, read -ra specs <<< "${2:?usage: later.sh DEADLINE SPECS CHECKOUT [CHECKOUT ...]}"
shift 2
checkouts=("$@")
here=$(cd "$(dirname "$0")" && pwd)
CELLS="--ov-devices CPU --ov-hints none,THROUGHPUT --ov-batches 1,4 --ov-modes sync,async -k openvino"
MODEL="--ov-onnx .ovperf-export/yolov5n.onnx --ov-image .ovperf-export/bus.jpg"
log() { echo "$(date -u +%FT%TZ) $*" | tee -a "$here/progress.log"; }
end=$(date -u -d "$deadline" +%s)
[ "$end" -gt "$(date -u +%s)" ] || end=$((end + 86400))
j=0
while [ "$(date -u +%s)" -lt "$end" ]; do
  spec=${specs[$(( j % ${#specs[@]} ))]}; j=$((j + 1))
  checkout=${checkouts[${spec%%:*}]}; kind=${spec##*:}
  commit=$(git -C "$checkout" rev-parse --short HEAD)
  out="$here/hours-$commit"
  mkdir -p "$out"
  [ -e "$out/base.json" ] || ln -s ../base.json "$out/base.json"
  n=$(printf %02d $(( $(find "$out" -maxdepth 1 -name 'cmp-*.log' | wc -l) + 1 )))
  inject=""; [ "$kind" = aa ] || inject="--ov-inject-slowdown $kind%"
  start=$(date +%s)
  # shellcheck disable=SC2086  # option lists
  (cd "$checkout" && .venv/bin/pytest perf/ $CELLS $MODEL --ov-baseline-dir="$out" --ov-baseline base $inject \
      --benchmark-json "$out/cmp-$n-$kind.json" -q > "$out/cmp-$n-$kind.log" 2>&1)
  log "hours-$commit cmp $n $kind rc=$? in $(( $(date +%s) - start )) s"
done
