"""A run's first looks measured in passes over its cells (``ovperf.measure.Spread``)."""
from __future__ import annotations

import json
import sys

import pytest

from ovperf.client import WorkerError
from ovperf.matrix import Cell
from ovperf.measure import CompileFailed, Plan, Side, Spread, measure_cell, spread_of
from ovperf.settings import SettingsError, make_settings

CELLS = [Cell("CPU", "none", 1, "sync"), Cell("CPU", "THROUGHPUT", 1, "async"), Cell("CPU", "THROUGHPUT", 4, "async")]


def logging_worker(tmp_path, refuse: str = ""):
    """A stand-in measuring process that appends the id of every cell it compiles to
    ``tmp_path/compiled`` and refuses to compile the cell ``refuse``."""
    log = tmp_path / "compiled"
    log.write_text("")
    script = tmp_path / "python"
    script.write_text(f"""#!{sys.executable}
import json, sys
for line in sys.stdin:
    request = json.loads(line)
    op, answer = request["op"], {{"ok": True}}
    if op == "hello":
        answer.update(pid=1, openvino="fake", speed_kernel="k")
    elif op == "compile":
        c = request["cell"]
        name = "{{}}-{{}}-b{{}}-{{}}".format(c["device"], c["hint"], c["batch"], c["mode"])
        with open({str(log)!r}, "a") as f:
            f.write(name + "\\n")
        if name == {refuse!r}:
            answer = {{"ok": False, "error": "CompileError: no such thing"}}
        else:
            answer.update(compile_ms=1.0, resolved={{}})
    elif op == "first":
        answer.update(first_infer_ms=1.0)
    elif op == "round":
        answer.update(seconds=0.01, speed=400.0)
    print(json.dumps(answer), flush=True)
    if op == "quit":
        break
""")
    script.chmod(0o755)
    return script, lambda: log.read_text().split()


def plans():
    return [Plan(cell=c, frames=4, rounds=1, warmup_rounds=0, timeout=30, load={}) for c in CELLS]


def test_each_pass_measures_one_process_of_every_cell_in_turn_then_back(tmp_path):
    python, compiled = logging_worker(tmp_path)
    said: list[str] = []
    spread = Spread(plans(), Side("current", python=python), 3, said.append)
    assert compiled() == []  # nothing is measured until a cell asks
    first = spread.take(plans()[1])
    ids = [c.id for c in CELLS]
    assert compiled() == ids + ids[::-1] + ids
    assert len(said) == 3 and said[-1].startswith("pass 3 of 3 over 3 cells")
    samplers = [first, spread.take(plans()[0]), spread.take(plans()[2])]
    assert [len(s.samples["current"]) for s in samplers] == [3, 3, 3]
    starts = [p.started for s in samplers for p in s.samples["current"]]
    assert all(t > 0 for t in starts) and all(s.seconds("current") > 0 for s in samplers)
    # handed out once: asked again (a re-run test), or for a cell it did not plan, it measures nothing
    assert spread.take(plans()[1]) is None
    assert spread.take(Plan(cell=Cell("CPU", "LATENCY", 1, "sync"), frames=4, rounds=1, warmup_rounds=0,
                            timeout=30, load={})) is None
    assert len(compiled()) == 9


def test_a_cell_that_does_not_compile_fails_alone_and_is_not_tried_again(tmp_path):
    python, compiled = logging_worker(tmp_path, refuse=CELLS[0].id)
    spread = Spread(plans(), Side("current", python=python), 3)
    with pytest.raises(CompileFailed, match="no such thing") as caught:
        spread.take(plans()[0])
    assert isinstance(caught.value, WorkerError) and "\n" not in str(caught.value)
    assert compiled().count(CELLS[0].id) == 1
    assert [len(spread.take(p).samples["current"]) for p in plans()[1:]] == [3, 3]


def test_a_first_look_measured_in_the_spread_is_judged_without_measuring_it_again(tmp_path):
    python, compiled = logging_worker(tmp_path)
    side = Side("current", python=python)
    spread = Spread(plans(), side, 2)
    measured = spread.take(plans()[0])
    outcome = measure_cell(plans()[0], side, 2, measured=measured, max_regression=0.05, alpha=0.01, max_time=60)
    assert len(compiled()) == 6 and outcome.current.info["processes"] == 2
    assert outcome.seconds >= measured.seconds("current")
    # against a baseline, an undecided first look takes its next looks in this cell alone
    measured = spread.take(plans()[1])
    base = [[400.0 + k] for k in range(6)]
    outcome = measure_cell(plans()[1], side, 2, measured=measured, baseline=base, max_regression=0.05,
                           alpha=0.01, max_time=600)
    assert outcome.comparison is not None
    assert compiled()[6:] == [CELLS[1].id] * (outcome.current.info["processes"] - 2)


def _settings(**given):
    return make_settings(devices=[("CPU",)], available_devices=["CPU"], **given)


def test_runs_spread_their_cells_by_default_and_an_ab_run_pairs_cell_by_cell(tmp_path):
    assert _settings().process_order == "spread"
    assert _settings(process_order="cell").process_order == "cell"
    python = tmp_path / "python"
    python.write_text("")
    ab = _settings(ab_python=python)
    assert ab.process_order == "cell"
    with pytest.raises(SettingsError, match="--ov-process-order spread is for runs of one side"):
        _settings(ab_python=python, process_order="spread")
    assert spread_of(CELLS, ab, {}) is None
    assert spread_of(CELLS, _settings(process_order="cell"), {}) is None
    assert spread_of(CELLS[:1], _settings(), {}) is None  # one cell: nothing to spread over
    assert isinstance(spread_of(CELLS, _settings(), {}), Spread)
