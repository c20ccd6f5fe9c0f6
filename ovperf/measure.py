"""One measuring path for every run: fresh processes per cell, interleaved sides, run-level verdicts.

A cell's samples come from several processes (:mod:`ovperf.worker`), each of
which compiles the model itself; this module plans them and collects what they
measure. Plain runs, baseline saves, baseline comparisons and interleaved A/B
runs all go through :class:`Sampler`, so both sides of any comparison are
measured by the same code.

With two sides (A/B), each pair of processes, one per side, is alive at the same
time and their rounds alternate in a balanced order: ABBA in even pairs, BAAB in
odd ones, so neither side always goes first and a drift within the pair hits
both sides alike. The order is recorded with the samples.
"""
from __future__ import annotations

import math
import sys
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from ovperf import defaults
from ovperf.baseline import cell_runs
from ovperf.client import WorkerClient, WorkerError
from ovperf.matrix import Cell
from ovperf.noise import SHARED_MOST, SLOW_SESSION, USUAL_MARGIN, MachineLevel, UsualSpeed, machine_share
from ovperf.stats import (
    INCONCLUSIVE, MAX_LOOKS, REGRESSED, Comparison, RunDrift, judge, owes_confirmation, paired_ratio_ci,
    planned_sizes,
)


class CompileFailed(WorkerError):
    """OpenVINO refused the configuration in the measuring process; the message is OpenVINO's."""


@dataclass(frozen=True)
class Side:
    """Who measures: a Python (this one, or another environment's) and an injected slowdown."""

    name: str
    python: Path = field(default_factory=lambda: Path(sys.executable))
    #: ``--ov-inject-slowdown`` as a fraction (0.05 = 5% fewer FPS), or 0.
    inject: float = 0.0


@dataclass(frozen=True)
class Plan:
    """What every process of a cell does."""

    cell: Cell
    frames: int
    rounds: int
    warmup_rounds: int
    #: Seconds any one answer may take before the process counts as hung.
    timeout: float
    #: Arguments of the worker's ``load``: onnx, cache_dir, compress_to_fp16, frames_npy, imgsz.
    load: Mapping[str, Any]
    extra: Mapping[str, str] = field(default_factory=dict)
    #: Time the machine's speed around every measured round (:data:`_SPEED_KERNELS`). A stored
    #: baseline's verdicts need it: its confirmations and its machine level read those speeds.
    #: An A/B pair's ratio does not: both sides share the machine's moods, and no A/B verdict
    #: or report reads them, while on the Xeon bf16 host they took about half as long as the
    #: round of 16 frames they bracketed (README, "Intel Xeon bf16 host without AMX
    #: (2026-12-07, 06:37-09:01 UTC): the A/B without the speed kernels").
    round_kernels: bool = True


#: The kernels that time the machine's speed around every round, as each is recorded: the
#: prefix of its keys in a cell's results (``{prefix}speed_processes``, ``{prefix}speed_kernel``,
#: a baseline's ``{prefix}speed_runs``), its key in a round's answer, and the
#: :class:`ProcessSample` attribute that names it. The numpy kernel, then the units kernel.
_SPEED_KERNELS = (("", "speed", "speed_kernel"), ("units_", "speed_units", "units_kernel"))


@dataclass
class ProcessSample:
    """What one process measured: its rounds (with their CPU accounting) and its diagnostics."""

    side: str
    index: int
    pid: int
    openvino: str
    compile_ms: float
    resolved: dict
    peak_rss_compile_mib: float
    first_infer_ms: float = 0.0
    #: ``ovperf.noise.RoundClock.as_dict()`` of every measured round, plus its place in the pair's order.
    rounds: list[dict] = field(default_factory=list)
    latency: dict = field(default_factory=dict)
    peak_rss_run_mib: float = 0.0
    #: ``ovperf.noise.speed_kernel()`` of this process: what its machine speeds measured.
    speed_kernel: str = ""
    #: Counted in the session's usual machine speed (:class:`ovperf.noise.UsualSpeed`) already.
    in_usual: bool = False
    #: When the process started (Unix time), and the wall seconds its pair took, start to close.
    started: float = 0.0
    seconds: float = 0.0
    #: ``ovperf.noise.UnitsKernel.name`` of this process ("" where it had none).
    units_kernel: str = ""

    def fps_rounds(self, frames: int) -> list[float]:
        return [frames / r["seconds"] for r in self.rounds]

    def speed_rounds(self, key: str = "speed") -> list[float] | None:
        """The machine's speed around each round (``ovperf.noise.machine_speed``; with ``key``
        ``speed_units``, the :class:`ovperf.noise.UnitsKernel`'s), or None when a worker that
        does not measure it (an older checkout) ran the rounds."""
        speeds = [r.get(key) for r in self.rounds]
        return speeds if speeds and all(isinstance(v, (int, float)) and v > 0 for v in speeds) else None

    def speeds_by(self, kernel: str) -> list[float] | None:
        """This process's speeds around its rounds by the kernel named ``kernel`` (the units
        kernel's or numpy's), or None where it did not measure that one."""
        if kernel and kernel == self.units_kernel:
            return self.speed_rounds("speed_units")
        return self.speed_rounds() if kernel and kernel == self.speed_kernel else None

    def usual_speed(self, usual: UsualSpeed) -> tuple[str, list[float] | None]:
        """The kernel and the speeds by which ``usual`` judges whether this process ran at the
        machine's usual speed: the units kernel's where the stored baseline measured the same
        one (it follows the model's own units; its name holds the OpenVINO build), else the
        numpy kernel's."""
        units = self.speed_rounds("speed_units")
        if self.units_kernel and units is not None and usual.prior.get(self.units_kernel):
            return self.units_kernel, units
        return self.speed_kernel, self.speed_rounds()


def round_order(pair: int, rounds: int, sides: int) -> list[int]:
    """The side of each round in a pair: ABBA for even pairs, BAAB for odd ones."""
    if sides == 1:
        return [0] * rounds
    pattern = [0, 1, 1, 0] if pair % 2 == 0 else [1, 0, 0, 1]
    return (pattern * math.ceil(2 * rounds / 4))[: 2 * rounds]


