from __future__ import annotations

import json

import pytest

from ovperf.cache import MANIFEST, cache_key, get_or_build


class Builder:
    """Writes two files and counts how often it was asked to."""

    def __init__(self):
        self.calls = 0

    def __call__(self, folder):
        self.calls += 1
        (folder / "model.xml").write_text("<net/>")
        (folder / "model.bin").write_bytes(b"\x00" * 1024)


FIELDS = {"weights_sha256": "abc", "openvino": "2026.4.1", "compress_to_fp16": True}


def test_key_changes_with_every_field():
    base = cache_key(FIELDS)
    assert cache_key(dict(FIELDS)) == base
    for name, other in [("weights_sha256", "abd"), ("openvino", "2025.4.1"), ("compress_to_fp16", False)]:
        assert cache_key({**FIELDS, name: other}) != base
    assert cache_key({**FIELDS, "imgsz": 640}) != base


def test_second_call_reuses_the_entry(tmp_path):
    build = Builder()
    first = get_or_build(tmp_path, "ir", FIELDS, build)
    second = get_or_build(tmp_path, "ir", FIELDS, build)
    assert build.calls == 1
    assert first.built and not second.built
    assert second.path == first.path
    assert json.loads((first.path / MANIFEST).read_text())["fields"] == FIELDS


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda p: (p / "model.bin").write_bytes(b"\x00" * 10), "does not match its recorded SHA-256"),
        (lambda p: (p / "model.bin").unlink(), "model.bin is missing"),
        (lambda p: (p / MANIFEST).write_text('{"fields": {"weights'), "is unreadable"),
        (lambda p: (p / MANIFEST).unlink(), "manifest.json is missing"),
    ],
)
def test_a_damaged_entry_is_rebuilt_not_trusted(tmp_path, damage, reason):
    build = Builder()
    entry = get_or_build(tmp_path, "ir", FIELDS, build)
    damage(entry.path)
    heard = []
    again = get_or_build(tmp_path, "ir", FIELDS, build, on_rebuild=heard.append)
    assert build.calls == 2 and again.built
    assert len(heard) == 1 and reason in heard[0]
    assert (again.path / "model.bin").read_bytes() == b"\x00" * 1024


def test_an_interrupted_build_leaves_nothing_behind(tmp_path):
    def crash(folder):
        (folder / "model.xml").write_text("<half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        get_or_build(tmp_path, "ir", FIELDS, crash)
    assert list(tmp_path.iterdir()) == []
    build = Builder()
    assert get_or_build(tmp_path, "ir", FIELDS, build).built


def test_entries_for_other_inputs_sit_side_by_side(tmp_path):
    build = Builder()
    a = get_or_build(tmp_path, "ir", FIELDS, build)
    b = get_or_build(tmp_path, "ir", {**FIELDS, "openvino": "2025.4.1"}, build)
    assert a.path != b.path and build.calls == 2
    assert not get_or_build(tmp_path, "ir", FIELDS, build).built


def test_an_entry_is_readable_by_every_user_of_a_shared_cache(tmp_path):
    entry = get_or_build(tmp_path, "ir", FIELDS, Builder())
    assert entry.path.stat().st_mode & 0o777 == 0o755
