"""Where the output tolerances come from: measured errors of real and deliberately broken models.

``python -m ovperf.calibrate [--export DIR] [--device CPU] [--precisions f32,bf16]`` reads
the ONNX file, photo and PyTorch reference that ``python -m ovperf.export`` wrote, and prints
the output check (box error, score error, detection F1) of:

- the IR as the suite builds it (fp16-stored weights) and an fp32 IR, at each precision
  pinned with INFERENCE_PRECISION_HINT (what the device resolved is shown);
- copies whose first convolution's weights are scaled by 1.01 and 1.05, which the
  check must flag.

For a precision other than f32 it also shows the output against the same model run by
the same OpenVINO pinned to f32 (``VS_F32``): that difference is the precision's
rounding alone. Run it on a machine with bf16 or f16 support to see whether
``TOLERANCES`` and ``VS_F32`` in ``ovperf/outputs.py`` fit there. ``--markdown``
prints the table as the README shows it.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np

from ovperf import defaults
from ovperf import frames as fr
from ovperf import outputs as out
from ovperf.cli import entry_point
from ovperf.export import DEFAULT_OUT, IMAGE_NAME, ONNX_NAME, REFERENCE_NAME

PERTURBED = "model.0.conv.weight"


def _output(core, path: Path, fp16: bool, device: str, precision: str, frame: np.ndarray, tmp: Path):
    import openvino as ov

    model = ov.convert_model(str(path))
    if fp16:
        ov.save_model(model, str(tmp / "m.xml"), compress_to_fp16=True)
        model = core.read_model(str(tmp / "m.xml"))
    model.reshape([1, 3, frame.shape[2], frame.shape[3]])
    compiled = core.compile_model(model, device, {"PERFORMANCE_HINT": "LATENCY", "INFERENCE_PRECISION_HINT": precision})
    resolved = compiled.get_property("INFERENCE_PRECISION_HINT")
    request = compiled.create_infer_request()
    request.infer(frame)
    return request.get_output_tensor(0).data[0].copy(), getattr(resolved, "get_type_name", lambda: str(resolved))()


def _perturbed(onnx_path: Path, factor: float, tmp: Path) -> Path:
    import onnx
    from onnx import numpy_helper

    model = onnx.load(str(onnx_path))
    weight = next(t for t in model.graph.initializer if t.name == PERTURBED)
    weight.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(weight) * np.float32(factor), PERTURBED))
    target = tmp / f"x{factor}.onnx"
    onnx.save(model, str(target))
    return target


def rows(export: Path, device: str, precisions: list[str]) -> list[list[str]]:
    import openvino as ov

    core = ov.Core()
    onnx_path = export / ONNX_NAME
    reference = out.load_reference(export / REFERENCE_NAME, export / IMAGE_NAME, defaults.IMAGE_SIZE, onnx_path)
    frame = fr.preprocess(fr.load_image(export / IMAGE_NAME), defaults.IMAGE_SIZE)
    table = [["model", "asked", "resolved", "box error", "score error", "detection F1", "within tolerance",
              "vs OpenVINO f32: box / score / F1", "within rounding"]]
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        cases = [("IR, fp16 weights (the suite's)", onnx_path, True), ("IR, fp32 weights", onnx_path, False)]
        cases += [(f"{PERTURBED} x{f}", _perturbed(onnx_path, f, tmp), True) for f in (1.01, 1.05)]
        for name, path, fp16 in cases:
            f32, f32_resolved = _output(core, path, fp16, device, "f32", frame, tmp)
            for precision in precisions:
                output, resolved = _output(core, path, fp16, device, precision, frame, tmp)
                c = out.check(output, reference, resolved)
                row = [name, precision, resolved, f"{c.box_rel:.4f}", f"{c.score_rel:.4f}",
                       f"{c.detection_f1:.3f}", "yes" if c.ok else "no", "-", "-"]
                if resolved in out.VS_F32 and f32_resolved == "f32":
                    v = out.check(output, f32, resolved, out.VS_F32[resolved])
                    row[-2:] = [f"{v.box_rel:.4f} / {v.score_rel:.4f} / {v.detection_f1:.3f}", "yes" if v.ok else "no"]
                table.append(row)
    return table


@entry_point
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ovperf.calibrate", description=__doc__.splitlines()[0])
    parser.add_argument("--export", type=Path, default=DEFAULT_OUT, help=f"what ovperf.export wrote (default {DEFAULT_OUT})")
    parser.add_argument("--device", default="CPU")
    parser.add_argument("--precisions", default="f32", help="comma-separated INFERENCE_PRECISION_HINT values")
    parser.add_argument("--markdown", action="store_true", help="a Markdown table, as in the README")
    args = parser.parse_args(argv)
    try:
        table = rows(args.export, args.device, args.precisions.split(","))
    except (OSError, out.ReferenceFileError, StopIteration) as exc:
        parser.exit(2, f"{parser.prog}: error: {exc}\n")
    from ovperf.summary import format_table, markdown_table

    print(markdown_table(table) if args.markdown else format_table(table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
