"""The throughput matrix: every OpenVINO configuration, and PyTorch as the reference row.

The cells come from ``--ov-devices/--ov-hints/--ov-batches/--ov-modes/--ov-precisions``
(see ``fixtures/plugin.py``); ids read ``CPU-THROUGHPUT-b4-async``.
"""
from __future__ import annotations

import openvino

from ovperf.counters import layer_times
from ovperf.runner import AsyncRunner, SyncRunner, TorchRunner


def test_openvino(
    ov_cell, compiled_cell, ab_partner, frame_batches, measure, parity, model_identity, ov_settings,
    ov_core, ov_model_for_batch,
):
    compiled, compile_ms, resolved, compile_peak_mib = compiled_cell
    batches = frame_batches(ov_cell.batch)
    if ov_cell.mode == "async":
        runner = AsyncRunner(compiled, batches, resolved.nireq)
    else:
        runner = SyncRunner(compiled, batches)
    record = measure(
        runner,
        name=ov_cell.id,
        partner=ab_partner,
        # Per-layer times (PERF_COUNT) in a separate compile, after the measured rounds.
        profile=lambda: layer_times(
            ov_core, ov_model_for_batch(ov_cell.batch), ov_cell, ov_settings.compile_extra, batches
        ),
        device=ov_cell.device,
        hint=ov_cell.hint,
        batch=ov_cell.batch,
        mode=ov_cell.mode,
        pinned_precision=ov_cell.precision,
        compile_ms=compile_ms,
        peak_rss_compile_mib=compile_peak_mib,
        resolved_hint=resolved.performance_hint,
        inference_precision=resolved.inference_precision,
        inference_precision_source=resolved.precision_source,
        execution_devices=list(resolved.execution_devices),
        num_streams=resolved.num_streams,
        nireq=resolved.nireq if ov_cell.mode == "async" else 1,
        ov_config=ov_settings.compile_extra,
        **model_identity,
        openvino_version=openvino.get_version(),
    )
    parity(record)  # benchmark_app on the same configuration, with --ov-parity


def test_pytorch(torch_batch, torch_model, frame_batches, measure):
    import torch

    module = torch_model.yolo.model.fuse().eval()  # fused Conv+BN, as ultralytics predicts
    measure(
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
