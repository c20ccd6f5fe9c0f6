"""ov-perf-report on small hand-made baseline files."""
from __future__ import annotations

import pytest

from ovperf import baseline as bl
from ovperf.report import main

#: Eight processes of two rounds each: the layout --ov-save-baseline writes.
STEADY = [[100.0, 100.2], [101.0, 100.8], [99.0, 99.2], [100.5, 100.3], [99.5, 99.7], [100.2, 100.0],
          [99.8, 100.1], [100.1, 99.9]]


def scaled(factor):
    return [[x * factor for x in p] for p in STEADY]


def write(path, version, cells):
    """cells: name -> (per-process rounds, extra fields)."""
    benchmarks = [
        {"name": name, "extra_info": {"fps_rounds": [x for p in procs for x in p], "fps_runs": [procs],
                                      "fps": sorted(p[0] for p in procs)[len(procs) // 2], **extra}}
        for name, (procs, extra) in cells.items()
    ]
    fingerprint = {"machine": {}, "software": {"openvino": f"{version}-1-abc"}}
    bl.write_new(path, {"benchmarks": benchmarks, "ovperf": {"schema": 2, "fingerprint": fingerprint}})
    return path


F32 = {"inference_precision": "f32", "num_streams": 2, "nireq": 2}


@pytest.fixture
def releases(tmp_path):
    old = write(tmp_path / "openvino-2025.4.1.json", "2025.4.1", {
        "test_openvino[CPU-THROUGHPUT-b1-async]": (STEADY, F32),
        "test_openvino[CPU-none-b1-sync]": (STEADY, F32),
        "test_openvino[AUTO-THROUGHPUT-b1-async]": (STEADY, F32),
    })
    new = write(tmp_path / "openvino-2026.4.1.json", "2026.4.1", {
        "test_openvino[CPU-THROUGHPUT-b1-async]": (scaled(0.8), F32),
        "test_openvino[CPU-none-b1-sync]": (scaled(1.8), {**F32, "inference_precision": "bf16"}),
        "test_openvino[AUTO-THROUGHPUT-b1-async]": (STEADY, F32),
    })
    return old, new


def test_table_has_a_column_per_release_with_ratio_and_verdict(releases, capsys, tmp_path):
    code = main([str(p) for p in releases] + ["--markdown", str(tmp_path / "r.md")])
    out = capsys.readouterr().out
    assert "| configuration | 2025.4.1 | 2026.4.1 |" in out
    assert "| test_openvino[CPU-THROUGHPUT-b1-async] | 100.10 | 80.08 (0.80x, regressed) |" in out
    assert "| test_openvino[AUTO-THROUGHPUT-b1-async] | 100.10 | 100.10 (1.00x, unchanged) |" in out
    assert (tmp_path / "r.md").read_text() == out
    assert code == 1  # the newest release regressed a cell


def test_a_precision_change_is_named_next_to_the_ratio(releases, capsys):
    main([str(p) for p in releases])
    out = capsys.readouterr().out
    assert "180.18 (1.80x, improved; precision f32->bf16) |" in out
    assert "their ratio is not an OpenVINO speed change alone" in out


def test_geometric_mean_per_device(releases, capsys):
    main([str(p) for p in releases])
    out = capsys.readouterr().out
    # CPU: sqrt(0.8 * 1.8) = 1.2; AUTO: 1.0
    assert "| CPU | 1.00 | 1.200 |" in out
    assert "| AUTO | 1.00 | 1.000 |" in out


def test_no_regression_exits_zero_and_draws_a_chart(tmp_path, capsys):
    a = write(tmp_path / "a.json", "2025.4.1", {"test_openvino[CPU-none-b1-sync]": (STEADY, F32)})
    b = write(tmp_path / "b.json", "2026.4.1", {"test_openvino[CPU-none-b1-sync]": (STEADY, F32)})
    chart = tmp_path / "fps.png"
    assert main([str(a), str(b), "--chart", str(chart)]) == 0
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_an_unreadable_file_is_a_one_line_error(tmp_path, capsys):
    broken = tmp_path / "broken.json"
    broken.write_text('{"bench')
    assert main([str(broken)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"ov-perf-report: baseline {broken} is not valid JSON") and err.count("\n") == 1
