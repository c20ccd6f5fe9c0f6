#!/bin/bash
# Issue 9, stored baseline on the f32 machine, with the machine's speed recorded per round:
# 8 CPU cells, baseline of 2 appended runs (12 processes a cell), then comparison runs
# aa / 10% / 5% interleaved until results/sp8/stop exists.
set -u
cd /tmp/camp; export PYTHONPATH=/tmp/camp
CELLS="--ov-devices CPU --ov-hints none,THROUGHPUT --ov-batches 1,4 --ov-modes sync,async -k openvino"
D=results/sp8
log() { echo "$(date -u +%FT%T) $*" >> $D/times.txt; }
if [ ! -f $D/sp-base.json ]; then
  log start base1
  /work/main/.venv/bin/pytest perf/ $CELLS --ov-baseline-dir=$D --ov-save-baseline sp-base > $D/base1.log 2>&1
  log end base1 rc=$?
  log start base2
  /work/main/.venv/bin/pytest perf/ $CELLS --ov-baseline-dir=$D --ov-save-baseline sp-base --ov-save-baseline-append > $D/base2.log 2>&1
  log end base2 rc=$?
fi
for i in 1 2 3 4 5 6 7 8; do for kind in aa 10 5; do
  [ -f $D/stop ] && exit 0
  inject=""; [ $kind != aa ] && inject="--ov-inject-slowdown $kind%"
  log start cmp-$kind-$i
  /work/main/.venv/bin/pytest perf/ $CELLS --ov-baseline-dir=$D --ov-baseline sp-base $inject \
      --benchmark-json=$D/cmp-$kind-$i.json > $D/cmp-$kind-$i.log 2>&1
  log end cmp-$kind-$i rc=$?
done; done
