#!/bin/bash
# Issue 9, the run as the unit, on the f32 machine: the 8 CPU cells compared with the sp8
# baseline (2 runs saved about four hours earlier, 12 processes a cell), unchanged (aa) or
# with 10% / 5% injected, in the order below, until results/rl8/stop exists. Run from a
# clone of the commit under test (/tmp/camp2), so that editing the checkout cannot touch it.
set -u
cd /tmp/camp2; export PYTHONPATH=/tmp/camp2
CELLS="--ov-devices CPU --ov-hints none,THROUGHPUT --ov-batches 1,4 --ov-modes sync,async -k openvino"
D=results/rl8
mkdir -p $D; cp -n report/data/verdicts-f32/sp8/sp-base.json $D/sp-base.json
log() { echo "$(date -u +%FT%T) $*" >> $D/times.txt; }
for run in aa-1 aa-2 10-1 aa-3 aa-4 10-2 aa-5 aa-6 5-1 aa-7 aa-8 10-3; do
  [ -f $D/stop ] && exit 0
  kind=${run%-*}; inject=""; [ $kind != aa ] && inject="--ov-inject-slowdown $kind%"
  log start cmp-$run
  /work/main/.venv/bin/pytest perf/ $CELLS --ov-baseline-dir=$D --ov-baseline sp-base $inject \
      --benchmark-json=$D/cmp-$run.json > $D/cmp-$run.log 2>&1
  log end cmp-$run rc=$?
done
