"""The output check through the real suite: it passes for the real model and catches a perturbed copy."""
from __future__ import annotations

import shutil
import subprocess
import sys

import cv2  # imported here, not in a test: pytester drops modules a test imports, and cv2 cannot load twice
import numpy as np
import onnx
import pytest
from onnx import numpy_helper

from tests.helpers import ROOT, run_suite

ONE_CELL = ("--ov-devices", "CPU", "--ov-hints", "LATENCY", "--ov-batches", "1", "--ov-modes", "sync",
            "-k", "test_outputs")


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    """The ONNX file, photo and PyTorch reference, as ``tox -e export`` writes them."""
    folder = tmp_path_factory.mktemp("export")
    done = subprocess.run(
        [sys.executable, "-m", "ovperf.export", "--out", str(folder), "--cache-dir", str(folder / "cache")],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return folder


def perturbed_copy(export, tmp_path, name: str, factor: float):
    """The exported ONNX with one weight tensor scaled, beside the reference of the unchanged
    model. A reference records the ONNX file it was computed from, and the suite refuses one
    of another file; here the test hands the unchanged model's outputs to the perturbed file
    on purpose (re-labelled with its hash), because what it asks is whether the check sees
    the perturbation."""
    from ovperf.cache import file_digest

    model = onnx.load(str(export / "yolov5n.onnx"))
    weight = next(t for t in model.graph.initializer if t.name == name)
    weight.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(weight) * np.float32(factor), name))
    folder = tmp_path / "perturbed"
    folder.mkdir()
    onnx.save(model, str(folder / "yolov5n.onnx"))
    with np.load(export / "yolov5n.reference.npz") as saved:
        arrays = {key: saved[key] for key in saved.files}
    np.savez(folder / "yolov5n.reference.npz", **{**arrays, "onnx_sha256": file_digest(folder / "yolov5n.onnx")})
    return folder / "yolov5n.onnx"


def test_a_reference_of_another_onnx_file_fails_the_check_with_one_line(pytester, export, tmp_path):
    perturbed = perturbed_copy(export, tmp_path, "model.0.conv.weight", 1.01)
    shutil.copy(export / "yolov5n.reference.npz", perturbed.with_suffix(".reference.npz"))  # the unchanged model's, labelled with its hash
    result = run_suite(
        pytester, *ONE_CELL, "--ov-onnx", str(perturbed), "--ov-image", str(export / "bus.jpg"),
        cache_dir=export / "cache",
    )
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines([f"*the PyTorch reference {perturbed.with_suffix('.reference.npz')} was computed "
                                 f"from another model than {perturbed}*"])
    assert "Traceback" not in result.stdout.str()


def test_the_exported_model_matches_pytorch_and_images_are_drawn(pytester, export, tmp_path):
    images = tmp_path / "images"
    result = run_suite(
        pytester, *ONE_CELL, "--ov-onnx", str(export / "yolov5n.onnx"), "--ov-image", str(export / "bus.jpg"),
        "--ov-save-images", str(images), cache_dir=export / "cache",
    )
    assert result.ret == 0, result.stdout.str()[-3000:]
    assert sorted(p.name for p in images.iterdir()) == ["CPU-LATENCY-b1-sync.jpg", "pytorch-reference.jpg"]

    assert cv2.imread(str(images / "CPU-LATENCY-b1-sync.jpg")).shape == cv2.imread(str(export / "bus.jpg")).shape


@pytest.mark.parametrize("factor", [1.01, 1.05])
@pytest.mark.parametrize("precisions", ["default", "f32"])
def test_a_perturbed_weight_fails_the_output_check_at_any_precision(pytester, export, tmp_path, factor, precisions):
    """The first conv's weights 1% or 5% larger fail the check whatever precision the CPU
    resolves: at f32 against PyTorch directly; at bf16/f16, whose rounding is as large as a
    1% change, through OpenVINO itself pinned to f32 on the same device. The message names
    the precision that was resolved, read from the run's JSON, never assumed."""
    onnx_file = perturbed_copy(export, tmp_path, "model.0.conv.weight", factor)
    result = run_suite(
        pytester, *ONE_CELL, "--ov-onnx", str(onnx_file), "--ov-image", str(export / "bus.jpg"),
        "--ov-precisions", precisions, cache_dir=export / "cache",
    )
    result.assert_outcomes(failed=1)
    stdout = result.stdout.str()
    assert "Traceback" not in stdout
    line = next(ln for ln in stdout.splitlines() if "outputs differ" in ln or "model itself changed" in ln)
    resolved = next(p for p in ("bf16", "f16", "f32") if f"beyond the {p} tolerance" in line or f"beyond {p} rounding" in line)
    if resolved == "f32" and "model itself" not in line:
        assert "outputs differ from PyTorch FP32 beyond the f32 tolerance" in line
    else:  # a lower precision: the f32 reference run carries the verdict on the model
        assert "OpenVINO pinned to f32 differs from PyTorch FP32 beyond the f32 tolerance (the model itself changed)" in line


def test_without_a_reference_the_check_skips_with_the_reason(pytester, export, tmp_path):
    lone = tmp_path / "lone.onnx"
    shutil.copy(export / "yolov5n.onnx", lone)
    result = run_suite(
        pytester, *ONE_CELL, "--ov-onnx", str(lone), "--ov-image", str(export / "bus.jpg"), "-rs",
        cache_dir=export / "cache",
    )
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines([f"*no PyTorch reference for {lone}: `python -m ovperf.export` writes lone.reference.npz beside it*"])
