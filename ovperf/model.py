"""YOLOv5n: built offline, exported to ONNX once, converted to IR per OpenVINO release.

The ONNX file is the contract between the exporter (torch + ultralytics) and
every OpenVINO release: each release converts it to IR itself, so the IR key
holds the ONNX file's hash and the OpenVINO version, and the ONNX key holds
the weights and the exporter's versions.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from ovperf.cache import Entry, file_digest, get_or_build
from ovperf.machine import package_version

MODEL_CONFIG = "yolov5n.yaml"
#: Random weights are drawn from this seed, so every run and machine gets the same model.
DEFAULT_SEED = 0
#: Opset 17 is read by every OpenVINO release from 2023.0 on.
ONNX_OPSET = 17


class ModelError(ValueError):
    """The model cannot be loaded or exported; the message names the file."""


@dataclass(frozen=True)
class TorchModel:
    """The ultralytics model and what identifies its weights."""

    yolo: Any
    source: str
    weights_sha256: str


def load_torch_model(weights: Path | None, seed: int = DEFAULT_SEED) -> TorchModel:
    """YOLOv5n with seeded random weights, or a user's trained ``.pt`` from a local path."""
    import torch
    from ultralytics import YOLO

    if weights is None:
        with torch.random.fork_rng():
            torch.manual_seed(seed)
            yolo = YOLO(MODEL_CONFIG)
            calibrate_batchnorm(yolo.model)
        source = f"{MODEL_CONFIG} (random weights, seed {seed}, BatchNorm calibrated)"
    else:
        if not Path(weights).is_file():
            raise ModelError(f"no such weights file: {weights}")
        try:
            yolo = YOLO(str(weights))
        except Exception as exc:  # ultralytics raises many types for a bad file
            raise ModelError(f"cannot load weights {weights}: {exc}") from None
        source = str(weights)
        if not hasattr(yolo.model, "state_dict"):
            raise ModelError(f"cannot load weights {weights}: not a PyTorch model")
    return TorchModel(yolo=yolo, source=source, weights_sha256=state_dict_digest(yolo.model))


#: Seeded noise batches that set the BatchNorm statistics of the random-weight model.
CALIBRATION_BATCHES = 3


def calibrate_batchnorm(net: Any, imgsz: int = 320) -> None:
    """Give a freshly initialised network the BatchNorm statistics of its own activations.

    Freshly initialised, every BatchNorm layer has mean 0 and variance 1, so the
    activations shrink from layer to layer and the head outputs little more than
    its biases: the same boxes and scores for any photo and any seed, which no
    output check could tell apart. Running a few batches of seeded noise in
    training mode (a cumulative average) normalises each layer as a trained network
    is normalised, so the random-weight model gives photo-dependent outputs and
    realistic activations (no vanishing values) for the throughput figures.
    Bitwise deterministic: the caller seeds torch, and the passes run on one thread,
    since multi-threaded reductions may sum in another order from run to run (and
    the weights' hash keys the export cache).
    """
    import torch

    for module in net.modules():
        if isinstance(module, torch.nn.modules.batchnorm._BatchNorm):
            module.reset_running_stats()
            module.momentum = None  # cumulative average over the calibration batches
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        net.train()
        with torch.no_grad():
            for _ in range(CALIBRATION_BATCHES):
                net(torch.rand(2, 3, imgsz, imgsz))
    finally:
        torch.set_num_threads(threads)
        net.eval()


def state_dict_digest(module: Any) -> str:
    """SHA-256 over every tensor's name, dtype, shape and float32 bytes."""
    digest = hashlib.sha256()
    for name, tensor in sorted(module.state_dict().items()):
        digest.update(f"{name}|{tensor.dtype}|{tuple(tensor.shape)}".encode())
        digest.update(tensor.detach().cpu().float().contiguous().numpy().tobytes())
    return digest.hexdigest()


def onnx_fields(model: TorchModel, imgsz: int, opset: int = ONNX_OPSET) -> dict[str, Any]:
    return {
        "weights_sha256": model.weights_sha256,
        "imgsz": imgsz,
        "opset": opset,
        "dynamic_batch": True,
        "torch": package_version("torch"),
        "ultralytics": package_version("ultralytics"),
        "onnx": package_version("onnx"),
        # The export-time metadata is dropped (see drop_export_date); older entries kept it.
        "export_date": False,
    }


