"""Throughput verdicts whose unit is the process, not the round.

Rounds of one process share that process's state (thread placement, memory
layout, what the machine was doing at the time): on the project's bf16 host one
cell's processes fell into two modes 17% apart while rounds inside a process
varied 1.9%. Treating rounds as independent samples therefore gives intervals
that are far too narrow. pyperf and asv spawn several processes for this reason;
so does this suite, and every statistic here takes one number per process: the
median FPS of its rounds.

The test is a two-sample permutation test on the log of those per-process
medians (difference of means, i.e. the ratio of geometric means). It was chosen
over the alternatives because:

- it is exact under the null hypothesis whatever the distribution of process
  medians, bimodal included; a Welch t-test on three processes that all landed
  in one mode against two in the other produces a tiny variance estimate and a
  confident false alarm (about 3% of A/A comparisons in simulation);
- a cluster bootstrap with 2-6 clusters a side under-covers badly, as the
  paired-ratio bootstrap did here before (9.5% misses for a 95% interval);
- Mann-Whitney on process medians is valid too, but ranks throw away the
  magnitude that tells a 10% shift apart from a mode change.

In an interleaved A/B run the two sides are measured in pairs of processes alive
at the same time, with their rounds alternating, so what the machine was doing
(drift, a neighbour, a slow mode that lasts minutes) is shared within a pair. There
the unit is the pair: the test is the sign-flip permutation test (Fisher's
one-sample randomization test) of the mean pair log-ratio, log(B_k / A_k), exact
for any distribution symmetric under no change. It removes the drift the
two-sample test counts as noise, at a price: n pairs cannot give a p-value below
2**-n, so a look needs at least 9 pairs to reach 0.01 split over four looks.

The confidence interval inverts the same test under a shift model (the set of
log-ratios the test does not reject), so verdict and interval always agree.

Against a baseline of several runs, or one run with a history's drift between runs, the
processes of one run are not the unit either: they share the run's mood. There the unit is
the run (:class:`RunLevel`, a t-test with the drift in the standard error), and a run counts
as :func:`run_value` says: by default the best round to expect from a few of its processes,
which a slow mode that some processes fall into does not move.

Re-measuring after every extra batch of processes would raise the false-alarm
rate with each look. The number of looks is bounded (:data:`MAX_LOOKS`) and alpha
is split over the planned looks in advance (Bonferroni, :func:`look_levels`):
evenly against a stored baseline; in an A/B run, when later looks are planned, the
first one gets most of it (:data:`FIRST_LOOK_SHARE`), rounded down to a level its
sign-flip test can reach, and the later looks share the rest. A permutation test on n processes
cannot give a p-value below 1 / C(n_baseline + n_current, n_current) (2**-n for n
pairs), so looks too small to decide at their share get none of it. A look is
taken while the cell is undecided, or ``unchanged`` but leaning towards a change
(:func:`_leans`); the union bound holds whichever planned looks are taken. The overall
level is checked in simulation (tests/test_stats.py).
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from typing import Callable, Iterable, Mapping, Sequence

import numpy as np

from ovperf import defaults

REGRESSED, SLOWER, UNCHANGED, FASTER, IMPROVED = "regressed", "slower", "unchanged", "faster", "improved"
INCONCLUSIVE, UNSTABLE = "inconclusive", "unstable"
NEW, MISSING = "new", "missing"
#: Looks at the data, the first one included, that re-measuring may take.
MAX_LOOKS = 4
#: Between-process spread (coefficient of variation) from which an undecided cell is
#: called ``unstable`` (noisy) rather than ``inconclusive`` (needs more processes).
UNSTABLE_CV = 0.05
#: Added to the current processes when no number of them would decide (:attr:`Comparison.hopeless`).
NEVER = 999
#: Exact enumeration up to this many splits; beyond it a seeded Monte Carlo sample.
EXACT_LIMIT = 200_000
MONTE_CARLO = 20_000


def process_medians(processes: Sequence[Sequence[float]]) -> np.ndarray:
    """One number per process: the median FPS of its rounds."""
    return np.asarray([float(np.median(p)) for p in processes if len(p)], dtype=float)


#: What a run counts as when the run is the unit (:func:`run_value`).
BEST, MEAN, RUN_STATISTICS = defaults.BEST, defaults.MEAN, defaults.RUN_STATISTICS


def best_of(values: Sequence[float], k: int) -> float:
    """The expected maximum of ``k`` values drawn without replacement from ``values`` (all of
    them when there are ``k`` or fewer): the U-statistic ``sum_i C(i-1, k-1) / C(n, k) x_(i)``
    over the sorted values, unbiased for the maximum of ``k`` draws from their distribution
    whatever ``n``, so that runs of 5 and of 6 processes estimate the same number."""
    x = np.sort(np.asarray(values, dtype=float))
    k = min(k, len(x))
    weights = np.asarray([math.comb(i, k - 1) for i in range(len(x))], dtype=float) / math.comb(len(x), k)
    return float(weights @ x)


def run_value(processes: Sequence[Sequence[float]], statistic: str = defaults.RUN_STATISTIC) -> float:
    """One run of one cell as one number, log FPS, from its processes -> rounds.

    ``mean``: the mean of the processes' log medians. ``best``: each process's best round,
    then the best of :data:`ovperf.defaults.BEST_OF` processes to expect (:func:`best_of`).

    Why ``best`` is the default: what slows a round on a shared machine (a neighbour, a
    thread placed on a busy core, a process whose memory landed badly) only ever slows it, so
    a cell's processes sit at a ceiling with a tail and a second mode below it. On the AMD
    EPYC bf16 host the slow mode's share changed from run to run and moved the mean with it,
    by up to 6.4% (SD over 9 unchanged runs of 5 processes), where the best of four moved
    at most 1.4% and an injected slowdown moved it by its own size. A slowdown that only
    makes the slow mode more common is invisible to it: the report's FPS and process CV
    columns still show the median and the spread. The expected best of a fixed number,
    rather than the best of all, keeps runs of different sizes comparable: the best of 10
    processes reads faster than the best of 5 by itself. A run of fewer processes takes the
    best of what it has, which spreads more; its drift counts that (:func:`run_drift`).
    """
    if statistic == MEAN:
        return float(np.mean(np.log(process_medians(processes))))
    if statistic != BEST:
        raise ValueError(f"unknown run statistic {statistic!r}; one of {', '.join(RUN_STATISTICS)}")
    bests = [float(np.max(p)) for p in processes if len(p)]
    return best_of(np.log(bests), defaults.BEST_OF)


def best_size(processes: Sequence[Sequence[float]]) -> int:
    """How many processes a ``best`` run value is the best of: :data:`ovperf.defaults.BEST_OF`,
    or fewer when the run had fewer. Runs of different sizes estimate different numbers."""
    return min(defaults.BEST_OF, sum(1 for p in processes if len(p)))


def speed_slope(log_fps: Sequence[np.ndarray], log_speed: Sequence[np.ndarray]) -> float:
    """How much log FPS moves with log machine speed inside the groups given (processes of
    one side): least squares on deviations from each group's mean, pooled, kept in [0, 1].

    Removing each group's mean keeps a real difference between the sides out of the slope;
    what is left is how the host's moods move FPS and speed together, between the processes
    and runs of one side and, on the baseline's side, between its runs.
    """
    dx = np.concatenate([x - x.mean() for x in log_speed])
    dy = np.concatenate([y - y.mean() for y in log_fps])
    spread = float((dx * dx).sum())
    if spread <= 0:
        return 0.0
    return float(np.clip((dx * dy).sum() / spread, 0.0, 1.0))


def process_logs(
    fps: Sequence[Sequence[float]], speeds: Sequence[Sequence[float]]
) -> tuple[np.ndarray, np.ndarray]:
    """Each process's log FPS (the median of its rounds) and log machine speed (the mean of its
    readings' logs), as :func:`speed_slope` takes them; the processes given one for one."""
    return (np.log([float(np.median(f)) for f in fps]),
            np.asarray([float(np.mean(np.log(v))) for v in speeds]))


def speed_adjusted_logs(
    processes: Sequence[Sequence[Sequence[float]]], speeds: Sequence[Sequence[Sequence[float]]]
) -> tuple[list[np.ndarray], float] | None:
    """Per-process log medians of FPS adjusted to one common machine speed, for each group
    of processes (e.g. baseline and current), and the slope used; None when a process or
    round has no speed.

    A process's log FPS (median of its rounds) becomes ``y - slope * (x - centre)``, where
    ``x`` is the mean log speed around its rounds, ``slope`` is :func:`speed_slope` over
    the groups, and ``centre`` the mean ``x`` of all processes: a process that ran while
    the machine was slow counts as if it had run at the usual pace. This is the analysis
    of covariance with the side as factor; the permutation test then runs on the adjusted
    values, and its level with the slope estimated is checked in simulation
    (tests/test_speed.py).
    """
    if len(processes) != len(speeds):
        return None
    ys, xs = [], []
    for fps_group, speed_group in zip(processes, speeds):
        if len(fps_group) != len(speed_group) or not len(fps_group):
            return None
        for f, v in zip(fps_group, speed_group):
            if len(f) != len(v) or not len(f) or min(v) <= 0:
                return None
        y, x = process_logs(fps_group, speed_group)
        ys.append(y)
        xs.append(x)
    slope = speed_slope(ys, xs)
    centre = float(np.concatenate(xs).mean())
    return [y - slope * (x - centre) for y, x in zip(ys, xs)], slope


