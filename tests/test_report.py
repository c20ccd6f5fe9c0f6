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


def write(path, version, cells, runs=None):
    """cells: name -> (per-process rounds, extra fields); ``runs``: scale factors, one run of
    those processes each (as --ov-save-baseline-append keeps them), instead of one run."""
    def info(procs, extra):
        fps_runs = [procs] if runs is None else [[[x * f for x in p] for p in procs] for f in runs]
        flat = [p for run in fps_runs for p in run]
        return {"fps_rounds": [x for p in flat for x in p], "fps_runs": fps_runs,
                "fps": sorted(p[0] for p in flat)[len(flat) // 2], **extra}

    benchmarks = [{"name": name, "extra_info": info(procs, extra)} for name, (procs, extra) in cells.items()]
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


def test_files_of_several_runs_take_the_run_as_the_unit(tmp_path, capsys):
    """Each run's 8 processes agree within 1%, but the runs of one file drift 7% apart. Taken
    as 24 independent processes a side, a 6% step would be shown and failed (the same
    rounds saved as one run a file, below); with the run as the unit the three runs a side
    are three samples of the drift, and the cell stays undecided."""
    cell = {"test_openvino[CPU-none-b1-sync]": (STEADY, F32)}
    drifting = (1.0, 1.08, 0.94)
    old = write(tmp_path / "old.json", "2025.4.1", cell, runs=drifting)
    new = write(tmp_path / "new.json", "2026.4.1", cell, runs=[0.94 * f for f in drifting])
    assert main([str(old), str(new)]) == 0
    out = capsys.readouterr().out
    assert "(0.94x, unstable) |" in out
    assert "- 2026.4.1: the run (runs drift 7." in out and "pooled over 2 cells of both files, 4 df); what 3 runs can catch: " in out

    flat = {"test_openvino[CPU-none-b1-sync]": ([[x * f for x in p] for f in drifting for p in STEADY], F32)}
    one_old = write(tmp_path / "one-old.json", "2025.4.1", flat)
    one_new = write(tmp_path / "one-new.json", "2026.4.1", {
        k: ([[x * 0.94 for x in p] for p in procs], extra) for k, (procs, extra) in flat.items()})
    assert main([str(one_old), str(one_new)]) == 1
    out = capsys.readouterr().out
    assert "(0.94x, regressed) |" in out and "- 2026.4.1: the process (each file holds one run" in out


def test_runs_that_agree_still_show_a_real_step(tmp_path, capsys):
    cell = {"test_openvino[CPU-none-b1-sync]": (STEADY, F32)}
    old = write(tmp_path / "old.json", "2025.4.1", cell, runs=(1.0, 1.004, 0.997))
    new = write(tmp_path / "new.json", "2026.4.1", cell, runs=(0.8, 0.803, 0.798))
    assert main([str(old), str(new)]) == 1
    out = capsys.readouterr().out
    assert "(0.80x, regressed) |" in out and "- 2026.4.1: the run (" in out
