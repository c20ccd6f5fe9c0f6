"""A real older OpenVINO release: its tox env runs the smoke subset and serves as the A/B worker.

Slow (it installs OpenVINO 2024.6 from the package registry into a temporary tox
workdir): run with ``.venv/bin/pytest tests/ -m slow``.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT, benchmarks, run_suite

OLD = "ov2024.6"
SMOKE = ("--ov-devices", "CPU", "--ov-hints", "THROUGHPUT", "--ov-batches", "1", "--ov-modes", "async",
         "--ov-frames", "8", "--ov-rounds", "3", "--ov-warmup-rounds", "1")


@pytest.mark.slow
def test_an_older_release_runs_the_smoke_subset_and_serves_as_ab_worker(pytester, tmp_path):
    export = tmp_path / "export"
    cache = tmp_path / "cache"
    done = subprocess.run(
        [sys.executable, "-m", "ovperf.export", "--out", str(export), "--cache-dir", str(cache)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr
    tox = shutil.which("tox") or str(Path(sys.executable).with_name("tox"))
    out = tmp_path / "old.json"
    run = subprocess.run(
        [tox, "-c", str(ROOT / "tox.ini"), "--workdir", str(tmp_path / "tox"), "-e", OLD, "--",
         *SMOKE, "--ov-onnx", str(export / "yolov5n.onnx"), "--ov-image", str(export / "bus.jpg"),
         "--ov-cache-dir", str(cache), "-p", "no:cacheprovider", "--benchmark-json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=1500,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "torch is not installed in this environment" in run.stdout  # the PyTorch row skips
    cell = benchmarks(out)["test_openvino[CPU-THROUGHPUT-b1-async]"]["extra_info"]
    assert cell["openvino_version"].startswith("2024.6.") and cell["fps"] > 0
    assert json.loads(out.read_text())["benchmarks"][0]["extra_info"]["onnx_sha256"] == json.loads(
        (export / "export.json").read_text())["onnx_sha256"]

    # The same env's Python as the B side of an interleaved run from this (newer) release.
    old_python = tmp_path / "tox" / OLD / "bin" / "python"
    ab_out = tmp_path / "ab.json"
    result = run_suite(
        pytester, *SMOKE, "-k", "openvino", "--ov-onnx", str(export / "yolov5n.onnx"),
        "--ov-ab-python", str(old_python), "--benchmark-json", str(ab_out), cache_dir=cache,
    )
    assert result.ret == 0, result.stdout.str()[-3000:]
    ab = benchmarks(ab_out)["test_openvino[CPU-THROUGHPUT-b1-async]"]["extra_info"]["ab"]
    assert ab["openvino_version"].startswith("2024.6.") and ab["fps"] > 0
    assert ab["ci_low"] <= ab["ratio"] <= ab["ci_high"]
