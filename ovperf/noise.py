"""How much of the machine a round actually got.

A round's FPS alone cannot tell a slower OpenVINO from a busy neighbour. For
every round the measuring process records its own CPU time (all its threads,
``time.process_time``) and, from /proc/stat, the time the hypervisor stole from
the machine and the CPU time everything else on the machine used. Reports show
them as shares of the machine's capacity (wall time x logical CPUs) and as CPU
milliseconds per frame. They are recorded, not used in the verdict: on the
project's bf16 host the slow process mode spent *more* CPU per frame (56-60 ms
against 47.5-47.9), so CPU time does not cancel the noise that matters most.

Besides the accounting, each measured round is bracketed by :func:`machine_speed`:
a fixed numpy matrix product timed just before and just after the round. It runs on
numpy's BLAS, not on OpenVINO, so no OpenVINO change moves it, while the host's own
moods (a busy neighbour on the same cores or memory, frequency changes) slow it
together with the model. ``python -m ovperf.speed`` shows how closely it tracks FPS.
Beside it, a :class:`UnitsKernel` (a fixed convolution stack that the process's own OpenVINO
runs on the model's units) is timed around the round too; a regression's confirmation reads
the machine's usual speed from it where the stored baseline measured the same one.
"""
from __future__ import annotations

import math
import os
import statistics
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Mapping, Sequence

#: /proc/stat's first line: user nice system idle iowait irq softirq steal (guest is inside user).
_IDLE, _IOWAIT, _STEAL = 3, 4, 7


def _proc_stat() -> list[int] | None:
    try:
        with open("/proc/stat") as fh:
            fields = fh.readline().split()
    except OSError:
        return None
    if not fields or fields[0] != "cpu":
        return None
    return [int(x) for x in fields[1:9]]


def _ticks() -> int:
    try:
        return os.sysconf("SC_CLK_TCK")
    except (ValueError, OSError, AttributeError):
        return 100


#: The reference kernel: SPEED_REPEATS products of two SPEED_SIZE x SPEED_SIZE float64
#: matrices, about 30 ms on the 2-core bf16 host (Intel, AMX).
SPEED_SIZE = 1024
SPEED_REPEATS = 2
#: What every measuring process runs under (:class:`ovperf.client.WorkerClient` sets it).
#: OpenBLAS's helper threads spin for 2**28 cycles (about 0.1 s) after each product before
#: they sleep, so the kernel just before a round took a core from the round's first frames:
#: on the bf16 host it cost ``CPU-none-b1-sync`` 8% of its FPS at 48 frames a round and 35%
#: at 8 (``report/data/blas-spin/``). With a timeout of 2**4 cycles the helpers sleep at
#: once, and the round runs as it does without the kernel; a few large products instead of
#: many small ones keep the kernel's own spread where it was (3.4% against 4.5%; with
#: wake-ups between twenty small products it would be 25%).
QUIET_BLAS_ENV = {"OPENBLAS_THREAD_TIMEOUT": "4"}


@lru_cache(maxsize=1)
def _speed_matrix() -> Any:
    import numpy as np

    return np.random.default_rng(0).random((SPEED_SIZE, SPEED_SIZE))


def machine_speed() -> float:
    """How fast the machine runs right now: products per second of the reference kernel."""
    a = _speed_matrix()
    started = time.perf_counter()
    for _ in range(SPEED_REPEATS):
        a @ a
    return SPEED_REPEATS / (time.perf_counter() - started)


def speed_kernel() -> str:
    """What :func:`machine_speed` runs: speeds measured by two different kernels (another
    numpy, another BLAS) are not comparable, and a verdict adjusts only between equal ones."""
    import numpy as np

    blas = ""
    try:
        config = np.show_config(mode="dicts") or {}
        blas = (config.get("Build Dependencies", {}).get("blas", {}) or {}).get("name", "") or ""
    except (TypeError, AttributeError):  # numpy < 1.26 has no dict mode
        pass
    timeout = os.environ.get("OPENBLAS_THREAD_TIMEOUT")
    idle = f" thread timeout 2**{timeout}" if timeout else ""
    return f"numpy {np.__version__} {blas} {SPEED_REPEATS}x {SPEED_SIZE}x{SPEED_SIZE} float64{idle}".replace("  ", " ")


