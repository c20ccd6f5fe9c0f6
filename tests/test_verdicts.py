"""A measured cell judged without pytest: its record, its verdict and the line a regression fails with."""
from __future__ import annotations

from pathlib import Path

from ovperf.baseline import Baseline
from ovperf.matrix import Cell
from ovperf.measure import CellOutcome, SideSummary
from ovperf.settings import Settings
from ovperf.stats import compare
from ovperf.verdicts import judge, regression_message

CELL = Cell("CPU", "THROUGHPUT", 1, "async")
NAME = f"test_openvino[{CELL.id}]"
INFO = {"inference_precision": "f32", "num_streams": 2, "nireq": 2}


def side(fps, n=6):
    processes = [[fps * (1 + 0.002 * k)] * 2 for k in range(n)]
    return SideSummary(fps=fps, fps_processes=processes, info=dict(INFO))


def baseline(fps=100.0):
    cell = {"fps_processes": side(fps).fps_processes, "fps_runs": [side(fps).fps_processes], **INFO}
    data = {"ovperf": {"workload": {"frames": 48}, "fingerprint": {}}, "benchmarks": [{"name": NAME, "extra_info": cell}]}
    return Baseline(path=Path("nightly.json"), data=data, cells={NAME: cell})


def test_a_plain_run_is_recorded_and_not_judged():
    record, verdict = judge(CELL, CellOutcome(current=side(100.0)), Settings(devices=("CPU",)), {"model_key": "k"},
                            "2026.4.1", test_name=NAME)
    assert verdict is None and record["fps"] == 100.0 and record["model_key"] == "k" and record["nireq"] == 2
    assert "verdict" not in record and "baseline" not in record


def test_a_slowdown_against_the_baseline_regresses_and_says_so_in_one_line():
    settings = Settings(devices=("CPU",), baseline=baseline(), inject_slowdown=0.2)
    now = side(80.0)
    outcome = CellOutcome(current=now, comparison=compare(baseline().cells[NAME]["fps_processes"], now.fps_processes))
    record, verdict = judge(CELL, outcome, settings, {}, "2026.4.1", test_name=NAME)
    assert verdict.verdict == "regressed" and record["baseline"] == "nightly"
    assert record["verdict"]["verdict"] == "regressed" and record["inject_slowdown"] == 0.2
    line = regression_message(CELL.id, verdict, settings, record)
    assert line.startswith(f"{CELL.id} regressed against nightly: ") and "INJECTED 20% slowdown" in line
    assert "\n" not in line
    assert regression_message(CELL.id, verdict, settings, record, "conv 1.00->2.00 ms").endswith(
        "; layers that grew most: conv 1.00->2.00 ms")


def test_a_cell_the_baseline_lacks_is_new():
    settings = Settings(devices=("CPU",), baseline=baseline())
    record, verdict = judge(CELL, CellOutcome(current=side(90.0)), settings, {}, "2026.4.1",
                            test_name="test_openvino[CPU-none-b1-sync]")
    assert verdict.verdict == "new" and verdict.current_fps == 90.0


def _moved(ratios):
    from ovperf.verdicts import CellVerdict

    base = [[10.0, 10.0], [10.1, 10.1], [9.9, 9.9], [10.0, 10.0]]
    return [CellVerdict(id=f"test_openvino[CPU-c{i}]", verdict="x",
                        comparison=compare(base, [[x * r for x in p] for p in base]))
            for i, r in enumerate(ratios)]


def test_cells_that_all_moved_one_way_are_named_with_the_machines_speed():
    from ovperf.verdicts import common_shift

    line = common_shift(_moved([1.36, 1.11, 1.46, 1.50, 1.12, 1.11, 1.14, 1.24]), 0.05, speed_ratio=1.12)
    assert line.startswith("all 8 cells faster, geometric mean ratio 1.2")
    assert "the machine's speed kernel ran at 1.12x its speed during the baseline" in line
    assert "slower, geometric mean ratio 0.900" in common_shift(_moved([0.9] * 4), 0.05)
    assert common_shift(_moved([1.3, 1.3, 1.3, 0.99]), 0.05) is None  # one cell the other way
    assert common_shift(_moved([1.03] * 8), 0.05) is None  # together, but within the threshold
    assert common_shift(_moved([1.3] * 3), 0.05) is None  # too few cells to say


def test_the_record_keeps_what_the_cell_cost_in_wall_time():
    record, _ = judge(CELL, CellOutcome(current=side(100.0), seconds=12.3456), Settings(devices=("CPU",)), {},
                      "2026.4.1", test_name=NAME)
    assert record["cell_seconds"] == 12.346
    record, _ = judge(CELL, CellOutcome(current=side(100.0)), Settings(devices=("CPU",)), {}, "2026.4.1",
                      test_name=NAME)
    assert "cell_seconds" not in record
