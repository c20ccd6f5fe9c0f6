"""The suite as a user runs it: ``pytest perf/ ...`` in a subprocess, with a tiny budget."""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from tests.helpers import ROOT, TINY, assert_usage_error, benchmarks, run_suite

EXTRA_INFO_KEYS = {
    "fps", "fps_rounds", "frames", "compile_ms", "first_infer_ms", "device", "hint", "batch", "mode",
    "inference_precision", "execution_devices", "num_streams", "nireq", "openvino_version",
}
ASYNC_KEYS = {"p50_ms", "p90_ms", "p99_ms"}


def test_default_matrix_collects_every_configuration_and_measures_each_kind(pytester, model_cache):
    """The default matrix's ids in full (collected), and a run of one cell of each kind.

    The full default matrix is measured by the README's benchmark command, which CI runs;
    here every device, hint, batch and mode is measured at least once.
    """
    import openvino

    expected = {  # collected; CUMULATIVE_THROUGHPUT on a single device then skips with the reason
        f"test_openvino[{d}-{h}-b{b}-{m}]"
        for d in [*openvino.Core().available_devices, "AUTO"]
        for h in ["none", "LATENCY", "THROUGHPUT", "CUMULATIVE_THROUGHPUT"]
        for b in (1, 4)
        for m in ("sync", "async")
    } | {"test_pytorch[b1]", "test_pytorch[b4]"}
    collected = run_suite(pytester, "--collect-only", "-q", cache_dir=model_cache)
    ids = {line.split("::", 1)[1] for line in collected.stdout.lines if "::test_openvino[" in line or "::test_pytorch[" in line}
    assert ids == expected

    out = pytester.path / "bench.json"
    result = run_suite(pytester, *TINY, "--ov-hints", "none,THROUGHPUT,CUMULATIVE_THROUGHPUT",
                       "-k", "none-b1-sync or (THROUGHPUT-b4-async and not CUMULATIVE) or CUMULATIVE_THROUGHPUT-b1-async "
                       "or pytorch",
                       "--benchmark-json", str(out), cache_dir=model_cache)
    assert result.ret == 0, result.stdout.str()[-3000:]
    runs = benchmarks(out)
    assert {name for name in runs if name.startswith("test_openvino[AUTO-CUMULATIVE_THROUGHPUT")} == {
        "test_openvino[AUTO-CUMULATIVE_THROUGHPUT-b1-async]"}
    assert {"test_pytorch[b1]", "test_pytorch[b4]", "test_openvino[CPU-none-b1-sync]",
            "test_openvino[CPU-THROUGHPUT-b4-async]"} <= set(runs)
    for name, bench in runs.items():
        info = bench["extra_info"]
        assert info["fps"] > 0 and all(f > 0 for f in info["fps_rounds"]), name
        if name.startswith("test_openvino"):
            assert EXTRA_INFO_KEYS <= set(info), (name, EXTRA_INFO_KEYS - set(info))
            assert len(info["fps_processes"]) == info["processes"] == 1  # TINY: one process a cell
            assert info["inference_precision"] in ("f32", "bf16", "f16"), name
            if info["mode"] == "async":
                assert ASYNC_KEYS <= set(info), name
    stdout = result.stdout.str()
    assert "throughput by configuration" in stdout
    assert "CUMULATIVE_THROUGHPUT spreads requests over several devices" in stdout
    assert "exported ONNX in" in stdout

    again = run_suite(pytester, *TINY, "--ov-devices", "CPU", "--ov-hints", "none", "--ov-batches", "1",
                      "--ov-modes", "sync", cache_dir=model_cache)
    assert again.ret == 0
    assert "exported ONNX" not in again.stdout.str()  # the second run reused the cache


def test_a_configuration_that_does_not_compile_errors_alone(pytester, model_cache):
    result = run_suite(
        pytester, *TINY, "--ov-devices", "CPU,AUTO", "--ov-hints", "none", "--ov-batches", "1",
        "--ov-modes", "sync", "--ov-config", "NO_SUCH_PROPERTY=1", "-k", "openvino",
        cache_dir=model_cache,
    )
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*CPU-none-b1-sync does not compile: NotFound: Unsupported property NO_SUCH_PROPERTY*"])
    assert "Traceback" not in result.stdout.str()


