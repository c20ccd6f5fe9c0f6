"""Run the real suite in a subprocess, the way a user does, and read what it wrote."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: The smallest real run: a few frames, one process a cell, one round, no warm-up.
TINY = ("--ov-frames", "4", "--ov-rounds", "1", "--ov-warmup-rounds", "0", "--ov-processes", "1")


def openvino_version(python: str | Path = sys.executable) -> str:
    """``openvino.get_version()`` as a fresh process of ``python`` says it. Not imported here: a
    pytester test drops the modules it loaded, and openvino imported again in this process
    fails (``ModuleNotFoundError`` in ``openvino/utils``), so the result would hang on test order."""
    return subprocess.run([str(python), "-c", "import openvino; print(openvino.get_version())"],
                          capture_output=True, text=True, check=True, timeout=120).stdout.strip()


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


def assert_usage_error(result: pytest.RunResult, lines: list[str]) -> None:
    """A refusal as the suite promises it: pytest's usage-error exit code, the message on
    stderr (``fnmatch`` patterns), and no traceback anywhere."""
    assert result.ret == pytest.ExitCode.USAGE_ERROR, (result.ret, result.stderr.str()[-2000:])
    result.stderr.fnmatch_lines(lines)
    output = result.stdout.str() + result.stderr.str()
    assert "Traceback" not in output and "INTERNALERROR" not in output


def benchmarks(json_path: Path) -> dict[str, dict]:
    """pytest-benchmark's JSON, keyed by test name."""
    data = json.loads(Path(json_path).read_text())
    return {b["name"]: b for b in data["benchmarks"]}


def _stand_in(script, kernel, prelude, round_answer, pid="1", units_kernel=""):
    """A stand-in measuring process at ``script``: the worker protocol with fixed answers,
    ``prelude`` run once at start, and each round answered with ``round_answer`` (Python)."""
    script.write_text(f"""#!{sys.executable}
import json, sys
from pathlib import Path
{prelude}
for line in sys.stdin:
    op = json.loads(line)["op"]
    answer = {{"ok": True}}
    if op == "hello":
        answer.update(pid={pid}, openvino="fake", speed_kernel={kernel!r}, units_kernel={units_kernel!r})
    elif op == "compile":
        answer.update(compile_ms=1.0, resolved={{}})
    elif op == "first":
        answer.update(first_infer_ms=1.0)
    elif op == "round":
        {round_answer}
    print(json.dumps(answer), flush=True)
    if op == "quit":
        break
""")
    script.chmod(0o755)
    return script


def fake_worker(tmp_path, kernel, speed_of_round):
    """A stand-in measuring process: round k takes 1 s and reports speed ``speed_of_round(k)``."""
    return _stand_in(tmp_path / f"python-{kernel}", kernel, "k = 0",
                     f"answer.update(seconds=1.0, speed={speed_of_round!r}[k % {len(speed_of_round)}]); k += 1")


def scheduled_worker(tmp_path, kernel, schedule, units_kernel=""):
    """A stand-in measuring process whose behaviour depends on how many started before it:
    the k-th process (0-based, counted in ``tmp_path/started``) runs every round in
    ``schedule[k][0]`` seconds with machine speed ``schedule[k][1]``; the last entry repeats.
    With ``units_kernel``, it names that units kernel and answers its speed, ``schedule[k][2]``;
    a fourth entry is the share of the machine other processes took during its rounds.
    Returns the script and ``started()``, the count so far (a clock for ``measure_cell``)."""
    counter = tmp_path / f"started-{kernel}"
    counter.write_text("0")
    prelude = (f"counter = Path({str(counter)!r})\n"
               "index = int(counter.read_text())\n"
               "counter.write_text(str(index + 1))\n"
               f"seconds, speed, *units = {[list(x) for x in schedule]!r}[min(index, {len(schedule) - 1})]")
    script = _stand_in(tmp_path / f"python-scheduled-{kernel}", kernel, prelude,
                       "answer.update(seconds=seconds, speed=speed, **({'speed_units': units[0]} if units else {}), "
                       "**({'steal_seconds': 0.0, 'other_seconds': units[1] * seconds, 'cpu_seconds': seconds, "
                       "'cpus': 1} if len(units) > 1 else {}))",
                       pid="index + 1", units_kernel=units_kernel)
    return script, lambda: int(counter.read_text())