@dataclass(frozen=True)
class RunDrift:
    """How far a cell's mean log FPS moves between runs of one machine, beyond what its
    processes' spread explains: the between-run variance component of a one-way
    random-effects model (runs within a cell), pooled over the cells of one baseline.

    Pooled because a baseline holds few runs (two to a handful) and each cell alone gives
    only runs - 1 degrees of freedom; the cells share the machine whose moods make the
    drift. A cell that drifts more than the pool is under-covered, one that drifts less
    loses power; the pool is what a baseline of few runs can say.
    """

    #: Between-run variance of log FPS (sigma_r squared), beyond the processes' own spread.
    variance: float
    #: Its degrees of freedom: runs - 1, summed over the cells that have two runs or more.
    df: int
    #: How many cells and runs it was pooled from (for the report).
    cells: int = 0
    runs: int = 0
    #: Where the runs came from: the baseline's own (``baseline``) or the history's (``history``).
    source: str = "baseline"
    #: What a run counts as (:func:`run_value`); a comparison judges runs the same way.
    statistic: str = MEAN
    #: ``best``: the log of each counted run's processes' best rounds, from which
    #: :meth:`looser` tells how much more a run of fewer processes spreads.
    bests: tuple[tuple[float, ...], ...] = field(default=(), repr=False, compare=False)

    def looser(self, processes: int) -> float:
        """How much more variance a ``best`` run of ``processes`` processes has than the runs
        this drift was measured from (0 when it has as many or more, or for ``mean``).

        A ``best`` run is one number, the best of :data:`ovperf.defaults.BEST_OF` to expect from
        its processes (:func:`run_value`): which processes a run happened to draw moves it, and
        the fewer they are, the more. The drift between the baseline's runs holds that part at
        their size; a comparison of fewer processes would otherwise be judged as if it were as
        tight, and read a chance draw as a change. The difference comes from the baseline's
        own processes (:func:`sampling_variance`, a bootstrap). On the AMD EPYC host of CPU
        family 26, runs of 12 processes drifted 3.01% as measured, and the same runs cut to 5
        and 10 processes each (drawn without replacement) 3.81% and 3.12%, where this adds up
        to 3.83% and 3.11%. No credit for more processes: a bootstrap from a run's few
        processes is rough, and a run tighter than the drift's only costs some power. It
        describes processes drawn at random, as a look's are; a confirmation's are chosen for
        the machine's usual speed, and :func:`judge` leaves it out there."""
        if not self.bests or self.statistic != BEST:
            return 0.0
        wider = float(np.mean([sampling_variance(run, processes) for run in self.bests]))
        return max(0.0, wider - self._measured_sampling)

    @cached_property
    def _measured_sampling(self) -> float:
        """The bootstrap's variance of the counted runs at their own sizes: the part of the drift
        their draws of processes already hold (:meth:`looser`)."""
        return float(np.mean([sampling_variance(run, len(run)) for run in self.bests]))

    @property
    def sd(self) -> float:
        """The drift as a fraction (log-scale SD): 0.08 reads "runs drift 8%"."""
        return math.sqrt(self.variance)

    def describe(self) -> str:
        """``3.5%, pooled over 8 cells, 8 df`` (and where the runs came from, if not the baseline)."""
        where = ", from the history's runs of this machine" if self.source == "history" else ""
        return f"{self.sd:.1%}, pooled over {self.cells} cells, {self.df} df{where}"

    def as_dict(self) -> dict:
        return {"sd": self.sd, "df": self.df, "cells": self.cells, "runs": self.runs, "source": self.source,
                "statistic": self.statistic}


def _within(groups: Sequence[np.ndarray]) -> tuple[float, int]:
    """Pooled within-group sum of squares and its degrees of freedom."""
    return (float(sum(((g - g.mean()) ** 2).sum() for g in groups)), sum(len(g) - 1 for g in groups))


def run_drift(cells: Iterable[Sequence[Sequence[Sequence[float]]]],
              statistic: str = defaults.RUN_STATISTIC) -> RunDrift | None:
    """The drift between runs, from every cell's runs -> processes -> rounds; None when no
    cell has two runs.

    ``mean``: per cell, method of moments: the variance of the run means minus the part the
    processes' spread explains (within-run variance / harmonic mean of processes a run).
    Pooled over cells weighted by their degrees of freedom, and kept at 0 or more only
    after pooling, so that the estimate stays unbiased.

    ``best``: a run is one number (:func:`run_value`) with no within-run part; per cell the
    variance of its runs' values among runs of one size (:func:`best_size`), pooled the same
    way. Only runs of the full size count when there are any: a run of two processes is the
    best of two, which spreads far more where a slow mode is common (7.7-9.2% against
    0.7-1.1% for the best of four in three cells on the AMD EPYC bf16 host), and a
    comparison judges the best of four.
    """
    if statistic == BEST:
        return _best_drift(cells)
    total = df = cells_used = runs_used = 0
    for runs in cells:
        logs = [np.log(m) for m in map(process_medians, runs) if len(m)]
        if len(logs) < 2:
            continue
        ss, wdf = _within(logs)
        within = ss / wdf if wdf else 0.0
        n_h = len(logs) / sum(1 / len(g) for g in logs)
        means = np.asarray([g.mean() for g in logs])
        total += (len(logs) - 1) * (float(means.var(ddof=1)) - within / n_h)
        df += len(logs) - 1
        cells_used += 1
        runs_used = max(runs_used, len(logs))
    if not df:
        return None
    return RunDrift(variance=max(0.0, total / df), df=df, cells=cells_used, runs=runs_used)


def _best_drift(cells: Iterable[Sequence[Sequence[Sequence[float]]]]) -> RunDrift | None:
    by_cell = []
    for runs in cells:
        sizes: dict[int, list[tuple[float, ...]]] = {}
        for run in runs:
            if any(len(p) for p in run):
                sizes.setdefault(best_size(run), []).append(tuple(math.log(max(p)) for p in run if len(p)))
        by_cell.append({k: v for k, v in sizes.items() if len(v) > 1})
    full = any(defaults.BEST_OF in sizes for sizes in by_cell)
    total = df = cells_used = runs_used = 0
    bests: list[tuple[float, ...]] = []
    for sizes in by_cell:
        counted = [v for k, v in sizes.items() if k == defaults.BEST_OF or not full]
        if not counted:
            continue
        ss, gdf = _within([np.asarray([best_of(run, defaults.BEST_OF) for run in runs]) for runs in counted])
        total, df = total + ss, df + gdf
        cells_used += 1
        runs_used = max(runs_used, max(len(runs) for runs in counted))
        bests += [run for runs in counted for run in runs]
    if not df:
        return None
    return RunDrift(variance=total / df, df=df, cells=cells_used, runs=runs_used, statistic=BEST, bests=tuple(bests))


#: Resamples :func:`sampling_variance` draws (seeded, so a verdict is the same every time it is read).
SAMPLING_DRAWS = 2000


@lru_cache(maxsize=4096)
def sampling_variance(logs: tuple[float, ...], processes: int) -> float:
    """The variance of the best of :data:`ovperf.defaults.BEST_OF` to expect (:func:`best_of`)
    from ``processes`` processes drawn from these ones (their best rounds' logs): the
    nonparametric bootstrap, :data:`SAMPLING_DRAWS` seeded resamples with replacement, of the
    values widened about their mean so that their variance is the unbiased one (m / (m - 1)
    times the plain one: m values spread less than what they were drawn from); 0 for fewer
    than 2 processes."""
    if len(logs) < 2 or processes < 1:
        return 0.0
    k = min(defaults.BEST_OF, processes)
    weights = np.asarray([math.comb(i, k - 1) for i in range(processes)], dtype=float) / math.comb(processes, k)
    rng = np.random.default_rng(processes)
    values = np.asarray(logs)
    values = values.mean() + (values - values.mean()) * math.sqrt(len(values) / (len(values) - 1))
    draws = values[rng.integers(0, len(values), size=(SAMPLING_DRAWS, processes))]
    return float((np.sort(draws, axis=1) @ weights).var(ddof=1))


