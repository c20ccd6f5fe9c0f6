"""Where an A/B run's noise lives, and what a cell's time buys: read from real A/B runs.

An interleaved A/B cell holds, for each pair ``i``, A's process and B's process, each
with ``r`` rounds. On the log scale a round's FPS is ``cell + side + process + round``,
so the difference of a pair's process means has the variance

    var(d) = 2 sigma_p**2 + 2 sigma_r**2 / r

(``sigma_r``: rounds inside one process; ``sigma_p``: one process against another of
the same side that the pairing does not cancel). ``sigma_r`` comes straight from the
spread inside processes; ``sigma_p`` from the method of moments, floored at 0. Both are
pooled over runs of one cell and one design (rounds a process and frames a round), around each run's own
mean difference, so an injected slowdown or the machine's drift between runs adds nothing.

What a design costs is the wall time of a pair, ``overhead + 2 r t_round`` (``cell_seconds``
over the pairs, where the run recorded it). Its precision per second is
``var(d) x seconds a pair``: the lower, the less time a cell needs for a given interval.
Minimising it over ``r`` gives the time-optimal rounds a process,

    r* = sqrt(sigma_r**2 overhead / (2 sigma_p**2 t_round)),

infinite where processes add no noise of their own (then only measured time counts).
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import numpy as np
from scipy import stats

#: What the "pairs needed" column plans for: a 5% slowdown, shown at two-sided alpha 0.01
#: (the A/B's default level at its first look) in 90% of cells.
PLAN_SLOWDOWN, PLAN_ALPHA, PLAN_POWER = 0.05, 0.01, 0.90


@dataclass
class CellNoise:
    """One cell in one design (rounds a process, frames a round), pooled over the runs that measured it."""

    cell: str
    rounds: int
    runs: int
    pairs: int
    sigma_round: float
    sigma_process: float
    pair_sd: float
    round_seconds: float
    pair_seconds: float | None
    #: Frames a round (0 where the run did not record it).
    frames: int = 0

    @property
    def predicted_pair_sd(self) -> float:
        return math.sqrt(2 * self.sigma_process**2 + 2 * self.sigma_round**2 / self.rounds)

    @property
    def overhead(self) -> float | None:
        """Seconds a pair spends outside its measured rounds (start, compile, warm-up)."""
        if self.pair_seconds is None:
            return None
        return max(0.0, self.pair_seconds - 2 * self.rounds * self.round_seconds)

    def pairs_needed(self) -> int:
        """Pairs for a ``PLAN_SLOWDOWN`` slowdown to be shown at ``PLAN_ALPHA`` in ``PLAN_POWER`` of cells."""
        z = stats.norm.ppf(1 - PLAN_ALPHA / 2) + stats.norm.ppf(PLAN_POWER)
        return math.ceil((z * self.pair_sd / -math.log(1 - PLAN_SLOWDOWN)) ** 2)

    def sd_in(self, seconds: float) -> float | None:
        """The SD of the log ratio after ``seconds`` of this design."""
        if not self.pair_seconds:
            return None
        return self.pair_sd * math.sqrt(self.pair_seconds / seconds)

    def best_rounds(self) -> float | None:
        """The time-optimal rounds a process (``inf``: processes add no noise, only rounds count)."""
        overhead = self.overhead
        if overhead is None or not self.round_seconds:
            return None
        if self.sigma_process == 0:
            return math.inf
        return math.sqrt(self.sigma_round**2 * overhead / (2 * self.sigma_process**2 * self.round_seconds))


def ab_cells(run: Mapping) -> Iterable[tuple[str, list[list[float]], list[list[float]], Mapping]]:
    """(cell id, A's processes, B's processes, extra_info) of every A/B cell of one run's JSON."""
    for bench in run.get("benchmarks", []):
        info = bench.get("extra_info") or {}
        ab = info.get("ab")
        if isinstance(ab, dict) and info.get("fps_processes") and ab.get("fps_processes"):
            yield str(info.get("id") or bench.get("name")), info["fps_processes"], ab["fps_processes"], info


