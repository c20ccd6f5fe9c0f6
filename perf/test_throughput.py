"""The throughput matrix: every OpenVINO configuration, and PyTorch as the reference row.

The cells come from ``--ov-devices/--ov-hints/--ov-batches/--ov-modes/--ov-precisions``
(see ``fixtures/plugin.py``); ids read ``CPU-THROUGHPUT-b4-async``. Each OpenVINO cell
is measured in ``--ov-processes`` fresh processes (``ovperf.measure``).
"""
from __future__ import annotations

import openvino

from ovperf.runner import TorchRunner


def test_openvino(ov_cell, runnable, measure_openvino, parity):
    record = measure_openvino()
    parity(record)  # benchmark_app on the same configuration, with --ov-parity


def test_pytorch(torch_batch, torch_model, frame_batches, measure_torch):
    import torch

    module = torch_model.yolo.model.fuse().eval()  # fused Conv+BN, as ultralytics predicts
    measure_torch(
        TorchRunner(module, frame_batches(torch_batch)),
        name=f"pytorch-b{torch_batch}",
        device="torch-cpu",
        hint="none",
        batch=torch_batch,
        mode="sync",
        inference_precision="f32",
        torch_version=torch.__version__,
        torch_threads=torch.get_num_threads(),
        openvino_version=openvino.get_version(),
    )
