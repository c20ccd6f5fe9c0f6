"""A run's first looks measured in passes over its cells (``ovperf.measure.Spread``)."""
from __future__ import annotations

import json
import sys

import pytest

from ovperf.client import WorkerError
from ovperf.matrix import Cell
from ovperf.measure import Against, CompileFailed, Plan, Side, Spread, measure_cell, spread_of
from ovperf.noise import UsualSpeed
from ovperf.settings import SettingsError, make_settings
from ovperf.stats import INCONCLUSIVE, REGRESSED, RunDrift, judge, owes_confirmation, planned_sizes

CELLS = [Cell("CPU", "none", 1, "sync"), Cell("CPU", "THROUGHPUT", 1, "async"), Cell("CPU", "THROUGHPUT", 4, "async")]


def fake_worker(tmp_path, on_compile: str, on_round: str, setup: str = ""):
    """A stand-in measuring process at ``tmp_path/python``: ``on_compile`` and ``on_round``, lines
    of Python at the depth of the request loop's branches, fill ``answer`` (the request is
    ``request``, ``log`` the path of ``tmp_path/compiled``); ``setup`` runs once before the loop."""
    log = tmp_path / "compiled"
    log.write_text("")
    script = tmp_path / "python"
    script.write_text(f"""#!{sys.executable}
import json, sys
log = {str(log)!r}
{setup}
for line in sys.stdin:
    request = json.loads(line)
    op, answer = request["op"], {{"ok": True}}
    if op == "hello":
        answer.update(pid=1, openvino="fake", speed_kernel="k")
    elif op == "compile":
{on_compile}
    elif op == "first":
        answer.update(first_infer_ms=1.0)
    elif op == "round":
{on_round}
    print(json.dumps(answer), flush=True)
    if op == "quit":
        break
""")
    script.chmod(0o755)
    return script


def logging_worker(tmp_path, refuse: str = ""):
    """A stand-in measuring process that appends the id of every cell it compiles to
    ``tmp_path/compiled`` and refuses to compile the cell ``refuse``."""
    script = fake_worker(tmp_path, f"""\
        c = request["cell"]
        name = "{{}}-{{}}-b{{}}-{{}}".format(c["device"], c["hint"], c["batch"], c["mode"])
        with open(log, "a") as f:
            f.write(name + "\\n")
        if name == {refuse!r}:
            answer = {{"ok": False, "error": "CompileError: no such thing"}}
        else:
            answer.update(compile_ms=1.0, resolved={{}})""", "        answer.update(seconds=0.01, speed=400.0)")
    return script, lambda: (tmp_path / "compiled").read_text().split()


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
    assert len(said) == 3 and said[-1].startswith("first looks, in passes over the cells: pass 3 of 3 over 3 cells")
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


# --- Confirmations in passes over the cells that read regressed ------------------------------
#
# The stand-in worker runs every cell at 400 FPS (4 frames in 0.01 s), the machine at speed 400.

DRIFT = RunDrift(variance=0.005**2, df=40, statistic="best")


def saved_at(fps: float) -> dict:
    """A stored baseline cell of 3 runs of 6 processes at about ``fps``."""
    return {"fps_runs": [[[fps * (1 + 0.002 * ((i * 7 + r) % 5 - 2))] for i in range(6)] for r in range(3)]}


def against(saved, usual=None, confirm_wait=600.0):
    return Against(saved=saved, drift=DRIFT, max_regression=0.05, alpha=0.01, miss_rate=0.05, confirm_seconds=0.0,
                   confirm_wait=confirm_wait, usual=usual or UsualSpeed())


def judged(spread, plan, side, saved):
    return measure_cell(plan, side, 2, measured=spread.take(plan), confirmation=spread.confirmation(plan),
                        baseline=[p for run in saved["fps_runs"] for p in run], baseline_runs=[6, 6, 6], drift=DRIFT,
                        max_regression=0.05, alpha=0.01, max_time=600, confirm_seconds=0.0, usual=UsualSpeed())