@dataclass(frozen=True)
class DriftParts:
    """The drift between runs split in two: the part that moves every cell of a run together
    (:attr:`common`: the machine's mood over the whole run) and the part that moves each cell
    on its own (:attr:`cell`: the mood while that cell was measured, plus its processes' noise).

    From a runs x cells table of run numbers (log FPS, :func:`run_value`), a two-way analysis
    of variance without replication: the residual mean square (:attr:`ms_cell`, expected ``cell``) and the run
    means' mean square (:attr:`ms_run`, expected ``cell + cells * common``), each pooled over
    groups (one OpenVINO build each) by their degrees of freedom. One cell's verdict meets
    both parts; the mean over a run's cells meets ``common`` whole but ``cell`` divided by
    the cells, which is why a change that every cell shares can be shown against one stored
    run where no single cell can show it (:func:`compare_matrix`).
    """

    ms_run: float
    ms_cell: float
    #: The cells a run of the table held (the most of any group).
    cells: int
    df_common: int
    df_cell: int
    #: The most runs of one group (for the report).
    runs: int = 0
    #: What a run of a cell counts as in the table (:func:`run_value`).
    statistic: str = MEAN

    @property
    def common(self) -> float:
        """The common part's variance (method of moments, kept at 0 or more)."""
        return max(0.0, (self.ms_run - self.ms_cell) / self.cells)

    @property
    def cell(self) -> float:
        return self.ms_cell

    def mean_variance(self, n: int) -> tuple[float, float]:
        """The variance of the mean over ``n`` cells of one run, ``common + cell / n``, as
        ``ms_run / cells + ms_cell (1 / n - 1 / cells)``, and its degrees of freedom
        (Satterthwaite; exactly ``df_common`` when ``n`` is the table's cells)."""
        a, b = self.ms_run / self.cells, self.ms_cell * (1 / n - 1 / self.cells)
        var = max(a + b, self.ms_cell / n)
        parts = a * a / self.df_common + (b * b / self.df_cell if b and self.df_cell else 0.0)
        return var, (var * var / parts if parts else math.inf)

    def describe(self) -> str:
        return (f"runs drift {math.sqrt(self.common):.1%} together and {math.sqrt(self.cell):.1%} cell by cell "
                f"({self.df_common} and {self.df_cell} df, up to {self.runs} runs of {self.cells} cells)")

    def as_dict(self) -> dict:
        return {"common_sd": math.sqrt(self.common), "cell_sd": math.sqrt(self.cell), "ms_run": self.ms_run,
                "ms_cell": self.ms_cell, "cells": self.cells, "df_common": self.df_common,
                "df_cell": self.df_cell, "runs": self.runs, "statistic": self.statistic}


def drift_parts(groups: Iterable[Sequence[Mapping[str, float]]], statistic: str = MEAN) -> DriftParts | None:
    """:class:`DriftParts` from groups of runs, each run a mapping cell -> its run mean of log
    FPS. In each group the cells that at least half its runs measured count, and the runs
    that measured all of them (a run narrowed to a few cells does not shrink the table for
    the others); a group needs two such runs of two cells. None when no group has them."""
    from collections import Counter

    ss_common = ss_cell = 0.0
    df_common = df_cell = most_runs = most_cells = 0
    for runs in groups:
        runs = [r for r in runs if r]
        seen = Counter(name for r in runs for name in r)
        names = sorted(name for name, k in seen.items() if 2 * k >= len(runs))
        runs = [r for r in runs if all(name in r for name in names)]
        if len(runs) < 2 or len(names) < 2:
            continue
        y = np.asarray([[r[n] for n in names] for r in runs], dtype=float)
        k, c = y.shape
        row = y.mean(axis=1, keepdims=True)
        resid = y - row - y.mean(axis=0, keepdims=True) + y.mean()
        ms_cell = float((resid**2).sum()) / ((k - 1) * (c - 1))
        ms_run = c * float(((row - y.mean()) ** 2).sum()) / (k - 1)
        ss_common += (k - 1) * (ms_run - ms_cell) / c  # unclamped, so that the pool stays unbiased
        df_common += k - 1
        ss_cell += ms_cell * (k - 1) * (c - 1)
        df_cell += (k - 1) * (c - 1)
        most_runs, most_cells = max(most_runs, k), max(most_cells, c)
    if not df_common:
        return None
    ms_cell = ss_cell / df_cell
    return DriftParts(ms_run=ms_cell + most_cells * ss_common / df_common, ms_cell=ms_cell, cells=most_cells,
                      df_common=df_common, df_cell=df_cell, runs=most_runs, statistic=statistic)


def matrix_cell(base_runs: Sequence[Sequence[Sequence[float]]], current: Sequence[Sequence[float]],
                statistic: str = defaults.RUN_STATISTIC) -> tuple[list[np.ndarray], np.ndarray]:
    """One cell as :func:`compare_matrix` takes it, from the baseline's runs -> processes ->
    rounds and this run's processes -> rounds: per-process log medians by run (``mean``), or
    each run's one :func:`run_value` (``best``)."""
    if statistic == BEST:
        return [np.asarray([run_value(run, BEST)]) for run in base_runs], np.asarray([run_value(current, BEST)])
    return [np.log(process_medians(run)) for run in base_runs], np.log(process_medians(current))


def compare_matrix(
    cells: Sequence[tuple[Sequence[np.ndarray], np.ndarray]],
    parts: DriftParts,
    max_regression: float = defaults.MAX_REGRESSION,
    alpha: float = defaults.ALPHA,
    *,
    miss_rate: float = defaults.MISS_RATE,
    looser: Sequence[float] = (),
) -> Comparison | None:
    """The verdict on the matrix as a whole: this run's cells against the baseline's, as the
    mean over the cells of (this run's number - the mean of the baseline runs' numbers, :func:`run_value`).

    ``cells``: per cell, the baseline's runs and this run, as :func:`matrix_cell` gives them.
    The standard error is the drift of a run's mean over these cells
    (:meth:`DriftParts.mean_variance`: the common part whole, each cell's own divided by the cells), for this run and for the baseline's runs (the fewest any cell
    has), ``(1 / runs + 1)`` times it; t quantile at its degrees of freedom. The drift's
    parts come from runs measured as these are, so they hold the processes' noise too. One
    test at ``alpha`` (the cells' looks are over when it is made), with the same two claims
    as a cell's (:func:`classify`). None with fewer than two cells.

    ``looser``: per cell, what this run's value spreads beyond the baseline's runs where it
    counts fewer processes than they do (:meth:`RunDrift.looser`); each cell's own, so the mean
    over the cells meets their mean divided by the cells.
    """
    from scipy.stats import t

    spread = list(looser) or [0.0] * len(cells)
    kept = [(c, extra) for c, extra in zip(cells, spread) if len(c[0]) and len(c[1])]
    cells = [c for c, _ in kept]
    if len(cells) < 2:
        return None
    base = np.asarray([np.mean([r.mean() for r in runs]) for runs, _ in cells])
    d = float(np.mean([cur.mean() for _, cur in cells]) - base.mean())
    rb = min(len(runs) for runs, _ in cells)
    var, df = parts.mean_variance(len(cells))
    se = math.sqrt(var * (1 / rb + 1) + float(np.mean([extra for _, extra in kept])) / len(cells))

    def quantile(level: float) -> float:
        return float(t.isf(level, df)) if math.isfinite(df) else _z(level)

    low, high = d - quantile(alpha) * se, d + quantile(alpha) * se
    miss = max(miss_rate, alpha)
    floor = math.exp(d - quantile(miss) * se)
    p_low = float(t.cdf(d / se, df)) if se else float(d >= 0)
    ratio, ci_low, ci_high = math.exp(d), math.exp(low), math.exp(high)
    return Comparison(
        verdict=classify(ratio, ci_low, ci_high, max_regression, floor),
        baseline_fps=float(np.exp(base.mean())), current_fps=float(np.exp(base.mean() + d)),
        ratio=ratio, ci_low=ci_low, ci_high=ci_high, confidence=1 - 2 * alpha,
        p_value=p_low if ratio < 1 else 1 - p_low, n_baseline=len(cells), n_current=len(cells),
        threshold=max_regression, unit="matrix", floor=floor, floor_confidence=1 - miss,
        baseline_runs=rb, current_runs=1, reach=math.expm1((high - low) / 2),
    )


