#!/usr/bin/env bash
# What --ov-inject-slowdown 5% costs in one process, three b1 CPU cells (accuracy.py).
# Needs `python -m ovperf.export --out .ovperf-export` first. Usage: report/data/inject/run.sh
cd "$(dirname "$0")/../../.."
for cell in "48 sync none" "48 async THROUGHPUT" "48 sync THROUGHPUT"; do
  # shellcheck disable=SC2086  # $cell is three arguments
  YOLO_OFFLINE=1 .venv/bin/python report/data/inject/accuracy.py .ovperf-export/yolov5n.onnx $cell 5
done