#: The units kernel: UNITS_REPEATS inferences of UNITS_LAYERS 3x3 convolutions of
#: UNITS_CHANNELS channels over UNITS_SIZE x UNITS_SIZE, compiled by the measuring process's own
#: OpenVINO on the CPU at its default precision (bf16 with AMX on the Intel host), about 30 ms
#: there. It runs on the units the model runs on, where the numpy kernel's float64 products
#: do not; see :class:`UnitsKernel`.
UNITS_CHANNELS = 64
UNITS_SIZE = 80
UNITS_LAYERS = 4
UNITS_REPEATS = 16
#: How every :class:`UnitsKernel`'s name begins (:func:`is_units_kernel`).
UNITS_NAME_PREFIX = "openvino "


class UnitsKernel:
    """A second measure of the machine's speed, on the model's own units: a fixed stack of
    convolutions that the measuring process's OpenVINO compiles and times around every round,
    beside :func:`machine_speed`.

    Its name carries the OpenVINO build and the precision it ran at, so that only speeds of
    one build compare: an OpenVINO change moves this kernel too, and a stored baseline of
    another build cannot lend it its speeds. Where the baseline measured the same one, a
    regression's confirmation judges by it whether a process ran at the machine's usual
    speed (``ovperf.measure._ConfirmRule``). On the Intel AMX host, on a calm machine, 81% of
    an unchanged run's processes reached the usual speed by it, against 32% by the numpy
    kernel, whose reading sat lower around some cells' rounds (the lowest THROUGHPUT cell at
    0.89-0.96 of every cell's median over six baselines on both hosts); the comparison runs
    took 22 s a cell where they had taken 50 s, and timing it left the model's FPS unmoved
    (1.001, 95% CI 0.993-1.009) (``report/data/usual-speed/levels.py``,
    ``report/data/amx-kernel/``; README, "a calm machine, and a kernel on the model's own units").
    """

    def __init__(self, core: Any) -> None:
        import numpy as np
        import openvino as ov

        try:
            import openvino.opset8 as ops
        except ImportError:  # OpenVINO before 2025 keeps its opsets under openvino.runtime
            import openvino.runtime.opset8 as ops

        rng = np.random.default_rng(0)
        shape = [1, UNITS_CHANNELS, UNITS_SIZE, UNITS_SIZE]
        x = ops.parameter(shape, np.float32, name="x")
        y = x
        for _ in range(UNITS_LAYERS):
            weights = (rng.standard_normal((UNITS_CHANNELS, UNITS_CHANNELS, 3, 3)) * 0.05).astype(np.float32)
            y = ops.relu(ops.convolution(y, ops.constant(weights), [1, 1], [1, 1], [1, 1], [1, 1]))
        compiled = core.compile_model(ov.Model([y], [x], "ovperf-units-kernel"), "CPU", {"PERFORMANCE_HINT": "LATENCY"})
        self._compiled = compiled
        self._request = compiled.create_infer_request()
        self._data = rng.random(shape, dtype=np.float32)
        self._request.infer({0: self._data})
        precision = str(compiled.get_property("INFERENCE_PRECISION_HINT")).removeprefix("<Type: '").removesuffix("'>")
        self.name = (f"{UNITS_NAME_PREFIX}{ov.get_version()} {UNITS_REPEATS}x {UNITS_LAYERS} conv3x3 {UNITS_CHANNELS}ch "
                     f"{UNITS_SIZE}x{UNITS_SIZE} {precision}")

    def speed(self) -> float:
        """Inferences per second of the stack, right now."""
        started = time.perf_counter()
        for _ in range(UNITS_REPEATS):
            self._request.infer({0: self._data})
        return UNITS_REPEATS / (time.perf_counter() - started)


