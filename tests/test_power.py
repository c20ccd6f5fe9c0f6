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
    assert out[-1] == "on this machine this gate catches 5% slowdowns in 50% of cells (2/4), with 1 false alarms in 3 unchanged cells"


def test_files_with_no_judged_cell_are_one_line(tmp_path, capsys):
    plain = tmp_path / "plain.json"
    plain.write_text(json.dumps({"benchmarks": [{"name": "x", "extra_info": {"fps": 1.0}}]}))
    assert power.main([str(plain)]) == 2
    assert capsys.readouterr().err.count("\n") == 1
