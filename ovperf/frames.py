"""Frames: a real photo, preprocessed the way a YOLO video pipeline does it.

The throughput guide simulates a video by repeating one preprocessed photo.
We do the same, with two corrections to the notebook: the image is converted
from OpenCV's BGR to the RGB order that YOLO models are trained on, and it is
kept as float32 (the notebook's ``image / 255.0`` silently yields float64).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np


class ImageError(ValueError):
    """The photo cannot be read; the message names the file."""


def default_image() -> Path:
    """``bus.jpg``, the photo that ultralytics ships (no download)."""
    try:
        import ultralytics
    except ImportError:
        raise ImageError(
            "the default photo ships with ultralytics, which is not installed here; pass --ov-image PATH"
        ) from None

    return Path(ultralytics.__file__).parent / "assets" / "bus.jpg"


def load_image(path: Path) -> np.ndarray:
    """The photo as an HxWx3 uint8 BGR array (OpenCV's order)."""
    import cv2

    if not Path(path).is_file():
        raise ImageError(f"no such image: {path}")
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if image is None:
        raise ImageError(f"not an image OpenCV can read: {path}")
    return image


def preprocess(image_bgr: np.ndarray, size: int) -> np.ndarray:
    """One frame as the model takes it: 1x3xSxS float32 RGB in [0, 1]."""
    import cv2

    resized = cv2.resize(image_bgr, dsize=(size, size), interpolation=cv2.INTER_AREA)
    rgb = cv2.cvtColor(resized, cv2.COLOR_BGR2RGB)
    chw = np.transpose(rgb, (2, 0, 1)).astype(np.float32) / np.float32(255.0)
    return np.ascontiguousarray(chw[np.newaxis])


def video(frame: np.ndarray, count: int) -> np.ndarray:
    """``count`` copies of one frame, Nx3xSxS, each in its own memory like real video frames."""
    if count <= 0:
        raise ValueError(f"frame count must be 1 or more, got {count}")
    return np.ascontiguousarray(np.repeat(frame, count, axis=0))


def batched(frames: np.ndarray, batch: int) -> np.ndarray:
    """A view of ``frames`` as (N/batch)xbatchx3xSxS; refuses to drop a remainder."""
    if batch <= 0:
        raise ValueError(f"batch must be 1 or more, got {batch}")
    if len(frames) % batch:
        raise ValueError(
            f"{len(frames)} frames do not split into batches of {batch}; "
            f"{len(frames) % batch} frame(s) would be dropped"
        )
    view = frames.reshape(-1, batch, *frames.shape[1:])
    return view
