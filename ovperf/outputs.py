"""Does a configuration still compute the same thing? Outputs against the PyTorch FP32 reference.

Two checks, both on the real photo, with tolerances that depend on the inference
precision OpenVINO resolved (all of them live in :data:`TOLERANCES`):

- the raw output tensor (N x 84 x 8400: 4 box rows in pixels, 80 class-score
  rows): the relative L2 error of the box rows and of the score rows, each
  against the reference's norm. Relative errors are scale-free, so they mean the
  same for random weights (scores around 1e-4) as for a trained model.
- the decoded detections, as the guide decodes them: candidates above a
  confidence threshold, class-agnostic ``cv2.dnn.NMSBoxes`` at IoU 0.5, then
  matched to the reference's detections by class and IoU >= 0.5; the F1 of that
  matching must reach the tolerance. When the reference has fewer than
  :data:`MIN_CANDIDATES` candidates above 0.25 (a model that sees nothing on
  the photo), the threshold becomes the reference's :data:`MIN_CANDIDATES`-th
  best score (for both sides), so that the check always compares real detections.

The IR stores weights in fp16 by default (``--ov-ir-precision fp16``, as the
guide does), so even f32 inference differs from PyTorch by the weight rounding:
the f32 tolerance allows for that and no more.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

#: The guide's confidence threshold and NMS IoU.
CONFIDENCE = 0.25
NMS_IOU = 0.5
#: A detection matches a reference detection of the same class at this IoU or more.
MATCH_IOU = 0.5
#: With fewer reference candidates than this above CONFIDENCE, the threshold adapts (random weights).
MIN_CANDIDATES = 10


@dataclass(frozen=True)
class Tolerance:
    #: Largest relative L2 error of the box rows and of the score rows.
    box_rel: float
    score_rel: float
    #: Smallest F1 of the detections matched to the reference's.
    detection_f1: float


#: Per resolved inference precision, against the PyTorch FP32 reference. Measured with
#: ``python -m ovperf.calibrate --precisions f32,bf16`` (README, "Trust in every number"):
#:
#: - f32: the suite's IR (fp16-stored weights) gave box error 0.0070, score error 0.0108 and
#:   detection F1 0.90; scaling the first convolution's weights by 1.01 gave 0.047, 0.076
#:   and 0.76. The bounds sit 2-3x above the former and well below the latter.
#: - bf16 (a bf16 host, openvino 2026.4.1): the suite's IR gave 0.039, 0.077, 0.77 and an
#:   fp32 IR 0.043, 0.081, 0.78; the bounds sit about 1.4x above those. A 1% change of one
#:   layer (0.058, 0.109, 0.74) stays inside them: bf16 rounding is as large as that change,
#:   which is why a non-f32 cell is also checked against OpenVINO itself pinned to f32
#:   (:data:`VS_F32`), and that f32 output against PyTorch with the f32 bounds.
#: - f16: not measured on the project's machines (no f16 CPU); scaled from f32 by the
#:   mantissa (11 bits against bf16's 8) and to be checked with calibrate on such a machine.
#:
#: Random weights give hundreds of overlapping detections whose NMS cascades amplify tiny
#: differences (an fp32 IR with no measurable error still reaches only F1 0.925), hence
#: the F1 bounds; a trained model's few detections match far better.
TOLERANCES: dict[str, Tolerance] = {
    "f32": Tolerance(box_rel=0.015, score_rel=0.03, detection_f1=0.75),
    "f16": Tolerance(box_rel=0.03, score_rel=0.06, detection_f1=0.7),
    "bf16": Tolerance(box_rel=0.06, score_rel=0.12, detection_f1=0.65),
}
#: A non-f32 cell against the same OpenVINO, device, IR and photo pinned to f32: only the
#: inference precision differs, so this is that precision's rounding and nothing else.
#: Measured on the bf16 host: 0.039, 0.078, F1 0.77 for the suite's IR (the same with a
#: perturbed layer, which both sides share: the f32 output's own check catches that).
VS_F32: dict[str, Tolerance] = {
    "f16": Tolerance(box_rel=0.03, score_rel=0.06, detection_f1=0.7),
    "bf16": Tolerance(box_rel=0.06, score_rel=0.12, detection_f1=0.65),
}


def tolerance_for(precision: str | None) -> Tolerance:
    """The tolerance of a resolved precision; an unknown or mixed one gets the loosest."""
    return TOLERANCES.get(precision or "", TOLERANCES["bf16"])


@dataclass(frozen=True)
class Detection:
    label: int
    score: float
    #: x, y, width, height in pixels (``cv2.dnn.NMSBoxes``'s layout).
    box: tuple[float, float, float, float]


def rel_l2(value: np.ndarray, reference: np.ndarray) -> float:
    """||value - reference|| / ||reference||."""
    norm = float(np.linalg.norm(reference))
    return float(np.linalg.norm(value.astype(np.float64) - reference)) / norm if norm else float(np.linalg.norm(value))


def threshold_for(reference: np.ndarray) -> float:
    """The guide's 0.25, or the reference's MIN_CANDIDATES-th best score when fewer pass it."""
    best = reference[4:].max(axis=0)
    if int((best > CONFIDENCE).sum()) >= MIN_CANDIDATES or best.size < MIN_CANDIDATES:
        return CONFIDENCE
    return float(np.nextafter(np.sort(best)[-MIN_CANDIDATES], -np.inf))  # candidates are > the threshold


def detections(output: np.ndarray, confidence: float) -> list[Detection]:
    """One image's detections (84 x anchors): candidates above ``confidence``, then NMS."""
    import cv2

    scores_all = output[4:]
    labels = scores_all.argmax(axis=0)
    scores = scores_all.max(axis=0)
    keep = np.flatnonzero(scores > confidence)  # strictly above, as the guide and NMSBoxes filter
    if keep.size == 0:
        return []
    keep = keep[np.lexsort((keep, -scores[keep]))]  # best first, ties by anchor: the same order on both sides
    cx, cy, w, h = output[:4, keep]
    boxes = np.stack([cx - w / 2, cy - h / 2, w, h], axis=1)
    chosen = cv2.dnn.NMSBoxes(
        bboxes=boxes.tolist(), scores=scores[keep].tolist(), score_threshold=confidence, nms_threshold=NMS_IOU
    )
    return [
        Detection(int(labels[keep[i]]), float(scores[keep[i]]), tuple(float(v) for v in boxes[i]))
        for i in np.asarray(chosen).flatten()
    ]


