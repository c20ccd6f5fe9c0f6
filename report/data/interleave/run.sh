#!/usr/bin/env bash
# Where does a cell's own move from run to run come from: the machine's mood in the seconds its
# processes run back to back, or the processes themselves? The 8 CPU cells, two designs
# alternating until DEADLINE (HH:MM UTC), each iteration unchanged (aa) or with PCT injected
# (--ov-inject-slowdown), cycling CYCLE (default aa):
#   normal-NN.json   one run as the suite makes it: each cell's 5 processes back to back, then the
#                    next cell; with the PyTorch rows (b1, b4), to see whether they follow the run;
#   inter-NN-P.json  P = 1..5: five passes over the 8 cells of 1 process each, so that a cell's 5
#                    processes are spread over the whole run.
# Read with: .venv/bin/python report/data/interleave/parts.py OUT
# Run again on the same OUT, it resumes: the numbering goes on, and CYCLE starts from its first item.
# Usage: report/data/interleave/run.sh OUT DEADLINE [CYCLE]
set -u
out=${1:?usage: run.sh OUT DEADLINE [CYCLE]}
deadline=${2:?usage: run.sh OUT DEADLINE [CYCLE]}
IFS=, read -ra cycle <<< "${3:-aa}"
cd "$(dirname "$0")/../../.."
ARGS=(--ov-devices CPU --ov-hints none,THROUGHPUT --ov-batches 1,4 --ov-modes sync,async
      --ov-onnx .ovperf-export/yolov5n.onnx --ov-image .ovperf-export/bus.jpg -q)
mkdir -p "$out"
log() { echo "$(date -u +%FT%TZ) $*" | tee -a "$out/progress.log"; }
end=$(date -u -d "$deadline" +%s)
[ "$end" -gt "$(date -u +%s)" ] || end=$((end + 86400))
i=$(find "$out" -maxdepth 1 -name 'normal-*.json' | wc -l)
j=0
while [ "$(date -u +%s)" -lt "$end" ]; do
  i=$((i + 1)); n=$(printf %02d "$i")
  kind=${cycle[$(( j % ${#cycle[@]} ))]}; j=$((j + 1))
  inject=(); [ "$kind" = aa ] || inject=(--ov-inject-slowdown "$kind%")
  # the designs alternate which goes first, so that neither always meets the later machine
  if [ $((i % 2)) -eq 1 ]; then order="normal inter"; else order="inter normal"; fi
  for design in $order; do
    start=$(date +%s)
    if [ "$design" = normal ]; then
      .venv/bin/pytest perf/ "${ARGS[@]}" -k "openvino or pytorch" --ov-processes 5 "${inject[@]}" \
          --benchmark-json "$out/normal-$n.json" > "$out/normal-$n.log" 2>&1
      log "normal $n $kind rc=$? in $(( $(date +%s) - start )) s"
    else
      for p in 1 2 3 4 5; do
        .venv/bin/pytest perf/ "${ARGS[@]}" -k openvino --ov-processes 1 "${inject[@]}" \
            --benchmark-json "$out/inter-$n-$p.json" > "$out/inter-$n-$p.log" 2>&1 || log "inter $n pass $p rc=$?"
      done
      log "inter $n $kind in $(( $(date +%s) - start )) s"
    fi
  done
done