def _number(answer: Mapping[str, Any], key: str, what: str) -> float:
    value = answer.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise WorkerError(f"the measuring process answered {what} with {key}={value!r}, not a positive number")
    return float(value)


class Sampler:
    """Measures a cell in fresh processes, one side or two, and keeps every sample."""

    def __init__(self, plan: Plan, sides: Sequence[Side]) -> None:
        if len(sides) not in (1, 2):
            raise ValueError("a cell is measured on one side, or two for A/B")
        self.plan = plan
        self.sides = list(sides)
        self.samples: dict[str, list[ProcessSample]] = {s.name: [] for s in sides}
        self.pairs = 0

    def processes(self, side: str) -> list[list[float]]:
        """Per-process FPS rounds of one side."""
        return [p.fps_rounds(self.plan.frames) for p in self.samples[side]]

    def speeds(self, side: str) -> list[list[float]] | None:
        """Per-process machine speeds of one side's rounds, or None unless every process has them."""
        speeds = [p.speed_rounds() for p in self.samples[side]]
        return None if any(v is None for v in speeds) else speeds

    def measure(self, pairs: int) -> None:
        """``pairs`` more processes per side (pairs of processes in an A/B run)."""
        for _ in range(pairs):
            self._pair()

    def seconds(self, side: str) -> float:
        """Wall seconds this side's processes took (a pair's time counts for each of its sides)."""
        return float(sum(p.seconds for p in self.samples[side]))

    def _pair(self) -> None:
        plan, pair = self.plan, self.pairs
        began, started = time.monotonic(), time.time()
        # Start, load and compile in the pair's order too, so neither side always comes first.
        sides = self.sides if pair % 2 == 0 else list(reversed(self.sides))
        clients: dict[str, WorkerClient] = {}
        try:
            found: dict[str, ProcessSample] = {}
            for side in sides:
                client = clients[side.name] = WorkerClient(side.python, timeout=plan.timeout)
                hello = client.start()
                client.call("load", **plan.load)
                try:
                    answer = client.call("compile", cell=asdict(plan.cell), extra=dict(plan.extra), inject=side.inject)
                except WorkerError as exc:
                    if not client.alive:
                        raise
                    raise CompileFailed(str(exc).split("refused 'compile': ", 1)[-1].removeprefix("CompileError: ")) from None
                found[side.name] = ProcessSample(
                    side=side.name, index=len(self.samples[side.name]), pid=int(hello.get("pid", 0)),
                    openvino=str(hello.get("openvino")), compile_ms=_number(answer, "compile_ms", "compile"),
                    resolved=dict(answer.get("resolved") or {}),
                    peak_rss_compile_mib=float(answer.get("peak_rss_compile_mib") or 0.0),
                    speed_kernel=str(hello.get("speed_kernel") or ""), started=started,
                    units_kernel=str(hello.get("units_kernel") or ""),
                )
            for side in sides:
                found[side.name].first_infer_ms = _number(clients[side.name].call("first"), "first_infer_ms", "first")
            order = [sides[i] for i in round_order(0, plan.warmup_rounds, len(sides))]
            for side in order:
                clients[side.name].call("round", measured=False)
            for position, index in enumerate(round_order(pair, plan.rounds, len(sides))):
                side = self.sides[index]
                answer = clients[side.name].call("round", kernels=plan.round_kernels)
                _number(answer, "seconds", "round")
                found[side.name].rounds.append({**answer, "position": position})
            for side in sides:
                done = clients[side.name].call("finish")
                found[side.name].latency = dict(done.get("latency") or {})
                found[side.name].peak_rss_run_mib = float(done.get("peak_rss_run_mib") or 0.0)
        finally:
            for client in clients.values():
                client.close()
        for name, sample in found.items():
            sample.seconds = time.monotonic() - began
            self.samples[name].append(sample)
        self.pairs += 1


@dataclass(frozen=True)
class SideSummary:
    """One side of a cell, as results, tables and baselines show it."""

    fps: float
    fps_processes: list[list[float]]
    info: dict

    @property
    def fps_rounds(self) -> list[float]:
        return [x for p in self.fps_processes for x in p]


def summarize(samples: Sequence[ProcessSample], frames: int) -> SideSummary:
    """Median of per-process medians, the rounds grouped by process, and the diagnostics."""
    processes = [p.fps_rounds(frames) for p in samples]
    medians = [float(np.median(p)) for p in processes]
    first = samples[0]
    resolved = first.resolved
    info: dict[str, Any] = {
        "processes": len(samples),
        "compile_ms": float(np.median([p.compile_ms for p in samples])),
        "first_infer_ms": float(np.median([p.first_infer_ms for p in samples])),
        "peak_rss_compile_mib": max(p.peak_rss_compile_mib for p in samples),
        "peak_rss_run_mib": max(p.peak_rss_run_mib for p in samples),
        "openvino_version": first.openvino,
        "resolved_hint": resolved.get("performance_hint"),
        "inference_precision": resolved.get("inference_precision"),
        "inference_precision_source": resolved.get("precision_source"),
        "execution_devices": list(resolved.get("execution_devices") or []),
        "num_streams": resolved.get("num_streams"),
        "nireq": resolved.get("nireq"),
        "process_cv": float(np.std(medians, ddof=1) / np.mean(medians)) if len(medians) > 1 else 0.0,
    }
    differ = sorted({str(p.resolved.get("inference_precision")) for p in samples})
    if len(differ) > 1:
        info["inference_precision_differs"] = differ
    for key in ("p50_ms", "p90_ms", "p99_ms"):
        values = [p.latency[key] for p in samples if key in p.latency]
        if values:
            info[key] = float(np.median(values))
    share = machine_share([r for p in samples for r in p.rounds], frames)
    if share is not None:
        info["cpu_ms_per_frame"] = share.cpu_ms_per_frame
        info["machine_share"] = {"own": share.own, "other": share.other, "steal": share.steal}
    info["round_seconds"] = [[r["seconds"] for r in p.rounds] for p in samples]
    info["process_started"] = [p.started for p in samples]
    for prefix, key, attribute in _SPEED_KERNELS:
        speeds = [p.speed_rounds(key) for p in samples]
        kernels = {getattr(p, attribute) for p in samples}
        if all(v is not None for v in speeds) and len(kernels) == 1 and "" not in kernels:
            info[f"{prefix}speed_processes"] = speeds
            info[f"{prefix}speed_kernel"] = kernels.pop()
    return SideSummary(fps=float(np.median(medians)), fps_processes=processes, info=info)


