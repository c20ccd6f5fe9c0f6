#!/bin/bash
# Issue 9, false alarms with the run unit: ten more unchanged (A/A) comparison runs of the 8 CPU
# cells against the sp8 baseline, after the evening's run.sh, so that the fa8, sp8 and rl8
# A/A runs together make the 20 runs x 8 cells the issue asks for. Same clone and cache as
# run.sh (/tmp/camp2, now at the commit that ran them), until results/rl8/stop exists.
set -u
cd /tmp/camp2; export PYTHONPATH=/tmp/camp2
CELLS="--ov-devices CPU --ov-hints none,THROUGHPUT --ov-batches 1,4 --ov-modes sync,async -k openvino"
D=results/rl8
log() { echo "$(date -u +%FT%T) $*" >> $D/times.txt; }
for run in aa-5 aa-6 aa-7 aa-8 aa-9 aa-10 aa-11 aa-12 aa-13 aa-14; do
  [ -f $D/stop ] && exit 0
  log start cmp-$run
  /work/main/.venv/bin/pytest perf/ $CELLS --ov-baseline-dir=$D --ov-baseline sp-base \
      --benchmark-json=$D/cmp-$run.json > $D/cmp-$run.log 2>&1
  log end cmp-$run rc=$?
done
