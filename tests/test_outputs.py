"""The output check: tolerances per precision, detections, fingerprints, and that it can fail."""
from __future__ import annotations

import numpy as np
import pytest

from ovperf import outputs as out


def fake_output(seed: int = 0, score_scale: float = 1.0, anchors: int = 8400) -> np.ndarray:
    """84 x anchors like YOLOv5n's: boxes (cx, cy, w, h) in pixels, then 80 class scores."""
    rng = np.random.default_rng(seed)
    boxes = np.stack([
        rng.uniform(0, 640, anchors), rng.uniform(0, 640, anchors),
        rng.uniform(10, 200, anchors), rng.uniform(10, 200, anchors),
    ])
    scores = rng.beta(0.3, 8, size=(80, anchors)) * score_scale
    return np.concatenate([boxes, scores]).astype(np.float32)


def test_identical_outputs_pass_with_no_error():
    ref = fake_output()
    result = out.check(ref.copy(), ref, "f32")
    assert result.ok and result.box_rel == 0 and result.score_rel == 0 and result.detection_f1 == 1.0
    assert result.reference_detections > 0


def test_random_weight_scores_get_an_adaptive_threshold_so_detections_are_compared():
    ref = fake_output(score_scale=1e-3)  # every score far below the guide's 0.25
    assert out.threshold_for(ref) < out.CONFIDENCE
    result = out.check(ref.copy(), ref, "f32")
    assert result.reference_detections > 0 and result.ok
    trained = fake_output(score_scale=4.0)  # plenty above 0.25
    assert out.threshold_for(trained) == out.CONFIDENCE


def test_scaled_scores_fail_with_the_reason():
    ref = fake_output()
    result = out.check(ref * np.r_[np.ones(4), np.full(80, 1.3)][:, None].astype(np.float32), ref, "f32")
    assert not result.ok
    assert any(p.startswith("score error 0.3 > 0.03") for p in result.problems)


def test_moved_boxes_fail_the_box_and_detection_checks():
    ref = fake_output()
    moved = ref.copy()
    moved[0] += 80  # every box 80 px to the right
    result = out.check(moved, ref, "bf16")
    assert not result.ok
    problems = "; ".join(result.problems)
    assert "box error" in problems and "detection F1" in problems


def test_the_tolerance_follows_the_resolved_precision():
    ref = fake_output()
    off = ref.copy()
    off[4:] *= np.float32(1.05)  # every score 5% higher: beyond f32's bound, within bf16's
    assert out.check(off, ref, "f32").problems == ["score error 0.05 > 0.03"]
    assert out.check(off, ref, "bf16").ok
    assert out.tolerance_for(None) == out.TOLERANCES["bf16"]  # unknown: the loosest, never the tightest


def test_matching_is_by_class_and_iou():
    a = out.Detection(1, 0.9, (0.0, 0.0, 100.0, 100.0))
    assert out.match_f1([a], [a]) == 1.0
    assert out.match_f1([out.Detection(2, 0.9, a.box)], [a]) == 0.0  # same box, other class
    assert out.match_f1([out.Detection(1, 0.9, (60.0, 0.0, 100.0, 100.0))], [a]) == 0.0  # IoU 0.25
    assert out.match_f1([a, out.Detection(1, 0.5, (300.0, 300.0, 50.0, 50.0))], [a]) == pytest.approx(2 / 3)
    assert out.match_f1([], []) == 1.0


def test_a_fingerprint_notices_moved_outputs_and_not_identical_ones():
    ref = fake_output()
    conf = out.threshold_for(ref)
    before = out.output_fingerprint(ref, conf)
    assert out.fingerprint_changes(before, out.output_fingerprint(ref.copy(), conf), "f32") == []
    moved = ref.copy()
    moved[1] += 100
    changes = out.fingerprint_changes(before, out.output_fingerprint(moved, conf), "f32")
    assert any(c.startswith("box norm") for c in changes) and any(c.startswith("detections F1") for c in changes)