def test_config_reaches_the_compiled_model_without_changing_ids(pytester, model_cache):
    out, report, history = pytester.path / "threads.json", pytester.path / "threads.md", pytester.path / "h.sqlite"
    result = run_suite(
        pytester, *TINY, "--ov-devices", "CPU", "--ov-hints", "LATENCY", "--ov-batches", "1",
        "--ov-modes", "sync", "--ov-config", "INFERENCE_NUM_THREADS=1", "-k", "openvino",
        "--benchmark-json", str(out), "--ov-report", str(report), "--ov-history", str(history),
        cache_dir=model_cache,
    )
    assert result.ret == 0, result.stdout.str()[-2000:]
    info = benchmarks(out)["test_openvino[CPU-LATENCY-b1-sync]"]["extra_info"]
    assert info["ov_config"] == {"INFERENCE_NUM_THREADS": "1"}
    # --ov-report without a comparison writes this run's throughput table
    table = report.read_text()
    assert table.startswith("# OpenVINO throughput") and "| CPU-LATENCY-b1-sync |" in table
    # --ov-history recorded the run, its per-process samples and what it ran with
    from ovperf.history import open_store

    store = open_store(history)
    assert store.count() == (1, 1)
    point = store.series()["test_openvino[CPU-LATENCY-b1-sync]"][0]
    assert point.processes == info["fps_processes"] and point.software["openvino_version"] == info["openvino_version"]
    assert point.speeds == info["speed_processes"] and point.speed_kernel == info["speed_kernel"]  # for --speed-adjust
    assert point.software["numpy_version"] == np.__version__
    result.stdout.fnmatch_lines([f"*recorded run 1 (1 cells) in the history sqlite:///{history}*"])


def test_pytest_xdist_is_refused_with_one_line(pytester):
    """pytest-xdist's -n, registered here by a stand-in plugin so the test needs no xdist."""
    pytester.makepyfile(fake_xdist="def pytest_addoption(parser):\n"  # as xdist registers it
                                   "    parser.getgroup('xdist')._addoption('-n', '--numprocesses', dest='numprocesses')\n")
    result = run_suite(pytester, "-p", "fake_xdist", "-n", "2", "--collect-only")
    assert_usage_error(result, ["ERROR: pytest-xdist (-n) runs benchmarks in parallel on one machine*"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--ov-devices", "FOO"), "ERROR: unknown device 'FOO' in --ov-devices; available devices: CPU*AUTO*"),
        (("--ov-batches", "0"), "*--ov-batches: batch '0' must be 1 or more*"),
        (("--ov-batches", "four"), "*--ov-batches: batch 'four' is not a whole number*"),
        (("--ov-frames", "-3"), "*--ov-frames: '-3' must be 1 or more*"),
        (("--ov-frames", "6"), "*--ov-frames 6 is not a multiple of every batch*"),
        (("--ov-hints", "FASTEST"), "*unknown hint 'FASTEST'*"),
        (("--ov-modes", "batch"), "*unknown mode 'batch'*"),
        (("--ov-image", "/nonexistent/street.jpg"), "*no such file: /nonexistent/street.jpg*"),
        (("--ov-weights", "/nonexistent/best.pt"), "*no such file: /nonexistent/best.pt*"),
        (("--ov-report", "/proc/nope/x.md"), "ERROR: --ov-report /proc/nope/x.md: cannot write there*"),
        (("--ov-report", "/tmp"), "ERROR: --ov-report /tmp: is a directory; give a file name"),
        (("--ov-save-images", "/proc/nope"), "ERROR: --ov-save-images /proc/nope: cannot write there*"),
        (("--ov-cache-dir", "/proc/nope"), "ERROR: --ov-cache-dir /proc/nope: cannot write there*"),
        (("--benchmark-json", "/proc/nope/x.json"), "ERROR: --benchmark-json /proc/nope/x.json: cannot write there*"),
        (("--ov-report", "/tmp/" + "x" * 300 + ".md"), "ERROR: --ov-report /tmp/xxx*: cannot write there (*long*"),
        (("--ov-save-baseline", "b", "--ov-baseline-dir=/proc/nope"), "ERROR: --ov-baseline-dir /proc/nope: cannot write there*"),
        (("--ov-worker-timeout", "inf"), "*--ov-worker-timeout*: 'inf' must be a finite number above 0*"),
        (("--ov-max-time", "inf"), "*--ov-max-time: 'inf' must be a finite number above 0*"),
        (("--ov-processes", "0"), "*--ov-processes: '0' must be 1 or more*"),
        (("--ov-confirm-wait", "-5"), "*--ov-confirm-wait: '-5' must be a finite number of 0 or more*"),
        (("--ov-report=",), "*--ov-report: an empty path; give a file or folder, or leave the option out*"),
        (("--ov-history", "postgresql://nobody@127.0.0.1:1/none"), "ERROR: --ov-history: history postgresql+psycopg2://nobody@127.0.0.1:1/none: *"),
        (("--ov-weights", str(ROOT / "pyproject.toml")), "*--ov-weights*: expected an ultralytics .pt file*"),
        (("--ov-config", "performance_hint=LATENCY"), "ERROR: --ov-config performance_hint=... would override a matrix dimension; use --ov-hints"),
        (("--ov-frames", "100000"), "ERROR: --ov-frames 100000: the frames alone would take about * MiB*; use fewer frames"),
        (("--ov-inject-slowdown", "5%", "--ov-save-baseline", "x"),
         "ERROR: --ov-inject-slowdown makes this run slower on purpose; it does not go with --ov-save-baseline"),
    ],
)
def test_bad_input_is_a_one_line_usage_error(pytester, args, message):
    assert_usage_error(run_suite(pytester, "--collect-only", *args), [f"*{message}"])


