"""python -m ovperf.power: the catch rate read from comparison runs' JSON, as a Markdown table."""
from __future__ import annotations

import json

from ovperf import power


def run(inject, *verdicts):
    return {"benchmarks": [{"name": f"c{i}", "extra_info": {"inject_slowdown": inject,
                                                            "verdict": {"verdict": v, "ratio": 0.9}}}
                           for i, v in enumerate(verdicts)]}


def test_the_table_counts_each_injected_slowdown_and_the_line_says_the_catch_rate(tmp_path, capsys):
    files = []
    for i, data in enumerate([run(0.0, "unchanged", "regressed", "slower"), run(0.05, "regressed", "slower"),
                              run(0.05, "regressed", "inconclusive"), {"benchmarks": [{"name": "torch"}]}]):
        files.append(tmp_path / f"r{i}.json")
        files[-1].write_text(json.dumps(data))
    assert power.main([str(f) for f in files]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:4] == [
        "| injected slowdown | cells | regressed | regressed or slower (CI excludes 1) | verdicts |",
        "| ---: | ---: | ---: | ---: | --- |",
        "| 0% | 3 | 1 (33%) | 2 (67%) | unchanged 1, regressed 1, slower 1 |",
        "| 5% | 4 | 2 (50%) | 3 (75%) | regressed 2, slower 1, inconclusive 1 |",
    ]
    assert out[4] == ("ratios by injected slowdown: 0% 0.900-0.900 (geometric mean 0.900, 3 cells); "
                      "5% 0.900-0.900 (geometric mean 0.900, 4 cells)")
    assert out[-4] == "on this machine this gate catches 5% slowdowns in 50% of cells (2/4), with 1 false alarms in 3 unchanged cells"
    assert out[-3] == "runs whose cells all moved one way beyond the threshold (geometric mean ratio): 0 of 4"
    assert out[-2] == "runs whose matrix as a whole read regressed: 0 of 0 judged as a whole"
    assert out[-1] == "time a cell: not recorded in these files (runs older than cell_seconds)"


def test_runs_whose_matrix_as_a_whole_read_regressed_are_named(tmp_path, capsys):
    """The gate fails a run on its matrix as a whole when no cell regressed: the line names
    those runs from the JSON's ``ovperf.matrix_verdict``, with their injected slowdown."""
    files = {"aa.json": {**run(0.0, "unstable"), "ovperf": {"matrix_verdict": {"verdict": "regressed", "ratio": 0.964}}},
             "ten.json": {**run(0.1, "regressed"), "ovperf": {"matrix_verdict": {"verdict": "regressed", "ratio": 0.9}}},
             "same.json": {**run(0.0, "unstable"), "ovperf": {"matrix_verdict": {"verdict": "inconclusive", "ratio": 1.0}}},
             "old.json": run(0.0, "unchanged")}
    for name, data in files.items():
        (tmp_path / name).write_text(json.dumps(data))
    assert power.main([str(tmp_path / name) for name in files]) == 0
    assert capsys.readouterr().out.splitlines()[-2] == (
        "runs whose matrix as a whole read regressed: 2 of 3 judged as a whole: aa.json (0% injected, 0.964), "
        "ten.json (10% injected, 0.900)")


def test_runs_whose_cells_all_moved_one_way_are_named(tmp_path, capsys):
    """As a comparison's NOTE names them: four cells or more, all on one side of 1, and a
    geometric mean beyond the threshold (here the run's own, 5%)."""
    def cells(*ratios):
        return {"benchmarks": [{"name": f"c{i}", "extra_info": {"verdict": {"verdict": "unstable", "ratio": r,
                                                                              "threshold": 0.05}}}
                               for i, r in enumerate(ratios)]}

    files = {"moved.json": cells(1.3, 1.1, 1.2, 1.15), "mixed.json": cells(1.3, 1.3, 1.3, 0.99),
             "small.json": cells(1.02, 1.03, 1.01, 1.04)}
    for name, data in files.items():
        (tmp_path / name).write_text(json.dumps(data))
    assert power.main([str(tmp_path / name) for name in files]) == 0
    last = capsys.readouterr().out.splitlines()[-3]
    assert last == "runs whose cells all moved one way beyond the threshold (geometric mean ratio): 1 of 3: moved.json 1.185"


