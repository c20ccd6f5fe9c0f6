"""Output correctness: every OpenVINO configuration against the PyTorch FP32 reference.

One batch of the photo runs through each configuration once, outside any timing,
the way the configuration runs (one request for sync, the AsyncInferQueue for
async). The raw tensor and the decoded detections must agree with PyTorch within
the tolerance of the precision OpenVINO resolved (``ovperf.outputs.TOLERANCES``),
so a faster configuration or release that computes something else is never green.
"""
from __future__ import annotations

import pytest

from ovperf.runner import InferError, infer_outputs


def test_outputs(ov_cell, compiled_cell, frame_batches, check_outputs):
    compiled, _compile_ms, resolved, _peak = compiled_cell
    try:
        outputs = infer_outputs(compiled, frame_batches(ov_cell.batch)[0], ov_cell.mode, resolved.nireq)
    except InferError as exc:
        pytest.fail(f"{ov_cell.id}: {exc}", pytrace=False)
    assert outputs.shape[0] == ov_cell.batch
    check_outputs(outputs, resolved.inference_precision)
