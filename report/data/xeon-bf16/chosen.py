"""How far a baseline's number would move if its processes were chosen as a confirmation
chooses its own: only those that ran at their run's usual speed by the units kernel.

    .venv/bin/python report/data/xeon-bf16/chosen.py BASE.json

A confirming look (``ovperf.measure._ConfirmRule``) counts only the new processes whose units-kernel
speed reached ``1 -`` the margin (``ovperf.noise.UsualSpeed.margin``, seeded with the baseline's
processes) of the usual speed, and since ddb8a64 holds the baseline's processes to the same margin
of their run's own usual speed (``ovperf.baseline.Baseline.usual_speeds`` and ``at_usual_speed``,
called here). Each cell's run number (``ovperf.stats.run_value``, the best of 4 to expect) of the
processes so held is set against that of all of them: per cell, the mean over the runs of the shift
in percent, then how many processes were kept and the mean shift. Only the file's own samples.
"""
from __future__ import annotations

import sys

import numpy as np

from ovperf.baseline import MATRIX_PREFIX, at_usual_speed, cell_runs, load
from ovperf.measure import seed_usual
from ovperf.noise import UsualSpeed
from ovperf.stats import run_value


def main() -> None:
    base = load(sys.argv[1])
    usual = UsualSpeed()
    seed_usual(usual, base.cells)
    cells = {name: info for name, info in base.cells.items() if name.startswith(MATRIX_PREFIX)}
    margin = usual.margin(next(iter(cells.values()))["units_speed_kernel"])
    speeds = base.usual_speeds("units_")  # each run's usual speed, as a confirmation holds the baseline to it
    print(f"margin {margin:.1%}; each run's usual speed: " + ", ".join(f"{u:.1f}" for u in speeds))
    kept = total = 0
    shifts = []
    for name, info in cells.items():
        chosen = iter(at_usual_speed(info, speeds, margin, "units_"))
        per_run = []
        for run in cell_runs(info):
            held = [p for p in (next(chosen) for _ in run) if p]
            kept, total = kept + len(held), total + len(run)
            if held:
                per_run.append(run_value(held) - run_value(run))
        shifts.append(float(np.mean(per_run)))
        print(f"{name:45s} {100 * shifts[-1]:+.2f}%")
    print(f"kept {kept} of {total} processes; the baseline's number moved {100 * float(np.mean(shifts)):+.2f}% "
          f"on average over {len(shifts)} cells")


if __name__ == "__main__":
    main()