@dataclass(frozen=True)
class CellOutcome:
    """A measured cell: this side's summary, the other side's in A/B, and the comparison."""

    current: SideSummary
    comparison: Comparison | None = None
    #: The reference side of an A/B run (A), measured live.
    reference: SideSummary | None = None
    #: Median of per-pair ratios B_k/A_k with its sign-test CI (A/B only).
    paired: tuple[float, float | None, float | None] | None = None
    #: Which side each round of each pair came from (A/B only).
    order: list[str] = field(default_factory=list)
    #: Wall time of measuring the cell, every process and look (what its verdict cost).
    seconds: float = 0.0
    #: What this side's FPS was multiplied by to read at the stored baseline's machine speed
    #: (:func:`machine_factor`), or None where the verdict is on FPS as measured.
    machine_factor: float | None = None


def measure_cell(
    plan: Plan,
    current: Side,
    processes: int,
    *,
    reference: Side | None = None,
    baseline: Sequence[Sequence[float]] | None = None,
    baseline_speed: BaselineSpeed | None = None,
    baseline_runs: Sequence[int] | None = None,
    drift: RunDrift | None = None,
    max_regression: float,
    alpha: float,
    max_time: float,
    min_looks: int = 1,
    miss_rate: float = defaults.MISS_RATE,
    confirm_seconds: float = defaults.CONFIRM_SECONDS,
    confirm_wait: float = defaults.CONFIRM_WAIT_SECONDS,
    usual: UsualSpeed | None = None,
    confirm_baseline: Sequence[Sequence[float]] | None = None,
    confirm_speeds: BaselineSpeed | None = None,
    measured: Sampler | None = None,
    confirmation: Confirmation | None = None,
    machine: MachineLevel | None = None,
    factor: float | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> CellOutcome:
    """Measure ``plan.cell`` in ``processes`` fresh processes (per side), and judge it.

    - Neither ``reference`` nor ``baseline``: a plain measurement.
    - ``baseline`` (per-process FPS rounds of a saved baseline): compared with it;
      while undecided, ``processes`` more processes a look until ``max_time``. With
      ``baseline_speed`` (the machine's speed around each of those rounds) the verdict
      is on FPS adjusted for the machine's speed, when this run's processes measured
      it with the same kernel. With ``baseline_runs`` (processes in each of the baseline's
      runs) and the ``drift`` between them, the unit is the run (:class:`ovperf.stats.RunLevel`);
      a run counted by its best processes confirms a regression with new processes measured
      over ``confirm_seconds`` at least (:func:`_confirming_processes`: with ``usual``, the
      session's usual machine speed, only those that ran at it count, waiting up to
      ``confirm_wait`` more seconds for enough of them). ``confirm_baseline``: ``baseline`` as
      the confirming look counts it (:func:`confirming_baseline`), its other processes without
      rounds; a void look, which counts every new process, counts every baseline process too.
      ``confirm_speeds``: ``baseline``'s speeds by ``machine``'s kernel, for a confirmation to
      read both sides at the machine speed their counted processes ran at (:func:`at_counted_level`).
    - ``reference``: an interleaved A/B run, ``reference`` (A) against ``current`` (B),
      in pairs of processes; more pairs a look while undecided.

    The cell's budget is ``max_time``, or ``min_looks`` looks at its first look's pace where
    that is longer (:func:`cell_budget`).

    ``measured``: the cell's first look, measured already (:class:`Spread`); its processes'
    time counts in the cell's budget and in what the verdict cost. ``confirmation``: its
    confirming look, measured already too, for the judge to read if it asks for one (it asks
    when :func:`ovperf.stats.owes_confirmation` says so, which is how the spread chose the cell).

    ``machine``: the stored baseline's machine speed run by run (its FPS already read at their
    mean, ``ovperf.baseline.Baseline.at_machine_level``); this side's FPS, every look and the
    confirmation, is then multiplied by ``factor`` (:func:`machine_factor`: the spread's, over
    every cell's first look), or by the factor of the session's processes so far once this
    cell's first look is in.
    """
    sides = [reference, current] if reference is not None else [current]
    spent_before: list[float] = []  # a spread confirmation's seconds, measured before this call (no look follows it)
    if measured is not None:  # the first look was measured before, in passes over the run's cells
        sampler, look_seconds = measured, measured.seconds(current.name)
        started = clock() - look_seconds
    else:
        started = clock()
        sampler = Sampler(plan, sides)
        sampler.measure(processes)
        look_seconds = clock() - started
    comparison = None
    if machine is None:
        factor = None
    elif factor is None and usual is not None:
        _add_usual(usual, sampler.samples[current.name])
        factor = machine_factor(machine, usual)
    if reference is not None or baseline is not None:
        paired = reference is not None
        max_time = cell_budget(max_time, look_seconds, min_looks)
        first_base = processes if paired else len(baseline)
        sizes = planned_sizes(first_base, processes, processes, grows_baseline=paired,
                              looks=looks_that_fit(max_time, look_seconds))

        def sample(look: int, confirm: bool = False):
            if confirm:  # new processes over a span of time, judged alone (ovperf.stats._unconfirmed)
                if confirmation is None:
                    found = _confirming_processes(sampler, current.name, processes, usual or UsualSpeed(),
                                                  confirm_seconds, confirm_wait, clock, adjusted=factor is not None)
                else:  # measured already, in passes over the cells that read regressed (Spread)
                    found = _merged(sampler, current.name, confirmation)
                    spent_before.append(sum(p.seconds for p in found.new))
                base = baseline
                if confirm_baseline is not None and not found.void:
                    base = confirm_baseline
                    counted = sum(1 for p in base if len(p))
                    if counted < len(base):
                        found = replace(found, note="; ".join(filter(None, [found.note, (
                            f"it held the baseline to the same rule: the {counted} of its {len(base)} processes "
                            "that ran at their run's usual speed")])))
                notes.append(found.note)
                unjudged.append(found.void)
                kept = [p.fps_rounds(plan.frames) for p in found.kept]
                own = (at_counted_level(machine, base, confirm_speeds, baseline_runs,
                                        [p.speeds_by(machine.kernel) for p in found.kept], kept)
                       if factor is not None and machine is not None and not found.void else None)
                if own is None:
                    return base, scaled(kept, factor)
                base, kept, counted = own
                notes.append(f"its processes and the baseline's it counted read at the machine speed they ran at "
                             f"(x{counted:.3f}; the session's x{factor:.3f})")
                return base, kept
            if look:
                sampler.measure(processes)
            base = sampler.processes(reference.name) if paired else baseline
            return base, scaled(sampler.processes(current.name), factor), _speeds(sampler, current.name, baseline_speed)

        # A look starts only when it is expected to end within max_time (looks take about
        # as long as the first one), so a cell's time stays within its budget.
        notes: list[str] = []
        if machine is not None and factor is None:
            notes.append(machine.unmeasured(usual.shared(machine.kernel) if usual is not None else 0))
        unjudged: list[bool] = []
        comparison = judge(
            sample, sizes, seconds_left=lambda: max_time - (clock() - started) - look_seconds,
            max_regression=max_regression, alpha=alpha, paired=paired, miss_rate=miss_rate,
            baseline_runs=None if paired else baseline_runs, drift=None if paired else drift,
        )
        comparison = comparison.with_note("; ".join(filter(None, notes))) if any(notes) else comparison
        if any(unjudged) and comparison.verdict == REGRESSED:
            comparison = replace(comparison, verdict=INCONCLUSIVE, unjudged=True, processes_needed=0)
    if usual is not None:
        for side in sides:
            _add_usual(usual, sampler.samples[side.name])
    summary = summarize(sampler.samples[current.name], plan.frames)
    seconds = clock() - started + sum(spent_before)
    if reference is None:
        return CellOutcome(current=summary, comparison=comparison, seconds=seconds, machine_factor=factor)
    ref = summarize(sampler.samples[reference.name], plan.frames)
    a = [float(np.median(p)) for p in ref.fps_processes]
    b = [float(np.median(p)) for p in summary.fps_processes]
    order = [
        "".join(sides[i].name for i in round_order(k, plan.rounds, 2)) for k in range(sampler.pairs)
    ]
    return CellOutcome(current=summary, comparison=comparison, reference=ref, paired=paired_ratio_ci(a, b),
                       order=order, seconds=seconds)


def seed_usual(usual: UsualSpeed, baseline_cells: Mapping[str, Mapping[str, Any]]) -> None:
    """Count a stored baseline's processes (their recorded machine speeds) in the session's
    usual speed, beside the session's own (:meth:`UsualSpeed.seed`)."""
    for info in baseline_cells.values():
        for prefix, _, _ in _SPEED_KERNELS:
            speed = baseline_speed(info, prefix)
            if speed is not None:
                usual.seed(speed.kernel, speed.processes)


def _add_usual(usual: UsualSpeed, samples: Sequence[ProcessSample]) -> None:
    """Processes not yet counted in the session's usual speed."""
    for p in samples:
        if not p.in_usual:
            share = machine_share(p.rounds, 1)
            alone = share is None or share.other <= SHARED_MOST
            for _, key, attribute in _SPEED_KERNELS:
                usual.add(getattr(p, attribute), [p.speed_rounds(key) or []], alone)
            p.in_usual = True


def machine_factor(machine: MachineLevel | None, usual: UsualSpeed) -> float | None:
    """What this session's FPS is multiplied by to read at the stored baseline's machine speed
    (:meth:`ovperf.noise.MachineLevel.factor` at :meth:`ovperf.noise.UsualSpeed.level`, every
    process of the session so far), or None where either is unknown."""
    level = usual.level(machine.kernel) if machine is not None else None
    return None if level is None else machine.factor(level)


def at_counted_level(machine: MachineLevel | None, base: Sequence[Sequence[float]], speeds: BaselineSpeed | None,
                     runs: Sequence[int] | None, kept: Sequence[Sequence[float] | None],
                     fps: Sequence[Sequence[float]]) -> tuple[list[list[float]], list[list[float]], float] | None:
    """A confirming look's two sides at the baseline's machine speed by the processes it counts:
    ``fps`` (the counted new processes, as measured) times the factor at their own level by
    ``machine``'s kernel (``kept``: each one's speeds by it, :meth:`ProcessSample.speeds_by`;
    :meth:`ovperf.noise.MachineLevel.factor_of`), and ``base`` (the
    baseline as the look counts it, each run at its runs' level already,
    ``ovperf.baseline.Baseline.at_machine_level``) with each run's counted processes moved to
    their own level likewise. Returns (base, fps, the new processes' factor), or None where a
    side lacks the kernel's speeds (the look then reads both at the session's factor).

    Why: the session's factor is the level of every process measured until the cell's first
    look; its confirmation runs minutes later, and the machine's speed moves in between. On
    the AMD EPYC host of CPU family 26 the units kernel ran 2-22% faster during two runs'
    confirmations than during their first looks, and the confirmations, read at the first
    looks' factor, took 10% injected for 0.95-0.99 and 5% for 1.01-1.04, and passed them
    (``report/data/zen5-bf16/procs12/procs10-dec85f9/``, ``report/data/zen5-bf16/periods.py``).
    Each side is read at its counted processes' own level, so that a side chosen for its fast
    processes (the confirmation's at the session's usual speed, the baseline's at their run's)
    keeps no advantage the other lacks."""
    if machine is None or speeds is None or runs is None or len(runs) != len(machine.runs):
        return None
    if len(speeds.processes) != len(base) or sum(runs) != len(base):
        return None
    if not all(kept):
        return None
    factor = machine.factor_of(kept)
    if factor is None:
        return None
    moved, at = [], 0
    for run_level, size in zip(machine.runs, runs):
        chunk, chunk_speeds = base[at:at + size], speeds.processes[at:at + size]
        own = machine.factor_of([v for p, v in zip(chunk, chunk_speeds) if len(p)])
        moved += scaled(chunk, own / machine.factor(run_level) if own is not None else None)
        at += size
    return moved, scaled(fps, factor), factor


def level_speeds(saved: Mapping[str, Any], machine: MachineLevel | None) -> BaselineSpeed | None:
    """A stored baseline cell's speeds by ``machine``'s kernel (:func:`baseline_speed`), or None."""
    if machine is None:
        return None
    speeds = (baseline_speed(saved, prefix) for prefix, _, _ in _SPEED_KERNELS)
    return next((speed for speed in speeds if speed is not None and speed.kernel == machine.kernel), None)


def scaled(processes: Sequence[Sequence[float]], factor: float | None) -> list[list[float]]:
    """Processes' FPS rounds times ``factor`` (as they are, without one)."""
    return [[x * factor for x in p] if factor is not None else list(p) for p in processes]


@dataclass
class Confirmation:
    """A regression's confirming look: its new processes, those that count, a note on them,
    and whether the look leaves the cell unjudged; or the error that ended it."""

    new: list[ProcessSample] = field(default_factory=list)
    kept: list[ProcessSample] = field(default_factory=list)
    note: str = ""
    void: bool = False
    error: WorkerError | None = None


class _ConfirmRule:
    """When a confirming look has what it needs, and what it found (:func:`_confirming_processes`).

    One rule for a cell confirmed alone and for the cells a :class:`Spread` confirms together."""

    def __init__(self, usual: UsualSpeed, processes: int, confirm_seconds: float, confirm_wait: float,
                 kernel: str | None, adjusted: bool = False) -> None:
        self.usual, self.confirm_seconds = usual, confirm_seconds
        #: How many new processes at the usual speed the look needs (:data:`ovperf.defaults.CONFIRM_PROCESSES`).
        self.processes = min(processes, defaults.CONFIRM_PROCESSES)
        self.waited_before = usual.stayed_slow and confirm_wait > 0
        #: The session so far, against the stored baseline's speed (None where either is unknown).
        self.session = usual.session_share(kernel) if kernel else None
        #: This session's FPS is read at the baseline's machine speed (a machine factor,
        #: :func:`machine_factor`): the whole session's distance from the baseline's speed is out
        #: of its FPS, so a process counts as at the usual speed by this session's own usual
        #: speed (:meth:`ovperf.noise.UsualSpeed.reference`), and a session far below the
        #: baseline's is judged. On the AMD EPYC host of CPU family 26, 4.5 hours after its
        #: baseline, sessions whose units kernel ran at 76-83% of the baseline's read A/A cells at
        #: geometric means of 0.991-1.015 so, and 10% injected at 0.884, where every
        #: confirmation against the baseline's usual speed met only the machine's slowness
        #: (``report/data/zen5-bf16/hours-a5137b4/``; report/gate.md).
        self.adjusted = adjusted
        #: The whole session ran far below the baseline's speed, as measured: no wait for the
        #: usual speed, which such a session has not met again within one (:data:`ovperf.noise.SLOW_SESSION`).
        self.slow_session = (not adjusted and confirm_wait > 0 and self.session is not None
                             and self.session < SLOW_SESSION)
        self.wait = 0.0 if self.waited_before or self.slow_session else confirm_wait

    def kept(self, new: Sequence[ProcessSample]) -> list[ProcessSample]:
        return [p for p in new if self.usual.usual(*p.usual_speed(self.usual), own=self.adjusted)]

    def done(self, new: Sequence[ProcessSample], spent: float) -> bool:
        return spent >= self.confirm_seconds and len(self.kept(new)) >= self.processes

    def ran_out(self, spent: float) -> bool:
        return spent >= self.confirm_seconds + self.wait

    def found(self, new: Sequence[ProcessSample], spent: float) -> Confirmation:
        """Enough of the new processes ran at the machine's usual speed."""
        self.usual.stayed_slow = False
        kept = self.kept(new)
        if len(kept) == len(new):
            return Confirmation(list(new), kept)
        usual = "this session's usual speed" if self.adjusted else "the machine's usual speed"
        return Confirmation(list(new), kept, f"the confirming look counted the {len(kept)} of {len(new)} new "
                                             f"processes that ran at {usual} ({spent:.0f} s)")

    def void(self, new: Sequence[ProcessSample], spent: float) -> Confirmation:
        """The wait ran out with the machine below its usual speed: every new process, for the record."""
        usual = self.usual
        shares = [usual.share(*p.usual_speed(usual), own=self.adjusted) for p in new]
        slow = float(np.median([x for x in shares if x is not None]))
        usual.stayed_slow = True
        unfit = "if it stays so, the baseline no longer fits this machine"
        if self.slow_session:
            why = (f"this whole session ran far below the baseline's speed (its fastest processes at "
                   f"{self.session:.0%} of the baseline's), and the machine stayed so (the kernel at {slow:.0%} of its "
                   f"usual speed) for {spent:.0f} s, so the look did not wait for it: {unfit}")
        elif self.waited_before:
            why = (f"the machine was still below its usual speed (the kernel at {slow:.0%} of it), and an earlier "
                   f"confirmation this session had waited for it in vain ({spent:.0f} s)")
        else:
            why = f"the machine stayed below its usual speed (the kernel at {slow:.0%} of it) for {spent:.0f} s"
        session = usual.session_share(new[0].speed_kernel)
        if not self.slow_session and not self.adjusted and session is not None and session < 1 - USUAL_MARGIN:
            why += (f"; this whole session ran below the baseline's speed (its fastest processes at {session:.0%} of "
                    f"the baseline's): {unfit}")
        return Confirmation(list(new), list(new), f"the confirming look met only the machine's slowness: {why}; "
                                                  "measure it again", True)


def _kernel(samples: Sequence[ProcessSample]) -> str | None:
    """The reference kernel that measured these processes' machine speed, or None."""
    return next((p.speed_kernel for p in samples if p.speed_kernel), None)


def _merged(sampler: Sampler, side: str, confirmation: Confirmation) -> Confirmation:
    """A confirmation measured apart (:class:`Spread`), its processes added to the cell's own
    (numbered on from them); its error, if a process of it failed, raised here, in its cell."""
    if confirmation.error is not None:
        raise confirmation.error
    for p in confirmation.new:
        p.index = len(sampler.samples[side])
        sampler.samples[side].append(p)
    return confirmation


def _confirming_processes(sampler: Sampler, side: str, processes: int, usual: UsualSpeed,
                          confirm_seconds: float, confirm_wait: float,
                          clock: Callable[[], float], adjusted: bool = False) -> Confirmation:
    """New processes for a confirming look, ``processes`` at a time (at most
    :data:`ovperf.defaults.CONFIRM_PROCESSES`), and what they found (:class:`Confirmation`: those
    that count, a note, whether the look leaves the cell unjudged).

    They are measured over ``confirm_seconds`` at least, until as many of them ran at
    the session's usual machine speed (:class:`ovperf.noise.UsualSpeed`, which counts this
    cell's earlier processes too); only those are returned. A slow period of the machine slows
    the reference kernel with the model, while neither an OpenVINO change nor an injected
    slowdown touches it, so a real regression still shows in them.

    If the machine does not come back to its usual speed within ``confirm_wait`` seconds
    more, the look is void: what it measured is the machine's slowness, not the code's, so a
    regression it shows leaves the cell ``inconclusive`` (not judged) instead of failing it
    (every new process is returned, for the record). On the Intel AMX host 3 of 144 unchanged
    cells failed so, through slow periods longer than their 300 s wait, with the kernel at
    83-87% of its usual speed (``report/data/verdicts-amx-usual/cmp-14-aa.log``,
    ``cmp-20-aa.log``), and 5 of 8 in a session that ran below the baseline's speed from its
    first process to its last (``report/data/verdicts-amx-unjudged/at-14f0bb5/``, where such a
    session still counted every process). The note says when the whole session ran below
    the baseline's speed: if the machine stays so, the baseline no longer fits it.

    The session waits so once a slow period: until a confirmation finds the machine at its
    usual speed again, later ones do not wait (:attr:`UsualSpeed.stayed_slow`), so a machine
    slower than its baseline all night costs one wait, not one a cell. A session whose
    fastest processes so far ran below :data:`ovperf.noise.SLOW_SESSION` of the baseline's
    does not wait at all: no such session on record met the usual speed again within a wait.
    Where no speed was measured, every process counts.
    """
    _add_usual(usual, sampler.samples[side])
    first, begun = len(sampler.samples[side]), clock()
    rule = _ConfirmRule(usual, processes, confirm_seconds, confirm_wait, _kernel(sampler.samples[side]), adjusted)
    while True:
        sampler.measure(rule.processes)
        new, spent = sampler.samples[side][first:], clock() - begun
        if rule.done(new, spent):
            return rule.found(new, spent)
        if rule.ran_out(spent):
            return rule.void(new, spent)


@dataclass(frozen=True)
class BaselineSpeed:
    """The machine's speed around every round of a stored baseline, and the kernel that measured it."""

    kernel: str
    processes: list[list[float]]


def baseline_speed(info: Mapping[str, Any], prefix: str = "") -> BaselineSpeed | None:
    """The speeds of a baseline cell, parallel to :func:`baseline_processes`, or None when
    a run of it did not record them; with ``prefix`` ``units_``, the units kernel's."""
    runs, kernel = info.get(f"{prefix}speed_runs"), info.get(f"{prefix}speed_kernel")
    if not runs or not kernel:
        return None
    speeds = [list(p) for run in runs for p in run]
    fps = baseline_processes(info)
    if len(speeds) != len(fps) or any(len(a) != len(b) for a, b in zip(speeds, fps)):
        return None
    return BaselineSpeed(kernel=str(kernel), processes=speeds)


def _speeds(sampler: Sampler, side: str, baseline: BaselineSpeed | None):
    """(baseline, current) speeds for a speed-adjusted verdict, or None when the two
    sides' speeds are not comparable (missing, or another kernel)."""
    if baseline is None:
        return None
    current = sampler.speeds(side)
    if current is None or {p.speed_kernel for p in sampler.samples[side]} != {baseline.kernel}:
        return None
    return baseline.processes, current


@dataclass(frozen=True)
class Against:
    """What a :class:`Spread` run's cells are judged against, so that it can confirm their
    regressions in passes too: each cell's stored baseline (by cell id) and the settings of
    the judge (:func:`measure_configured` passes the same to :func:`measure_cell`)."""

    saved: Mapping[str, Mapping[str, Any]]
    drift: RunDrift | None
    max_regression: float
    alpha: float
    miss_rate: float
    confirm_seconds: float
    confirm_wait: float
    usual: UsualSpeed
    #: The stored baseline's machine speed run by run, where its FPS reads at their mean.
    machine: MachineLevel | None = None

    def owes(self, cell: str, sampler: Sampler, side: str, factor: float | None = None) -> bool:
        """Whether the judge will ask this cell's first look for a confirming look (this side's
        FPS times ``factor``, as the judge will read it)."""
        saved = self.saved.get(cell)
        if not saved:
            return False
        return owes_confirmation(
            baseline_processes(saved), scaled(sampler.processes(side), factor), max_regression=self.max_regression,
            alpha=self.alpha, miss_rate=self.miss_rate, baseline_runs=[len(run) for run in cell_runs(saved)],
            drift=self.drift,
        )


class Spread:
    """The first look of every cell of a run, measured in passes over the cells before any is
    judged; against a stored baseline, the confirming looks of the cells that read regressed too.

    Measured back to back, a cell's processes share the minute or two they run in, and the
    machine's mood over that minute moves the cell apart from the others: on the Intel AMX
    host each cell's own move between unchanged runs of 5 processes a cell was 2.8% (SD), and
    its processes' spread explained 1.3% of it. Pass k measures one process of every cell,
    in the run's order on even passes and the reverse on odd ones, so each cell's processes
    sample the whole run as every other cell's do: the same host's cells then moved 1.5% on
    their own (README, "a cell's processes spread over the run"). The part that moves a whole
    run together stays; a verdict on one cell still meets it.

    A cell that reads ``regressed`` at its first look owes a confirming look of new processes
    over ``confirm_seconds`` at least (``ovperf.stats._unconfirmed``). Confirmed one cell after
    another, a run whose every cell regressed paid that span once a cell: on the Intel AMX host
    a run of 8 cells with 10% injected took 191-678 s where an unchanged one took 112-129 s
    (README, "both sides spread over the run"). With ``against``, the cells that owe one
    (:meth:`Against.owes`) are confirmed together, one process of each a pass, until each has
    what :class:`_ConfirmRule` asks (the span, and enough processes at the machine's usual
    speed) or the one wait for that speed runs out: the span is then shared, and every cell's
    confirmation still spans it.

    Later looks at an undecided cell measure it alone.
    """

    def __init__(self, plans: Sequence[Plan], current: Side, processes: int,
                 progress: Callable[[str], None] | None = None, against: Against | None = None) -> None:
        self.plans = {plan.cell.id: plan for plan in plans}
        self.current = current
        self.processes = processes
        self.progress = progress or (lambda message: None)
        self.against = against
        self._samplers: dict[str, Sampler] | None = None
        self._failed: dict[str, WorkerError] = {}
        self._confirmations: dict[str, Confirmation] = {}
        #: What every cell's FPS is multiplied by to read at the baseline's machine speed
        #: (:func:`machine_factor` over every cell's first look), once they are in; None: as measured.
        self.machine_factor: float | None = None

    def take(self, plan: Plan) -> Sampler | None:
        """The cell's first look, measuring every cell's on the first call; None for a cell this
        spread did not plan (or planned otherwise), or already handed out. A process of the cell
        that died, hung or could not compile raises its :class:`WorkerError` here, in its cell only."""
        if self.plans.get(plan.cell.id) != plan:
            return None
        if self._samplers is None:
            self._measure()
        if plan.cell.id in self._failed:
            raise self._failed.pop(plan.cell.id)
        return self._samplers.pop(plan.cell.id, None)

    def confirmation(self, plan: Plan) -> Confirmation | None:
        """The cell's confirming look, measured with the first looks (after :meth:`take`), or None."""
        if self.plans.get(plan.cell.id) != plan:
            return None
        return self._confirmations.pop(plan.cell.id, None)

    def _measure(self) -> None:
        samplers = {name: Sampler(plan, [self.current]) for name, plan in self.plans.items()}
        self._samplers = samplers
        names, began = list(samplers), time.monotonic()
        for k in range(self.processes):
            self._pass(samplers, names, k, self._failed)
            self.progress(f"first looks, in passes over the cells: pass {k + 1} of {self.processes} over "
                          f"{len(names)} cells: {time.monotonic() - began:.0f} s")
        for name in self._failed:  # never handed out: take() raises its error instead
            del samplers[name]
        if self.against is not None:
            self._confirm()

    def _pass(self, samplers: Mapping[str, Sampler], names: Sequence[str], k: int,
              failed: dict[str, WorkerError]) -> None:
        """One process of every cell not failed, in ``names``' order on even passes, reversed on odd ones."""
        for name in names if k % 2 == 0 else list(reversed(names)):
            if name in failed:
                continue
            try:
                samplers[name].measure(1)
            except WorkerError as exc:
                failed[name] = exc

    def _confirm(self) -> None:
        against, side = self.against, self.current.name
        for sampler in self._samplers.values():
            _add_usual(against.usual, sampler.samples[side])
        self.machine_factor = machine_factor(against.machine, against.usual)
        owed = [name for name, sampler in self._samplers.items()
                if against.owes(name, sampler, side, self.machine_factor)]
        if not owed:
            return
        kernel = _kernel([p for sampler in self._samplers.values() for p in sampler.samples[side]])
        rule = _ConfirmRule(against.usual, self.processes, against.confirm_seconds, against.confirm_wait, kernel,
                            adjusted=self.machine_factor is not None)
        if rule.slow_session:
            self.progress(f"this session runs far below the baseline's speed (its fastest processes at "
                          f"{rule.session:.0%} of the baseline's): the confirmations do not wait for the usual speed")
        samplers = {name: Sampler(self.plans[name], [self.current]) for name in owed}
        failed: dict[str, WorkerError] = {}
        pending, began, k = list(owed), time.monotonic(), 0
        while pending:
            self._pass(samplers, pending, k, failed)
            k, spent = k + 1, time.monotonic() - began
            for name in list(pending):
                new = samplers[name].samples[side]
                if name in failed:
                    self._confirmations[name] = Confirmation(error=failed[name])
                elif rule.done(new, spent):
                    self._confirmations[name] = rule.found(new, spent)
                else:
                    continue
                pending.remove(name)
            if pending and rule.ran_out(spent):
                for name in pending:
                    self._confirmations[name] = rule.void(samplers[name].samples[side], spent)
                pending = []
            self.progress(f"confirmations of the {len(owed)} cells that read regressed, in passes over them: "
                          f"pass {k}, {len(pending)} still owed: {spent:.0f} s")


def current_side(settings: Any) -> Side:
    """The side this run measures: B of an A/B run, else the current code (with any injected slowdown)."""
    s = settings
    ab = s.ab_python is not None
    return Side("B" if ab else "current", python=s.ab_python or Path(sys.executable), inject=s.inject_slowdown)


def plan_of(cell: Cell, settings: Any, load: Mapping[str, Any]) -> Plan:
    s = settings
    return Plan(cell=cell, frames=s.frames, rounds=s.rounds, warmup_rounds=s.warmup_rounds,
                timeout=s.worker_timeout, load=load, extra=s.compile_extra, round_kernels=s.ab_python is None)


def spread_of(cells: Sequence[Cell], settings: Any, load: Mapping[str, Any],
              progress: Callable[[str], None] | None = None, saved: Mapping[str, Mapping[str, Any]] | None = None,
              usual: UsualSpeed | None = None) -> Spread | None:
    """The run's :class:`Spread` over ``cells``, or None where its processes go cell by cell
    (``--ov-process-order cell``, an A/B run, or fewer than two cells). ``saved``: the stored
    baseline's cell of each cell id, as :func:`measure_configured` will be given it, and
    ``usual`` the session's usual speed: the spread then confirms the cells' regressions too."""
    s = settings
    if s.process_order != defaults.SPREAD or s.ab_python is not None or len(cells) < 2:
        return None
    against = None
    if saved:
        against = Against(saved=saved, drift=s.drift, max_regression=s.max_regression, alpha=s.alpha,
                          miss_rate=s.miss_rate, confirm_seconds=s.confirm_time, confirm_wait=s.confirm_wait,
                          usual=usual if usual is not None else UsualSpeed(),
                          machine=getattr(s.baseline, "machine_level", None))
    return Spread([plan_of(c, s, load) for c in cells], current_side(s), s.processes, progress, against)


def measure_configured(cell: Cell, settings: Any, load: Mapping[str, Any],
                       saved: Mapping[str, Any] | None = None, usual: UsualSpeed | None = None,
                       spread: Spread | None = None) -> CellOutcome:
    """:func:`measure_cell` as ``settings`` (``ovperf.settings.Settings``) configure it: against
    the saved baseline cell ``saved``, or the A side of an A/B run, or neither. ``load`` is
    what every measuring process loads (the worker's ``load`` arguments); ``usual`` is the
    session's usual machine speed, which every measured process adds to; ``spread``, the
    run's first looks measured in passes over its cells (:class:`Spread`)."""
    s = settings
    plan = plan_of(cell, s, load)
    ab = s.ab_python is not None
    current = current_side(s)
    measured = spread.take(plan) if spread is not None else None
    confirmation = spread.confirmation(plan) if spread is not None else None
    return measure_cell(
        plan, current, s.processes, reference=Side("A") if ab else None, measured=measured, confirmation=confirmation,
        baseline=baseline_processes(saved) if saved else None,
        baseline_speed=baseline_speed(saved) if saved and s.speed_adjust else None,
        baseline_runs=[len(run) for run in cell_runs(saved)] if saved else None,
        drift=s.drift if saved else None,
        max_regression=s.max_regression, alpha=s.alpha, max_time=s.max_time, min_looks=s.min_looks,
        miss_rate=s.miss_rate,
        confirm_seconds=s.confirm_time, confirm_wait=s.confirm_wait, usual=usual,
        confirm_baseline=confirming_baseline(saved, s.baseline, usual) if saved and usual is not None else None,
        confirm_speeds=level_speeds(saved, getattr(s.baseline, "machine_level", None)) if saved else None,
        machine=getattr(s.baseline, "machine_level", None) if saved else None,
        factor=spread.machine_factor if measured is not None else None,
    )


def cell_budget(max_time: float, look_seconds: float, min_looks: int) -> float:
    """A cell's seconds: ``max_time``, or room for ``min_looks`` looks at the first look's pace
    where that is longer (half a look to spare, since a look may run longer than the first).

    An A/B run's default budget (``ovperf.settings.DEFAULT_AB_MAX_TIME``) was set where a look
    took 30-55 s, as room for a second look; on a machine where a look takes longer it holds
    none, and a cell the first look leaves undecided stays so (``defaults.AB_MIN_LOOKS``). Like
    :func:`looks_that_fit`, it depends on how long the first look took, never on what it found.
    """
    if min_looks <= 1:
        return max_time
    return max(max_time, (min_looks + 0.5) * look_seconds)


def looks_that_fit(max_time: float, look_seconds: float) -> int:
    """How many looks, the first one included, a cell's time budget holds at the first look's pace.

    Alpha is split over these looks only. The count depends on how long the first look took,
    not on what it measured, so the split is still fixed independently of the outcome; planning
    four looks where one fits would spend three quarters of alpha on looks that never happen.
    """
    if look_seconds <= 0:
        return MAX_LOOKS
    return max(1, min(MAX_LOOKS, int(max_time // look_seconds)))


def baseline_processes(info: Mapping[str, Any]) -> list[list[float]]:
    """Every process of a baseline cell, over all its runs (:func:`ovperf.baseline.cell_runs`)."""
    return [p for run in cell_runs(info) for p in run]


def confirming_baseline(saved: Mapping[str, Any], baseline: Any, usual: UsualSpeed) -> list[list[float]] | None:
    """The stored baseline cell ``saved`` of ``baseline`` (``ovperf.baseline.Baseline``) as a
    confirming look counts it: only the processes that ran at their run's usual speed
    (:func:`ovperf.baseline.at_usual_speed`), by the kernel and within the margin by which the
    confirmation chooses its own new processes (:meth:`ProcessSample.usual_speed`: the units
    kernel's where the session's ``usual`` holds the baseline's, else numpy's). None where the
    baseline did not record that kernel's speeds for every process: every process counts."""
    from ovperf.baseline import at_usual_speed

    for prefix, _, _ in reversed(_SPEED_KERNELS):
        kernel = saved.get(f"{prefix}speed_kernel")
        if kernel and usual.prior.get(kernel):
            speeds = baseline.usual_speeds(prefix)
            return at_usual_speed(saved, speeds, usual.margin(kernel), prefix) if speeds else None
    return None
