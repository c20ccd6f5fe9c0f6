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
    assert out[-2] == "on this machine this gate catches 5% slowdowns in 50% of cells (2/4), with 1 false alarms in 3 unchanged cells"
    assert out[-1] == "runs whose cells all moved one way beyond the threshold (geometric mean ratio): 0 of 4"


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
    last = capsys.readouterr().out.splitlines()[-1]
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