def test_an_existing_onnx_file_is_converted_without_torch_export(pytester, tmp_path):
    from ovperf.model import export_onnx, load_torch_model

    onnx = export_onnx(load_torch_model(None), tmp_path / "export", imgsz=640).path / "model.onnx"
    out = pytester.path / "onnx.json"
    result = run_suite(
        pytester, *TINY, "--ov-onnx", str(onnx), "--ov-devices", "CPU", "--ov-hints", "none",
        "--ov-batches", "1", "--ov-modes", "sync", "-k", "openvino", "--benchmark-json", str(out),
        cache_dir=tmp_path / "cache",
    )
    assert result.ret == 0, result.stdout.str()[-2000:]
    stdout = result.stdout.str()
    assert "converted IR in" in stdout and "exported ONNX" not in stdout
    from ovperf.cache import file_digest

    assert benchmarks(out)["test_openvino[CPU-none-b1-sync]"]["extra_info"]["onnx_sha256"] == file_digest(onnx)


def test_onnx_and_weights_together_are_refused(pytester, tmp_path):
    model, weights = tmp_path / "m.onnx", tmp_path / "w.pt"
    model.write_bytes(b"x")
    weights.write_bytes(b"x")
    result = run_suite(pytester, "--collect-only", "--ov-onnx", str(model), "--ov-weights", str(weights))
    assert_usage_error(result, ["ERROR: --ov-onnx and --ov-weights both name the model; give one"])


#: A Reshape to a constant shape, as exporters write for a fixed batch: batch 4 cannot fit it.
STATIC_BATCH_ONNX = """
import sys
import onnx
from onnx import TensorProto, helper
fixed = helper.make_tensor("fixed", TensorProto.INT64, [3], [1, 3, 640 * 640])
graph = helper.make_graph(
    [helper.make_node("Reshape", ["images", "fixed"], ["output0"])], "static-batch",
    [helper.make_tensor_value_info("images", TensorProto.FLOAT, [1, 3, 640, 640])],
    [helper.make_tensor_value_info("output0", TensorProto.FLOAT, [1, 3, 640 * 640])],
    initializer=[fixed],
)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
model.ir_version = 8
onnx.save(model, sys.argv[1])
"""


def test_an_onnx_file_with_a_fixed_batch_fails_its_cells_with_one_line(pytester, tmp_path):
    """A static-batch model compiles at batch 1; at batch 4 its cell fails with OpenVINO's reason, alone."""
    path = tmp_path / "static.onnx"
    # Built in its own process: importing onnx here, after another test's torch export, aborts.
    subprocess.run([sys.executable, "-c", STATIC_BATCH_ONNX, str(path)], check=True, timeout=120)
    result = run_suite(
        pytester, *TINY, "--ov-onnx", str(path), "--ov-devices", "CPU", "--ov-hints", "none",
        "--ov-batches", "1,4", "--ov-modes", "sync", "-k", "openvino", cache_dir=tmp_path / "cache",
    )
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*CPU-none-b4-sync*the model cannot take batch 4 (*"])
    assert "Traceback" not in result.stdout.str() + result.stderr.str()