def test_the_cells_that_read_regressed_are_confirmed_together_in_passes_and_judged_without_measuring_again(tmp_path):
    """Two cells ran 50% slower than their baselines and one as fast: the two are confirmed in
    passes over them (in turn, then back), the third is not; the judge then reads each cell's
    confirmation, measures nothing more, and fails the two."""
    python, compiled = logging_worker(tmp_path)
    side = Side("current", python=python)
    saved = {CELLS[0].id: saved_at(800.0), CELLS[1].id: saved_at(400.0), CELLS[2].id: saved_at(800.0)}
    said: list[str] = []
    spread = Spread(plans(), side, 2, said.append, against(saved))
    outcomes = [judged(spread, plan, side, saved[plan.cell.id]) for plan in plans()]
    ids, owed = [c.id for c in CELLS], [CELLS[0].id, CELLS[2].id]
    assert compiled() == ids + ids[::-1] + owed + owed[::-1]
    assert said[-1].startswith("confirmations of the 2 cells that read regressed, in passes over them: pass 2, 0 still owed")
    verdicts = [o.comparison.verdict for o in outcomes]
    assert verdicts[0] == verdicts[2] == REGRESSED and verdicts[1] != REGRESSED, verdicts
    assert [o.comparison.look for o in outcomes] == [2, 1, 2]
    assert [o.current.info["processes"] for o in outcomes] == [4, 2, 4]  # the confirming processes are the cell's
    assert outcomes[0].seconds > outcomes[1].seconds > 0


def test_a_spread_of_more_processes_confirms_its_cells_with_as_many_as_the_default_look(tmp_path):
    """With 10 processes a look, the two cells that read regressed are confirmed in 6 passes
    (``ovperf.defaults.CONFIRM_PROCESSES``), not 10: on the Intel Xeon host, 10 at the usual
    speed outlasted every confirmation's wait."""
    from ovperf.defaults import CONFIRM_PROCESSES

    python, compiled = logging_worker(tmp_path)
    side = Side("current", python=python)
    saved = {CELLS[0].id: saved_at(800.0), CELLS[1].id: saved_at(400.0), CELLS[2].id: saved_at(800.0)}
    said: list[str] = []
    spread = Spread(plans(), side, 10, said.append, against(saved))
    spread.take(plans()[0])
    assert CONFIRM_PROCESSES == 6
    assert len(compiled()) == 3 * 10 + 2 * 6
    assert said[-1].startswith("confirmations of the 2 cells that read regressed, in passes over them: pass 6, 0 still owed")


def test_a_spread_confirmation_that_meets_only_the_machines_slowness_leaves_its_cells_unjudged(tmp_path):
    """The stored baseline's processes ran at speed 500, this session's at 400 (80% of it):
    the one wait ran out (here at once), so both cells are left not judged, with the note."""
    python, compiled = logging_worker(tmp_path)
    side = Side("current", python=python)
    usual = UsualSpeed()
    usual.seed("k", [[500.0]] * 10)
    saved = {c.id: saved_at(800.0) for c in CELLS}
    spread = Spread(plans(), side, 2, None, against(saved, usual, confirm_wait=0.0))
    outcomes = [judged(spread, plan, side, saved[plan.cell.id]) for plan in plans()]
    assert len(compiled()) == 6 + 3  # one pass of confirmations, then the wait had run out
    for o in outcomes:
        c = o.comparison
        assert c.verdict == INCONCLUSIVE and c.unjudged and "met only the machine's slowness" in c.label, c.label
    assert usual.stayed_slow


def test_a_spread_confirmation_in_a_session_far_below_its_baselines_speed_does_not_wait(tmp_path):
    """As above, with a wait of 30 s to spend: a session at 80% of its baseline's speed (below
    SLOW_SESSION) does not wait for its usual speed, says so, and leaves its cells not judged
    after one pass of confirmations."""
    python, compiled = logging_worker(tmp_path)
    side = Side("current", python=python)
    usual = UsualSpeed()
    usual.seed("k", [[500.0]] * 10)
    saved = {c.id: saved_at(800.0) for c in CELLS}
    said: list[str] = []
    spread = Spread(plans(), side, 2, said.append, against(saved, usual, confirm_wait=30.0))
    outcomes = [judged(spread, plan, side, saved[plan.cell.id]) for plan in plans()]
    assert len(compiled()) == 6 + 3
    assert ("this session runs far below the baseline's speed (its fastest processes at 80% of the baseline's): the "
            "confirmations do not wait for the usual speed") in said
    for o in outcomes:
        c = o.comparison
        assert c.verdict == INCONCLUSIVE and c.unjudged and "so the look did not wait for it" in c.label, c.label


