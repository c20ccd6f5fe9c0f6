"""How far each cell's run number moves between unchanged runs, as each statistic counts a run
(``ovperf.stats.run_value``): the SD of the log of it over the given runs' JSON files, per cell.

Usage: .venv/bin/python report/data/verdicts-amd/spread.py RUN.json...
"""
import json
import sys

import numpy as np

from ovperf.stats import RUN_STATISTICS, run_value

runs = [json.loads(open(path).read())["benchmarks"] for path in sys.argv[1:]]
names = [b["name"] for b in runs[0]]
print(f"{len(runs)} runs; SD of log(run number) between them, per cell")
for statistic in RUN_STATISTICS:
    cells = {n: [run_value(b["extra_info"]["fps_processes"], statistic) for r in runs for b in r if b["name"] == n]
             for n in names}
    sds = {n: float(np.std(v, ddof=1)) for n, v in cells.items() if len(v) > 1}
    print(f"{statistic}: " + ", ".join(f"{n.split('[')[-1].rstrip(']')} {sd:.1%}" for n, sd in sds.items())
          + f" (range {min(sds.values()):.1%}-{max(sds.values()):.1%})")
