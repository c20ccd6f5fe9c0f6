"""Verdicts on FPS adjusted for the machine's speed, on simulated processes with fixed seeds.

The host's moods are simulated as they were seen on the f32 machine (report/measured.md, "The
machine's speed as a verdict input"): a mood shared by the round and the speed kernel measured around
it, for the run (drift between runs), for the process and for the round, with log
FPS following log speed at a slope of about 0.64. The kernel's own timing noise and
the round's own noise come on top.
"""
from __future__ import annotations

import sys
from collections import Counter

import numpy as np
import pytest

from ovperf.stats import REGRESSED, compare, judge, planned_sizes, speed_adjusted_logs, speed_slope
from tests.helpers import fake_worker

SLOPE = 0.64


def process(rng, drop, run_mood, rounds=2):
    """(FPS rounds, speed rounds) of one process: a mood for the process, then per round."""
    mood = run_mood + rng.normal(0, 0.06) + rng.normal(0, 0.06, rounds)
    speed = np.exp(np.log(450.0) + mood + rng.normal(0, 0.03, rounds))
    fps = np.exp(np.log(10.0 * (1 - drop)) + SLOPE * mood + rng.normal(0, 0.015, rounds))
    return list(fps), list(speed)


def side(rng, drop, runs, per_run):
    """Processes of ``runs`` runs, each run with a mood of its own (the drift between runs)."""
    fps, speed = [], []
    for _ in range(runs):
        run_mood = rng.normal(0, 0.08)
        for _ in range(per_run):
            f, s = process(rng, drop, run_mood)
            fps.append(f)
            speed.append(s)
    return fps, speed


def gate(rng, drop, adjust):
    """A stored baseline of 2 runs x 6 processes against one comparison run of 5 processes."""
    base, base_speed = side(rng, 0.0, 2, 6)
    cur, cur_speed = side(rng, drop, 1, 5)
    speeds = (base_speed, cur_speed) if adjust else None
    return judge(lambda look: (base, cur, speeds), planned_sizes(12, 5, 5, False, looks=1), lambda: 0.0,
                 max_regression=0.05, alpha=0.01)


def test_the_slope_is_found_between_the_processes_of_a_side():
    rng = np.random.default_rng(11)
    fps, speed = side(rng, 0.0, 4, 10)
    log_fps = [np.log([np.median(f) for f in fps])]
    log_speed = [np.array([np.mean(np.log(s)) for s in speed])]
    assert speed_slope(log_fps, log_speed) == pytest.approx(SLOPE, abs=0.1)


def test_a_real_difference_between_the_sides_does_not_enter_the_slope():
    rng = np.random.default_rng(12)
    a, a_speed = side(rng, 0.0, 1, 6)
    b, b_speed = side(rng, 0.0, 1, 6)
    slower = [[x * 0.8 for x in p] for p in b]
    same = speed_adjusted_logs((a, b), (a_speed, b_speed))[1]
    assert speed_adjusted_logs((a, slower), (a_speed, b_speed))[1] == pytest.approx(same)


def test_the_slope_is_clamped_to_what_a_speed_can_mean():
    flat = [np.array([0.0, 0.0])]
    assert speed_slope(flat, flat) == 0.0  # no movement: no adjustment
    assert speed_slope([np.array([0.0, -1.0])], [np.array([0.0, 0.1])]) == 0.0  # faster when slower: ignored
    assert speed_slope([np.array([0.0, 5.0])], [np.array([0.0, 1.0])]) == 1.0


def test_without_a_speed_for_every_round_the_verdict_is_on_raw_fps():
    base, cur = [[10.0, 10.1]] * 4, [[9.0, 9.1]] * 4
    assert compare(base, cur).speed_slope is None
    assert compare(base, cur, speeds=([[400.0, 410.0]] * 4, [[400.0]] * 4)).speed_slope is None
    assert compare(base, cur, speeds=([[400.0, 410.0]] * 4, [[400.0, 0.0]] * 4)).speed_slope is None
    assert compare(base, cur, speeds=([[400.0, 410.0]] * 4, [[400.0, 395.0]] * 4)).speed_slope is not None


def test_adjusted_a_a_comparisons_stay_below_one_percent():
    rng = np.random.default_rng(20261130)
    verdicts = Counter(gate(rng, 0.0, adjust=True).verdict for _ in range(500))
    assert verdicts[REGRESSED] <= 5, verdicts


def test_raw_fps_false_alarms_when_runs_drift():
    """Why the adjustment: processes of one run share its mood, so they are not exchangeable
    with the baseline's, and a test on raw FPS calls the drift a change."""
    rng = np.random.default_rng(20261130)
    verdicts = Counter(gate(rng, 0.0, adjust=False).verdict for _ in range(500))
    assert verdicts[REGRESSED] >= 25, verdicts


def test_the_adjustment_catches_what_the_moods_hide():
    """With drift between runs, raw FPS misses many 10% slowdowns; adjusted, nine in ten are caught."""
    rng = np.random.default_rng(5)
    raw = Counter(gate(rng, 0.10, adjust=False).verdict for _ in range(300))
    rng = np.random.default_rng(5)
    adjusted = Counter(gate(rng, 0.10, adjust=True).verdict for _ in range(300))
    assert adjusted[REGRESSED] >= 270, adjusted
    assert raw[REGRESSED] <= 210, raw