@dataclass(frozen=True)
class RunLevel:
    """The comparison of run means when runs drift: mean of one side's run means against
    the other's, with a standard error holding the drift between runs and the processes'
    spread, and Satterthwaite's degrees of freedom for the t quantile.

    The process-level permutation test assumes this run's processes are exchangeable with
    the baseline's; the processes of one run share its mood, so a drift between runs reads
    there as a change (measured: 6 of 48 A/A cells on the f32 machine). Here the run is the
    unit the drift moves, and the processes only say how well each run's mean is known. A run
    counted as its best processes (:func:`run_value`) comes as one number, with no process part.
    """

    observed: float
    se: float
    df: float
    #: The two parts of se squared: drift, processes.
    drift_part: float
    process_part: float
    process_var: float
    #: The variance a current run adds beyond the drift, being of fewer processes than the
    #: runs the drift was measured from (:meth:`RunDrift.looser`; ``best`` runs only), already
    #: in :attr:`drift_part`.
    looser: float = 0.0

    @classmethod
    def of(cls, base_runs: Sequence[np.ndarray], cur_runs: Sequence[np.ndarray], drift: RunDrift,
           current_processes: Sequence[int] = (), baseline_processes: Sequence[int] = ()) -> "RunLevel":
        """``current_processes`` and ``baseline_processes``: how many processes each run of that
        side counted, for a ``best`` drift to add what runs of fewer processes than its own
        spread (:meth:`RunDrift.looser`): a look smaller than the baseline's runs, or a run of the
        baseline that kept fewer processes with rounds. (A confirmation's are chosen, not drawn:
        :func:`judge` gives it a drift without the processes, so nothing is added there.)"""
        ss, wdf = _within(list(base_runs) + list(cur_runs))
        var = ss / wdf if wdf else 0.0
        rb, rc = len(base_runs), len(cur_runs)
        n_b = rb / sum(1 / len(g) for g in base_runs)
        n_c = rc / sum(1 / len(g) for g in cur_runs)
        looser, looser_base = (float(np.mean([drift.looser(n) for n in sizes])) if sizes else 0.0
                               for sizes in (current_processes, baseline_processes))
        drift_part = (drift.variance + looser_base) / rb + (drift.variance + looser) / rc
        process_part = var * (1 / (rb * n_b) + 1 / (rc * n_c))
        se2 = drift_part + process_part
        parts = (drift_part**2 / drift.df if drift_part else 0.0) + (process_part**2 / wdf if wdf else 0.0)
        df = se2**2 / parts if parts else math.inf
        observed = float(np.mean([g.mean() for g in cur_runs]) - np.mean([g.mean() for g in base_runs]))
        return cls(observed, math.sqrt(se2), df, drift_part, process_part, var, looser)

    def _t(self, level: float) -> float:
        from scipy.stats import t

        return float(t.isf(level, self.df)) if math.isfinite(self.df) else _z(level)

    def interval(self, alpha_side: float) -> tuple[float, float]:
        half = self._t(alpha_side) * self.se
        return self.observed - half, self.observed + half

    def p_lower(self) -> float:
        from scipy.stats import t

        return float(t.cdf(self.observed / self.se, self.df)) if self.se else float(self.observed >= 0)

    def p_higher(self) -> float:
        from scipy.stats import t

        return float(t.sf(self.observed / self.se, self.df)) if self.se else float(self.observed <= 0)

    def processes_needed(self, n_current: int, threshold: float, level: float, doubtful: bool = False) -> int:
        """Current processes that would decide (``n_current + NEVER`` when no number would:
        the drift alone keeps the interval wider than the room to clear)."""
        room = room_to_decide(self.observed, threshold, doubtful)
        t = self._t(level)
        floor = t * t * (self.drift_part + self.process_part - self.process_var / n_current)
        if floor >= room * room or not self.process_var:
            return n_current + NEVER
        return max(n_current + 1, math.ceil(t * t * self.process_var / (room * room - floor)))


#: Quantile points of the drift's estimate over which :func:`catch_chance` averages.
_CHANCE_POINTS = 2000


@lru_cache(maxsize=64)
def _estimate_scale(df: int) -> np.ndarray:
    """The drift's estimate over its true value (the square root of a chi-square on ``df`` over
    ``df``) at :data:`_CHANCE_POINTS` evenly spaced quantiles: the same for every slowdown that
    :func:`smallest_caught` tries, so computed once a ``df``."""
    from scipy.stats import chi2

    u = (np.arange(_CHANCE_POINTS) + 0.5) / _CHANCE_POINTS
    scale = np.sqrt(chi2.ppf(u, df) / df)
    scale.flags.writeable = False
    return scale


def catch_chance(drift: RunDrift, baseline_runs: int, slowdown: float, alpha: float = defaults.ALPHA,
                 miss_rate: float = defaults.MISS_RATE, threshold: float = defaults.MAX_REGRESSION,
                 current_runs: int = 1, processes: int | None = None, looser: float | None = None) -> float:
    """The chance that one run of a cell ``slowdown`` slower (0.05: 5% fewer FPS) reads
    ``regressed`` at its look against ``baseline_runs`` runs, were the drift between runs what
    ``drift`` estimates: the power of the run unit's test (:class:`RunLevel`, a run counted as
    one number, with no process part), from its two claims at ``alpha`` and ``miss_rate``.
    ``current_runs``: the mean of that many runs instead of one (two saved files compared).
    ``processes``: a look's processes, where fewer than the baseline's runs spread more
    (:meth:`RunDrift.looser`). ``looser``: that variance as a verdict recorded it (the square of
    :attr:`Comparison.looser_sd`), for a drift known only by its recorded figures.

    The difference of the runs from the baseline's mean is normal with variance ``drift *
    (1 / baseline_runs + 1 / current_runs)`` (plus what fewer processes add); its standard error is estimated on ``drift.df`` degrees of
    freedom (a scaled chi-square), and the cell reads ``regressed`` when the interval's upper
    end lies below 1 and its bound at the miss rate below ``1 - threshold``
    (:func:`classify`). The chance averages the normal's tail over the estimate's
    distribution, at fixed quantiles, so it is exact to about 0.1%. A regression must also
    be confirmed by new processes (:func:`_unconfirmed`), which can only lower the rate: this
    is what the baseline allows at most. What it tells: whether a baseline whose runs drift
    this much can catch a slowdown of that size at all, before a night is spent on it.
    """
    from scipy.stats import norm, t

    if looser is None:
        looser = drift.looser(processes) if processes else 0.0
    se = math.sqrt(drift.variance * (1 / baseline_runs + 1 / current_runs) + looser / current_runs)
    delta = math.log1p(-slowdown)
    if se <= 0:
        return float(delta < math.log1p(-threshold))
    t_alpha, t_miss = (float(t.isf(level, drift.df)) for level in (alpha, miss_rate))
    estimate = se * _estimate_scale(drift.df)
    bound = np.minimum(-t_alpha * estimate, math.log1p(-threshold) + t_miss * estimate)
    return float(norm.cdf((bound - delta) / se).mean())


def smallest_caught(drift: RunDrift, baseline_runs: int, chance: float, alpha: float = defaults.ALPHA,
                    miss_rate: float = defaults.MISS_RATE, threshold: float = defaults.MAX_REGRESSION,
                    current_runs: int = 1, processes: int | None = None) -> float | None:
    """The slowdown that one run reads ``regressed`` with this ``chance`` against such a
    baseline (:func:`catch_chance`, solved for the slowdown); None when not even a 90% one would."""
    from scipy.optimize import brentq

    def gap(slowdown: float) -> float:
        return catch_chance(drift, baseline_runs, slowdown, alpha, miss_rate, threshold, current_runs,
                            processes) - chance

    if gap(0.9) < 0:
        return None
    return float(brentq(gap, 0.0, 0.9, xtol=1e-4))


def reach_line(drift: RunDrift, baseline_runs: int, alpha: float = defaults.ALPHA,
               miss_rate: float = defaults.MISS_RATE, threshold: float = defaults.MAX_REGRESSION,
               current_runs: int = 1, confirmed: bool = True, processes: int | None = None) -> str:
    """What one run (or the mean of ``current_runs``) can catch against such a baseline, in one
    sentence (:func:`smallest_caught`); ``confirmed``: a regression is confirmed after the look;
    ``processes``: a look's, where fewer than the baseline's runs spread more (:meth:`RunDrift.looser`)."""
    half, most = (smallest_caught(drift, baseline_runs, c, alpha, miss_rate, threshold, current_runs, processes)
                  for c in (0.5, 0.9))
    if half is None:
        caught = "no slowdown below 90% in half of the cells"
    else:
        most_text = "none below 90%" if most is None else f"of {most:.1%}"
        most_ = "at most " if confirmed else ""
        caught = f"slowdowns of {half:.1%} in {most_}half of the cells, {most_text} in {most_}9 of 10"
    these = "one run" if current_runs == 1 else f"{current_runs} runs"
    looser = drift.looser(processes) if processes else 0.0
    fewer = (f", a look's {processes} processes spreading {math.sqrt(looser):.1%} more than the baseline's runs"
             if looser else "")
    return (f"what {these} can catch: {caught} "
            f"(runs drifting {drift.sd:.1%}, {drift.df} df, {baseline_runs} baseline run{'s' * (baseline_runs != 1)}{fewer}; "
            + ("the power of the look, which the confirmation can only lower)" if confirmed else "the test's power)"))


@lru_cache(maxsize=64)
def _splits(n_base: int, n_cur: int) -> np.ndarray:
    """0/1 matrix: every way (or a seeded sample of ways) to pick the 'current' group."""
    n = n_base + n_cur
    total = math.comb(n, n_cur)
    if total <= EXACT_LIMIT:
        mask = np.zeros((total, n))
        for row, chosen in enumerate(itertools.combinations(range(n), n_cur)):
            mask[row, list(chosen)] = 1.0
        return mask
    rng = np.random.default_rng(n * 1000 + n_cur)
    order = np.argsort(rng.random((MONTE_CARLO, n)), axis=1)[:, :n_cur]
    mask = np.zeros((MONTE_CARLO + 1, n))
    np.put_along_axis(mask[:-1], order, 1.0, axis=1)
    mask[-1, n_base:] = 1.0  # the observed split is always one of them
    return mask