def iou(a: Sequence[float], b: Sequence[float]) -> float:
    ax2, ay2, bx2, by2 = a[0] + a[2], a[1] + a[3], b[0] + b[2], b[1] + b[3]
    w = max(0.0, min(ax2, bx2) - max(a[0], b[0]))
    h = max(0.0, min(ay2, by2) - max(a[1], b[1]))
    inter = w * h
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union > 0 else 0.0


def match_f1(found: Sequence[Detection], reference: Sequence[Detection]) -> float:
    """F1 of a greedy one-to-one matching by class and IoU >= MATCH_IOU, best scores first."""
    if not found and not reference:
        return 1.0
    unmatched = list(reference)
    matched = 0
    for det in sorted(found, key=lambda d: -d.score):
        best, best_iou = None, MATCH_IOU
        for ref in unmatched:
            if ref.label == det.label:
                overlap = iou(det.box, ref.box)
                if overlap >= best_iou:
                    best, best_iou = ref, overlap
        if best is not None:
            unmatched.remove(best)
            matched += 1
    return 2 * matched / (len(found) + len(reference))


@dataclass(frozen=True)
class OutputCheck:
    precision: str | None
    tolerance: Tolerance
    box_rel: float
    score_rel: float
    confidence: float
    reference_detections: int
    detections: int
    detection_f1: float

    @property
    def problems(self) -> list[str]:
        t, out = self.tolerance, []
        if not self.box_rel <= t.box_rel:
            out.append(f"box error {self.box_rel:.2g} > {t.box_rel:g}")
        if not self.score_rel <= t.score_rel:
            out.append(f"score error {self.score_rel:.2g} > {t.score_rel:g}")
        if not self.detection_f1 >= t.detection_f1:
            out.append(f"detection F1 {self.detection_f1:.3f} < {t.detection_f1:g} "
                       f"({self.detections} found, {self.reference_detections} in the reference)")
        return out

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        return {
            "precision": self.precision, "ok": self.ok, "box_rel": self.box_rel, "score_rel": self.score_rel,
            "confidence": self.confidence, "detections": self.detections,
            "reference_detections": self.reference_detections, "detection_f1": self.detection_f1,
            "tolerance": vars(self.tolerance),
        }


