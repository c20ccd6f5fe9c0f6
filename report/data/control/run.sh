#!/usr/bin/env bash
# Does the PyTorch row, which no OpenVINO change and no --ov-inject-slowdown touches, follow the
# machine's moves between a stored baseline and later runs better than the speed kernel does?
# As report/data/verdicts-amx/run.sh (the 8 CPU cells, a baseline of RUNS runs, then comparison
# runs cycling CYCLE until DEADLINE), with the PyTorch rows (b1, b4) in every run, and every run's
# --benchmark-json kept (base-K.json beside the baseline file).
# Usage: report/data/control/run.sh OUT DEADLINE [CYCLE [RUNS]]   (CYCLE default aa,10,5; RUNS 3)
set -u
out=${1:?usage: run.sh OUT DEADLINE [CYCLE [RUNS]]}
deadline=${2:?usage: run.sh OUT DEADLINE [CYCLE [RUNS]]}
IFS=, read -ra cycle <<< "${3:-aa,10,5}"
runs=${4:-3}
cd "$(dirname "$0")/../../.."
ARGS=(--ov-devices CPU --ov-hints none,THROUGHPUT --ov-batches 1,4 --ov-modes sync,async -k "openvino or pytorch"
      --ov-onnx .ovperf-export/yolov5n.onnx --ov-image .ovperf-export/bus.jpg -q)
mkdir -p "$out"
log() { echo "$(date -u +%FT%TZ) $*" | tee -a "$out/progress.log"; }
for k in $(seq 1 "$runs"); do
  [ -f "$out/base$k.log" ] && continue
  append=(); [ "$k" -gt 1 ] && append=(--ov-save-baseline-append)
  start=$(date +%s)
  .venv/bin/pytest perf/ "${ARGS[@]}" --ov-baseline-dir="$out" --ov-save-baseline base "${append[@]}" \
      --benchmark-json "$out/base-$k.json" > "$out/base$k.log" 2>&1
  log "base$k rc=$? in $(( $(date +%s) - start )) s"
done
end=$(date -u -d "$deadline" +%s)
[ "$end" -gt "$(date -u +%s)" ] || end=$((end + 86400))
i=$(find "$out" -maxdepth 1 -name 'cmp-*.log' | wc -l)
j=0
while [ "$(date -u +%s)" -lt "$end" ]; do
  kind=${cycle[$(( j % ${#cycle[@]} ))]}; i=$((i + 1)); j=$((j + 1))
  inject=(); [ "$kind" = aa ] || inject=(--ov-inject-slowdown "$kind%")
  n=$(printf %02d "$i")
  start=$(date +%s)
  .venv/bin/pytest perf/ "${ARGS[@]}" --ov-baseline-dir="$out" --ov-baseline base "${inject[@]}" \
      --benchmark-json "$out/cmp-$n-$kind.json" > "$out/cmp-$n-$kind.log" 2>&1
  log "cmp $n $kind rc=$? in $(( $(date +%s) - start )) s"
done