def is_units_kernel(name: str) -> bool:
    """Whether speeds under ``name`` are a :class:`UnitsKernel`'s, which an OpenVINO change moves."""
    return name.startswith(UNITS_NAME_PREFIX)


def bracketed_speed(before: float, after: float) -> float:
    """A round's machine speed: the geometric mean of the kernel's speed before and after it."""
    return math.sqrt(before * after)


class RoundClock:
    """Times one round: wall seconds, this process's CPU seconds, steal and other processes' CPU."""

    def __enter__(self) -> "RoundClock":
        self._stat = _proc_stat()
        self._cpu = time.process_time()
        self._wall = time.perf_counter()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.seconds = time.perf_counter() - self._wall
        self.cpu_seconds = time.process_time() - self._cpu
        after = _proc_stat()
        self.steal_seconds = self.other_seconds = None
        if self._stat is not None and after is not None:
            delta = [b - a for a, b in zip(self._stat, after)]
            hz = _ticks()
            busy = (sum(delta) - delta[_IDLE] - delta[_IOWAIT] - delta[_STEAL]) / hz
            self.steal_seconds = delta[_STEAL] / hz
            self.other_seconds = max(0.0, busy - self.cpu_seconds)

    def as_dict(self) -> dict:
        return {
            "seconds": self.seconds, "cpu_seconds": self.cpu_seconds,
            "steal_seconds": self.steal_seconds, "other_seconds": self.other_seconds,
            "cpus": os.cpu_count() or 1,
        }


@dataclass(frozen=True)
class MachineShare:
    """Shares of the machine's capacity over a set of rounds (0-1 each)."""

    own: float
    other: float
    steal: float
    cpu_ms_per_frame: float

    def describe(self) -> str:
        return (f"this run's processes used {self.own:.0%} of the machine, other processes {self.other:.0%}, "
                f"hypervisor steal {self.steal:.0%}")


def machine_share(rounds: Sequence[Mapping[str, Any]], frames: int) -> MachineShare | None:
    """Pool rounds (``RoundClock.as_dict()``) into shares of the machine; None without /proc/stat."""
    usable = [r for r in rounds if r.get("steal_seconds") is not None and r.get("seconds")]
    if not usable:
        return None
    capacity = sum(r["seconds"] * r.get("cpus", 1) for r in usable)
    cpu = sum(r["cpu_seconds"] for r in usable)
    return MachineShare(
        own=cpu / capacity,
        other=sum(r["other_seconds"] for r in usable) / capacity,
        steal=sum(r["steal_seconds"] for r in usable) / capacity,
        cpu_ms_per_frame=1e3 * cpu / (frames * len(usable)),
    )


