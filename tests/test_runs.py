"""The run as the unit of a stored-baseline verdict, on simulated runs with fixed seeds.

On the f32 machine the processes of one run share its mood: a whole run of a cell ran
9-14% slower an hour after its baseline was saved, and the process-level test failed
unchanged code in 6 of 48 cells (README, "Regression verdicts on the f32 machine"). A
baseline of several runs holds that drift; the run-level test puts it in the interval.
"""
from __future__ import annotations

import json
import sys
from collections import Counter

import numpy as np
import pytest

from ovperf.stats import (
    REGRESSED, UNSTABLE, RunDrift, compare, judge, planned_sizes, run_drift,
)

ROUND_CV = 0.019
MODES = 1.17
PROCESSES, LOOK = 6, 5


def process(rng, level, bimodal):
    level *= MODES if bimodal and rng.random() < 0.5 else 1.0
    return list(rng.normal(level, level * ROUND_CV, 2))


def a_run(rng, fps, drift_sd, process_sd, bimodal, n=PROCESSES):
    """One run: the machine's mood for the run, then each process's own."""
    mood = fps * np.exp(rng.normal(0.0, drift_sd))
    return [process(rng, mood * np.exp(rng.normal(0.0, process_sd)), bimodal) for _ in range(n)]


def nightly(rng, drop, runs, drift_sd, process_sd=0.0, bimodal=False, cells=8, by_run=True):
    """A baseline of ``runs`` runs of ``cells`` cells, then one comparison run of every cell
    (looks of LOOK processes), as the suite makes them; the verdicts."""
    baseline = [[a_run(rng, 100.0, drift_sd, process_sd, bimodal) for _ in range(runs)] for _ in range(cells)]
    drift = run_drift(baseline)
    out = []
    for cell in baseline:
        flat = [p for run in cell for p in run]
        mood = 100.0 * (1 - drop) * np.exp(rng.normal(0.0, drift_sd))
        current: list = []

        def sample(look):
            current.extend(process(rng, mood * np.exp(rng.normal(0.0, process_sd)), bimodal) for _ in range(LOOK))
            return flat, current

        sizes = planned_sizes(len(flat), LOOK, LOOK, grows_baseline=False)
        out.append(judge(sample, sizes, lambda: 1.0, max_regression=0.05, alpha=0.01,
                         baseline_runs=[PROCESSES] * runs if by_run else None, drift=drift if by_run else None))
    return out


def verdicts(seed, trials, **kw):
    rng = np.random.default_rng(seed)
    return Counter(c.verdict for _ in range(trials) for c in nightly(rng, **kw))


def test_the_process_unit_false_alarms_when_runs_drift():
    """Why: runs drifting 6% (about the f32 machine's) and the process as the unit."""
    seen = verdicts(11, 63, drop=0.0, runs=3, drift_sd=0.06, process_sd=0.05, by_run=False)
    assert seen[REGRESSED] >= 25, seen  # at least 5% of 504


@pytest.mark.parametrize(("runs", "bimodal"), [(2, False), (3, True)])
def test_the_run_unit_keeps_a_a_below_one_percent_when_runs_drift(runs, bimodal):
    """1008 comparisons (126 nights of 8 cells). The cells of one night share the drift's
    estimate, so false alarms come in clusters: hence more comparisons than the issue's 500."""
    seen = verdicts(12 + runs, 126, drop=0.0, runs=runs, drift_sd=0.06, process_sd=0.05, bimodal=bimodal)
    assert seen[REGRESSED] <= 10, seen  # 1% of 1008


def test_the_run_unit_catches_ten_percent_where_runs_agree():
    """A machine whose runs drift 1% and whose processes spread 3%: the run unit loses
    little against a baseline of three runs."""
    seen = verdicts(21, 63, drop=0.10, runs=3, drift_sd=0.01, process_sd=0.03)
    assert seen[REGRESSED] >= 454, seen  # 90% of 504


def test_a_drift_too_large_to_decide_says_so_and_stops_looking():
    rng = np.random.default_rng(3)
    cells = nightly(rng, 0.0, 2, drift_sd=0.08, process_sd=0.05)
    undecided = [c for c in cells if c.verdict == UNSTABLE]
    assert undecided, [c.verdict for c in cells]
    for c in undecided:
        assert c.unit == "run" and c.look == 1, (c.unit, c.look)
        assert "runs drift" in c.label and "against 2 baseline runs one run shows only changes beyond" in c.label
        assert "2 baseline runs drifting" in c.describe()
        assert c.as_dict()["run_drift"]["df"] == c.drift.df


