"""How far a baseline's number would move if its processes were chosen as a confirmation
chooses its own: only those that ran at their run's usual speed by the units kernel.

    .venv/bin/python report/data/xeon-bf16/chosen.py BASE.json

A confirming look (``ovperf.measure._ConfirmRule``) counts only the new processes whose units-kernel
speed reached ``1 -`` the margin (``ovperf.noise.UsualSpeed.margin``, seeded with the baseline's
processes) of the usual speed; the baseline's processes all count. Here each baseline run's
processes are held to that margin of the run's own ``USUAL_QUANTILE``-th percentile over every
OpenVINO cell's processes of that run, and each cell's run number (``ovperf.stats.run_value``, the
best of 4 to expect) of the chosen processes is set against that of all of them: per cell, the mean
over the runs of the shift in percent, then how many processes were kept and the mean shift. A
lead for a symmetric confirmation, not a rule of the suite. Only the file's own samples.
"""
from __future__ import annotations

import statistics
import sys

import numpy as np

from ovperf.baseline import MATRIX_PREFIX, cell_runs, load
from ovperf.noise import USUAL_QUANTILE, UsualSpeed
from ovperf.stats import run_value


def main() -> None:
    base = load(sys.argv[1])
    cells = {name: info for name, info in base.cells.items()
             if name.startswith(MATRIX_PREFIX) and len(info.get("units_speed_runs") or []) == len(cell_runs(info))}
    speeds = {name: [[statistics.median(p) for p in run] for run in info["units_speed_runs"]]
              for name, info in cells.items()}
    seeded = UsualSpeed()
    seeded.seed("units", [[v] for runs in speeds.values() for run in runs for v in run])
    margin = seeded.margin("units")
    n_runs = min(len(runs) for runs in speeds.values())
    usual = [float(np.percentile([v for runs in speeds.values() for v in runs[r]], USUAL_QUANTILE))
             for r in range(n_runs)]
    print(f"margin {margin:.1%}; each run's usual speed: " + ", ".join(f"{u:.1f}" for u in usual))
    kept = total = 0
    shifts = []
    for name, info in cells.items():
        per_run = []
        for r, run in enumerate(cell_runs(info)[:n_runs]):
            chosen = [p for p, v in zip(run, speeds[name][r]) if v >= (1 - margin) * usual[r]]
            kept, total = kept + len(chosen), total + len(run)
            if chosen:
                per_run.append(run_value(chosen) - run_value(run))
        shifts.append(float(np.mean(per_run)))
        print(f"{name:45s} {100 * shifts[-1]:+.2f}%")
    print(f"kept {kept} of {total} processes; the baseline's number moved {100 * float(np.mean(shifts)):+.2f}% "
          f"on average over {len(shifts)} cells")


if __name__ == "__main__":
    main()