#: A process ran at the machine's usual speed when its median :func:`machine_speed` reached
#: ``1 - USUAL_MARGIN`` of the session's usual speed, the ``USUAL_QUANTILE``-th percentile of
#: every process's median this session. On the AMD EPYC bf16 host, 0-2% of processes at or
#: above that read 7% or more below their cell's fast processes, against 29-35% of those
#: under 0.93 of it (1035 processes of 24 unchanged runs, ``report/data/usual-speed/kernel.py``;
#: README, "Runs pooled into one baseline").
USUAL_QUANTILE = 90
USUAL_MARGIN = 0.05
#: Where the stored baseline's own processes spread further below their fast ones, the margin
#: is that spread: ``1 -`` their ``USUAL_SPREAD_QUANTILE``-th percentile over their
#: ``USUAL_QUANTILE``-th, at most ``USUAL_MARGIN_MOST`` (:meth:`UsualSpeed.margin`). A process as
#: fast as three quarters of the baseline's own ran as usually as they did. On the Intel AMX
#: host the units kernel's baseline spread 4.9% so (the margin stays 5%); on an Intel Xeon
#: without AMX, whose units kernel varied 13.6% from timing to timing within a process, it
#: spread 10.8%, and at 5% a confirmation counted 41% of processes like the baseline's own
#: (README, "Intel Xeon bf16 host without AMX").
USUAL_SPREAD_QUANTILE = 25
USUAL_MARGIN_MOST = 2 * USUAL_MARGIN
#: A process whose rounds shared the machine with other processes (more than this share of its
#: capacity, by /proc/stat, :func:`machine_share`) does not count in the session's machine
#: level (:meth:`UsualSpeed.level`): a neighbour slows the units kernel, timed in short bursts
#: between the rounds, more than the model. On the Intel Xeon without AMX, a comparison whose
#: processes shared 12-23% of the machine (a pip install beside it) read the kernel at 89% of
#: its baseline's speed while its FPS, an injected 5% in it, read 0.979 of the baseline's: its
#: FPS counted x1.124 and the 5% read ``improved`` by 8.6-13.2% in 7 of 8 cells; in the runs
#: before it, other processes took 0.1-0.7% of the machine in every cell (the cells'
#: ``machine_share`` in ``report/data/xeon-bf16/hours-67ce45f/``; README, "Intel Xeon bf16 host
#: without AMX"). On the Intel AMX host a busy neighbour slowed a run 15.8% and the units kernel
#: 20.1%.
SHARED_MOST = 0.05
#: The fewest processes of one kernel the session must have measured before it has a usual speed.
USUAL_MIN_PROCESSES = 5
#: A session whose fastest processes ran below this share of its stored baseline's
#: (:meth:`UsualSpeed.session_share`) is slower than the baseline as a whole, and a
#: confirmation in it does not wait for the machine's usual speed (``ovperf.measure._ConfirmRule``).
#: Over every stored-baseline campaign on record (``report/data/usual-speed/recovery.py``;
#: README, "A session far below its baseline's speed does not wait"), the 5 sessions below it
#: (0.79-0.86, 26 confirmations) never met the usual speed again: all 5 waits ran out, after
#: 661-685 s each. Between it and ``1 - USUAL_MARGIN``, 8 of the 13 confirmations that needed
#: the wait found the usual speed in it (after 85-367 s).
SLOW_SESSION = 1 - 2 * USUAL_MARGIN
#: A session whose fastest processes ran at or above this share of its stored baseline's ran
#: faster than the baseline's machine, and a slowdown can hide in that: the summary says so.
#: On the Intel AMX host (``report/data/usual-speed/faster.py``; README, "A session faster than
#: its baseline's machine"), an injected 10% was ``regressed`` in 3 of 72 cells in such
#: sessions, against 107 of 256 in the others. Not a verdict input: between runs the cells
#: moved 0.49 times the kernel's move in one campaign and 1.55-1.82 times in another (README,
#: "hours after the baseline"). Where the verdicts read FPS at the baseline's machine speed by
#: the units kernel (:class:`MachineLevel`), the summary does not say it: that move is out.
FAST_SESSION = 1 + USUAL_MARGIN