def decompose(runs: Sequence[Mapping]) -> list[CellNoise]:
    """Every cell's noise by level, per design, from A/B runs' JSON (sorted by cell, then rounds
    and frames): designs that differ only in frames a round are kept apart."""
    groups: dict[tuple[str, int, int], list] = defaultdict(list)
    for run in runs:
        for cell, a, b, info in ab_cells(run):
            pairs = min(len(a), len(b))
            rounds = min(len(p) for p in a[:pairs] + b[:pairs])
            if pairs < 2 or rounds < 1:
                continue
            logs = [np.log(np.asarray(p[:rounds], dtype=float)) for p in a[:pairs] + b[:pairs]]
            d = np.array([logs[pairs + i].mean() - logs[i].mean() for i in range(pairs)])
            seconds = [s for p in info.get("round_seconds") or [] for s in p]
            seconds += [s for p in (info["ab"].get("round_seconds") or []) for s in p]
            groups[cell, rounds, int(info.get("frames") or 0)].append((logs, d, seconds, info.get("cell_seconds")))
    out = []
    for (cell, rounds, frames), entries in sorted(groups.items()):
        within = [(float(((x - x.mean()) ** 2).sum()), len(x) - 1) for logs, *_ in entries for x in logs]
        df = sum(k for _, k in within)
        var_round = sum(s for s, _ in within) / df if df else 0.0
        var_d = sum(float(((d - d.mean()) ** 2).sum()) for _, d, *_ in entries) / sum(len(d) - 1 for _, d, *_ in entries)
        var_process = max(0.0, var_d / 2 - var_round / rounds)
        seconds = [s for *_, secs, _ in entries for s in secs]
        timed = [(cs, len(d)) for _, d, _, cs in entries if cs]
        out.append(CellNoise(
            cell=cell, rounds=rounds, runs=len(entries), pairs=sum(len(d) for _, d, *_ in entries),
            sigma_round=math.sqrt(var_round), sigma_process=math.sqrt(var_process), pair_sd=math.sqrt(var_d),
            round_seconds=float(np.median(seconds)) if seconds else 0.0,
            pair_seconds=sum(c for c, _ in timed) / sum(n for _, n in timed) if timed else None,
            frames=frames,
        ))
    return out


def pooled(cells: Sequence[CellNoise]) -> list[CellNoise]:
    """One row per design over all its cells: variances averaged (cells weigh the same), times averaged."""
    by_design: dict[tuple[int, int], list[CellNoise]] = defaultdict(list)
    for c in cells:
        by_design[c.rounds, c.frames].append(c)
    out = []
    for (rounds, frames), group in sorted(by_design.items()):
        timed = [c.pair_seconds for c in group if c.pair_seconds]
        out.append(CellNoise(
            cell="all cells", rounds=rounds, runs=sum(c.runs for c in group), pairs=sum(c.pairs for c in group),
            sigma_round=math.sqrt(np.mean([c.sigma_round**2 for c in group])),
            sigma_process=math.sqrt(np.mean([c.sigma_process**2 for c in group])),
            pair_sd=math.sqrt(np.mean([c.pair_sd**2 for c in group])),
            round_seconds=float(np.mean([c.round_seconds for c in group])),
            pair_seconds=float(np.mean(timed)) if timed else None,
            frames=frames,
        ))
    return out


def noise_table(cells: Sequence[CellNoise]) -> list[list[str]]:
    """The rows of ``python -m ovperf.power --noise``: the cells, then each design over all cells."""
    header = ["cell", "rounds a process", "frames a round", "runs", "pairs", "round SD", "process SD", "pair SD (predicted)",
              "s a round", "s a pair", "SD after 10 min",
              f"pairs for {PLAN_SLOWDOWN:.0%} (alpha {PLAN_ALPHA:g}, {PLAN_POWER:.0%})", "min a cell for it",
              "best rounds a process"]
    rows = [header]
    for c in [*cells, *pooled(cells)]:
        sd10, needed, best = c.sd_in(600.0), c.pairs_needed(), c.best_rounds()
        rows.append([
            c.cell, str(c.rounds), str(c.frames or "-"), str(c.runs), str(c.pairs), f"{c.sigma_round:.1%}", f"{c.sigma_process:.1%}",
            f"{c.pair_sd:.1%} ({c.predicted_pair_sd:.1%})", f"{c.round_seconds:.2f}",
            f"{c.pair_seconds:.1f}" if c.pair_seconds else "-", f"{sd10:.1%}" if sd10 is not None else "-",
            str(needed), f"{needed * c.pair_seconds / 60:.0f}" if c.pair_seconds else "-",
            "-" if best is None else "only rounds count" if math.isinf(best) else f"{best:.0f}",
        ])
    return rows
