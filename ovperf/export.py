"""Export the ONNX file once, for every OpenVINO release to convert itself.

``python -m ovperf.export [--out DIR] [--weights PT]`` (or ``tox -e export``) needs
torch and ultralytics. It writes ``DIR/yolov5n.onnx``, a copy of the photo the
frames are made from (``DIR/bus.jpg``, which ultralytics ships) and
``DIR/export.json`` saying what made them, plus the PyTorch FP32 output on that
photo (``DIR/yolov5n.reference.npz``), the reference every release's outputs
are checked against. The per-release tox envs have neither
torch nor ultralytics; they run ``pytest perf/ --ov-onnx DIR/yolov5n.onnx
--ov-image DIR/bus.jpg``, so every release benchmarks the same file on the same
photo.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ovperf import defaults
from ovperf.atomic import write_atomic
from ovperf.cache import file_digest
from ovperf.cli import entry_point
from ovperf.model import ModelError

DEFAULT_OUT = Path(".ovperf-export")
DEFAULT_CACHE = Path(".pytest_cache/d/ovperf-models")  # where the suite caches (pytest's cache dir)
ONNX_NAME = "yolov5n.onnx"
IMAGE_NAME = "bus.jpg"
REFERENCE_NAME = "yolov5n.reference.npz"


def _place(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` so that ``target`` is never half-written."""
    write_atomic(target, lambda fh: fh.write(source.read_bytes()))


def export(out: Path, weights: Path | None, cache_dir: Path, imgsz: int = defaults.IMAGE_SIZE) -> dict:
    """Export (cached) and place the ONNX file and the photo in ``out``; returns the provenance."""
    from ovperf import frames
    from ovperf.model import export_onnx, load_torch_model
    from ovperf.outputs import save_reference
    from ovperf.offline import configure_ultralytics

    configure_ultralytics(cache_dir / "ultralytics-settings")
    model = load_torch_model(weights)
    entry = export_onnx(model, cache_dir, imgsz)
    out.mkdir(parents=True, exist_ok=True)
    _place(entry.path / "model.onnx", out / ONNX_NAME)
    _place(frames.default_image(), out / IMAGE_NAME)
    save_reference(out / REFERENCE_NAME, model, out / IMAGE_NAME, imgsz, out / ONNX_NAME)
    info = {
        "onnx": ONNX_NAME,
        "onnx_sha256": file_digest(out / ONNX_NAME),
        "image": IMAGE_NAME,
        "model": model.source,
        "weights_sha256": model.weights_sha256,
        "imgsz": imgsz,
        "onnx_cache_key": entry.key,
        "reference": REFERENCE_NAME,
    }
    write_atomic(out / "export.json", json.dumps(info, indent=2) + "\n")
    return info


@entry_point
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ovperf.export", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"folder to write to (default {DEFAULT_OUT})")
    parser.add_argument("--weights", type=Path, help="a trained .pt file (default: YOLOv5n, seeded random weights)")
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE, help=f"model cache (default {DEFAULT_CACHE})")
    args = parser.parse_args(argv)
    try:
        import torch  # noqa: F401
        import ultralytics  # noqa: F401
    except ImportError as exc:
        parser.exit(2, f"{parser.prog}: error: exporting needs torch and ultralytics ({exc.name} is missing); "
                       f"install the 'torch' extra\n")
    try:
        info = export(args.out.resolve(), args.weights, args.cache_dir.resolve())
    except ModelError as exc:
        parser.exit(2, f"{parser.prog}: error: {exc}\n")
    print(f"exported {info['model']} to {args.out / ONNX_NAME} (sha256 {info['onnx_sha256'][:12]}), "
          f"photo {args.out / IMAGE_NAME}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