def test_a_session_far_below_its_baselines_speed_is_judged_where_its_fps_reads_at_the_baselines_machine_speed(
        tmp_path):
    """As above (a session at 80% of its baseline's speed, 30 s of wait to spend), but the FPS
    is read at the baseline's machine speed (``--ov-machine-adjust``: a machine level by the same
    kernel, so this session's FPS counts x1.25): the session's distance from the baseline's speed
    is out of its FPS, so the confirmations count its processes by its own usual speed, say
    nothing of a slow session, and the cells, still 37.5% slow after the factor, fail."""
    import math

    from ovperf.noise import MachineLevel

    python, compiled = logging_worker(tmp_path)
    side = Side("current", python=python)
    usual = UsualSpeed()
    usual.seed("k", [[500.0]] * 10)
    saved = {c.id: saved_at(800.0) for c in CELLS}
    level = MachineLevel(kernel="k", runs=(math.log(500.0),) * 3)
    said: list[str] = []
    spread = Spread(plans(), side, 2, said.append,
                    Against(saved=saved, drift=DRIFT, max_regression=0.05, alpha=0.01, miss_rate=0.05,
                            confirm_seconds=0.0, confirm_wait=30.0, usual=usual, machine=level))
    outcomes = [
        measure_cell(plan, side, 2, measured=spread.take(plan), confirmation=spread.confirmation(plan),
                     baseline=[p for run in saved[plan.cell.id]["fps_runs"] for p in run], baseline_runs=[6, 6, 6],
                     drift=DRIFT, max_regression=0.05, alpha=0.01, max_time=600, confirm_seconds=0.0, usual=usual,
                     machine=level, factor=spread.machine_factor)
        for plan in plans()
    ]
    assert spread.machine_factor == pytest.approx(1.25)
    assert len(compiled()) == 6 + 6  # two passes of confirmations: both processes of each ran at the session's speed
    assert not any("far below" in line for line in said), said
    for o in outcomes:
        c = o.comparison
        assert c.verdict == REGRESSED and not c.unjudged and c.look == 2, c.label
        assert c.ratio == pytest.approx(0.625, rel=0.01)


def period_worker(tmp_path, first: int, fps: tuple[float, float], speed: tuple[float, float]):
    """A stand-in measuring process whose machine changes speed after the run's ``first``
    compiles: before, it runs at ``fps[0]`` with the kernel "k" at ``speed[0]``; after, at the
    second of each."""
    return fake_worker(tmp_path, f"""\
        with open(log, "a+") as f:
            f.seek(0)
            later = len(f.read().split()) >= {first}
            f.write("x\\n")
        answer.update(compile_ms=1.0, resolved={{}})""",
                       f"        answer.update(seconds=4 / {fps!r}[later], speed={speed!r}[later])", "later = False")


def test_a_confirmation_reads_its_fps_at_the_machine_speed_its_own_processes_ran_at(tmp_path):
    """The baseline ran at 800 FPS with the kernel at 500. This session's first looks ran with
    the kernel at 400 and 10% slower than the machine allows (576 FPS; the session's factor
    x1.25 reads them 720, 0.9 of the baseline: regressed); its confirmations ran minutes later
    on a machine back at 500 (720 FPS). Read at the first looks' factor, the confirmation would
    say 900 FPS, 1.125 of the baseline, and pass the slowdown; read at the machine speed its
    own processes ran at, it reads 0.9 and fails the cells, and says so."""
    import math

    from ovperf.measure import BaselineSpeed
    from ovperf.noise import MachineLevel

    side = Side("current", python=period_worker(tmp_path, 6, (576.0, 720.0), (400.0, 500.0)))
    saved = {c.id: saved_at(800.0) for c in CELLS}
    level = MachineLevel(kernel="k", runs=(math.log(500.0),) * 3)
    speeds = BaselineSpeed(kernel="k", processes=[[500.0]] * 18)
    verdicts = {}
    for own in (True, False):
        (tmp_path / "compiled").write_text("")  # the machine slow again for the first looks
        usual = UsualSpeed()
        usual.seed("k", [[500.0]] * 10)
        spread = Spread(plans(), side, 2, None,
                        Against(saved=saved, drift=DRIFT, max_regression=0.05, alpha=0.01, miss_rate=0.05,
                                confirm_seconds=0.0, confirm_wait=30.0, usual=usual, machine=level))
        verdicts[own] = [
            measure_cell(plan, side, 2, measured=spread.take(plan), confirmation=spread.confirmation(plan),
                         baseline=[p for run in saved[plan.cell.id]["fps_runs"] for p in run], baseline_runs=[6, 6, 6],
                         drift=DRIFT, max_regression=0.05, alpha=0.01, max_time=600, confirm_seconds=0.0, usual=usual,
                         machine=level, factor=spread.machine_factor, confirm_speeds=speeds if own else None).comparison
            for plan in plans()
        ]
        assert spread.machine_factor == pytest.approx(1.25)
    for c in verdicts[True]:
        assert c.verdict == REGRESSED and c.look == 2 and c.ratio == pytest.approx(0.9, abs=0.01), c.label
        assert ("its processes and the baseline's it counted read at the machine speed they ran at (x1.000; the "
                "session's x1.250)") in c.label, c.label
    for c in verdicts[False]:  # the baseline's speeds unknown: both sides at the session's factor, as before
        assert c.verdict != REGRESSED and c.look == 2 and c.ratio == pytest.approx(1.125, abs=0.01), c.label