@lru_cache(maxsize=64)
def _flips(n: int) -> np.ndarray:
    """+1/-1 matrix: every sign pattern of n pairs (or a seeded sample, the observed one kept)."""
    if 2**n <= EXACT_LIMIT:
        return np.asarray(list(itertools.product((1.0, -1.0), repeat=n)))
    rng = np.random.default_rng(n)
    signs = np.where(rng.random((MONTE_CARLO + 1, n)) < 0.5, 1.0, -1.0)
    signs[-1] = 1.0
    return signs


def min_p_value(n_base: int, n_cur: int, paired: bool = False) -> float:
    """The smallest one-sided p-value a permutation test on these group sizes can give
    (``paired``: n_base == n_cur pairs, sign flips)."""
    if not (n_base and n_cur):
        return 1.0
    return 0.5 ** min(n_base, n_cur) if paired else 1.0 / math.comb(n_base + n_cur, n_cur)


@dataclass(frozen=True)
class Permutation:
    """The permutation test of mean(log current) - mean(log baseline), and its inversion.

    Under a shift ``s`` (current = baseline + s in log space) each split's statistic is
    linear in ``s``: ``stat_k(s) = stat_k(0) - s * c_k``, where ``c_k`` depends only on how
    many current processes the split keeps on the current side. So each split rejects
    ``s`` above (or below) one threshold ``t_k``, and the interval's bounds are order
    statistics of those thresholds: exact, and no search.
    """

    observed: float
    #: Thresholds of the splits that move at least one process across, and the count that do not.
    thresholds: np.ndarray
    fixed: int
    total: int

    @classmethod
    def of(cls, base: np.ndarray, cur: np.ndarray) -> "Permutation":
        mask = _splits(len(base), len(cur))
        pooled = np.concatenate([base, cur])
        nb, nc = len(base), len(cur)
        cur_sum = mask @ pooled
        stat = cur_sum / nc - (pooled.sum() - cur_sum) / nb
        kept = mask[:, nb:].sum(axis=1)
        slope = kept / nc - (nc - kept) / nb
        return cls._inverted(float(cur.mean() - base.mean()), stat, slope)

    @classmethod
    def paired(cls, diffs: np.ndarray) -> "Permutation":
        """The sign-flip test of mean(diffs) (pair log-ratios). Under a shift ``s`` a sign
        pattern's statistic is ``mean(e * d) - s * mean(e)``, linear in ``s`` as above."""
        signs = _flips(len(diffs))
        return cls._inverted(float(diffs.mean()), signs @ diffs / len(diffs), signs.mean(axis=1))

    @classmethod
    def _inverted(cls, observed: float, stat: np.ndarray, slope: np.ndarray) -> "Permutation":
        """From each rearrangement's statistic at shift 0 and its slope in the shift: the shift
        above which it exceeds the observed one (rearrangements with slope 1 never move)."""
        moved = slope < 1 - 1e-12
        thresholds = (observed - stat[moved]) / (1 - slope[moved])
        return cls(observed, np.sort(thresholds), int((~moved).sum()), len(stat))

    def p_lower(self, shift: float = 0.0) -> float:
        """P(a split's statistic <= the observed one) under ``shift``: small when current is lower."""
        above = len(self.thresholds) - np.searchsorted(self.thresholds, shift - 1e-12, side="left")
        return (self.fixed + int(above)) / self.total

    def p_higher(self, shift: float = 0.0) -> float:
        below = np.searchsorted(self.thresholds, shift + 1e-12, side="right")
        return (self.fixed + int(below)) / self.total

    def interval(self, alpha_side: float) -> tuple[float, float]:
        """Log-shifts not rejected at ``alpha_side`` on either side; infinite where the sizes
        cannot reach that level."""
        allowed = math.floor(alpha_side * self.total - self.fixed + 1e-9)
        if allowed < 0 or allowed >= len(self.thresholds):
            return -math.inf, math.inf
        return float(self.thresholds[allowed]), float(self.thresholds[-1 - allowed])


@dataclass(frozen=True)
class Comparison:
    """One cell against its reference, from per-process medians."""

    verdict: str
    baseline_fps: float
    current_fps: float
    #: Ratio of geometric means of per-process medians, current / baseline: below 1 is slower.
    ratio: float
    ci_low: float
    ci_high: float
    #: Two-sided confidence of the interval (1 - 2 x the alpha spent on this look).
    confidence: float
    #: One-sided permutation p-value in the direction of the ratio (no threshold in it).
    p_value: float
    n_baseline: int
    n_current: int
    threshold: float
    #: Between-process coefficient of variation, each side.
    baseline_cv: float = 0.0
    current_cv: float = 0.0
    look: int = 1
    #: Rough number of current processes that would decide an undecided cell (0 when decided).
    processes_needed: int = 0
    note: str = ""
    #: What one sample is: ``process`` (two-sample test) or ``pair`` (A/B, sign-flip test).
    unit: str = "process"
    #: Paired (A/B): the spread of the pair log-ratios, the noise the paired test sees; else None.
    pair_sd: float | None = None
    #: When the test ran on FPS adjusted for the machine's speed: the slope used; else None.
    speed_slope: float | None = None
    #: Run unit (a baseline of several runs): the drift between runs in the interval, else None.
    drift: RunDrift | None = None
    #: Run unit: the runs the baseline holds, and the current side (one, unless two saved files are compared).
    baseline_runs: int = 0
    current_runs: int = 0
    #: Run unit: the smallest change one run could show (half the interval's width, as a fraction).
    reach: float = 0.0
    #: Run unit, ``best``: the spread (log SD) this run adds beyond the drift, being of fewer
    #: processes than the baseline's runs (:meth:`RunDrift.looser`); in the interval already.
    looser_sd: float = 0.0
    #: The one-sided lower bound of the ratio at the miss rate this look spent, and its
    #: confidence: ``slower`` needs it at or above 1 - threshold (:func:`classify`).
    floor: float = 0.0
    floor_confidence: float = 0.0
    #: Left ``inconclusive`` without a verdict: its confirmation met the machine below its
    #: usual speed throughout (``ovperf.measure._confirming_processes``); :attr:`note` says how.
    unjudged: bool = False

    @property
    def hopeless(self) -> bool:
        """Undecided, and no number of further current processes would decide it (a need of
        900 more or beyond counts as none)."""
        return bool(self.processes_needed) and self.processes_needed - self.n_current >= 900

    @property
    def doubtful(self) -> bool:
        """``regressed`` only because the lower bound at the miss rate (:attr:`floor`) reaches
        beyond the threshold, while the ratio itself lies within it: a slowdown is shown,
        whether it exceeds the threshold is not, so the gate fails it, and more processes
        would tell ``regressed`` from ``slower``."""
        return self.verdict == REGRESSED and self.ratio >= 1 - self.threshold

    @property
    def undecided(self) -> bool:
        """Another look could still change the verdict's meaning: ``inconclusive``, or a
        doubtful ``regressed``."""
        return self.verdict == INCONCLUSIVE or self.doubtful

    @property
    def change(self) -> str:
        """``4.1%`` slower or faster, from the ratio."""
        return f"{abs(1 - self.ratio):.1%}"

    @property
    def label(self) -> str:
        """The verdict as a person reads it: ``slower, 4.1%``, ``inconclusive (~12 processes)``."""
        if self.unjudged:
            text = f"{self.verdict} (not judged)"
        elif self.doubtful:
            more = f"; {self._more()}" if self.processes_needed and not self.hopeless else ""
            text = (f"{self.verdict}, {self.change} (not shown within {self.threshold:.0%}: as slow as "
                    f"{self._floor()} at {100 * self.floor_confidence:.3g}% confidence{more})")
        elif self.verdict in (REGRESSED, SLOWER, FASTER, IMPROVED):
            text = f"{self.verdict}, {self.change}"
        elif self.verdict in (INCONCLUSIVE, UNSTABLE) and self.drift is not None and self.hopeless:
            these = "one run shows" if self.current_runs <= 1 else f"{self.current_runs} runs show"
            where = " in the history" if self.drift.source == "history" else ""
            text = (f"{self.verdict} (runs drift {self.drift.sd:.0%}{where}: against {self.baseline_runs} baseline "
                    f"run{'s' if self.baseline_runs != 1 else ''} {these} only changes beyond ~{self.reach:.0%})")
        elif self.verdict in (INCONCLUSIVE, UNSTABLE) and self.processes_needed:
            text = f"{self.verdict} ({self._more()})" if not self.hopeless else (
                f"{self.verdict} (the baseline's {self.n_baseline} processes are too few to decide)")
        elif self.verdict == UNSTABLE:
            text = f"{self.verdict} (process CV {max(self.baseline_cv, self.current_cv):.0%})"
        else:
            text = self.verdict
        if self.speed_slope is not None:
            text += ", speed-adjusted"
        return f"{text}, {self.note}" if self.note else text

    def _floor(self) -> str:
        return f"{self.floor:.3f}" if math.isfinite(self.floor) and self.floor > 0 else "0"

    def _more(self) -> str:
        """``~3 more pairs would decide``, from :attr:`processes_needed`."""
        more = self.processes_needed - self.n_current
        one = "pair" if self.unit == "pair" else "process"
        what = one if more == 1 else {"pair": "pairs", "process": "processes"}[one]
        return f"~{more} more {what} would decide"

    def interval(self) -> str:
        low = f"{self.ci_low:.3f}" if math.isfinite(self.ci_low) and self.ci_low > 0 else "0"
        high = f"{self.ci_high:.3f}" if math.isfinite(self.ci_high) else "inf"
        return f"{self.ratio:.3f} ({low}-{high})"

    def describe(self) -> str:
        return (
            f"{self.baseline_fps:.2f} -> {self.current_fps:.2f} FPS, ratio {self.interval()} "
            f"at {self.confidence:.1%} confidence, p={self.p_value:.2g}, threshold {self.threshold:.0%}, "
            f"{self.n_current} processes vs {self.n_baseline} (process CV {self.current_cv:.1%} / "
            f"{self.baseline_cv:.1%}{self._pairs()}), look {self.look}{self._speed()}{self._runs()}"
        )

    def _runs(self) -> str:
        if self.drift is None:
            return ""
        current = f" and {self.current_runs} current runs" if self.current_runs > 1 else ""
        return (f", {self.baseline_runs} baseline run{'s' if self.baseline_runs != 1 else ''}{current} "
                f"drifting {self.drift.sd:.1%} between runs "
                f"(pooled over {self.drift.cells} cells, {self.drift.df} df"
                f"{', the history' if self.drift.source == 'history' else ''})")

    def _speed(self) -> str:
        return (f", FPS adjusted for the machine's speed (slope {self.speed_slope:.2f})"
                if self.speed_slope is not None else "")

    def _pairs(self) -> str:
        return f", pair log-ratio SD {self.pair_sd:.1%}" if self.pair_sd is not None else ""

    def with_note(self, note: str) -> "Comparison":
        return replace(self, note=", ".join(filter(None, [self.note, note])))

    def as_dict(self) -> dict:
        return {
            "verdict": self.verdict, "label": self.label, "baseline_fps": self.baseline_fps,
            "current_fps": self.current_fps, "ratio": self.ratio, "ci_low": self.ci_low,
            "ci_high": self.ci_high, "confidence": self.confidence, "p_value": self.p_value,
            "n_baseline": self.n_baseline, "n_current": self.n_current, "threshold": self.threshold,
            "baseline_cv": self.baseline_cv, "current_cv": self.current_cv, "look": self.look,
            "processes_needed": self.processes_needed, "note": self.note, "unit": self.unit,
            "pair_sd": self.pair_sd, "speed_slope": self.speed_slope,
            "run_drift": self.drift.as_dict() if self.drift is not None else None,
            "baseline_runs": self.baseline_runs, "current_runs": self.current_runs,
            "floor": self.floor, "floor_confidence": self.floor_confidence, "unjudged": self.unjudged,
            "looser_sd": self.looser_sd,
        }