@dataclass
class UsualSpeed:
    """The machine's usual speed in one session: every measured process's median
    :func:`machine_speed`, per kernel (:func:`speed_kernel`), since only speeds of one kernel
    compare.

    A regression's confirming look (``ovperf.measure``) counts only the processes that ran at
    this speed: the machine's slow periods slow the reference kernel with the model (about
    8-12% on the AMD EPYC bf16 host), while no OpenVINO change and no injected slowdown
    touches the kernel, which runs between the rounds.
    """

    speeds: dict = field(default_factory=dict)
    #: The stored baseline's processes, per kernel: they count beside the session's own.
    prior: dict = field(default_factory=dict)
    #: A confirmation's wait ran out with the machine still slow, and none has found it at its
    #: usual speed since: later confirmations do not wait for it again (one wait a slow period).
    stayed_slow: bool = False
    #: The session's processes that ran alone on the machine, per kernel: its machine level's.
    alone: dict = field(default_factory=dict)

    def add(self, kernel: str, process_speeds: Sequence[Sequence[float]], alone: bool = True) -> None:
        """Processes' round speeds (one list per process), all measured by ``kernel``; ``alone``:
        they ran without other processes taking more than ``SHARED_MOST`` of the machine."""
        _extend(self.speeds, kernel, process_speeds)
        if alone:
            _extend(self.alone, kernel, process_speeds)

    def shared(self, kernel: str) -> int:
        """How many of the session's processes measured by ``kernel`` shared the machine, and
        do not count in its level."""
        return len(self.speeds.get(kernel) or []) - len(self.alone.get(kernel) or [])

    def seed(self, kernel: str, process_speeds: Sequence[Sequence[float]]) -> None:
        """The stored baseline's processes (as :meth:`add`), counted beside the session's own:
        a session that spends its first cells in a slow period would otherwise take that
        period for the usual speed. On the AMD EPYC bf16 host one did so after three cells whose
        processes ran mostly slow: the 90th percentile fell to the slow end of the
        usual speed, slow processes counted as usual, and an unchanged cell failed
        (``report/data/verdicts-amd-usual/cmp-15-aa.json``, ``CPU-none-b4-sync``)."""
        _extend(self.prior, kernel, process_speeds)

    def reference(self, kernel: str, own: bool = False) -> float | None:
        """The usual speed for ``kernel``, or None until enough processes measured it. ``own``:
        this session's processes alone, where they are enough (``USUAL_MIN_PROCESSES``), for a
        session whose FPS is read at the stored baseline's machine speed (:class:`MachineLevel`):
        how far the whole session ran from the baseline's speed is out of its FPS then, and
        only its own slow periods are left to tell apart."""
        import numpy as np

        values = self.speeds.get(kernel) or []
        if not own or len(values) < USUAL_MIN_PROCESSES:
            values = values + (self.prior.get(kernel) or [])
        return float(np.percentile(values, USUAL_QUANTILE)) if len(values) >= USUAL_MIN_PROCESSES else None

    def share(self, kernel: str, speeds: Sequence[float] | None, own: bool = False) -> float | None:
        """A process's median speed as a share of the usual one (:meth:`reference`), or None
        when either is unknown."""
        reference = self.reference(kernel, own)
        if reference is None or not speeds:
            return None
        return float(statistics.median(speeds)) / reference

    def session_share(self, kernel: str) -> float | None:
        """This session's own processes at their fastest (the ``USUAL_QUANTILE``-th percentile)
        as a share of the stored baseline's, or None when either has too few processes."""
        import numpy as np

        own, prior = self.speeds.get(kernel) or [], self.prior.get(kernel) or []
        if min(len(own), len(prior)) < USUAL_MIN_PROCESSES:
            return None
        return float(np.percentile(own, USUAL_QUANTILE)) / float(np.percentile(prior, USUAL_QUANTILE))

    def margin(self, kernel: str) -> float:
        """How far below the usual speed a process may run and still count as at it:
        ``USUAL_MARGIN``, or the stored baseline's own processes' spread where that is wider
        (see ``USUAL_SPREAD_QUANTILE``), at most ``USUAL_MARGIN_MOST``."""
        import numpy as np

        prior = self.prior.get(kernel) or []
        if len(prior) < USUAL_MIN_PROCESSES:
            return USUAL_MARGIN
        low, high = np.percentile(prior, [USUAL_SPREAD_QUANTILE, USUAL_QUANTILE])
        return float(min(USUAL_MARGIN_MOST, max(USUAL_MARGIN, 1 - low / high)))

    def usual(self, kernel: str, speeds: Sequence[float] | None, own: bool = False) -> bool:
        """Whether a process ran at the usual speed (within :meth:`margin` of it; ``own`` as
        :meth:`reference`); True when that cannot be told."""
        share = self.share(kernel, speeds, own)
        return share is None or share >= 1 - self.margin(kernel)

    def level(self, kernel: str) -> float | None:
        """This session's machine speed by ``kernel``: the log of the median of its own processes'
        medians (the stored baseline's not counted; nor those that shared the machine, see
        ``SHARED_MOST``), or None while none that ran alone measured it. A
        :class:`MachineLevel` holds it against the baseline runs' own. In a spread run it counts
        every cell's first look (40 processes by default); cell by cell, the first cell's counts
        only its own, a noisier reading."""
        own = self.alone.get(kernel) or []
        return math.log(statistics.median(own)) if own else None


