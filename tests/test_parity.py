"""benchmark_app parity: the command it gets, the report it writes, and a real smoke run."""
from __future__ import annotations

import json

import pytest

from ovperf.matrix import Cell
from ovperf.parity import ParityError, command, read_report
from tests.helpers import TINY, benchmarks, run_suite


def test_the_command_mirrors_the_configuration(tmp_path):
    args = command(tmp_path / "m.xml", Cell("CPU", "THROUGHPUT", 4, "async"), 640, 2, 2, 7.4, {}, tmp_path)
    line = " ".join(args[3:])
    assert "-d CPU -hint throughput -api async -shape [4,3,640,640] -nireq 2 -t 7" in line
    assert "-json_stats" in args and "-nstreams" not in args and "-infer_precision" not in args


def test_no_hint_pins_streams_and_a_pinned_precision_and_properties_pass_through(tmp_path):
    args = command(tmp_path / "m.xml", Cell("CPU", "none", 1, "async", "f32"), 640, 1, 1, 3, {"INFERENCE_NUM_THREADS": "1"}, tmp_path)
    assert args[args.index("-hint") + 1] == "none" and args[args.index("-nstreams") + 1] == "1"
    assert args[args.index("-infer_precision") + 1] == "f32"
    config = json.loads((tmp_path / "config.json").read_text())
    assert config == {"CPU": {"INFERENCE_NUM_THREADS": "1"}} and args[args.index("-load_config") + 1] == str(tmp_path / "config.json")


def test_the_report_is_read_from_benchmark_apps_json(tmp_path):
    report = tmp_path / "benchmark_report.json"
    report.write_text(json.dumps({"execution_results": {
        "total execution time (ms)": "10012.5", "total number of iterations": "152", "throughput": "15.18"}}))
    assert read_report(report) == {"fps": 15.18, "iterations": 152, "duration_ms": 10012.5}
    report.write_text('{"execution_results": {}}')
    with pytest.raises(ParityError, match="no usable report"):
        read_report(report)


def test_parity_smoke_both_figures_present_and_positive(pytester, tmp_path):
    out = pytester.path / "parity.json"
    result = run_suite(
        pytester, *TINY, "--ov-frames", "8", "--ov-rounds", "2", "--ov-devices", "CPU", "--ov-hints", "THROUGHPUT",
        "--ov-batches", "1", "--ov-modes", "async", "-k", "openvino", "--ov-parity", "--benchmark-json", str(out),
        cache_dir=tmp_path / "cache",
    )
    assert result.ret == 0, result.stdout.str()[-3000:]
    info = benchmarks(out)["test_openvino[CPU-THROUGHPUT-b1-async]"]["extra_info"]
    assert info["fps"] > 0 and info["parity"]["fps"] > 0 and info["parity"]["iterations"] > 0
    assert info["parity"]["ratio"] == pytest.approx(info["fps"] / info["parity"]["fps"])
    assert info["parity"]["command"].startswith("benchmark_app -m ")
    result.stdout.fnmatch_lines(["*against OpenVINO's benchmark_app*", "CPU-THROUGHPUT-b1-async *"])
