"""A stored baseline's comparison judged at the baseline's machine speed (``--ov-machine-adjust``).

Each run's FPS, the baseline's and this one's, is divided by how fast that run's units kernel
ran (``ovperf.noise.MachineLevel``): a machine faster or slower as a whole then reads at the
baseline's speed, and the drift between the baseline's runs is what the kernel does not explain.
The kernel runs between the rounds, so a slowdown of the model or the code around it (here a
stand-in process whose rounds take longer) does not move it.
"""
from __future__ import annotations

import math
from pathlib import Path

import pytest

from ovperf.baseline import Baseline, at_machine_speed
from ovperf.stats import INCONCLUSIVE, REGRESSED, UNCHANGED
from tests.helpers import scheduled_worker

BUILD = "2026.4.1-22982-fake"
UNITS = f"openvino {BUILD} 16x 4 conv3x3 64ch 80x80 bfloat16"
#: How fast the machine ran in each of the baseline's three runs, against their mean.
MOVES = (0.98, 1.00, 1.02)
#: What else moved each run's FPS, which the kernel does not see.
OWN = (1.005, 0.995, 1.0)
FPS, UNITS_SPEED = 100.0, 500.0


def wiggle(i: int) -> float:
    """A process's own small spread, the same in every run."""
    return 1 + 0.002 * ((i * 7) % 5 - 2)


#: The median of the 6 processes' wiggles (0.998 and 1.0), which a run's level reads.
MIDDLE = 0.999


def follow(i: int, slope: float) -> float:
    """Process ``i``'s kernel speed against its run's level, where its FPS (``wiggle``) follows
    the kernel at ``slope`` inside the run; at 0 the kernel's spread is unrelated to its FPS."""
    if slope == 0:
        return {0: 1.01, 5: 0.99}.get(i, 1.0)  # first and last process share one wiggle
    return math.exp((math.log(wiggle(i)) - math.log(MIDDLE)) / slope)


def cell(moves=MOVES, kernel=UNITS, units=True, slope=1.0) -> dict:
    """A cell of 3 runs of 6 processes whose FPS and units kernel both follow the machine's
    ``moves``, and inside each run the processes' FPS follows their kernel at ``slope``."""
    info = {"fps_runs": [[[FPS * m * own * wiggle(i)] * 2 for i in range(6)] for m, own in zip(moves, OWN)]}
    if units:
        info.update(units_speed_runs=[[[UNITS_SPEED * m * follow(i, slope)] * 2 for i in range(6)] for m in moves],
                    units_speed_kernel=kernel)
    return info


def baseline(**cells: dict) -> Baseline:
    named = {f"test_openvino[{cid}]": info for cid, info in cells.items()}
    return Baseline(path=Path("base.json"), data={"ovperf": {}}, cells=named, statistic="best")


def test_a_baselines_machine_level_is_each_runs_units_kernel_speed():
    level = baseline(a=cell(), b=cell()).units_level
    assert level.kernel == UNITS
    assert level.runs == pytest.approx([math.log(UNITS_SPEED * m) for m in MOVES])
    assert level.slope == pytest.approx(1.0)  # inside each run, FPS followed the kernel one for one
    assert level.factor(math.log(UNITS_SPEED * 1.04)) == pytest.approx(math.exp(level.mean) / (UNITS_SPEED * 1.04))
    # a PyTorch row has no units kernel and counts in no run's level
    with_torch = baseline(a=cell())
    with_torch.cells["test_torch[pytorch-b1]"] = {"fps_runs": [[[30.0]]] * 3}
    assert with_torch.units_level == level
    # nothing to judge by: one run, a cell without the kernel, two kernels, or the numpy kernel
    assert baseline(a=cell(moves=(1.0,))).units_level is None
    assert baseline(a=cell(), b=cell(units=False)).units_level is None
    assert baseline(a=cell(), b=cell(kernel=UNITS.replace("bfloat16", "f32"))).units_level is None
    assert baseline(a=cell(kernel="numpy 2.2.6 openblas 2x 1024x1024 float64")).units_level is None