def _cv(values: np.ndarray) -> float:
    return float(np.std(values, ddof=1) / np.mean(values)) if len(values) > 1 else 0.0


def classify(ratio: float, low: float, high: float, threshold: float, floor: float | None = None) -> str:
    """The verdict from a ratio and its interval; ``inconclusive`` when the interval cannot tell.

    ``floor`` is the one-sided lower bound of the ratio at the miss rate
    (``--ov-miss-rate``, default: the interval's own lower end).

    - regressed: a slowdown is shown (the interval lies below 1) and not shown within the
      threshold (``floor`` lies below ``1 - threshold``);
    - slower: a slowdown shown, and shown within the threshold (``floor`` at or above
      ``1 - threshold``);
    - improved / faster: a speed-up shown, with the ratio beyond / within the threshold;
    - unchanged: the whole interval lies within +-threshold (equivalence shown).

    The two directions differ on purpose. A gate exists to fail on a slowdown that may
    exceed the user's tolerance, so doubt about its size counts against the change: a
    slowdown passes as ``slower`` only when it is shown within the threshold, the same
    burden of proof ``unchanged`` carries. Judging on the ratio alone (asv's
    factor) passes a true slowdown of exactly the threshold half the time, however precise
    the measurement. The two claims guard two risks with two levels: "a slowdown is
    shown" at alpha, against failing unchanged code, and "it is within the threshold" at
    the miss rate, against passing a slowdown of the threshold's size, which at the
    default 0.05 fails at least 19 times in 20. A speed-up never fails anything, and doubt
    never counts in its favour: ``improved`` needs the ratio itself beyond the threshold.
    """
    if high < 1:
        return SLOWER if (low if floor is None else floor) >= 1 - threshold else REGRESSED
    if low > 1:
        return IMPROVED if ratio > 1 + threshold else FASTER
    if 1 - threshold <= low and high <= 1 + threshold:
        return UNCHANGED
    return INCONCLUSIVE


#: The share of alpha the first look gets when later looks are planned; the later looks
#: share the rest evenly. Most cells decide at the first look, and on a busy machine it is
#: often the only one that fits the time, so it gets most of the level. A permutation test
#: can use only levels k / N (N its rearrangements), and 8 pairs (256 sign patterns) use
#: all of 0.01 and of 0.008 alike (2 of 256): at 0.8 the first look of the A/B decides
#: exactly as a lone look at 0.01 would, and 0.0022 is left for the looks after it. An even
#: split would leave it 0.005 over two looks (1 of 256: all 8 pairs must agree) and nothing
#: over three (0.0033 < 1/256).
FIRST_LOOK_SHARE = 0.8


def rearrangements(n_base: int, n_cur: int, paired: bool = False) -> int:
    """How many rearrangements the permutation test on these sizes draws from (all of them,
    or the seeded sample plus the observed one): its p-values are multiples of 1 / this."""
    total = 2 ** n_base if paired else math.comb(n_base + n_cur, n_cur)
    return total if total <= EXACT_LIMIT else MONTE_CARLO + 1


def _even_split(sizes: Sequence[tuple[int, int]], alpha: float, paired: bool) -> list[float]:
    """Bonferroni over the most looks k of which k can reach alpha / k; the others get 0."""
    for k in range(len(sizes), 0, -1):
        able = [i for i, (nb, nc) in enumerate(sizes) if min_p_value(nb, nc, paired) <= alpha / k]
        if len(able) >= k:
            chosen = set(able[:k])
            return [alpha / k if i in chosen else 0.0 for i in range(len(sizes))]
    # no look can decide at all: any split is harmless, as no test can reject
    return [alpha / max(1, len(sizes))] * len(sizes)


def look_levels(sizes: Sequence[tuple[int, int]], alpha: float, paired: bool = False,
                first_share: float | None = None) -> list[float]:
    """The one-sided level each planned (baseline, current) look spends, fixed before any
    data is seen; they add up to at most ``alpha`` (Bonferroni, with weights).

    One look gets all of alpha. With more, alpha is split evenly over the looks that can
    reach their share; a look with level 0 cannot decide, and its processes count at the
    next look. With ``first_share`` (the A/B: :data:`FIRST_LOOK_SHARE`) the first look
    gets that share instead, rounded down to a level its test can reach (nothing it
    could use is lost), and the later looks share the rest. Against a stored baseline
    the split stays even: there the later looks add current processes to a baseline that
    is already measured, and the bimodal simulation of tests/test_stats.py (18 baseline
    processes, 6 current a look) catches a 10% slowdown in 403 of 500 with the first look
    at 0.8 against 450 or more with an even split."""
    if len(sizes) <= 1:
        return [alpha] * len(sizes)
    if first_share is None:
        return _even_split(sizes, alpha, paired)
    nb, nc = sizes[0]
    total = rearrangements(nb, nc, paired)
    first = math.floor(alpha * first_share * total + 1e-9) / total
    if first < min_p_value(nb, nc, paired):
        return _even_split(sizes, alpha, paired)
    return [first] + _even_split(sizes[1:], alpha - first, paired)


def planned_sizes(n_baseline: int, n_current: int, batch: int, grows_baseline: bool, looks: int = MAX_LOOKS) -> list[tuple[int, int]]:
    """The (baseline, current) process counts of every look: ``batch`` more current processes
    a look (and as many baseline ones in an A/B run, where both sides are measured live)."""
    return [(n_baseline + k * batch * grows_baseline, n_current + k * batch) for k in range(looks)]