#: The ONNX metadata key where ultralytics' exporter writes the time of the export.
EXPORT_DATE_KEY = "date"


def drop_export_date(onnx_path: Path) -> None:
    """Remove the export's timestamp from the ONNX metadata, in place.

    ultralytics writes the time of the export into the file, so two exports of the same
    weights differed only there, and the file's sha256, which baselines and the history
    take as the model's identity, changed whenever the cache was rebuilt: a new CI machine
    or an emptied cache read as "model changed". Without it the export is reproducible."""
    import onnx

    proto = onnx.load(str(onnx_path))
    kept = [prop for prop in proto.metadata_props if prop.key != EXPORT_DATE_KEY]
    if len(kept) != len(proto.metadata_props):
        del proto.metadata_props[:]
        proto.metadata_props.extend(kept)
        onnx.save(proto, str(onnx_path))


def export_onnx(
    model: TorchModel,
    cache_root: Path,
    imgsz: int,
    opset: int = ONNX_OPSET,
    on_rebuild: Callable[[str], None] | None = None,
) -> Entry:
    """``model.onnx`` with a dynamic batch axis, from ultralytics' own exporter (cached)."""

    def build(folder: Path) -> None:
        # The exporter names its output after the model's pt_path; point it into the folder.
        net = model.yolo.model
        previous = getattr(net, "pt_path", None)
        net.pt_path = str(folder / "model.pt")
        try:
            out = model.yolo.export(
                format="onnx", dynamic=True, simplify=False, opset=opset, imgsz=imgsz, device="cpu"
            )
        finally:
            net.pt_path = previous
        if Path(out) != folder / "model.onnx":
            raise ModelError(f"ultralytics exported to {out}, expected {folder / 'model.onnx'}")
        drop_export_date(folder / "model.onnx")

    return get_or_build(cache_root, "onnx", onnx_fields(model, imgsz, opset), build, on_rebuild)


def ir_fields(onnx_path: Path, compress_to_fp16: bool) -> dict[str, Any]:
    import openvino

    return {
        "onnx_sha256": file_digest(onnx_path),
        "openvino": openvino.get_version(),
        "compress_to_fp16": compress_to_fp16,
    }


def convert_ir(
    onnx_path: Path,
    cache_root: Path,
    compress_to_fp16: bool = True,
    on_rebuild: Callable[[str], None] | None = None,
) -> Entry:
    """``model.xml``/``.bin`` converted from ONNX by the installed OpenVINO (cached)."""
    import openvino as ov

    onnx_path = Path(onnx_path)
    if not onnx_path.is_file():
        raise ModelError(f"no such ONNX file: {onnx_path}")

    def build(folder: Path) -> None:
        try:
            ov_model = ov.convert_model(str(onnx_path))
        except Exception as exc:  # OpenVINO raises its own types for unreadable input
            raise ModelError(f"OpenVINO cannot convert {onnx_path}: {_last_line(exc)}") from None
        ov.save_model(ov_model, str(folder / "model.xml"), compress_to_fp16=compress_to_fp16)

    return get_or_build(cache_root, "ir", ir_fields(onnx_path, compress_to_fp16), build, on_rebuild)


def _last_line(exc: BaseException) -> str:
    lines = [line for line in str(exc).splitlines() if line.strip()]
    return lines[-1] if lines else exc.__class__.__name__


def torch_reference(model: TorchModel, frame: Any) -> Any:
    """The PyTorch FP32 output for one preprocessed frame (1x3xSxS): 84 x anchors, as numpy.

    The eager model in eval mode without autograd, as ultralytics runs it; its first
    output is the tensor the exported ONNX file returns.
    """
    import torch

    net = model.yolo.model.eval()
    with torch.no_grad():
        out = net(torch.from_numpy(frame))
    tensor = out[0] if isinstance(out, (tuple, list)) else out
    return tensor.float().numpy()[0]