@pytest.mark.parametrize("slope", [1.0, 0.5, 0.0])
def test_a_run_reads_its_machine_speed_as_far_as_the_baselines_processes_fps_followed_the_kernel(slope):
    """How far FPS follows the kernel differs by host (0.25 inside the runs on the Intel AMX host,
    about 0.6 on the others measured): the factor takes the kernel's move out at the slope the
    baseline's own processes show inside their runs, and not at all where their FPS did not follow it."""
    raw = baseline(a=cell(slope=slope), b=cell(slope=slope))
    level = raw.units_level
    assert level.slope == pytest.approx(slope, abs=0.01)
    faster = level.mean + math.log(1.04)  # a session whose kernel ran 4% faster than the baseline runs'
    assert level.factor(faster) == pytest.approx(1.04 ** -slope, rel=0.001)
    assert level.factor(level.mean) == 1.0
    if slope:
        assert level.level_of(level.factor(faster)) == pytest.approx(faster)
    # the baseline's drift keeps what the kernel's move does not explain at that slope: its runs
    # moved 2% either way with the machine, and 0.5% on their own
    judged = raw.at_machine_level(level)
    assert raw.drift.sd > 0.015
    if slope == 1.0:
        assert judged.drift.sd == pytest.approx(0.005, abs=0.001)
    elif slope == 0.5:
        assert 0.007 < judged.drift.sd < 0.013, judged.drift
    else:
        assert judged.drift.sd == pytest.approx(raw.drift.sd, rel=0.01)
    # a kernel that never varied inside a run says nothing of how FPS follows it
    flat = baseline(a=cell(), b=cell())
    for info in flat.cells.values():
        info["units_speed_runs"] = [[[UNITS_SPEED * m] * 2 for _ in range(6)] for m in MOVES]
    assert flat.units_level.slope == 0.0


def test_at_its_machine_level_the_baselines_runs_drift_only_as_far_as_the_kernel_does_not_explain():
    raw = baseline(a=cell(), b=cell())
    raw.cells["test_torch[pytorch-b1]"] = {"fps_runs": [[[30.0]]] * 3}
    judged = raw.at_machine_level(raw.units_level)
    assert raw.drift.sd > 0.015 and judged.drift.sd == pytest.approx(0.005, abs=0.001), (raw.drift, judged.drift)
    assert judged.machine_level == raw.units_level and raw.machine_level is None
    # every run now reads at the runs' mean speed; the kernel, the file and the PyTorch row stay as measured
    level = raw.units_level
    for r, (m, own) in enumerate(zip(MOVES, OWN)):
        first = judged.cells["test_openvino[a]"]["fps_runs"][r][0][0]
        assert first == pytest.approx(FPS * m * own * wiggle(0) * math.exp(level.mean) / (UNITS_SPEED * m))
    assert judged.cells["test_openvino[a]"]["units_speed_runs"] == raw.cells["test_openvino[a]"]["units_speed_runs"]
    assert raw.cells["test_openvino[a]"]["fps_runs"][0][0][0] == pytest.approx(FPS * MOVES[0] * OWN[0] * wiggle(0))
    assert judged.cells["test_torch[pytorch-b1]"] is raw.cells["test_torch[pytorch-b1]"]


def test_only_a_baseline_of_this_openvino_builds_units_kernel_is_judged_at_its_machine_speed():
    raw = baseline(a=cell(), b=cell())
    assert at_machine_speed(raw, BUILD).machine_level == raw.units_level
    # another build's kernel moves with OpenVINO: a release's change would be taken out with it
    assert at_machine_speed(raw, "2025.4.0-20398-other") is raw
    assert at_machine_speed(raw, BUILD[:-1]) is raw  # a build whose name only begins alike
    one_run = baseline(a=cell(moves=(1.0,)))
    assert at_machine_speed(one_run, BUILD) is one_run


def judged_cell(tmp_path, slowdown: float, machine: bool, fast: float = 1.04, units: float | None = None,
                other: float | None = None):
    """A cell against the baseline above, in a session whose machine runs ``fast`` times the
    baseline runs' mean as a whole (its FPS, and its units kernel unless ``units`` says otherwise),
    with a real ``slowdown`` of every round; judged at the baseline's machine speed (``machine``)
    or as measured. ``other``: the share of the machine other processes took in every round."""
    from ovperf.matrix import Cell
    from ovperf.measure import Plan, Side, baseline_processes, measure_cell, seed_usual
    from ovperf.noise import UsualSpeed

    kernel = UNITS_SPEED * (fast if units is None else units)
    shared = () if other is None else (other,)
    schedule = [(10 / (FPS * fast * (1 - slowdown) * wiggle(i % 6)), 470.0, kernel, *shared) for i in range(12)]
    python, started = scheduled_worker(tmp_path, "k1", schedule, units_kernel=UNITS)
    raw = baseline(**{name: cell() for name in "abcdefgh"})  # the drift pooled over 8 cells, as a run's
    saved = raw.at_machine_level(raw.units_level) if machine else raw
    usual = UsualSpeed()
    seed_usual(usual, saved.cells)
    plan = Plan(cell=Cell("CPU", "LATENCY", 1, "sync"), frames=10, rounds=2, warmup_rounds=0, timeout=30, load={})
    info = saved.cells["test_openvino[a]"]
    outcome = measure_cell(
        plan, Side("current", python=python), 5, baseline=baseline_processes(info), baseline_runs=[6, 6, 6],
        drift=saved.drift, max_regression=0.05, alpha=0.01, max_time=1.0, confirm_seconds=20.0, confirm_wait=20.0,
        usual=usual, machine=saved.machine_level, clock=lambda: 4.0 * started(),
    )
    return outcome