def test_a_confirmation_reads_the_baselines_speeds_by_the_machine_levels_own_kernel():
    """The stored cell's speeds by the kernel its machine level was taken with, the units kernel's
    or numpy's, in the order of its processes; none for another kernel or without a level."""
    import math

    from ovperf.measure import level_speeds
    from ovperf.noise import MachineLevel

    saved = {**saved_at(800.0), "speed_kernel": "k", "speed_runs": [[[400.0]] * 6] * 3,
             "units_speed_kernel": "u", "units_speed_runs": [[[250.0 + i] for i in range(6)]] * 3}
    units = level_speeds(saved, MachineLevel(kernel="u", runs=(math.log(250.0),) * 3))
    assert units.kernel == "u" and units.processes == [[250.0 + i] for i in range(6)] * 3
    assert level_speeds(saved, MachineLevel(kernel="k", runs=(math.log(400.0),) * 3)).processes == [[400.0]] * 18
    assert level_speeds(saved, MachineLevel(kernel="other", runs=(0.0, 0.0))) is None
    assert level_speeds(saved, None) is None


def test_a_confirming_process_that_fails_fails_its_cell_alone(tmp_path):
    python, _ = logging_worker(tmp_path)
    side = Side("current", python=python)
    saved = {c.id: saved_at(800.0) for c in CELLS}
    spread = Spread(plans(), side, 2, None, against(saved))
    spread.take(plans()[0])
    spread._confirmations[CELLS[0].id].error = WorkerError("the measuring process died")
    with pytest.raises(WorkerError, match="died"):
        judged(spread, plans()[0], side, saved[CELLS[0].id])
    assert judged(spread, plans()[1], side, saved[CELLS[1].id]).comparison.verdict == REGRESSED


def test_the_spread_owes_a_confirmation_exactly_where_the_judge_asks_for_one():
    """``owes_confirmation`` (what the spread measures for) against ``judge`` (what reads it),
    over first looks from far slower to far faster than a baseline of 3 runs."""
    rng = __import__("numpy").random.default_rng(3)
    asked = owed = 0
    for k in range(200):
        base = [[float(x)] for x in 100 * rng.lognormal(0, 0.02, 18)]
        current = [[float(x)] for x in 100 * (0.85 + 0.002 * k) * rng.lognormal(0, 0.02, 5)]
        confirms: list[bool] = []

        def sample(look, confirm=False):
            confirms.append(confirm)
            return (base, current) if look == 0 or confirm else None

        judge(sample, planned_sizes(18, 5, 5, False, looks=2), seconds_left=lambda: 1.0, max_regression=0.05, alpha=0.01,
              miss_rate=0.05, baseline_runs=[6, 6, 6], drift=DRIFT)
        says = owes_confirmation(base, current, max_regression=0.05, alpha=0.01, miss_rate=0.05,
                                 baseline_runs=[6, 6, 6], drift=DRIFT)
        assert says == (True in confirms), k
        asked, owed = asked + (True in confirms), owed + says
    assert 20 < owed < 180  # both kinds of first look were met


#: A test that says a pass ended every 0.5 s for 4 s, or that works as long saying nothing.
PASSES = """
import sys, time
sys.path.insert(0, {root!r})
from fixtures.session import _progress

def test_passes(request):
    say = _progress(request.config)
    for k in range(8):
        time.sleep(0.5)
        if {say}:
            say(f"pass {{k + 1}} of 8")
"""


@pytest.mark.parametrize("says", [True, False], ids=["passes-said", "silent"])
def test_a_long_test_that_says_each_pass_is_not_dumped_as_hung(pytester, says):
    """pytest dumps every thread's stack when one test outlasts ``faulthandler_timeout``; the
    test that measures every cell in passes outlasts it while working (734 s of first looks on
    the Intel Xeon host with ``--ov-processes 10``), so each pass it says starts the clock again.
    Here a 2 s timeout: 8 passes of 0.5 s are no hang; the same 4 s in silence is one."""
    from tests.helpers import ROOT

    pytester.makepyfile(test_long=PASSES.format(root=str(ROOT), say=says))
    result = pytester.runpytest_subprocess("-o", "faulthandler_timeout=2", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    output = result.stdout.str() + result.stderr.str()
    if says:
        assert output.count("ovperf: pass ") == 8 and "Timeout (0:00:02)!" not in output, output
    else:
        assert "Timeout (0:00:02)!" in output, output