def test_run_drift_recovers_the_between_run_variance():
    rng = np.random.default_rng(8)
    cells = [[a_run(rng, 50.0, 0.05, 0.02, False, n=8) for _ in range(4)] for _ in range(40)]
    drift = run_drift(cells)
    assert drift.df == 40 * 3 and drift.cells == 40 and drift.runs == 4
    assert 0.04 < drift.sd < 0.06, drift.sd
    quiet = run_drift([[a_run(rng, 50.0, 0.0, 0.02, False, n=8) for _ in range(4)] for _ in range(40)])
    assert quiet.sd < 0.01, quiet.sd


def test_one_run_has_no_drift_and_keeps_the_process_unit_unless_a_history_gives_one():
    rng = np.random.default_rng(2)
    assert run_drift([[a_run(rng, 50.0, 0.05, 0.02, False)] for _ in range(3)]) is None
    base = [p for run in [a_run(rng, 50.0, 0.0, 0.02, False)] for p in run]
    assert compare(base, base[:4], baseline_runs=[6], drift=None).unit == "process"
    # a drift from elsewhere (the history's runs): one run against one, the drift in the interval
    c = compare(base, base[:4], baseline_runs=[6], drift=RunDrift(0.05**2, 30, cells=8, runs=5, source="history"))
    assert c.unit == "run" and c.ci_low < 0.9 and c.ci_high > 1.1
    assert "runs drift 5% in the history" in c.label and "the history)" in c.describe()


def test_the_runs_must_add_up_to_the_baseline():
    with pytest.raises(ValueError, match="do not add up to 4"):
        compare([[1.0]] * 4, [[1.0]] * 3, baseline_runs=[2, 1], drift=RunDrift(0.01, 4))


def test_the_current_side_may_hold_runs_too():
    rng = np.random.default_rng(5)
    base = [p for _ in range(2) for p in a_run(rng, 50.0, 0.08, 0.01, False, n=4)]
    cur = [p for _ in range(3) for p in a_run(rng, 50.0, 0.08, 0.01, False, n=4)]
    c = compare(base, cur, baseline_runs=[4, 4], current_runs=[4, 4, 4], drift=RunDrift(0.08**2, 8))
    assert c.unit == "run" and c.as_dict()["current_runs"] == 3
    assert "2 baseline runs and 3 current runs drifting 8.0%" in c.describe()
    # One run a side still takes the run unit when the other side has several.
    assert compare(base[:4], cur, current_runs=[4, 4, 4], drift=RunDrift(0.08**2, 8)).unit == "run"
    with pytest.raises(ValueError, match="current runs of \\[4, 4\\] processes do not add up to 12"):
        compare(base, cur, baseline_runs=[4, 4], current_runs=[4, 4], drift=RunDrift(0.01, 4))


def test_a_baseline_file_pools_the_drift_over_its_cells(tmp_path):
    from ovperf.baseline import Baseline, cell_runs

    two = {"fps_runs": [[[10.0, 10.1], [10.2, 10.0]], [[11.0, 11.1], [11.2, 11.3]]]}
    one = {"fps_runs": [[[5.0, 5.1], [5.2, 5.0]]]}
    schema1 = {"fps_runs": [[7.0, 7.1], [7.5, 7.4]]}
    assert cell_runs(schema1) == [[[7.0, 7.1]], [[7.5, 7.4]]]
    baseline = Baseline(tmp_path / "b.json", {}, {"a": two, "b": one, "c": schema1})
    assert baseline.drift.df == 2 and baseline.drift.cells == 2 and baseline.drift.sd > 0.05
    assert Baseline(tmp_path / "b.json", {}, {"b": one}).drift is None


def test_settings_with_a_baseline_of_two_runs_judge_by_run(tmp_path, monkeypatch):
    """measure_configured hands the saved cell's runs and the baseline's drift to the verdict."""
    from ovperf.baseline import Baseline
    from ovperf.matrix import Cell
    from ovperf.measure import measure_configured
    from ovperf.settings import Settings
    from tests.helpers import fake_worker

    monkeypatch.setattr(sys, "executable", str(fake_worker(tmp_path, "k1", [400.0])))
    saved = {"fps_runs": [[[10.0, 10.1], [9.9, 10.0], [10.1, 10.2]], [[11.0, 11.1], [10.9, 11.2], [11.1, 11.0]]]}
    name = "test_openvino[CPU-LATENCY-b1-sync]"
    settings = Settings(devices=("CPU",), frames=10, rounds=2, warmup_rounds=0, processes=3, max_time=0.0,
                        baseline=Baseline(tmp_path / "b.json", {}, {name: saved}))
    comparison = measure_configured(Cell("CPU", "LATENCY", 1, "sync"), settings, {}, saved).comparison
    assert comparison.unit == "run" and comparison.baseline_runs == 2 and comparison.n_baseline == 6