def compare(
    baseline: Sequence[Sequence[float]],
    current: Sequence[Sequence[float]],
    max_regression: float = defaults.MAX_REGRESSION,
    alpha: float = defaults.ALPHA,
    alpha_look: float | None = None,
    look: int = 1,
    paired: bool = False,
    *,
    miss_rate: float = defaults.MISS_RATE,
    speeds: tuple[Sequence[Sequence[float]], Sequence[Sequence[float]]] | None = None,
    baseline_runs: Sequence[int] | None = None,
    drift: RunDrift | None = None,
    current_runs: Sequence[int] | None = None,
) -> Comparison:
    """The verdict for one cell from per-process FPS rounds (``[[r1, r2], [r1, r2], ...]``).

    ``alpha_look`` is the one-sided level spent on this look (default: all of ``alpha``);
    the look spends the same share of ``miss_rate`` on the bound that tells ``slower`` from
    ``regressed`` (:func:`classify`).
    ``paired``: process k of ``current`` ran beside process k of ``baseline`` (A/B), and
    the test is on the pair log-ratios.
    ``speeds``: the machine's speed around every round, (baseline, current), shaped as the
    FPS; when given, the test runs on :func:`speed_adjusted_logs` instead of raw FPS.
    ``baseline_runs``: how many of the baseline's processes each of its runs holds, in
    order (a process without rounds counts there, and not in the verdict). With the ``drift``
    between runs (:func:`run_drift`, of the baseline's runs or of
    the history's), the unit is the run (:class:`RunLevel`): the drift is in the interval,
    and this run's processes say only how well its own mean is known. ``current_runs`` does the same for
    the current side when it, too, pooled several runs (two saved files compared).
    """
    base, cur = process_medians(baseline), process_medians(current)
    if len(base) == 0 or len(cur) == 0:
        raise ValueError("both sides need at least one process with rounds")
    if paired and len(base) != len(cur):
        raise ValueError(f"a paired comparison needs as many processes a side, not {len(base)} and {len(cur)}")
    level = alpha if alpha_look is None else alpha_look
    lb, lc = np.log(base), np.log(cur)
    slope = None
    # a run counted as its best processes is judged as the drift was measured: speeds do not enter it
    best = _runs_counted_best(paired, drift)
    adjusted = speed_adjusted_logs((baseline, current), speeds) if speeds is not None and not best else None
    if adjusted is not None:
        (lb, lc), slope = adjusted
    b_runs = [len(baseline)] if baseline_runs is None else list(baseline_runs)
    c_runs = [len(current)] if current_runs is None else list(current_runs)
    # the drift comes from the baseline's runs, or from the history's where the baseline has one
    by_run = not paired and drift is not None
    base_level, cur_level = lb.mean(), lc.mean()
    runs_counted = (0, 0)  # the runs that kept a process with rounds, a side
    if by_run:
        for side, runs, processes in (("baseline", b_runs, baseline), ("current", c_runs, current)):
            if sum(runs) != len(processes):
                raise ValueError(f"{side} runs of {runs} processes do not add up to {len(processes)}")
        split = [_by_run(baseline, b_runs), _by_run(current, c_runs)]
        if best:  # a run is one number
            groups = [[np.asarray([run_value(run, BEST)]) for run in side] for side in split]
            base_level, cur_level = (float(np.mean(np.concatenate(g))) for g in groups)
        else:
            groups = [np.split(logs, np.cumsum([len(run) for run in side])[:-1]) for logs, side in zip((lb, lc), split)]
        runs_counted = (len(split[0]), len(split[1]))
        base_sizes, cur_sizes = ([len(run) for run in side] for side in split)
        test = RunLevel.of(groups[0], groups[1], drift, current_processes=cur_sizes, baseline_processes=base_sizes)
    else:
        test = Permutation.paired(lc - lb) if paired else Permutation.of(lb, lc)
    d = test.observed
    low, high = test.interval(level)
    p_low, p_high = test.p_lower(), test.p_higher()
    ratio = math.exp(d)
    ci_low, ci_high = math.exp(low), math.exp(high)
    miss_look = max(miss_rate * level / alpha, level)
    floor = math.exp(test.interval(miss_look)[0])
    comparison = Comparison(
        verdict=classify(ratio, ci_low, ci_high, max_regression, floor), baseline_fps=float(np.exp(base_level)),
        current_fps=float(np.exp(cur_level)), ratio=ratio, ci_low=ci_low, ci_high=ci_high,
        confidence=1 - 2 * level, floor=floor, floor_confidence=1 - miss_look,
        p_value=p_low if ratio < 1 else p_high, n_baseline=len(base), n_current=len(cur),
        threshold=max_regression, baseline_cv=_cv(np.exp(lb)), current_cv=_cv(np.exp(lc)), look=look,
        unit="pair" if paired else "run" if by_run else "process",
        pair_sd=float(np.std(lc - lb, ddof=1)) if paired and len(lb) > 1 else None,
        speed_slope=slope,
        drift=drift if by_run else None,
        baseline_runs=runs_counted[0],
        current_runs=runs_counted[1],
        reach=math.expm1((high - low) / 2) if by_run else 0.0,
        looser_sd=math.sqrt(test.looser) if by_run else 0.0,
    )
    if not comparison.undecided:
        return comparison
    # a doubtful regression must bring its bound at the miss rate within the threshold
    doubtful = comparison.doubtful
    bound = miss_look if doubtful else level
    if by_run:
        needed = test.processes_needed(len(lc), max_regression, bound, doubtful)
    elif paired:
        needed = pairs_needed(lc - lb, max_regression, bound, doubtful)
    else:
        needed = processes_needed(lb, lc, max_regression, bound, doubtful)
    return replace(comparison, processes_needed=needed)


def _by_run(processes: Sequence[Sequence[float]], runs: Sequence[int]) -> list[list[Sequence[float]]]:
    """The processes split into runs of these sizes, each run keeping those with rounds (as
    :func:`process_medians` counts them), and only the runs that keep one. A process given
    without rounds does not count: a confirming look gives so the baseline's processes that
    did not run at their run's usual speed (``ovperf.baseline.at_usual_speed``)."""
    bounds = np.cumsum([0, *runs])
    split = ([p for p in processes[a:b] if len(p)] for a, b in zip(bounds[:-1], bounds[1:]))
    return [run for run in split if run]


def pooled_sd(lb: np.ndarray, lc: np.ndarray) -> float:
    """The processes' spread (log scale) pooled over both sides, each around its own mean."""
    pooled = np.concatenate([lb - lb.mean(), lc - lc.mean()])
    return float(np.sqrt((pooled**2).sum() / max(1, len(pooled) - 2)))


def room_to_decide(observed: float, threshold: float, doubtful: bool = False) -> float:
    """How far (log scale) the interval's half-width must shrink to decide: from the
    estimate to 1 (a change) or to the nearer threshold (equivalence), whichever is larger;
    for a ``doubtful`` regression (:attr:`Comparison.doubtful`), from the estimate down to
    ``1 - threshold`` (shown within it: ``slower``)."""
    if doubtful:
        return max(observed - math.log1p(-threshold), 1e-6)
    d = abs(observed)
    return max(d, math.log1p(threshold) - d)


def processes_needed(lb: np.ndarray, lc: np.ndarray, threshold: float, level: float, doubtful: bool = False) -> int:
    """Roughly how many current processes would decide, from the spread seen so far.

    A normal approximation of the interval's half-width, sigma * z * sqrt(1/nb + 1/nc),
    against the distance the interval must clear (:func:`room_to_decide`).
    """
    sigma = pooled_sd(lb, lc) or 1e-3
    room = room_to_decide(float(lc.mean() - lb.mean()), threshold, doubtful)
    z = float(_z(level))
    need = (room / (sigma * z)) ** 2  # the half-width sigma * z * sqrt(1/nb + 1/nc) < room
    inv_base = 1 / len(lb)
    if need <= inv_base:
        return len(lc) + NEVER
    return max(len(lc) + 1, math.ceil(1 / (need - inv_base)))


def pairs_needed(diffs: np.ndarray, threshold: float, level: float, doubtful: bool = False) -> int:
    """Roughly how many pairs would decide: sigma * z / sqrt(n) against the room to clear
    (:func:`room_to_decide`), and at least the pairs whose sign flips can reach ``level`` at all."""
    sigma = float(np.std(diffs, ddof=1)) if len(diffs) > 1 else 1e-3
    room = room_to_decide(float(diffs.mean()), threshold, doubtful)
    exact = math.ceil(math.log2(1 / level))
    return max(len(diffs) + 1, exact, math.ceil((sigma * float(_z(level)) / room) ** 2))


def _z(level: float) -> float:
    from scipy.stats import norm

    return float(norm.isf(level))


def settle(comparison: Comparison) -> Comparison:
    """An undecided cell after its last look: ``unstable`` when the processes disagree a lot
    (the noise is the reason), ``inconclusive`` when more processes would decide. In a
    paired comparison the noise is the pairs' spread: two sides that both swing between
    modes, but together, are not noisy for it. Against a baseline of several runs, a drift
    between runs of 5% or more is noise too."""
    noise = (comparison.pair_sd or 0.0) if comparison.unit == "pair" else max(comparison.baseline_cv, comparison.current_cv)
    if comparison.drift is not None:
        noise = max(noise, comparison.drift.sd)
    if comparison.verdict == INCONCLUSIVE and noise >= UNSTABLE_CV:
        return replace(comparison, verdict=UNSTABLE)
    return comparison


