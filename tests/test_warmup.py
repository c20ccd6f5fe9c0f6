"""python -m ovperf.warmup: the first round of each process against its later rounds."""
from __future__ import annotations

import json

from ovperf import warmup


def bench(name, processes):
    return {"name": name, "extra_info": {"fps_processes": processes}}


def test_first_round_over_the_median_of_the_rest_per_process():
    ratios = warmup.first_round_ratios([bench("test_openvino[a]", [[8.0, 10.0, 12.0, 9.0], [10.0]])])
    assert ratios == {"test_openvino[a]": [0.8]}  # 8 / median(10, 12, 9); a 1-round process says nothing


def test_a_cold_first_round_is_called_slower_and_a_warm_one_is_not(tmp_path, capsys):
    cold = [bench(f"test_openvino[c{i}]", [[7.0 + 0.1 * i, 10.0, 10.2], [7.5, 10.1, 9.9]]) for i in range(4)]
    path = tmp_path / "cold.json"
    path.write_text(json.dumps({"benchmarks": cold}))
    assert warmup.main([str(path)]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert last.startswith("all 8 processes: median 0.7") and "8 first rounds over 5% slower" in last
    assert float(last.split("p(first round slower) = ")[1].split()[0]) < 0.01

    mixed = warmup.report(warmup.first_round_ratios(
        [bench("test_openvino[w]", [[10.5, 10.0], [9.6, 10.0], [10.3, 10.0], [9.8, 10.0], [10.1, 10.0], [9.9, 10.0]])]))
    assert float(mixed[-1].split("p(first round slower) = ")[1].split()[0]) > 0.1


def test_a_file_that_is_not_benchmark_json_is_one_line(tmp_path, capsys):
    path = tmp_path / "x.json"
    path.write_text("[1]")
    assert warmup.main([str(path)]) == 2
    assert "not a --benchmark-json file" in capsys.readouterr().err