def _extend(table: dict, kernel: str, process_speeds: Sequence[Sequence[float]]) -> None:
    if kernel:
        table.setdefault(kernel, []).extend(float(statistics.median(p)) for p in process_speeds if p)


@dataclass(frozen=True)
class MachineLevel:
    """How fast the machine ran in each run of a stored baseline, by the units kernel, so that
    a comparison can judge its FPS at the baseline's own machine speed (``--ov-machine-adjust``).

    A run's level is the log of the median, over every process of every OpenVINO cell in it, of
    the process's median :class:`UnitsKernel` speed; a session's is the same over its own
    processes (:meth:`UsualSpeed.level`). A cell's FPS in a run is divided by that run's speed
    against the baseline runs' mean, raised to :attr:`slope` (:meth:`factor`), on both sides: the
    drift between the baseline's runs is then what the machine's speed does not explain, and a
    session on a machine faster or slower as a whole reads at the baseline's speed.

    The slope is how far a process's log FPS moves with its log kernel speed inside its run and
    cell, over the baseline's own processes (:func:`ovperf.stats.speed_slope`, kept in [0, 1]):
    FPS does not follow the kernel one for one, and how far it does differs by host. Re-judged
    from every stored-baseline campaign that measured the units kernel (12 campaigns, 3 hosts;
    ``report/data/control/limits.py --kernel units``), the whole move of a run followed the
    kernel at 0.4-1.7 on the Intel AMX host and at -0.6-1.3 on the hosts whose kernel is noisy,
    and the slope inside the baseline's runs was 0.25 on the first and 0.55-0.64 on the
    others. At a slope of 1 the AMD EPYC host of CPU family 26, whose kernel fell 9% in one
    baseline run where its FPS fell 3%, read a drift of 5.9% where its FPS had drifted 3.0%;
    at the slope inside the runs the first look caught 10% in 179 of 208 cells and 5% in 68 of
    152, where a slope of 1 caught 168 and 69, and neither took an A/A cell of 192.

    Only where one build measured both sides: the kernel's name holds the OpenVINO build and the
    precision, and an OpenVINO change moves the kernel with the model. Neither the model, its
    config nor the code around it runs in the kernel, which runs between the rounds. On the
    Intel AMX host the whole run's move between comparison runs followed the units kernel's at a
    correlation of 0.93, where the numpy kernel's followed at 0.23, and minus it the runs moved
    1.0% (SD) where they had moved 1.8%: re-judged so at the first look, an injected 5% read
    ``regressed`` in 21 of 24 cells where it had in 6, with no A/A cell of 24
    (``report/data/control/limits.py --kernel units``; README, "the machine's speed taken out"). Live, hours after its baseline, it caught 10% in 32 of 32 cells and 5% in
    13 of 24, with every A/A cell of 24 ``unchanged``. An injected slowdown does reach the
    kernel, timed right after the round, by about a point at 5% and 10%
    (``report/data/amx-kernel/follows.py``): a change reads that much smaller so, never larger.
    """

    kernel: str
    #: Each baseline run's level (log speed), in the runs' order.
    runs: tuple[float, ...]
    #: How far a run's log FPS moves with its log level (:meth:`of_runs`: the baseline's
    #: processes inside their runs).
    slope: float = 1.0

    @property
    def mean(self) -> float:
        return float(sum(self.runs) / len(self.runs))

    @classmethod
    def of_runs(cls, kernel: str, cells: Sequence[Sequence[Sequence[Sequence[float]]]],
                fps: Sequence[Sequence[Sequence[Sequence[float]]]] | None = None) -> "MachineLevel | None":
        """From the kernel's speeds of every OpenVINO cell, each as runs -> processes -> rounds;
        None unless every cell holds the same number of runs (two or more), each with speeds.
        ``fps``: the same cells' FPS, alike, for the slope (:func:`kernel_slope`); without it, 1."""
        if not kernel or not is_units_kernel(kernel) or not cells:
            return None
        counts = {len(runs) for runs in cells}
        if len(counts) != 1 or min(counts) < 2:
            return None
        levels = []
        for r in range(counts.pop()):
            medians = [statistics.median(p) for runs in cells for p in runs[r] if p]
            if not medians or min(medians) <= 0:
                return None
            levels.append(math.log(statistics.median(medians)))
        return cls(kernel, tuple(levels), 1.0 if fps is None else kernel_slope(cells, fps))

    def unmeasured(self, shared: int = 0) -> str:
        """What a comparison says where this session measured no such kernel, or only in
        ``shared`` processes that shared the machine (its FPS as measured)."""
        if shared:
            return (f"FPS as measured: every process of this session so far ({shared}) shared the machine with "
                    f"other processes (more than {SHARED_MOST:.0%} of it), which slow the units kernel more than "
                    f"the model, so its machine speed was not taken out")
        return (f"FPS as measured: this session's processes did not measure the baseline's units kernel "
                f"({self.kernel}), so its machine speed could not be taken out")

    def factor(self, level: float) -> float:
        """What a run's FPS is multiplied by to read at the baseline runs' mean machine speed,
        for a run at ``level`` (log speed)."""
        return math.exp(self.slope * (self.mean - level))

    def factor_of(self, speeds: Sequence[Sequence[float]]) -> float | None:
        """:meth:`factor` at the level of processes whose speeds by this kernel (each its rounds')
        these are, read as a run's: the log of the median of their medians; None without any."""
        medians = [statistics.median(v) for v in speeds if v]
        return self.factor(math.log(statistics.median(medians))) if medians and min(medians) > 0 else None

    def level_of(self, factor: float) -> float | None:
        """The level at which :meth:`factor` is ``factor``; None at a slope of 0 (every level)."""
        return self.mean - math.log(factor) / self.slope if self.slope > 0 else None

    def describe(self, level: float) -> str:
        """``this session's units kernel ran at 100.2% of the baseline runs' speed (its 3 runs at
        100.0-100.0%); FPS follows it at a slope of 0.62``."""
        shares = [math.exp(r - self.mean) for r in self.runs]
        return (f"this session's units kernel ran at {math.exp(level - self.mean):.1%} of the baseline runs' "
                f"speed (its {len(shares)} runs at {100 * min(shares):.1f}-{max(shares):.1%}); FPS follows it "
                f"at a slope of {self.slope:.2f} (the baseline's processes, inside their runs)")