@pytest.mark.parametrize("machine", [True, False])
def test_a_machine_faster_as_a_whole_neither_hides_a_real_slowdown_nor_reads_as_a_change(tmp_path, machine):
    """A real 6% slowdown on a machine 4% faster than the baseline's reads 2.2% slow as measured:
    within the 5% threshold, it passes. At the baseline's machine speed it reads 6% and fails,
    confirmed by new processes judged the same way. The same machine with no slowdown reads
    4% faster as measured (not shown within the drift), and unchanged at the baseline's machine speed."""
    slowed = judged_cell(tmp_path, 0.06, machine)
    same_dir = tmp_path / "unchanged"
    same_dir.mkdir()
    same = judged_cell(same_dir, 0.0, machine)
    if machine:
        assert slowed.machine_factor == pytest.approx(1 / 1.04, rel=1e-3)
        assert slowed.comparison.verdict == REGRESSED and slowed.comparison.look == 2, slowed.comparison
        assert slowed.comparison.ratio == pytest.approx(0.94, abs=0.005)
        assert same.comparison.verdict == UNCHANGED and same.comparison.ratio == pytest.approx(1.0, abs=0.005)
    else:
        assert slowed.machine_factor is None
        assert slowed.comparison.verdict != REGRESSED and slowed.comparison.ratio == pytest.approx(0.978, abs=0.005)
        assert same.comparison.verdict != UNCHANGED and same.comparison.ratio == pytest.approx(1.04, abs=0.005)
    # the FPS the run records stays as measured either way
    assert slowed.current.fps == pytest.approx(FPS * 1.04 * 0.94, rel=0.01)


def test_a_sessions_machine_level_is_the_median_of_its_own_processes_not_the_baselines():
    from ovperf.noise import UsualSpeed

    usual = UsualSpeed()
    usual.seed(UNITS, [[UNITS_SPEED * 2]] * 30)  # the baseline's processes count in its usual speed, not here
    assert usual.level(UNITS) is None
    usual.add(UNITS, [[510.0, 530.0]])  # a single process: its median
    assert usual.level(UNITS) == pytest.approx(math.log(520.0))
    usual.add(UNITS, [[480.0], [500.0]])
    assert usual.level(UNITS) == pytest.approx(math.log(500.0)) and usual.level("another kernel") is None


def test_a_session_that_shares_the_machine_is_judged_as_measured_not_by_the_units_kernel(tmp_path):
    """A neighbour taking 20% of the machine slows the units kernel, timed in short bursts
    between rounds, more than the model (at 15:31 on the Intel Xeon without AMX the kernel read
    89% of its baseline's speed, and an injected 5% read improved). Here the kernel is at 89% and
    the model 3% down: read at the kernel's speed, a real 6% slowdown would count x1.124 and
    pass; the processes that shared the machine do not set the level, so the cell is judged as
    measured, says why, and reads regressed at the look. Its confirmation
    meets the kernel below the machine's usual speed, and leaves it not judged: loud, not passed."""
    outcome = judged_cell(tmp_path, 0.06, machine=True, fast=0.97, units=0.89, other=0.20)
    assert outcome.machine_factor is None
    assert outcome.comparison.ratio == pytest.approx(0.97 * 0.94, abs=0.005)
    assert outcome.comparison.verdict == INCONCLUSIVE and outcome.comparison.unjudged, outcome.comparison
    assert "shared the machine with other processes (more than 5% of it)" in outcome.comparison.note
    calm_dir = tmp_path / "alone"
    calm_dir.mkdir()  # the same machine with other processes at 1%: the kernel's speed is taken out
    calm = judged_cell(calm_dir, 0.06, machine=True, fast=0.97, units=0.89, other=0.01)
    assert calm.machine_factor == pytest.approx(1 / 0.89, rel=1e-3)


def test_only_processes_that_ran_alone_set_the_sessions_machine_level():
    from ovperf.noise import UsualSpeed

    usual = UsualSpeed()
    usual.add(UNITS, [[400.0]] * 3, alone=False)
    assert usual.level(UNITS) is None and usual.shared(UNITS) == 3
    usual.add(UNITS, [[500.0]])
    assert usual.level(UNITS) == pytest.approx(math.log(500.0)) and usual.shared(UNITS) == 3