def check(
    output: np.ndarray, reference: np.ndarray, precision: str | None, tolerance: Tolerance | None = None
) -> OutputCheck:
    """Compare one image's output (84 x anchors) with the reference's, within ``tolerance``
    (default: the PyTorch FP32 tolerance of ``precision``)."""
    output = np.asarray(output, dtype=np.float32)
    reference = np.asarray(reference, dtype=np.float32)
    if output.shape != reference.shape:
        raise ValueError(f"output shape {output.shape} differs from the reference's {reference.shape}")
    confidence = threshold_for(reference)
    found, expected = detections(output, confidence), detections(reference, confidence)
    return OutputCheck(
        precision=precision, tolerance=tolerance or tolerance_for(precision),
        box_rel=rel_l2(output[:4], reference[:4]), score_rel=rel_l2(output[4:], reference[4:]),
        confidence=confidence, reference_detections=len(expected), detections=len(found),
        detection_f1=match_f1(found, expected),
    )


def output_fingerprint(output: np.ndarray, confidence: float) -> dict:
    """A small summary of one image's output to keep in a baseline: norms and the top detections."""
    dets = detections(np.asarray(output, dtype=np.float32), confidence)[:20]
    return {
        "box_norm": float(np.linalg.norm(output[:4])),
        "score_norm": float(np.linalg.norm(output[4:])),
        "confidence": confidence,
        "detections": [[d.label, round(d.score, 6), [round(v, 2) for v in d.box]] for d in dets],
    }


class ReferenceFileError(ValueError):
    """A reference file cannot be used; the message names the file."""

    def __init__(self, message: str, other_photo: bool = False) -> None:
        super().__init__(message)
        #: The file is fine but was computed on another photo or size.
        self.other_photo = other_photo


def save_reference(path: "Path", model: object, image: "Path", imgsz: int, onnx: "Path") -> None:
    """Write the PyTorch FP32 output on ``image`` beside an exported ONNX file (atomically)."""
    from pathlib import Path

    from ovperf import frames as fr
    from ovperf.atomic import write_atomic
    from ovperf.cache import file_digest
    from ovperf.model import torch_reference

    output = torch_reference(model, fr.preprocess(fr.load_image(image), imgsz))
    digest, onnx_digest = file_digest(image), file_digest(onnx)
    write_atomic(Path(path), lambda fh: np.savez(
        fh, output=output, image_sha256=digest, imgsz=imgsz, onnx_sha256=onnx_digest))


def load_reference(path: "Path", image: "Path", imgsz: int, onnx: "Path") -> np.ndarray:
    """The reference output saved for ``image`` at ``imgsz`` from the model in ``onnx``;
    a one-line error otherwise."""
    from ovperf.cache import file_digest

    try:
        with np.load(path) as data:
            output, sha, size = data["output"], str(data["image_sha256"]), int(data["imgsz"])
            onnx_sha = str(data["onnx_sha256"]) if "onnx_sha256" in data.files else None
    except (OSError, ValueError, KeyError) as exc:
        raise ReferenceFileError(f"unreadable PyTorch reference {path}: {exc}") from None
    if onnx_sha is None:
        raise ReferenceFileError(
            f"the PyTorch reference {path} does not say which ONNX file it belongs to (an older export); "
            "run `python -m ovperf.export` again")
    if onnx_sha != file_digest(onnx):
        raise ReferenceFileError(
            f"the PyTorch reference {path} was computed from another model than {onnx}; "
            "run `python -m ovperf.export` again, or give the ONNX file it was exported with")
    if sha != file_digest(image) or size != imgsz:
        raise ReferenceFileError(
            f"the PyTorch reference {path} was computed on another photo or size than {image} at {imgsz}",
            other_photo=True,
        )
    return output


def fingerprint_changes(old: dict, new: dict, precision: str | None) -> list[str]:
    """How a cell's outputs moved between two runs (a baseline's fingerprint and this run's),
    beyond the tolerance of its precision; empty when they agree."""
    tol = tolerance_for(precision)
    changes = []
    for key, limit in (("box_norm", tol.box_rel), ("score_norm", tol.score_rel)):
        before, after = old.get(key), new.get(key)
        if before and after is not None and abs(after - before) / before > limit:
            changes.append(f"{key.split('_')[0]} norm {after / before - 1:+.1%}")

    def dets(fp: dict) -> list[Detection]:
        return [Detection(int(label), float(score), tuple(box)) for label, score, box in fp.get("detections", [])]

    if old.get("confidence") == new.get("confidence"):
        f1 = match_f1(dets(new), dets(old))
        if f1 < tol.detection_f1:
            changes.append(f"detections F1 {f1:.2f}")
    return changes


