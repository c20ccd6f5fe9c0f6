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
#   SPECS e.g. 1:aa,1:10,0:10,1:5 (the checkout by its place in the list, from 0); DEADLINE
#   "once" runs each spec once.
# CAMPAIGN=DIR: the same against DIR's base.json instead, the runs going to DIR/hours-C/ and the
# log to DIR/progress.log (report/data/amx-kernel/machine/, against the units kernel's baseline).
# NEIGHBOUR=DUTY: a busy neighbour (neighbour.py, spinning DUTY of every 10 ms) runs through
# each run, and the runs go to busy-C/ instead: a session slower than its baseline, made at will.
# EXTRA="OPTIONS": more pytest options for every run (e.g. "--ov-processes 10"), the runs going to
# PREFIX-C/ (PREFIX required with EXTRA) and each log line naming them.
set -u
deadline=${1:?usage: later.sh DEADLINE SPECS CHECKOUT [CHECKOUT ...]}
IFS=, read -ra specs <<< "${2:?usage: later.sh DEADLINE SPECS CHECKOUT [CHECKOUT ...]}"
shift 2
checkouts=("$@")
here=$(cd "$(dirname "$0")" && pwd)
campaign=$(cd "${CAMPAIGN:-$here}" && pwd)
CELLS="--ov-devices CPU --ov-hints none,THROUGHPUT --ov-batches 1,4 --ov-modes sync,async -k openvino"
MODEL="--ov-onnx .ovperf-export/yolov5n.onnx --ov-image .ovperf-export/bus.jpg"
log() { echo "$(date -u +%FT%TZ) $*" | tee -a "$campaign/progress.log"; }
neighbour=${NEIGHBOUR:-}
extra=${EXTRA:-}
prefix=hours; [ -z "$neighbour" ] || prefix=busy
[ -z "$extra" ] || prefix=${PREFIX:?EXTRA needs PREFIX, a prefix for the run directories}
if [ "$deadline" = once ]; then
  end=$(( $(date -u +%s) + 365 * 86400 ))
else
  end=$(date -u -d "$deadline" +%s)
  [ "$end" -gt "$(date -u +%s)" ] || end=$((end + 86400))
fi
j=0
while [ "$(date -u +%s)" -lt "$end" ] && { [ "$deadline" != once ] || [ "$j" -lt "${#specs[@]}" ]; }; do
  spec=${specs[$(( j % ${#specs[@]} ))]}; j=$((j + 1))
  checkout=${checkouts[${spec%%:*}]}; kind=${spec##*:}
  commit=$(git -C "$checkout" rev-parse --short HEAD)
  out="$campaign/$prefix-$commit"
  mkdir -p "$out"
  [ -e "$out/base.json" ] || ln -s ../base.json "$out/base.json"
  n=$(printf %02d $(( $(find "$out" -maxdepth 1 -name 'cmp-*.log' | wc -l) + 1 )))
  inject=""; [ "$kind" = aa ] || inject="--ov-inject-slowdown $kind%"
  busy=""
  if [ -n "$neighbour" ]; then
    python3 "$here/neighbour.py" 86400 "$neighbour" & busy=$!
  fi
  start=$(date +%s)
  # shellcheck disable=SC2086  # option lists
  (cd "$checkout" && .venv/bin/pytest perf/ $CELLS $MODEL --ov-baseline-dir="$out" --ov-baseline base $inject $extra \
      --benchmark-json "$out/cmp-$n-$kind.json" -q > "$out/cmp-$n-$kind.log" 2>&1)
  rc=$?
  [ -z "$busy" ] || kill "$busy"
  log "$prefix-$commit cmp $n $kind rc=$rc in $(( $(date +%s) - start )) s${neighbour:+ (a neighbour busy $neighbour of the time)}${extra:+ (with $extra)}"
done
