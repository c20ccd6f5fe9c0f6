"""The one way this suite writes a file: whole or not at all, never through a planted name.

The content goes to a fresh ``tempfile`` in the target's folder (an unpredictable name,
created exclusively, so a symlink planted at a fixed ``.name.tmp`` cannot redirect it),
is flushed to disk, and is then moved into place. ``replace=False`` never replaces an
existing file: a hard link fails if the name exists, and where the file system has no
hard links the name is reserved with ``O_EXCL`` first and then replaced.
"""
from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path
from typing import IO, Callable, Union

Content = Union[str, bytes, Callable[[IO[bytes]], None]]


class ExistsError(FileExistsError):
    """``replace=False`` and the target exists."""


def write_atomic(path: Path | str, content: Content, *, replace: bool = True, mode: int = 0o644) -> None:
    """Write ``content`` (text, bytes, or a function that writes to a binary file) to ``path``."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:200]}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)  # mkstemp makes it private; these files are for a team to read
        with os.fdopen(fd, "wb") as fh:
            if callable(content):
                content(fh)
            else:
                fh.write(content.encode() if isinstance(content, str) else content)
            fh.flush()
            os.fsync(fh.fileno())
        if replace:
            os.replace(tmp, path)
        else:
            _move_new(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _move_new(tmp: str, path: Path) -> None:
    try:
        os.link(tmp, path)
        return
    except FileExistsError:
        raise ExistsError(errno.EEXIST, "exists", str(path)) from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
            raise
    try:  # no hard links here: reserve the name, then replace the reservation
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
    except FileExistsError:
        raise ExistsError(errno.EEXIST, "exists", str(path)) from None
    os.replace(tmp, path)
