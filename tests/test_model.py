"""The real exporter and converter, on the real YOLOv5n config (offline, random weights)."""
from __future__ import annotations

import numpy as np
import pytest

from ovperf.model import ModelError, convert_ir, export_onnx, load_torch_model


@pytest.fixture(scope="module")
def torch_model():
    return load_torch_model(None)


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="module")
def onnx_entry(torch_model, cache):
    return export_onnx(torch_model, cache, imgsz=640)


def test_random_weights_are_the_same_every_time(torch_model):
    assert load_torch_model(None).weights_sha256 == torch_model.weights_sha256
    assert load_torch_model(None, seed=1).weights_sha256 != torch_model.weights_sha256


def test_the_random_model_sees_the_photo(torch_model):
    """Calibrated BatchNorm: outputs depend on the photo and the seed, with real detections,
    so the output check compares something (uncalibrated, every photo gave the same output)."""
    from ovperf import frames as fr
    from ovperf import outputs
    from ovperf.model import torch_reference

    photo = fr.preprocess(fr.load_image(fr.default_image()), 640)
    on_photo = torch_reference(torch_model, photo)
    on_flipped = torch_reference(torch_model, np.ascontiguousarray(photo[..., ::-1]))
    other_seed = torch_reference(load_torch_model(None, seed=1), photo)
    assert outputs.rel_l2(on_flipped[4:], on_photo[4:]) > 0.1
    assert outputs.rel_l2(other_seed[4:], on_photo[4:]) > 0.1
    assert len(outputs.detections(on_photo, outputs.CONFIDENCE)) >= 10


def test_export_is_cached_and_reused(torch_model, cache, onnx_entry):
    assert onnx_entry.built and (onnx_entry.path / "model.onnx").is_file()
    again = export_onnx(torch_model, cache, imgsz=640)
    assert not again.built and again.path == onnx_entry.path


def test_two_exports_of_the_same_weights_are_the_same_file(torch_model, onnx_entry, tmp_path):
    """The ONNX sha256 is the model's identity in baselines and the history: an export into
    an empty cache (a new CI machine) must not read as another model."""
    import onnx

    from ovperf.cache import file_digest
    from ovperf.model import EXPORT_DATE_KEY

    other = export_onnx(torch_model, tmp_path, imgsz=640)
    assert other.built
    first, second = onnx_entry.path / "model.onnx", other.path / "model.onnx"
    assert file_digest(first) == file_digest(second)
    keys = {prop.key for prop in onnx.load(str(first)).metadata_props}
    assert EXPORT_DATE_KEY not in keys and {"stride", "names"} <= keys


def test_ir_has_a_dynamic_batch_and_the_yolo_head(onnx_entry, cache):
    import openvino as ov

    ir = convert_ir(onnx_entry.path / "model.onnx", cache, compress_to_fp16=True)
    core = ov.Core()
    model = core.read_model(str(ir.path / "model.xml"))
    assert model.input(0).get_partial_shape()[0].is_dynamic
    model.reshape([4, 3, 640, 640])
    out = core.compile_model(model, "CPU")(np.zeros((4, 3, 640, 640), np.float32))[0]
    assert out.shape == (4, 84, 8400)


def test_fp16_and_fp32_irs_are_different_entries(onnx_entry, cache):
    fp16 = convert_ir(onnx_entry.path / "model.onnx", cache, compress_to_fp16=True)
    fp32 = convert_ir(onnx_entry.path / "model.onnx", cache, compress_to_fp16=False)
    assert fp16.key != fp32.key
    assert (fp32.path / "model.bin").stat().st_size > 1.8 * (fp16.path / "model.bin").stat().st_size


def test_a_truncated_ir_is_converted_again(onnx_entry, cache):
    ir = convert_ir(onnx_entry.path / "model.onnx", cache)
    data = (ir.path / "model.bin").read_bytes()
    (ir.path / "model.bin").write_bytes(data[: len(data) // 2])
    heard = []
    again = convert_ir(onnx_entry.path / "model.onnx", cache, on_rebuild=heard.append)
    assert again.built and "model.bin does not match" in heard[0]
    assert (again.path / "model.bin").read_bytes() == data


def test_unreadable_weights_name_the_file(tmp_path):
    junk = tmp_path / "best.pt"
    junk.write_bytes(b"not a checkpoint")
    with pytest.raises(ModelError, match=f"cannot load weights {junk}"):
        load_torch_model(junk)


def test_a_trained_weights_file_loads_from_a_local_path(torch_model, tmp_path):
    weights = tmp_path / "best.pt"
    torch_model.yolo.save(str(weights))  # ultralytics' own checkpoint format
    loaded = load_torch_model(weights)
    assert loaded.source == str(weights)
    assert load_torch_model(weights).weights_sha256 == loaded.weights_sha256