#: Below this spread (log speed, root of the summed squares over every process) the kernel
#: did not vary inside the baseline's runs, and :func:`kernel_slope` reads no slope.
KERNEL_SPREAD_LEAST = 1e-6


def kernel_slope(speeds: Sequence[Sequence[Sequence[Sequence[float]]]],
                 fps: Sequence[Sequence[Sequence[Sequence[float]]]]) -> float:
    """How far a process's log FPS (the median of its rounds) moves with its log kernel speed
    (the mean of its readings' logs), on deviations from its run's and cell's mean, pooled over
    every run of every cell (:func:`ovperf.stats.speed_slope`, in [0, 1]; 0 where the kernel did
    not vary inside any run). Both as cells -> runs -> processes -> rounds; a run whose processes
    do not match one for one, and a process without a reading, count for nothing."""
    from ovperf.stats import process_logs, speed_slope

    ys, xs = [], []
    for cell_speeds, cell_fps in zip(speeds, fps):
        for run_speeds, run_fps in zip(cell_speeds, cell_fps):
            if len(run_speeds) != len(run_fps):
                continue
            pairs = [(f, v) for f, v in zip(run_fps, run_speeds) if f and v and min(v) > 0]
            if len(pairs) > 1:
                y, x = process_logs(*zip(*pairs))
                ys.append(y)
                xs.append(x)
    if sum(float(((x - x.mean()) ** 2).sum()) for x in xs) < KERNEL_SPREAD_LEAST ** 2:
        return 0.0  # the kernel did not vary inside a run (beyond rounding): it tells nothing of FPS
    return speed_slope(ys, xs)
