from __future__ import annotations

import cv2
import numpy as np
import pytest

from ovperf import frames as fr


@pytest.fixture
def red_left_blue_right(tmp_path):
    """A 200x100 photo, left half pure red, right half pure blue (written in OpenCV's BGR)."""
    image = np.zeros((100, 200, 3), np.uint8)
    image[:, :100] = (0, 0, 255)
    image[:, 100:] = (255, 0, 0)
    path = tmp_path / "halves.png"
    cv2.imwrite(str(path), image)
    return path


def test_frame_is_1x3xSxS_float32_in_unit_range():
    frame = fr.preprocess(fr.load_image(fr.default_image()), 640)
    assert frame.shape == (1, 3, 640, 640)
    assert frame.dtype == np.float32
    assert 0.0 <= frame.min() and frame.max() <= 1.0
    assert frame.max() > 0.5  # scaled once, not twice
    assert frame.flags["C_CONTIGUOUS"]


def test_channels_are_rgb(red_left_blue_right):
    frame = fr.preprocess(fr.load_image(red_left_blue_right), 64)[0]
    red, green, blue = frame
    assert red[:, :30].min() == 1.0 and blue[:, :30].max() == 0.0
    assert blue[:, -30:].min() == 1.0 and red[:, -30:].max() == 0.0
    assert green.max() == 0.0


def test_video_copies_the_frame_into_separate_memory():
    frame = np.random.default_rng(0).random((1, 3, 8, 8), dtype=np.float32)
    video = fr.video(frame, 6)
    assert video.shape == (6, 3, 8, 8)
    assert all(np.array_equal(v, frame[0]) for v in video)
    assert not np.shares_memory(video, frame)


def test_batched_is_a_view_and_refuses_to_drop_frames():
    video = fr.video(np.zeros((1, 3, 4, 4), np.float32), 8)
    view = fr.batched(video, 4)
    assert view.shape == (2, 4, 3, 4, 4)
    assert np.shares_memory(view, video)
    with pytest.raises(ValueError, match="2 frame\\(s\\) would be dropped"):
        fr.batched(video, 3)


def test_missing_and_unreadable_images_name_the_file(tmp_path):
    with pytest.raises(fr.ImageError, match=f"no such image: {tmp_path / 'gone.jpg'}"):
        fr.load_image(tmp_path / "gone.jpg")
    junk = tmp_path / "junk.jpg"
    junk.write_bytes(b"not a jpeg")
    with pytest.raises(fr.ImageError, match=f"not an image OpenCV can read: {junk}"):
        fr.load_image(junk)
