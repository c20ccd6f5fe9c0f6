"""A disk cache for slow artifacts (ONNX exports, OpenVINO IRs).

An entry is a folder named by a hash of everything that changes the artifact.
It is built in a temporary folder beside it and renamed into place only when
complete, with a manifest that records each file's SHA-256. An entry whose
manifest is missing, unreadable or does not match its files (an interrupted
copy, a truncated .bin) is never trusted: it is moved aside and rebuilt.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Entry:
    """A usable cache entry."""

    path: Path
    key: str
    built: bool
    #: Seconds spent building it in this call (0.0 when reused).
    build_seconds: float


def cache_key(fields: Mapping[str, Any]) -> str:
    """A short stable hash of JSON-serialisable ``fields``."""
    blob = json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(blob).hexdigest()[:20]


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def why_invalid(folder: Path, fields: Mapping[str, Any]) -> str | None:
    """Why ``folder`` is not a complete entry for ``fields``, or None when it is."""
    manifest_path = folder / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text())
    except FileNotFoundError:
        return f"{manifest_path} is missing"
    except (OSError, ValueError) as exc:
        return f"{manifest_path} is unreadable ({exc.__class__.__name__})"
    if not isinstance(manifest, dict) or manifest.get("fields") != json.loads(json.dumps(fields)):
        return f"{manifest_path} was written for other inputs"
    files = manifest.get("files")
    if not isinstance(files, dict) or not files:
        return f"{manifest_path} lists no files"
    for name, expected in files.items():
        target = folder / name
        if not target.is_file():
            return f"{target} is missing"
        if file_digest(target) != expected:
            return f"{target} does not match its recorded SHA-256"
    return None


def get_or_build(
    root: Path,
    kind: str,
    fields: Mapping[str, Any],
    build: Callable[[Path], None],
    on_rebuild: Callable[[str], None] | None = None,
) -> Entry:
    """The entry for ``fields`` under ``root``, building it with ``build(tmp_folder)`` if needed.

    ``build`` writes its files into the folder it is given; every file it leaves
    there is recorded in the manifest. ``on_rebuild`` hears why an existing
    entry was thrown away.
    """
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    key = cache_key(fields)
    final = root / f"{kind}-{key}"
    if final.exists():
        reason = why_invalid(final, fields)
        if reason is None:
            return Entry(final, key, built=False, build_seconds=0.0)
        if on_rebuild:
            on_rebuild(f"cache entry {final} is not usable ({reason}); rebuilding it")
        _discard(final)
    tmp = Path(tempfile.mkdtemp(prefix=f".{kind}-{key}.", suffix=".tmp", dir=root))
    # mkdtemp makes the folder private (0700); an entry is readable by every user of a shared
    # cache, and writable only by the one who built it (entries are never changed in place).
    os.chmod(tmp, 0o755)
    started = time.perf_counter()
    try:
        build(tmp)
        files = {
            p.relative_to(tmp).as_posix(): file_digest(p)
            for p in sorted(tmp.rglob("*"))
            if p.is_file()
        }
        if not files:
            raise RuntimeError(f"building {kind} wrote no files")
        (tmp / MANIFEST).write_text(
            json.dumps({"kind": kind, "fields": fields, "files": files}, indent=2, sort_keys=True)
        )
        try:
            os.rename(tmp, final)
        except OSError:
            # Another process finished the same entry first; trust it only if it checks out.
            if why_invalid(final, fields) is not None:
                raise
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return Entry(final, key, built=True, build_seconds=time.perf_counter() - started)


def _discard(folder: Path) -> None:
    """Move a bad entry aside before deleting it, so a crash never leaves it half-deleted in place."""
    trash = folder.with_name(f".{folder.name}.{os.getpid()}.discard")
    os.rename(folder, trash)
    shutil.rmtree(trash, ignore_errors=True)
