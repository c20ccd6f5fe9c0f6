"""Output correctness: every OpenVINO configuration against the PyTorch FP32 reference.

One batch of the photo runs through each configuration once, outside any timing,
the way the configuration runs (one request for sync, the AsyncInferQueue for
async). The raw tensor and the decoded detections must agree with PyTorch within
the tolerance of the precision OpenVINO resolved (``ovperf.outputs.TOLERANCES``),
so a faster configuration or release that computes something else is never green.
"""
from __future__ import annotations

import pytest


def test_outputs(ov_cell, cell_outputs):
    if not cell_outputs["ok"]:
        pytest.fail(f"{ov_cell.id} {'; and '.join(cell_outputs['problems'])}", pytrace=False)
