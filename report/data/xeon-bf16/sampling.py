"""How much of a cell's own move between comparison runs is the sampling of its first look.

    .venv/bin/python report/data/xeon-bf16/sampling.py [--first N] RUN.json [RUN.json ...]

A stored-baseline comparison counts a run of a cell as the best of 4 of its processes to expect
(``ovperf.stats.run_value``), from the ``FIRST`` processes of its first look (``--first N`` for
runs made with ``--ov-processes N``). ``python -m
ovperf.power`` splits how the runs moved since their baseline into a part every cell of a run
shares and each cell's own; this prints how large the sampling of that best of 4 from its
processes alone is: per cell (the runs judged with the run as the unit), the first look's
processes resampled with replacement (``BOOT`` times, a fixed seed), their best of 4's spread
in log FPS, then its root mean square over the cells. A bootstrap of a best-of statistic from 5
values is rough; it is an estimate of how much more processes a look could take off a cell's own
move, not a rule of the suite. Only the files' own samples.
"""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np

from ovperf.defaults import BEST_OF
from ovperf.settings import DEFAULT_COMPARE_PROCESSES as FIRST
from ovperf.stats import best_of

BOOT = 2000


def main() -> None:
    rng = np.random.default_rng(0)
    variances = []
    args, first = sys.argv[1:], FIRST
    if args[:1] == ["--first"]:
        first, args = int(args[1]), args[2:]
    for path in args:
        for bench in json.loads(Path(path).read_text())["benchmarks"]:
            info = bench["extra_info"]
            if (info.get("verdict") or {}).get("unit") != "run":
                continue
            logs = np.log([max(p) for p in info["fps_processes"][:first]])
            boots = [best_of(rng.choice(logs, len(logs)), BEST_OF) for _ in range(BOOT)]
            variances.append(float(np.var(boots, ddof=1)))
    print(f"{len(variances)} cells' first looks of {first} processes: the best of {BEST_OF}'s own spread by bootstrap "
          f"{math.sqrt(np.mean(variances)):.1%} (root mean square over the cells; median cell "
          f"{math.sqrt(np.median(variances)):.1%})")


if __name__ == "__main__":
    main()