def judge(
    sample: Callable[..., tuple[Sequence[Sequence[float]], ...] | None],
    sizes: Sequence[tuple[int, int]],
    seconds_left: Callable[[], float],
    max_regression: float = defaults.MAX_REGRESSION,
    alpha: float = defaults.ALPHA,
    paired: bool = False,
    *,
    miss_rate: float = defaults.MISS_RATE,
    baseline_runs: Sequence[int] | None = None,
    drift: RunDrift | None = None,
    lean_p: float = defaults.LEAN_P,
) -> Comparison:
    """Compare at look 1; while undecided (:attr:`Comparison.undecided`) or leaning
    (:func:`_leans`: ``unchanged`` at a one-sided p below ``lean_p``; 0 turns it off), time
    is left and more processes could decide, take the next look. A ``regressed`` run-unit cell counted
    by its best processes takes one more look to confirm it (:func:`_unconfirmed`). A cell
    still undecided after its last look keeps its verdict: a doubtful ``regressed`` fails, an ``inconclusive`` one may
    become ``unstable`` (:func:`settle`).

    ``sample(k)`` returns every (baseline, current) process measured up to look ``k``
    (0-based), optionally with their machine speeds as a third item (see :func:`compare`),
    or None when no more could be measured; ``sample(k, confirm=True)`` the baseline and
    only the new current processes of a confirming look (:func:`_unconfirmed`); ``sizes``
    plans the (baseline, current) process counts of every look in advance, so the alpha each
    look gets does not depend on the data.
    """
    if _runs_counted_best(paired, drift):
        # one look, and a confirming one after a regression (_unconfirmed): a cell fails only
        # when both reject, so each spends the whole of alpha; more processes of one run do
        # not shrink the drift, so no other look is taken, leaning or not
        levels, lean_p = [alpha, alpha], 0.0
    else:
        levels = look_levels(sizes, alpha, paired, first_share=FIRST_LOOK_SHARE if paired else None)

    def _look(taken, look: int, level: float, chosen: bool = False) -> Comparison:
        base, cur, *speeds = taken
        return compare(
            base, cur, max_regression=max_regression, alpha=alpha, alpha_look=level, look=look + 1, paired=paired,
            miss_rate=miss_rate, speeds=speeds[0] if speeds else None, baseline_runs=baseline_runs,
            drift=replace(drift, bests=()) if chosen and drift is not None else drift,
        )

    comparison = taken = leaned = None
    for look, level in enumerate(levels):
        if comparison is not None and _unconfirmed(comparison):
            # the confirmation is owed whatever the time: without it the cell does not fail.
            # Its processes, and the baseline's it holds to its rule, are chosen for the machine's
            # usual speed, not drawn at random, so what a random draw of fewer processes spreads
            # (RunDrift.looser) does not describe them: it is judged at the drift alone. The cell
            # fails only where the first look, which counts that spread, reads regressed too.
            confirmed = sample(look, confirm=True)
            return settle(comparison if confirmed is None else _look(confirmed, look, alpha, chosen=True))
        if look and seconds_left() <= 0:
            break
        leaning = comparison is not None and _leans(comparison, lean_p)
        if comparison is not None and (not (comparison.undecided or leaning) or _hopeless(comparison)
                                       or not any(levels[look:])):
            break
        if leaning:
            leaned = comparison
        more = sample(look)
        if more is None:
            break
        taken, taken_look = more, look
        if level == 0 and any(levels[look:]):
            continue  # this look cannot decide at its share: its processes count at a later one
        comparison = _look(taken, look, level)
    if comparison is None and taken is not None:
        # the planned looks that could decide never came: this one spends the share of the
        # first of them, which no other look spent
        comparison = _look(taken, taken_look, next(x for x in levels if x > 0))
    if leaned is not None and comparison.undecided:
        comparison = _after_lean(leaned, comparison)
    return settle(comparison)


def _leans(comparison: Comparison, lean_p: float) -> bool:
    """``unchanged`` (the interval lies within the threshold), yet the test leans towards a
    change: its one-sided p-value lies below ``lean_p`` (:data:`ovperf.defaults.LEAN_P`).
    A slowdown of about half the threshold often reads so at the first look; another look
    may show it and read ``slower``. Unchanged code rarely leans, so it rarely pays for the
    look. Taking a look or not on what the data showed keeps the level: each look's test
    spends its own planned share of alpha and of the miss rate (:func:`look_levels`), and the
    union bound over the planned looks holds whichever of them are taken."""
    return comparison.verdict == UNCHANGED and comparison.p_value < lean_p


def _after_lean(leaned: Comparison, last: Comparison) -> Comparison:
    """The verdict when the looks taken after a leaning ``unchanged`` one (:func:`_leans`)
    ended undecided. The earlier look showed the change within the threshold, at a level no
    larger than its share of the miss rate, and that stays shown:

    - a doubtful ``regressed`` (a slowdown shown, its size not) reads ``slower``: the
      slowdown is shown by the last look, and that it lies within the threshold by the
      earlier one, whose interval's lower end becomes the bound (:attr:`Comparison.floor`);
    - ``inconclusive``: the earlier look's ``unchanged`` stands.

    Each claim keeps the level of the look that made it, so the union bound over the looks
    still holds: a slowdown of the threshold's size passes at most at the miss rate."""
    shown = f"within {leaned.threshold:.0%} shown at look {leaned.look}: {leaned.interval()}"
    if last.doubtful:
        return replace(last, verdict=SLOWER, floor=leaned.ci_low, floor_confidence=(1 + leaned.confidence) / 2,
                       processes_needed=0).with_note(shown)
    return leaned.with_note(f"look {last.look} could not decide ({last.interval()} at {last.confidence:.1%} confidence)")


def _runs_counted_best(paired: bool, drift: RunDrift | None) -> bool:
    """A comparison with the run as the unit, a run counted as its best processes (:func:`run_value`)."""
    return not paired and drift is not None and drift.statistic == BEST


def _unconfirmed(comparison: Comparison) -> bool:
    """A ``regressed`` cell at its first look, with a run counted as its best processes
    (:func:`run_value`): a confirming look measures new processes of this run, spread over
    a span of time (``sample(look, confirm=True)`` returns them alone), and its verdict, on
    them alone, stands instead. The cell fails only when both looks show the regression,
    so the chance of a false alarm is at most that of either look alone, and each spends
    the whole of alpha (no other look can fail the cell).

    Why: a shared machine has slow periods. On the AMD EPYC bf16 host 5 of 80 measurements
    of a cell met one, 9-16% slow for about 30-80 s, in the cells without a hint only: the
    first look's processes all land in it, and so did an immediate second look's (2 false
    alarms in 48 unchanged cells). A look spread over a longer span meets the machine's usual
    state for part of it, which the best of four of its processes then reads (60 s: 1 false
    alarm in 72, a period of 80 s)."""
    return (comparison.unit == "run" and comparison.drift is not None and comparison.drift.statistic == BEST
            and comparison.verdict == REGRESSED and comparison.look == 1)


def owes_confirmation(
    baseline: Sequence[Sequence[float]], current: Sequence[Sequence[float]], *, max_regression: float,
    alpha: float, miss_rate: float, baseline_runs: Sequence[int] | None, drift: RunDrift | None,
) -> bool:
    """Whether :func:`judge`, given this first look against a stored baseline, would ask for a
    confirming look (:func:`_unconfirmed`): the first look's test as ``judge`` makes it, so a
    run can measure every cell's confirmation before any cell is judged
    (``ovperf.measure.Spread``) and the judge then reads the same one."""
    if not _runs_counted_best(False, drift):
        return False
    first = compare(baseline, current, max_regression=max_regression, alpha=alpha, alpha_look=alpha, look=1,
                    miss_rate=miss_rate, baseline_runs=baseline_runs, drift=drift)
    return _unconfirmed(first)


def _hopeless(comparison: Comparison) -> bool:
    """The run unit only: no number of further current processes would decide this cell, as
    the drift between runs alone keeps the interval too wide. (The process unit's estimate
    of what its baseline allows is too rough to stop on: its later looks still decide.)"""
    return comparison.unit == "run" and comparison.hopeless


def can_decide(sizes: Sequence[tuple[int, int]], alpha: float, paired: bool = False) -> bool:
    """Whether any planned look can reach the level it is given."""
    levels = look_levels(sizes, alpha, paired, first_share=FIRST_LOOK_SHARE if paired else None)
    return any(0 < level and min_p_value(nb, nc, paired) <= level for (nb, nc), level in zip(sizes, levels))


#: The fewest pairs for which a 95% distribution-free CI of a median exists: with n pairs the
#: widest such interval, [min, max], covers the median with probability 1 - 2 * 0.5**n.
MIN_PAIRS_FOR_CI = 6


def paired_ratio_ci(
    a_fps: Sequence[float], b_fps: Sequence[float]
) -> tuple[float, float | None, float | None]:
    """Median of B_k/A_k over process pairs, with its sign-test 95% CI (order statistics).

    Shown beside an A/B verdict: each pair's processes ran at the same time, so drift
    common to a pair cancels. The sign-test interval (``scipy.stats.quantile_test``)
    holds its level at any n and for any distribution of the ratios; a percentile
    bootstrap of the median missed a true ratio of 1.0 in 9.5% of simulated A/A runs
    of 8 pairs against the 5% it promised.
    """
    from scipy import stats as sps

    ratios = np.asarray(b_fps, dtype=float) / np.asarray(a_fps, dtype=float)
    median = float(np.median(ratios))
    if len(ratios) < MIN_PAIRS_FOR_CI:
        return median, None, None
    ci = sps.quantile_test(ratios, q=1.0, p=0.5).confidence_interval(0.95)
    return median, float(ci.low), float(ci.high)
