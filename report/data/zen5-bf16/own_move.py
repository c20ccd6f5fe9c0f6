"""What moves each cell on its own between stored-baseline comparison runs, re-read from campaigns' files.

    .venv/bin/python report/data/zen5-bf16/own_move.py DIR [DIR ...]

DIR holds comparison runs ``cmp-NN-KIND.json`` against its ``base.json`` (KIND ``aa`` or the
injected percentage). For each cell judged with the run as the unit, its first look's processes
(the run's first ``--ov-processes``, drawn at random, FPS at the baseline's machine speed times
the run's ``machine_factor`` where the run so read it) give one number under each run statistic
below; minus the mean of the baseline's runs under the same statistic, minus the injection, it is
the cell's move since its baseline. The runs x cells table of those moves is taken apart as
``ovperf.power`` takes a run's ratios (``ovperf.stats.drift_parts``): ``own``, what moves each
cell on its own from run to run, which no measure of the whole run can take out and which caps
any rule judging one run of a cell; ``common``, what moves a whole run; ``baseline``, the SD of
the statistic between the baseline's own runs, pooled over the cells.

The statistics: ``best4`` (the suite's, ``ovperf.stats.run_value``: the best of 4 processes to
expect, from each process's best round); ``best2``; ``max`` (the best process); ``tophalf`` (the
mean of the faster half of the processes' bests); ``mean_best`` (the mean of the processes'
bests); ``mean_med`` (the mean of their log medians, ``--ov-run-statistic mean``). Then, for the
suite's and the two means, the correlation of the ``own`` residuals of the two halves of each
look's processes (odd and even places): near 0, a cell's own move is the sampling of its
processes, which more processes shrink; near 1, something that holds a cell for a whole run, which
they would not. Only the files' own samples; nothing is simulated.
"""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np

from ovperf import baseline as bl
from ovperf.baseline import cell_runs
from ovperf.measure import scaled
from ovperf.stats import best_of, drift_parts


def _bests(run) -> np.ndarray:
    return np.log([max(p) for p in run if len(p)])


STATISTICS = {
    "best4": lambda run: best_of(_bests(run), 4),
    "best2": lambda run: best_of(_bests(run), 2),
    "max": lambda run: float(_bests(run).max()),
    "tophalf": lambda run: float(np.sort(_bests(run))[len(_bests(run)) // 2:].mean()),
    "mean_best": lambda run: float(_bests(run).mean()),
    "mean_med": lambda run: float(np.mean(np.log([np.median(p) for p in run if len(p)]))),
}
HALVES = ("best4", "mean_best", "mean_med")


def looks(d: Path):
    """Each run's cells: (name, the first look's processes, the baseline's runs, log(1 - injected))."""
    base = bl.load(d / "base.json")
    at_level = base.at_machine_level(base.units_level) if base.units_level is not None else base
    for path in sorted(d.glob("cmp-*.json")):
        run = json.loads(path.read_text())
        first, cells = run["ovperf"]["processes"], []
        for b in run["benchmarks"]:
            info = b["extra_info"]
            if (info.get("verdict") or {}).get("unit") != "run" or not info.get("fps_processes"):
                continue
            factor = info.get("machine_factor")
            saved = (at_level if factor is not None else base).cells[b["name"]]
            runs = [r for r in cell_runs(saved) if any(len(p) for p in r)]
            cells.append((b["name"], scaled(info["fps_processes"][:first], factor), runs,
                          math.log1p(-float(info.get("inject_slowdown") or 0.0))))
        yield cells


def baseline_spread(d: Path, statistic) -> float:
    base = bl.load(d / "base.json")
    src = base.at_machine_level(base.units_level) if base.units_level is not None else base
    variances = [np.var([statistic(r) for r in runs], ddof=1) for runs in
                 ([r for r in cell_runs(info) if any(len(p) for p in r)] for info in src.cells.values())
                 if len(runs) > 1]
    return math.sqrt(float(np.mean(variances)))


def _residuals(rows: list[list[float]]) -> np.ndarray:
    t = np.asarray(rows)
    return (t - t.mean(axis=1, keepdims=True) - t.mean(axis=0, keepdims=True) + t.mean()).ravel()


def main() -> None:
    for d in map(Path, sys.argv[1:]):
        runs = [cells for cells in looks(d) if cells]
        names = [name for name, *_ in runs[0]]
        runs = [cells for cells in runs if [name for name, *_ in cells] == names]
        print(f"{d}: {len(runs)} runs x {len(names)} cells, {len(runs[0][0][1])} processes a look")
        for key, f in STATISTICS.items():
            table = [{name: f(cur) - np.mean([f(r) for r in base]) - inject for name, cur, base, inject in cells}
                     for cells in runs]
            parts = drift_parts([table], "best")
            print(f"  {key:9s} own {math.sqrt(parts.cell):.2%}, common {math.sqrt(parts.common):.2%}, "
                  f"baseline {baseline_spread(d, f):.2%}")
        halves = []
        for key in HALVES:
            f = STATISTICS[key]
            a = _residuals([[f(cur[0::2]) - inject for _, cur, _, inject in cells] for cells in runs])
            b = _residuals([[f(cur[1::2]) - inject for _, cur, _, inject in cells] for cells in runs])
            halves.append(f"{key} {np.corrcoef(a, b)[0, 1]:+.2f}")
        print(f"  the two halves' own moves correlate: {', '.join(halves)}")


if __name__ == "__main__":
    main()