@pytest.mark.parametrize(("kernel", "adjusted"), [("k1", True), ("k2", False)])
def test_a_comparison_adjusts_only_against_speeds_of_the_same_kernel(tmp_path, kernel, adjusted):
    from ovperf.matrix import Cell
    from ovperf.measure import BaselineSpeed, Plan, Side, measure_cell

    plan = Plan(cell=Cell("CPU", "LATENCY", 1, "sync"), frames=10, rounds=2, warmup_rounds=0, timeout=30, load={})
    python = fake_worker(tmp_path, kernel, [400.0, 420.0])
    baseline = [[10.0, 10.5], [10.2, 10.4], [9.9, 10.3]]
    outcome = measure_cell(
        plan, Side("current", python=python), 3, baseline=baseline,
        baseline_speed=BaselineSpeed("k1", [[400.0, 430.0], [410.0, 420.0], [395.0, 425.0]]),
        max_regression=0.05, alpha=0.01, max_time=0.0,
    )
    assert outcome.current.info["speed_processes"] == [[400.0, 420.0]] * 3
    assert outcome.current.info["speed_kernel"] == kernel
    assert (outcome.comparison.speed_slope is not None) == adjusted
    assert ("speed-adjusted" in outcome.comparison.label) == adjusted



def test_the_speed_report_reads_recorded_runs(tmp_path, capsys):
    import json

    from ovperf import speed as report

    rng = np.random.default_rng(3)
    fps, speeds = side(rng, 0.0, 2, 6)
    info = {"id": "CPU-none-b1-sync", "fps_rounds": [x for p in fps for x in p],
            "fps_runs": [fps[:6], fps[6:]], "speed_runs": [speeds[:6], speeds[6:]]}
    path = tmp_path / "base.json"
    path.write_text(json.dumps({"benchmarks": [{"name": "test_openvino[CPU-none-b1-sync]", "extra_info": info}]}))
    assert report.main([str(path)]) == 0
    line = [x for x in capsys.readouterr().out.splitlines() if x.startswith("| CPU-none-b1-sync")][0]
    cells = [c.strip() for c in line.strip("|").split("|")]
    assert cells[1:3] == ["24", "12"]
    raw_sd, adjusted_sd = (float(c.rstrip("%")) for c in cells[5:7])
    assert adjusted_sd < raw_sd / 2  # the simulated moods are shared by FPS and speed


def test_the_speed_report_says_when_nothing_recorded_speeds(tmp_path, capsys):
    from ovperf import speed as report

    path = tmp_path / "old.json"
    path.write_text('{"benchmarks": [{"name": "x", "extra_info": {"fps_rounds": [1.0]}}]}')
    assert report.main([str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "recorded the machine's speed" in err
    (tmp_path / "bad.json").write_text("{")
    assert report.main([str(tmp_path / "bad.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


@pytest.mark.parametrize("adjust", [True, False])
def test_settings_choose_whether_a_comparison_is_speed_adjusted(tmp_path, monkeypatch, adjust):
    from ovperf.matrix import Cell
    from ovperf.measure import measure_configured
    from ovperf.settings import Settings

    monkeypatch.setattr(sys, "executable", str(fake_worker(tmp_path, "k1", [400.0, 420.0])))
    saved = {"fps_rounds": [10.0] * 6, "fps_runs": [[[10.0, 10.5], [10.2, 10.4], [9.9, 10.3]]],
             "speed_runs": [[[400.0, 430.0], [410.0, 420.0], [395.0, 425.0]]], "speed_kernel": "k1"}
    settings = Settings(devices=("CPU",), frames=10, rounds=2, warmup_rounds=0, processes=3, max_time=0.0,
                        speed_adjust=adjust)
    outcome = measure_configured(Cell("CPU", "LATENCY", 1, "sync"), settings, {}, saved)
    assert outcome.comparison is not None and (outcome.comparison.speed_slope is not None) == adjust
    assert measure_configured(Cell("CPU", "LATENCY", 1, "sync"), settings, {}).comparison is None


def test_the_machines_speed_now_against_the_baselines_needs_one_kernel():
    from ovperf.speed import kernel_ratio

    then = [{"speed_processes": [[300.0, 310.0], [305.0]], "speed_kernel": "k1"}, {"fps": 1.0}]
    now = [{"speed_processes": [[330.0, 336.0]], "speed_kernel": "k1"}]
    assert kernel_ratio(then, now) == pytest.approx(333.0 / 305.0)
    assert kernel_ratio(then, [{**now[0], "speed_kernel": "k2"}]) is None
    assert kernel_ratio(then, [{"fps": 1.0}]) is None


def test_a_cell_outcome_keeps_the_wall_time_of_all_its_processes(tmp_path):
    from ovperf.matrix import Cell
    from ovperf.measure import Plan, Side, measure_cell

    plan = Plan(cell=Cell("CPU", "LATENCY", 1, "sync"), frames=10, rounds=1, warmup_rounds=0, timeout=30, load={})
    ticks = iter([100.0])
    outcome = measure_cell(plan, Side("current", python=fake_worker(tmp_path, "k1", [400.0])), 2,
                           max_regression=0.05, alpha=0.01, max_time=0.0, clock=lambda: next(ticks, 112.5))
    assert outcome.seconds == 12.5 and len(outcome.current.fps_processes) == 2