def test_files_with_no_judged_cell_are_one_line(tmp_path, capsys):
    plain = tmp_path / "plain.json"
    plain.write_text(json.dumps({"benchmarks": [{"name": "x", "extra_info": {"fps": 1.0}}]}))
    assert power.main([str(plain)]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_against_a_baseline_each_cell_is_rejudged_raw_and_speed_adjusted(tmp_path, capsys):
    """The same processes judged twice: here the current run's machine ran 20% slow, and its
    speed says so, so raw FPS reads a regression that the adjusted FPS does not."""
    base_fps = [[10.0 * f, 10.1 * f] for f in (1.0, 1.02, 0.98, 1.01, 0.99, 1.0)]
    base_speed = [[400.0 * f, 404.0 * f] for f in (1.0, 1.02, 0.98, 1.01, 0.99, 1.0)]
    baseline = {"benchmarks": [{"name": "c", "extra_info": {
        "fps_rounds": [x for p in base_fps for x in p], "fps_runs": [base_fps], "speed_runs": [base_speed]}}]}
    slow = (1.0, 1.01, 0.99, 1.0, 1.02)
    current = {"benchmarks": [{"name": "c", "extra_info": {
        "fps_processes": [[8.0 * f, 8.1 * f] for f in slow], "speed_processes": [[320.0 * f, 323.0 * f] for f in slow],
        "verdict": {"verdict": "regressed", "ratio": 0.8, "confidence": 0.98, "threshold": 0.05}}}]}
    paths = [tmp_path / "base.json", tmp_path / "run.json"]
    for path, data in zip(paths, (baseline, current)):
        path.write_text(json.dumps(data))
    assert power.main(["--against", str(paths[0]), str(paths[1])]) == 0
    out = capsys.readouterr().out.splitlines()
    row = [c.strip() for c in out[2].strip("|").split("|")]
    assert row[:5] == ["0%", "1", "1 (100%)", "0 (0%)", "0 (0%)"]
    assert out[-1].startswith("ratio against the truth (1 - injected slowdown), RMS of the log over 1 cells: raw 0.2")


def test_against_a_baseline_without_speeds_is_one_line(tmp_path, capsys):
    baseline = tmp_path / "base.json"
    baseline.write_text(json.dumps({"benchmarks": [{"name": "c", "extra_info": {"fps_rounds": [1.0]}}]}))
    current = tmp_path / "run.json"
    current.write_text(json.dumps(run(0.0, "unchanged")))
    assert power.main(["--against", str(baseline), str(current)]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def ab_run(rng, pairs, rounds, sigma_round, sigma_process, slowdown=0.0, cell_seconds=None, cell="CPU-none-b1-sync",
           frames=48):
    """An A/B run's JSON whose log round FPS is process + round noise, with B slowed by ``slowdown``."""
    import numpy as np

    def side(shift):
        return [list(np.exp(4 + shift + rng.normal(0, sigma_process) + rng.normal(0, sigma_round, rounds)))
                for _ in range(pairs)]

    info = {"id": cell, "frames": frames, "fps_processes": side(0.0), "round_seconds": [[1.0] * rounds] * pairs,
            "ab": {"fps_processes": side(np.log(1 - slowdown)), "round_seconds": [[1.0] * rounds] * pairs}}
    if cell_seconds is not None:
        info["cell_seconds"] = cell_seconds
    return {"benchmarks": [{"name": f"test_openvino[{cell}]", "extra_info": info}]}


def test_the_noise_is_split_into_rounds_and_processes_as_it_was_made():
    import numpy as np

    from ovperf.levels import decompose

    rng = np.random.default_rng(1)
    runs = [ab_run(rng, 50, 4, 0.06, 0.03, slowdown=0.1 * (k % 2)) for k in range(8)]
    runs += [ab_run(rng, 50, 1, 0.06, 0.0) for _ in range(8)]
    four, one = sorted(decompose(runs), key=lambda c: -c.rounds)
    assert (four.rounds, four.runs, four.pairs) == (4, 8, 400) and (one.rounds, one.pairs) == (1, 400)
    assert abs(four.sigma_round - 0.06) < 0.006 and abs(four.sigma_process - 0.03) < 0.008
    # The injected slowdown shifts every pair of its runs alike, so it adds nothing to the pair SD.
    assert abs(four.pair_sd - four.predicted_pair_sd) < 0.01 and abs(four.pair_sd - np.sqrt(2 * (0.03**2 + 0.06**2 / 4))) < 0.008
    assert abs(one.pair_sd - 0.06 * np.sqrt(2)) < 0.01


def test_what_time_buys_comes_from_the_cells_wall_time():
    import math

    import numpy as np

    from ovperf.levels import CellNoise, decompose

    rng = np.random.default_rng(2)
    # 20 s a pair of 2 rounds of 1 s a side: 16 s of overhead a pair.
    timed = decompose([ab_run(rng, 40, 2, 0.06, 0.03, cell_seconds=800.0) for _ in range(6)])[0]
    assert timed.pair_seconds == 20.0 and timed.overhead == 16.0
    assert math.isclose(timed.sd_in(600.0), timed.pair_sd * math.sqrt(20 / 600))
    r = math.sqrt(timed.sigma_round**2 * 16 / (2 * timed.sigma_process**2 * 1.0))
    assert math.isclose(timed.best_rounds(), r) and 1 < r < 6
    # The plan for a 5% slowdown at alpha 0.01 with 90% power: (z 0.995 + z 0.9)^2 (SD / log 1.0526)^2 pairs.
    assert CellNoise("c", 2, 1, 8, 0.05, 0.0, 0.075, 1.0, None).pairs_needed() == 32
    assert CellNoise("c", 2, 1, 8, 0.05, 0.0, 0.15, 1.0, None).pairs_needed() == 128
    untimed = decompose([ab_run(rng, 10, 2, 0.06, 0.0)])[0]
    assert untimed.pair_seconds is None and untimed.best_rounds() is None and untimed.sd_in(600.0) is None


def test_noise_prints_one_row_per_cell_and_design_and_refuses_runs_without_ab(tmp_path, capsys):
    import numpy as np

    rng = np.random.default_rng(3)
    files = []
    for k, data in enumerate([ab_run(rng, 8, 2, 0.05, 0.0, cell_seconds=160.0),
                              ab_run(rng, 8, 6, 0.05, 0.0, cell_seconds=400.0, cell="CPU-THROUGHPUT-b1-async"),
                              ab_run(rng, 8, 6, 0.05, 0.0, cell_seconds=200.0, cell="CPU-THROUGHPUT-b1-async", frames=16)]):
        files.append(tmp_path / f"run-{k}.json")
        files[-1].write_text(json.dumps(data))
    assert power.main(["--noise", *map(str, files)]) == 0
    rows = [line.split(" | ") for line in capsys.readouterr().out.splitlines()[2:]]
    # A design is rounds a process and frames a round: 6 x 16 and 6 x 48 are two rows.
    assert [tuple(c.strip("| ") for c in r[:3]) for r in rows] == [
        ("CPU-THROUGHPUT-b1-async", "6", "16"), ("CPU-THROUGHPUT-b1-async", "6", "48"), ("CPU-none-b1-sync", "2", "48"),
        ("all cells", "2", "48"), ("all cells", "6", "16"), ("all cells", "6", "48")]
    assert [r[9] for r in rows[:3]] == ["25.0", "50.0", "20.0"]
    plain = tmp_path / "plain.json"
    plain.write_text(json.dumps(run(0.0, "unchanged")))
    assert power.main(["--noise", str(plain)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("python -m ovperf.power: --noise needs interleaved A/B runs") and err.count("\n") == 1


def test_rejudge_reads_each_ab_cell_again_from_its_pairs(tmp_path, capsys):
    """Runs whose stored verdicts are stale: --rejudge ignores them and judges the pairs."""
    import numpy as np

    rng = np.random.default_rng(5)
    files = []
    for k, slowdown in enumerate((0.0, 0.12, 0.12)):
        data = ab_run(rng, 10, 2, 0.01, 0.005, slowdown=slowdown)
        info = data["benchmarks"][0]["extra_info"]
        info["inject_slowdown"] = slowdown or None
        info["ab"].update(verdict="unchanged", ratio=1.0, confidence=0.98, threshold=0.05)
        files.append(tmp_path / f"run-{k}.json")
        files[-1].write_text(json.dumps(data))
    assert power.main([str(f) for f in files]) == 0
    assert "| 12% | 2 | 0 (0%) |" in capsys.readouterr().out
    assert power.main(["--rejudge", *map(str, files)]) == 0
    out = capsys.readouterr().out
    assert "| 12% | 2 | 2 (100%) | 2 (100%) | regressed 2 |" in out and "| 0% | 1 | 0 (0%) |" in out


def test_the_time_line_says_what_a_cell_cost(tmp_path, capsys):
    runs = []
    for k, seconds in enumerate((30.0, 40.0, 110.0)):
        data = run(0.0, "unchanged")
        data["benchmarks"][0]["extra_info"]["cell_seconds"] = seconds
        runs.append(tmp_path / f"r{k}.json")
        runs[-1].write_text(json.dumps(data))
    assert power.main([str(f) for f in runs]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "time a cell: mean 60 s, median 40 s, 30-110 s over 3 cells"


def test_cells_left_unjudged_in_a_slow_period_are_counted_apart(tmp_path, capsys):
    data = run(0.0, "unchanged", "inconclusive", "inconclusive")
    data["benchmarks"][2]["extra_info"]["verdict"]["unjudged"] = True
    (tmp_path / "aa.json").write_text(json.dumps(data))
    assert power.main([str(tmp_path / "aa.json")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[2] == "| 0% | 3 | 0 (0%) | 0 (0%) | unchanged 1, inconclusive 1, not judged (slow period) 1 |"
    assert out[-4] == ("on this machine this gate catches no injected run given, with 0 false alarms in 3 unchanged "
                       "cells; cells left unjudged in a slow period: 1 of 3 unchanged")


def test_the_ratios_line_gives_each_injections_range_and_geometric_mean(tmp_path, capsys):
    files = []
    for k, (inject, ratios) in enumerate([(0.0, (0.98, 1.02)), (0.03, (0.96, 0.97)), (0.03, (0.98,))]):
        data = run(inject, *["slower"] * len(ratios))
        for bench, ratio in zip(data["benchmarks"], ratios):
            bench["extra_info"]["verdict"]["ratio"] = ratio
        files.append(tmp_path / f"r{k}.json")
        files[-1].write_text(json.dumps(data))
    assert power.main([str(f) for f in files]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("ratios"))
    assert line == ("ratios by injected slowdown: 0% 0.980-1.020 (geometric mean 1.000, 2 cells); "
                    "3% 0.960-0.980 (geometric mean 0.970, 3 cells)")


def test_looks_tells_where_cells_ended_and_what_their_leaning_first_looks_read(tmp_path, capsys):
    """Two 3% cells: one whose first 8 pairs read unchanged while leaning (p 0.027) and that
    went on to read slower at look 2, one whose first look settled it; then a file without A/B."""
    import math

    first = [-0.03, -0.02, -0.025, -0.01, 0.012, -0.02, 0.005, -0.015]
    steady = [-0.03, -0.025, -0.02, -0.028, -0.022, -0.03, -0.026, -0.024]
    clear = [-0.001, 0.002, -0.003, 0.001, 0.0, 0.002, -0.002, 0.001]

    def cell(name, diffs, look, verdict, confidence):
        return {"name": f"test_openvino[{name}]", "extra_info": {
            "id": name, "inject_slowdown": 0.03, "fps_processes": [[100.0]] * len(diffs),
            "ab": {"fps_processes": [[100 * math.exp(d)] for d in diffs], "verdict": verdict, "look": look,
                   "n_current": len(diffs), "confidence": confidence, "threshold": 0.05}}}

    path = tmp_path / "run.json"
    path.write_text(json.dumps({"benchmarks": [cell("leaning", first + steady, 2, "slower", 0.99),
                                               cell("settled", clear, 1, "unchanged", 1 - 2 * 2 / 256)]}))
    assert power.main(["--looks", str(path)]) == 0
    out = capsys.readouterr().out
    assert "| 3% | 2 | 1 / 1 / 0 / 0 | 2 | 1 | 0.027-0.027 | slower 1 |" in out, out
    plain = tmp_path / "plain.json"
    plain.write_text(json.dumps(run(0.0, "unchanged")))
    assert power.main(["--looks", str(plain)]) == 2
    assert "--looks needs interleaved A/B runs" in capsys.readouterr().err


def test_stored_baseline_runs_set_the_rate_their_drift_predicts_beside_the_one_they_gave(tmp_path, capsys):
    """The drift each verdict's interval held predicts its look's catch rate (ovperf.stats.catch_chance):
    a baseline drifting 2.9% can catch little of a 5% slowdown, whatever the rule after it."""
    from ovperf.stats import RunDrift, catch_chance

    def cell(inject, verdict, sd):
        judged = {"verdict": verdict, "ratio": 0.95, "unit": "run", "baseline_runs": 3, "confidence": 0.98,
                  "floor_confidence": 0.95, "threshold": 0.05,
                  "run_drift": {"sd": sd, "df": 16, "cells": 8, "runs": 3, "source": "baseline", "statistic": "best"}}
        return {"name": "c", "extra_info": {"inject_slowdown": inject, "verdict": judged}}

    files = []
    for i, cells in enumerate([[cell(0.05, "regressed", 0.029), cell(0.05, "inconclusive", 0.029)],
                               [cell(0.0, "unchanged", 0.029)]]):
        files.append(tmp_path / f"r{i}.json")
        files[-1].write_text(json.dumps({"benchmarks": cells}))
    assert power.main([str(f) for f in files]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("regressed as the baselines' drift"))
    five = catch_chance(RunDrift(0.029**2, 16), 3, 0.05)
    assert 0.1 < five < 0.3
    assert line.endswith(f"0% injected 1%, these runs 0 of 1 (0%); 5% injected {five:.0%}, these runs 1 of 2 (50%)")
    assert power.drift_predicts([{"benchmarks": [{"name": "c", "extra_info": {"verdict": {"verdict": "regressed"}}}]}]) is None
    # a look of fewer processes than the baseline's runs was judged with what it spreads beyond
    # them (looser_sd): the prediction counts it too, and so predicts fewer catches
    smaller = cell(0.05, "inconclusive", 0.029)
    smaller["extra_info"]["verdict"]["looser_sd"] = 0.013
    line = power.drift_predicts([{"benchmarks": [smaller]}])
    wider = catch_chance(RunDrift(0.029**2, 16), 3, 0.05, looser=0.013**2)
    assert wider < five
    assert line.endswith(f"5% injected {wider:.0%}, these runs 0 of 1 (0%)"), line


def test_how_stored_baseline_runs_moved_is_split_into_the_whole_runs_move_and_each_cells_own(tmp_path, capsys):
    """The runs x cells table of log ratios, the injection taken out, taken apart as a run's drift is:
    each cell's own part caps what any rule judging one run of a cell can catch (catch_chance at it)."""
    import math

    import numpy as np

    from ovperf.stats import RunDrift, catch_chance

    rng = np.random.default_rng(5)
    runs_, cells_ = 12, 8
    logs = rng.normal(0.04, 0.03, (runs_, 1)) + rng.normal(0.0, 0.01, (1, cells_)) + rng.normal(0.0, 0.02, (runs_, cells_))
    injects = [0.0, 0.05, 0.10] * 4

    def cell(k, inject, log_ratio):
        judged = {"verdict": "inconclusive", "ratio": math.exp(log_ratio) * (1 - inject), "unit": "run",
                  "baseline_runs": 3, "confidence": 0.98, "floor_confidence": 0.95, "threshold": 0.05,
                  "run_drift": {"sd": 0.03, "df": 16, "cells": 8, "runs": 3, "source": "baseline", "statistic": "best"}}
        return {"name": f"c{k}", "extra_info": {"id": f"c{k}", "inject_slowdown": inject, "verdict": judged}}

    files = []
    for r in range(runs_):
        files.append(tmp_path / f"r{r}.json")
        files[-1].write_text(json.dumps({"benchmarks": [cell(k, injects[r], logs[r, k]) for k in range(cells_)]}))
    assert power.main([str(f) for f in files]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("how these runs moved"))

    resid = logs - logs.mean(axis=1, keepdims=True) - logs.mean(axis=0, keepdims=True) + logs.mean()
    own = (resid**2).sum() / ((runs_ - 1) * (cells_ - 1))
    common = (cells_ * logs.mean(axis=1).var(ddof=1) - own) / cells_
    assert f"12 runs x 8 cells): as a whole {math.expm1(logs.mean()):+.1%} on average" in line
    assert f"{math.sqrt(common):.1%} from run to run; each cell on its own {math.sqrt(own):.1%}" in line
    caps = [catch_chance(RunDrift(own, 16), 3, slowdown) for slowdown in (0.10, 0.05)]
    assert caps[0] > caps[1]
    assert line.endswith(f"one run catches 10% in at most {caps[0]:.0%}, 5% in at most {caps[1]:.0%} of the cells")
    # one run, or verdicts that did not take the run as the unit, cannot be taken apart
    one = json.loads(files[0].read_text())
    assert power.moves([one]) is None
    for bench in one["benchmarks"]:
        bench["extra_info"]["verdict"]["unit"] = "process"
    assert power.moves([one, one]) is None


def test_cells_judged_at_the_baselines_machine_speed_are_counted_with_their_factors(tmp_path, capsys):
    data = run(0.0, "unchanged", "unchanged", "unchanged")
    for info, factor in zip((b["extra_info"] for b in data["benchmarks"]), (0.97, 0.99, None)):
        if factor is not None:
            info["machine_factor"] = factor
    (tmp_path / "aa.json").write_text(json.dumps(data))
    assert power.main([str(tmp_path / "aa.json")]) == 0
    assert ("judged at the baseline's machine speed by the units kernel (--ov-machine-adjust): 2 of 3 cells, their "
            "FPS counted x0.970-x0.990 (median x0.980); the ratios and moves above are of FPS so read"
            in capsys.readouterr().out.splitlines())
    (tmp_path / "aa.json").write_text(json.dumps(run(0.0, "unchanged")))
    assert power.main([str(tmp_path / "aa.json")]) == 0
    assert "machine speed" not in capsys.readouterr().out
