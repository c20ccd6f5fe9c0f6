#!/usr/bin/env bash
# The speed kernel's cost to the round after it, before and after the fix (ovperf/noise.py,
# QUIET_BLAS_ENV): the old kernel (20 x 384) with OpenBLAS's default spin, and the new one
# (2 x 1024) under OPENBLAS_THREAD_TIMEOUT=4, at 8 and 48 frames a round, sync and async.
# Then the kernel's own spread, each kernel with and without the timeout (kernel.py).
# Needs `python -m ovperf.export --out .ovperf-export` first. Usage: report/data/blas-spin/run.sh
cd "$(dirname "$0")/../../.."
for cell in "8 sync none" "48 sync none" "48 async THROUGHPUT"; do
  # shellcheck disable=SC2086  # $cell is three arguments
  YOLO_OFFLINE=1 .venv/bin/python report/data/blas-spin/spin.py .ovperf-export/yolov5n.onnx $cell 384 20
  # shellcheck disable=SC2086
  OPENBLAS_THREAD_TIMEOUT=4 YOLO_OFFLINE=1 .venv/bin/python report/data/blas-spin/spin.py .ovperf-export/yolov5n.onnx $cell
done
for kernel in "20 384" "2 1024"; do
  read -r repeats size <<< "$kernel"
  .venv/bin/python report/data/blas-spin/kernel.py "$size" "$repeats"
  OPENBLAS_THREAD_TIMEOUT=4 .venv/bin/python report/data/blas-spin/kernel.py "$size" "$repeats"
done
