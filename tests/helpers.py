"""Run the real suite in a subprocess, the way a user does, and read what it wrote."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: The smallest real run: a few frames, one process a cell, one round, no warm-up.
TINY = ("--ov-frames", "4", "--ov-rounds", "1", "--ov-warmup-rounds", "0", "--ov-processes", "1")


def run_suite(pytester: pytest.Pytester, *args: str, cache_dir: Path | None = None) -> pytest.RunResult:
    """``pytest perf/ ARGS`` from the repository, with its conftest and pyproject, in a subprocess.

    The model cache goes to ``cache_dir`` (shared across tests by the caller) and
    pytest's own cache stays out of the repository.
    """
    cache = ["--ov-cache-dir", str(cache_dir)] if cache_dir else []
    return pytester.run(
        sys.executable, "-m", "pytest", str(ROOT / "perf"), "-p", "no:cacheprovider",
        "--rootdir", str(ROOT), "-c", str(ROOT / "pyproject.toml"), *cache, *args,
        timeout=1200,
    )


def benchmarks(json_path: Path) -> dict[str, dict]:
    """pytest-benchmark's JSON, keyed by test name."""
    data = json.loads(Path(json_path).read_text())
    return {b["name"]: b for b in data["benchmarks"]}
