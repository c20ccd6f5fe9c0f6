"""A stored baseline's drift between its runs, as measured and at its machine level by the units kernel.

    .venv/bin/python report/data/xeon-bf16/drift.py BASE.json [BASE.json ...]

For each baseline: each run's units-kernel speed against the runs' mean
(``Baseline.units_level``, ``ovperf.noise.MachineLevel``), and the drift between runs that the
verdicts use (``Baseline.drift``: its SD and degrees of freedom), of the FPS as measured and read at
the baseline's machine speed (``Baseline.at_machine_level``, what ``--ov-machine-adjust auto``
judges against). Only the file's own samples.
"""
from __future__ import annotations

import math
import sys
from pathlib import Path

from ovperf.baseline import load


def main(paths: list[str]) -> None:
    for path in paths:
        base = load(Path(path))
        level = base.units_level
        if level is None:
            print(f"{path}: no units kernel in every run; drift as measured {math.sqrt(base.drift.variance):.1%}")
            continue
        runs = ", ".join(f"{math.exp(r - level.mean):.3f}" for r in level.runs)
        adjusted = base.at_machine_level(level).drift
        print(f"{path}: {len(level.runs)} runs, the units kernel at {runs} of their mean; drift between runs "
              f"{math.sqrt(base.drift.variance):.1%} as measured, {math.sqrt(adjusted.variance):.1%} at the machine "
              f"level ({adjusted.df} df)")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
