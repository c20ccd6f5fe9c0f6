"""How much of a cell's own move between comparison runs is the sampling of its first look.

    .venv/bin/python report/data/xeon-bf16/sampling.py RUN.json [RUN.json ...]

A stored-baseline comparison counts a run of a cell as the best of 4 of its processes to expect
(``ovperf.stats.run_value``), from the processes of its first look (as many as the run's
``--ov-processes``, which its file records). ``python -m ovperf.power`` splits how the runs moved
since their baseline into a part every cell of a run shares and each cell's own; this prints how
large the sampling of that best of 4 from its processes alone is: per cell (the runs judged with
the run as the unit), the first look's processes resampled with replacement (``BOOT`` times, a
fixed seed), their best of 4's spread in log FPS, then its root mean square over the cells. A bootstrap of a best-of statistic from 5
values is rough; it is an estimate of how much more processes a look could take off a cell's own
move, not a rule of the suite. Only the files' own samples.
"""
from __future__ import annotations

import argparse
import json
import math
from collections import Counter
from pathlib import Path

import numpy as np

from ovperf.defaults import BEST_OF
from ovperf.stats import best_of

BOOT = 2000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+", type=Path, metavar="RUN.json", help="comparison runs (--benchmark-json)")
    rng = np.random.default_rng(0)
    variances, looks = [], Counter()
    for path in parser.parse_args().runs:
        run = json.loads(path.read_text())
        first = run["ovperf"]["processes"]  # a look's processes (``--ov-processes``)
        for bench in run["benchmarks"]:
            info = bench["extra_info"]
            if (info.get("verdict") or {}).get("unit") != "run":
                continue
            logs = np.log([max(p) for p in info["fps_processes"][:first]])
            boots = [best_of(rng.choice(logs, len(logs)), BEST_OF) for _ in range(BOOT)]
            variances.append(float(np.var(boots, ddof=1)))
            looks[first] += 1
    sizes = " and ".join(f"{n} of {k}" for k, n in sorted(looks.items()))
    print(f"{len(variances)} cells' first looks ({sizes} processes): the best of {BEST_OF}'s own spread by bootstrap "
          f"{math.sqrt(np.mean(variances)):.1%} (root mean square over the cells; median cell "
          f"{math.sqrt(np.median(variances)):.1%})")


if __name__ == "__main__":
    main()
