"""Interleaved A/B through the real suite: A/A in pairs of processes, a process that hangs or dies, usage errors."""
from __future__ import annotations

import sys

import pytest

from tests.helpers import ROOT, assert_usage_error, benchmarks, openvino_version, run_suite

#: A small CPU subset in a few seconds a cell; rounds enough for a CI.
SMALL = ("--ov-devices", "CPU", "--ov-batches", "1", "--ov-modes", "async", "--ov-frames", "8",
         "-k", "openvino")


def test_a_against_itself_runs_balanced_pairs_of_processes(pytester, model_cache):
    """A/A through the real suite. What is asserted holds by construction: the layout, the
    balanced order, rounds without the speed kernels around them, and no ``regressed`` at a
    50% threshold (a ratio below 0.5 between two processes of one Python; at the default 5%
    an A/A cell would read ``regressed`` with probability up to alpha, 1%, which
    tests/test_stats.py checks in simulation)."""
    out = pytester.path / "aa.json"
    report = pytester.path / "aa.md"
    result = run_suite(
        pytester, *SMALL, "--ov-hints", "THROUGHPUT", "--ov-max-time", "1", "--ov-max-regression", "50%",
        "--ov-processes", "6", "--ov-ab-python", sys.executable, "--benchmark-json", str(out), "--ov-report", str(report),
        cache_dir=model_cache,
    )
    assert result.ret == 0, result.stdout.str()[-3000:]
    version = openvino_version()
    cells = benchmarks(out)
    assert set(cells) == {"test_openvino[CPU-THROUGHPUT-b1-async]"}
    for name, bench in cells.items():
        info, ab = bench["extra_info"], bench["extra_info"]["ab"]
        assert ab["openvino_version"] == version, name
        assert ab["verdict"] != "regressed", (name, ab)
        assert ab["ci_low"] <= ab["ratio"] <= ab["ci_high"], (name, ab)
        # 6 pairs, the fewest with a paired 95% CI (stats.MIN_PAIRS_FOR_CI), to keep the test short
        assert ab["n_current"] == ab["n_baseline"] == 6 == info["processes"] == ab["processes"], name
        assert len(ab["fps_processes"]) == len(info["fps_processes"]) == 6
        # The A/B default, 6 rounds a process (the frames are SMALL's), alternating in every pair:
        assert info["rounds"] == 6 and info["frames"] == 8, name
        assert ab["order"] == ["ABBA" * 3, "BAAB" * 3] * 3, name  # B does not always go first
        assert ab["inference_precision"] == info["inference_precision"]
        # No speed kernels around an A/B pair's rounds (measure.Plan.round_kernels): no A/B
        # verdict reads them, and the rounds follow each other; the CPU accounting stays.
        for side in (info, ab):
            assert not {"speed_processes", "units_speed_processes", "speed_kernel"} & set(side), name
            assert side["machine_share"]["own"] > 0, name
    result.stdout.fnmatch_lines([
        "*interleaved A/B verdicts (B against A)*",
        f"B (processes of {sys.executable}): OpenVINO {version}*",
        "configuration*A FPS*B FPS*median pair ratio (sign test, 95% CI)*",
    ])
    assert "| configuration | A FPS | B FPS |" in report.read_text()


def test_a_worker_that_hangs_or_dies_errors_only_its_cell(pytester, model_cache, tmp_path):
    """After the start-up check, the first B process hangs in its first round, the next dies
    in its first round, and the rest work: two cells fail with one line each, the third passes."""
    python = tmp_path / "python"
    python.write_text(f"""#!{sys.executable}
import os, sys, time
from pathlib import Path
state = Path(__file__).with_name("starts")
started = int(state.read_text()) if state.exists() else 0
state.write_text(str(started + 1))
sys.path.insert(0, {str(ROOT)!r})
import ovperf.worker as worker
if started == 1:
    worker.Worker.round = lambda self, measured=True, **_: time.sleep(600)
elif started == 2:
    worker.Worker.round = lambda self, measured=True, **_: os._exit(7)
worker.main()
""")
    python.chmod(0o755)
    result = run_suite(
        pytester, *SMALL, "--ov-hints", "none,LATENCY,THROUGHPUT", "--ov-rounds", "1", "--ov-max-time", "1",
        "--ov-processes", "2", "--ov-ab-python", str(python), "--ov-worker-timeout", "5", cache_dir=model_cache,
    )
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines([
        "CPU-none-b1-async: the measuring process (*) did not answer 'round' within 5 s; killed it*",
        "CPU-LATENCY-b1-async: the measuring process (*) exited with code 7 during 'round'*",
    ])
    assert "Traceback" not in result.stdout.str()
    assert int((tmp_path / "starts").read_text()) >= 3 + 2  # the check, two broken ones, 2 pairs


def test_a_python_without_openvino_is_a_usage_error(pytester, tmp_path):
    python = tmp_path / "python"
    python.write_text(f"#!/bin/sh\nexec {sys.executable} -S \"$@\"\n")  # no site-packages: no openvino
    python.chmod(0o755)
    result = run_suite(pytester, "--collect-only", "--ov-ab-python", str(python))
    assert_usage_error(result, [
        f"ERROR: --ov-ab-python {python}: the measuring process ({python}) exited with code 1 during 'hello': "
        "*No module named*",
    ])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--ov-ab-python", "/nonexistent/bin/python"), "*--ov-ab-python: no such file: /nonexistent/bin/python"),
        (("--ov-ab-python", str(ROOT / "README.md")), f"*--ov-ab-python: not executable: {ROOT / 'README.md'}"),
        (("--ov-ab-python", sys.executable, "--ov-save-baseline", "x"),
         "ERROR: --ov-ab-python compares two releases within this run; it does not go with --ov-save-baseline"),
    ],
)
def test_bad_ab_options_are_usage_errors(pytester, args, message):
    result = run_suite(pytester, "--collect-only", *args)
    assert_usage_error(result, [message])


def test_another_clones_python_given_with_a_space_does_not_clash(pytester, tmp_path):
    """pytest reads ``--ov-ab-python /other/clone/.venv/bin/python`` before it knows the option
    takes a value, takes the path as an argument and loads the other clone's conftest.py,
    which registers the same options again."""
    other = tmp_path / "other-clone"
    (other / ".venv" / "bin").mkdir(parents=True)
    (other / "conftest.py").write_text((ROOT / "conftest.py").read_text())
    python = other / ".venv" / "bin" / "python"
    python.write_text(f'#!/bin/sh\nexec {sys.executable} "$@"\n')
    python.chmod(0o755)
    result = run_suite(pytester, "--collect-only", "--ov-devices", "CPU", "--ov-hints", "none",
                       "--ov-batches", "1", "--ov-modes", "sync", "--ov-ab-python", str(python))
    assert result.ret == 0, result.stderr.str()[-2000:]
    assert "already added" not in result.stderr.str() and "Traceback" not in result.stderr.str()
    result.stdout.fnmatch_lines(["*test_openvino*CPU-none-b1-sync*"])