def draw(image_bgr: np.ndarray, found: Sequence[Detection], imgsz: int, title: str) -> np.ndarray:
    """The photo with the detections drawn, boxes scaled from the model's SxS input back."""
    import cv2

    out = image_bgr.copy()
    height, width = out.shape[:2]
    sx, sy = width / imgsz, height / imgsz
    for det in found:
        x, y, w, h = det.box
        p1 = (int(round(x * sx)), int(round(y * sy)))
        p2 = (int(round((x + w) * sx)), int(round((y + h) * sy)))
        colour = tuple(int(c) for c in cv2.applyColorMap(np.uint8([[det.label * 3]]), cv2.COLORMAP_RAINBOW)[0, 0])
        cv2.rectangle(out, p1, p2, colour, 2)
        cv2.putText(out, f"{det.label}:{det.score:.2g}", (p1[0], max(12, p1[1] - 4)),
                    cv2.FONT_HERSHEY_SIMPLEX, 0.5, colour, 1, cv2.LINE_AA)
    cv2.putText(out, title, (8, 24), cv2.FONT_HERSHEY_SIMPLEX, 0.7, (255, 255, 255), 2, cv2.LINE_AA)
    return out


def save_images(folder: Path, image_bgr: np.ndarray, reference: np.ndarray, name: str, output: np.ndarray,
                result: OutputCheck, precision: str | None, imgsz: int) -> None:
    """``--ov-save-images``: the cell's detections drawn on the photo as ``folder/NAME.jpg``,
    and the PyTorch reference's once as ``folder/pytorch-reference.jpg``, both at the
    confidence the check used."""
    import cv2

    folder.mkdir(parents=True, exist_ok=True)
    first = folder / "pytorch-reference.jpg"
    if not first.exists():
        found = detections(reference, result.confidence)
        cv2.imwrite(str(first), draw(image_bgr, found, imgsz, f"PyTorch FP32: {len(found)} detections"))
    found = detections(output, result.confidence)
    title = f"{name} ({precision}): {len(found)} detections, F1 {result.detection_f1:.2f}"
    cv2.imwrite(str(folder / f"{name}.jpg"), draw(image_bgr, found, imgsz, title))


def _worst(checks: Sequence[OutputCheck]) -> OutputCheck:
    return min(checks, key=lambda c: (c.ok, c.detection_f1, -c.score_rel))


def check_batch(outputs: np.ndarray, reference: np.ndarray, precision: str | None,
                openvino_f32: np.ndarray | None = None) -> tuple[OutputCheck, dict, list[str]]:
    """Every image of a batch against the PyTorch FP32 reference: the worst image's check, the
    record the run keeps (with a fingerprint for baselines) and the problems, if any.

    At a reduced precision (``VS_F32``) the outputs are also checked against the same
    OpenVINO pinned to f32 (``openvino_f32``, where the device runs it), which tells a
    changed model from precision rounding.
    """
    worst = _worst([check(out, reference, precision) for out in outputs])
    record = {**worst.as_dict(), "fingerprint": output_fingerprint(outputs[0], worst.confidence)}
    problems = [f"outputs differ from PyTorch FP32 beyond the {precision or '?'} tolerance: "
                f"{'; '.join(worst.problems)}"] if not worst.ok else []
    if precision in VS_F32 and openvino_f32 is not None:
        itself = check(openvino_f32, reference, "f32")
        against = _worst([check(out, openvino_f32, precision, VS_F32[precision]) for out in outputs])
        record["vs_openvino_f32"] = against.as_dict()
        record["openvino_f32"] = itself.as_dict()
        if not itself.ok:
            problems.append(f"OpenVINO pinned to f32 differs from PyTorch FP32 beyond the f32 tolerance "
                            f"(the model itself changed): {'; '.join(itself.problems)}")
        if not against.ok:
            problems.append(f"outputs differ from OpenVINO pinned to f32 beyond {precision} rounding: "
                            f"{'; '.join(against.problems)}")
    return worst, record, problems