def test_a_reference_for_another_photo_or_model_is_refused(tmp_path):
    photo, other = tmp_path / "a.jpg", tmp_path / "b.jpg"
    photo.write_bytes(b"one photo")
    other.write_bytes(b"another photo")
    onnx, other_onnx = tmp_path / "m.onnx", tmp_path / "n.onnx"
    onnx.write_bytes(b"one model")
    other_onnx.write_bytes(b"another model")
    from ovperf.cache import file_digest

    path = tmp_path / "ref.npz"
    np.savez(path, output=fake_output(anchors=10), image_sha256=file_digest(photo), imgsz=640,
             onnx_sha256=file_digest(onnx))
    assert out.load_reference(path, photo, 640, onnx).shape == (84, 10)
    with pytest.raises(out.ReferenceFileError, match="another photo or size") as info:
        out.load_reference(path, other, 640, onnx)
    assert info.value.other_photo
    with pytest.raises(out.ReferenceFileError, match=f"computed from another model than {other_onnx}") as info:
        out.load_reference(path, photo, 640, other_onnx)
    assert not info.value.other_photo
    np.savez(path, output=fake_output(anchors=10), image_sha256=file_digest(photo), imgsz=640)
    with pytest.raises(out.ReferenceFileError, match="does not say which ONNX file"):
        out.load_reference(path, photo, 640, onnx)
    path.write_bytes(b"PK not really")
    with pytest.raises(out.ReferenceFileError, match=f"unreadable PyTorch reference {path}"):
        out.load_reference(path, photo, 640, onnx)


def test_a_bf16_cell_is_held_to_bf16_rounding_against_openvino_at_f32():
    """The second reference: what bf16 rounding alone may change, and a 1% layer change the
    f32 bound sees. Synthetic tensors with the relative errors measured on the bf16 host."""
    from ovperf.outputs import TOLERANCES, VS_F32, check, rel_l2

    rng = np.random.default_rng(0)
    reference = np.abs(rng.normal(0, 1, (84, 400))).astype(np.float32)
    reference[:4] *= 300  # box rows in pixels

    def moved(base, fraction):
        noise = rng.normal(0, 1, base.shape).astype(np.float32)
        out = base.copy()
        for rows in (slice(0, 4), slice(4, None)):
            out[rows] += noise[rows] * fraction * np.linalg.norm(base[rows]) / np.linalg.norm(noise[rows])
        return out

    f32 = moved(reference, 0.007)  # the suite's IR at f32 (0.0070 measured)
    bf16 = moved(f32, 0.04)  # bf16 rounding (0.039 box, 0.078 score measured)
    assert abs(rel_l2(bf16[:4], f32[:4]) - 0.04) < 0.005
    assert check(f32, reference, "f32").box_rel <= TOLERANCES["f32"].box_rel
    assert check(bf16, f32, "bf16", VS_F32["bf16"]).box_rel <= VS_F32["bf16"].box_rel
    changed = moved(reference, 0.0465)  # a 1% change of the first conv, at f32
    assert not check(changed, reference, "f32").box_rel <= TOLERANCES["f32"].box_rel
    assert "box error" in " ".join(check(changed, reference, "f32").problems)


def test_a_batch_is_judged_by_its_worst_image_and_at_bf16_also_against_openvino_f32():
    ref = fake_output()
    good, bad = ref.copy(), ref * np.r_[np.ones(4), np.full(80, 1.3)][:, None].astype(np.float32)
    worst, record, problems = out.check_batch(np.stack([good, good]), ref, "f32")
    assert worst.ok and problems == [] and record["fingerprint"] == out.output_fingerprint(good, worst.confidence)
    worst, record, problems = out.check_batch(np.stack([good, bad]), ref, "f32")
    assert not worst.ok and len(problems) == 1 and problems[0].startswith("outputs differ from PyTorch FP32 beyond the f32")
    # bf16 against an OpenVINO f32 output that itself moved: the model changed, said apart
    worst, record, problems = out.check_batch(np.stack([bad]), ref, "bf16", openvino_f32=bad)
    assert "openvino_f32" in record and "vs_openvino_f32" in record
    assert any("OpenVINO pinned to f32 differs from PyTorch FP32" in p for p in problems)
    assert not any("beyond bf16 rounding" in p for p in problems)  # bf16 matches that f32 output


def test_saved_images_draw_the_cell_and_the_reference_once(tmp_path):
    import cv2

    ref = fake_output()
    result = out.check(ref.copy(), ref, "f32")
    photo = np.zeros((480, 640, 3), np.uint8)
    folder = tmp_path / "images"
    out.save_images(folder, photo, ref, "CPU-none-b1-sync", ref, result, "f32", 640)
    reference = folder / "pytorch-reference.jpg"
    first = reference.stat().st_mtime_ns
    out.save_images(folder, photo, ref, "CPU-none-b1-async", ref, result, "f32", 640)
    assert sorted(p.name for p in folder.iterdir()) == ["CPU-none-b1-async.jpg", "CPU-none-b1-sync.jpg", "pytorch-reference.jpg"]
    assert reference.stat().st_mtime_ns == first  # drawn once
    drawn = cv2.imread(str(folder / "CPU-none-b1-sync.jpg"))
    assert drawn.shape == photo.shape and drawn.std() > 5  # boxes and a title on the black photo
