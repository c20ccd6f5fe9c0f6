"""``python -m ovperf.export``: the ONNX file and photo every release's env benchmarks."""
from __future__ import annotations

import json
import subprocess
import sys

from ovperf.cache import file_digest
from tests.helpers import ROOT


def export(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ovperf.export", *args], cwd=ROOT, capture_output=True, text=True, timeout=600
    )


def test_export_writes_the_onnx_file_the_photo_and_their_provenance(tmp_path):
    out = tmp_path / "export"
    done = export("--out", str(out), "--cache-dir", str(tmp_path / "cache"))
    assert done.returncode == 0, done.stderr
    info = json.loads((out / "export.json").read_text())
    assert info["onnx_sha256"] == file_digest(out / "yolov5n.onnx")
    assert info["model"] == "yolov5n.yaml (random weights, seed 0, BatchNorm calibrated)"
    import ultralytics
    from pathlib import Path

    bus = Path(ultralytics.__file__).parent / "assets" / "bus.jpg"
    assert (out / "bus.jpg").read_bytes() == bus.read_bytes()
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []  # no temp files left
    again = export("--out", str(out), "--cache-dir", str(tmp_path / "cache"))
    assert again.returncode == 0 and json.loads((out / "export.json").read_text()) == info


def test_a_missing_weights_file_is_a_one_line_error(tmp_path):
    done = export("--out", str(tmp_path / "export"), "--weights", str(tmp_path / "best.pt"))
    assert done.returncode == 2
    assert done.stderr.strip() == f"python -m ovperf.export: error: no such weights file: {tmp_path / 'best.pt'}"
    assert not (tmp_path / "export").exists()
