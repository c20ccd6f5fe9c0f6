#!/bin/bash
# Issue 9 Done-when, stored baseline on the f32 machine: 8 CPU cells, baseline of 2 appended
# runs (12 processes a cell), then comparison runs aa / 10% / 5% interleaved.
set -u
cd /work/main
CELLS="--ov-devices CPU --ov-hints none,THROUGHPUT --ov-batches 1,4 --ov-modes sync,async -k openvino"
D=results/fa8
log() { echo "$(date -u +%FT%T) $*" >> $D/times.txt; }
if [ ! -f $D/fa-base.json ]; then
  log start base1
  .venv/bin/pytest perf/ $CELLS --ov-baseline-dir=$D --ov-save-baseline fa-base > $D/base1.log 2>&1
  log end base1 rc=$?
  log start base2
  .venv/bin/pytest perf/ $CELLS --ov-baseline-dir=$D --ov-save-baseline fa-base --ov-save-baseline-append > $D/base2.log 2>&1
  log end base2 rc=$?
fi
for i in 1 2 3 4 5 6; do for kind in aa 10 5; do
  [ -f $D/stop ] && exit 0
  inject=""; [ $kind != aa ] && inject="--ov-inject-slowdown $kind%"
  log start cmp-$kind-$i
  .venv/bin/pytest perf/ $CELLS --ov-baseline-dir=$D --ov-baseline fa-base $inject \
      --benchmark-json=$D/cmp-$kind-$i.json > $D/cmp-$kind-$i.log 2>&1
  log end cmp-$kind-$i rc=$?
done; done