def test_power_re_judges_real_runs_by_run(tmp_path, capsys):
    """``python -m ovperf.power --by-run``: the same files, the run unit's verdicts."""
    from ovperf.power import main

    rng = np.random.default_rng(4)
    runs = [a_run(rng, 50.0, 0.0, 0.01, False) for _ in range(3)]
    name = "test_openvino[CPU-LATENCY-b1-sync]"
    (tmp_path / "base.json").write_text(json.dumps({"benchmarks": [{"name": name, "extra_info": {"fps_runs": runs}}]}))
    judged = {"verdict": "regressed", "confidence": 0.98, "threshold": 0.05}
    for kind, drop in (("aa", 0.0), ("20", 0.2)):
        info = {"fps_processes": a_run(rng, 50.0 * (1 - drop), 0.0, 0.01, False, n=5),
                "inject_slowdown": drop, "verdict": judged}
        (tmp_path / f"cmp-{kind}.json").write_text(json.dumps({"benchmarks": [{"name": name, "extra_info": info}]}))
    assert main(["--by-run", str(tmp_path / "base.json"), *map(str, sorted(tmp_path.glob("cmp-*.json")))]) == 0
    out = capsys.readouterr().out
    assert "| 20% | 1 | 1 (100%) |" in out and "| 0% | 1 | 0 (0%) |" in out, out
    assert "log ratio against the truth (1 - injected slowdown) over 2 cells: RMS " in out, out
    assert "standard error each unit claimed, median: run 0." in out and "(drift between runs 0.0%, pooled over 1 cells" in out, out
    with pytest.raises(SystemExit):
        main(["--by-run", str(tmp_path / "base.json"), "--against", str(tmp_path / "base.json"),
              str(tmp_path / "cmp-aa.json")])
    assert "give one of --against, --by-run, --noise and --rejudge" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--noise", "--by-run", str(tmp_path / "base.json"), str(tmp_path / "cmp-aa.json")])
    assert "give one of --against, --by-run, --noise and --rejudge" in capsys.readouterr().err


def test_power_by_run_takes_a_one_run_baselines_drift_from_the_history(tmp_path, capsys):
    """``--by-run BASE --history URL``: a baseline of one run is judged with the run as the unit,
    the drift from the history's runs of the baseline's machine; an empty history is one line."""
    from ovperf import history as h
    from ovperf.power import main
    from tests.history_data import bench_json

    rng = np.random.default_rng(5)
    name = "test_openvino[CPU-LATENCY-b1-sync]"
    machine = {"cpu_model": "AMD EPYC", "logical_cores": 2}
    base = {"benchmarks": [{"name": name, "extra_info": {"fps_runs": [a_run(rng, 50.0, 0.0, 0.01, False)]}}],
            "ovperf": {"fingerprint": {"machine": machine}, "workload": {"frames": 48}}}
    (tmp_path / "base.json").write_text(json.dumps(base))
    info = {"fps_processes": a_run(rng, 50.0, 0.0, 0.01, False, n=5), "inject_slowdown": 0.0,
            "verdict": {"verdict": "unchanged", "confidence": 0.98, "threshold": 0.05}}
    (tmp_path / "cmp.json").write_text(json.dumps({"benchmarks": [{"name": name, "extra_info": info}]}))
    url = str(tmp_path / "history.sqlite")
    args = ["--by-run", str(tmp_path / "base.json"), "--history", url, str(tmp_path / "cmp.json")]
    assert main(args) == 2
    assert capsys.readouterr().err.strip() == (f"python -m ovperf.power: --history {url} holds no two runs of "
                                               "these cells on this machine")
    store = h.open_store(url)
    for day in range(1, 5):
        level = 50.0 * np.exp(rng.normal(0, 0.06))
        store.append(*h.run_from_json(bench_json({name: [[level, level]] * 3}, when=f"2026-11-{day:02d}T00:00:00",
                                                 **machine), kind="run", options={"frames": 48}))
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "pooled over 1 cells, 3 df, from the history's runs of this machine)" in out, out
    assert "| 0% | 1 | 0 (0%) |" in out, out
    with pytest.raises(SystemExit):
        main(["--history", url, str(tmp_path / "cmp.json")])
    assert "--history goes with --by-run" in capsys.readouterr().err
