"""How far a baseline's runs drift when cut to fewer processes, beside what the bootstrap predicts.

    .venv/bin/python report/data/zen5-bf16/cut.py BASE.json [N ...]

A run counted as its best processes (``ovperf.stats.run_value``) spreads more the fewer processes
it has. For each N (default 5 and 10), each run of every cell of the baseline is cut to N of its
processes, drawn without replacement (``DRAWS`` seeded draws a cell), and the drift between the
cut runs is pooled over the cells as ``ovperf.stats.run_drift`` pools it: what runs of N processes
of this machine drift, as measured (FPS as the file holds it). Beside it, what the suite predicts
for a run of N from the whole runs: their drift plus ``ovperf.stats.RunDrift.looser(N)``, the
bootstrap of their processes. Only the file's own samples.
"""
from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np

from ovperf import baseline as bl
from ovperf.baseline import cell_runs
from ovperf.defaults import BEST_OF
from ovperf.stats import best_of

DRAWS = 300


def main() -> None:
    path, sizes = Path(sys.argv[1]), [int(n) for n in sys.argv[2:]] or [5, 10]
    base = bl.load(path)
    drift = base.drift
    rng = np.random.default_rng(0)
    cells = [[np.log([max(p) for p in run if len(p)]) for run in cell_runs(info)] for info in base.cells.values()]
    cells = [runs for runs in cells if len(runs) > 1]
    print(f"{path}: {len(cells)} cells of {', '.join(str(len(r)) for r in cells[0])} processes a run; "
          f"the drift between whole runs {drift.sd:.2%} ({drift.df} df)")
    for n in sizes:
        variances = [np.var([best_of(rng.choice(run, n, replace=False), BEST_OF) for run in runs], ddof=1)
                     for runs in cells for _ in range(DRAWS) if min(len(run) for run in runs) >= n]
        print(f"runs cut to {n} processes drift {math.sqrt(np.mean(variances)):.2%}; predicted "
              f"{math.sqrt(drift.variance + drift.looser(n)):.2%} (the whole runs' drift plus RunDrift.looser({n}))")


if __name__ == "__main__":
    main()
