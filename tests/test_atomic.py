"""The one atomic writer: whole or absent, exclusive when asked, and no fixed temp names."""
from __future__ import annotations

import errno
import os

import pytest

from ovperf import atomic
from ovperf.atomic import ExistsError, write_atomic


def test_writes_text_bytes_or_through_a_function(tmp_path):
    write_atomic(tmp_path / "a.txt", "text")
    write_atomic(tmp_path / "b.bin", b"\x00\x01")
    write_atomic(tmp_path / "c.bin", lambda fh: fh.write(b"made"))
    assert (tmp_path / "a.txt").read_text() == "text"
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\x01"
    assert (tmp_path / "c.bin").read_bytes() == b"made"
    assert oct((tmp_path / "a.txt").stat().st_mode & 0o777) == oct(0o644)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.bin", "c.bin"]  # no temp files left


def test_without_replace_an_existing_file_stays_byte_for_byte(tmp_path):
    target = tmp_path / "base.json"
    target.write_bytes(b"old baseline")
    with pytest.raises(ExistsError):
        write_atomic(target, "new", replace=False)
    assert target.read_bytes() == b"old baseline"
    assert [p.name for p in tmp_path.iterdir()] == ["base.json"]


def test_a_failing_writer_leaves_nothing(tmp_path):
    target = tmp_path / "report.md"
    target.write_text("before")

    def broken(fh):
        fh.write(b"half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_atomic(target, broken)
    assert target.read_text() == "before" and [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_a_planted_symlink_at_the_old_fixed_temp_name_is_not_followed(tmp_path):
    victim = tmp_path / "victim"
    victim.write_text("keep")
    os.symlink(victim, tmp_path / ".report.md.tmp")
    write_atomic(tmp_path / "report.md", "report")
    assert victim.read_text() == "keep" and (tmp_path / "report.md").read_text() == "report"


def test_without_hard_links_the_name_is_reserved_then_replaced(tmp_path, monkeypatch):
    def no_links(src, dst):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(atomic.os, "link", no_links)
    write_atomic(tmp_path / "new.json", "{}", replace=False)
    assert (tmp_path / "new.json").read_text() == "{}"
    with pytest.raises(ExistsError):
        write_atomic(tmp_path / "new.json", "other", replace=False)
    assert (tmp_path / "new.json").read_text() == "{}"
