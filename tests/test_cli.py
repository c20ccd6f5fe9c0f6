"""Every command-line tool stops quietly when its reader has gone (``... | head``)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from ovperf.cli import BROKEN_PIPE_EXIT, entry_point

#: Every ``python -m ovperf.X`` a user runs; ``ov-perf-report`` and ``ov-perf-history`` are
#: the same ``main`` functions (pyproject.toml's [project.scripts]).
TOOLS = ["calibrate", "export", "history", "power", "report", "speed", "summary", "warmup"]


def run_into_closed_pipe(args: list[str]) -> subprocess.CompletedProcess:
    read, write = os.pipe()
    os.close(read)  # the reader has gone before the first line: every write meets EPIPE
    try:
        return subprocess.run([sys.executable, *args], stdout=write, stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(write)


@pytest.mark.parametrize("tool", TOOLS)
def test_every_tool_goes_through_the_entry_point(tool):
    import importlib

    main = importlib.import_module(f"ovperf.{tool}").main
    assert getattr(main, "__wrapped__", None) is not None, f"ovperf.{tool}.main is not wrapped by ovperf.cli.entry_point"


def test_a_tool_whose_reader_has_gone_ends_without_a_traceback(tmp_path):
    # A real report into a pipe nobody reads: without the entry point, Python prints
    # "Exception ignored ... BrokenPipeError" at exit and ends with status 120.
    processes = [[7.0, 10.0, 10.2], [7.5, 10.1, 9.9]]
    path = tmp_path / "run.json"
    path.write_text(json.dumps({"benchmarks": [
        {"name": f"test_openvino[c{i}]", "extra_info": {"fps_processes": processes}} for i in range(4)]}))
    done = run_into_closed_pipe(["-m", "ovperf.warmup", str(path)])
    assert done.stderr == ""
    assert done.returncode == BROKEN_PIPE_EXIT
    readable = subprocess.run([sys.executable, "-m", "ovperf.warmup", str(path)], capture_output=True, text=True)
    assert readable.returncode == 0 and "first round" in readable.stdout  # the same report, read: it prints


def test_output_larger_than_the_pipe_stops_at_the_closed_pipe_too():
    # More than a pipe's buffer, written line by line, as a long report is: the write itself
    # fails mid-way, not only the flush at the end.
    code = (
        "from ovperf.cli import entry_point\n"
        "@entry_point\n"
        "def main():\n"
        "    for i in range(200000):\n"
        "        print('a line of a long report', i)\n"
        "    return 0\n"
        "raise SystemExit(main())\n"
    )
    done = run_into_closed_pipe(["-c", code])
    assert done.stderr == ""
    assert done.returncode == BROKEN_PIPE_EXIT


def test_the_wrapper_passes_the_exit_code_and_other_errors_through():
    assert entry_point(lambda: 3)() == 3
    with pytest.raises(SystemExit) as exit_:
        entry_point(lambda: (_ for _ in ()).throw(SystemExit(2)))()
    assert exit_.value.code == 2
    with pytest.raises(ValueError):
        entry_point(lambda: int("x"))()
