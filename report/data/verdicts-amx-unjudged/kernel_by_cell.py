"""Where each cell's processes put the speed kernel, in a stored baseline: the median of the
cell's processes' median kernel speed, as a share of the 90th percentile over every process of
the file (the usual speed a session seeded with it starts from, ovperf.noise.UsualSpeed).

Threads that OpenVINO leaves busy after a round slow the kernel measured next to it: a cell
whose share sits well below the others' shows that effect, not a slow machine.

Usage: .venv/bin/python report/data/verdicts-amx-unjudged/kernel_by_cell.py BASELINE.json
"""
import json
import statistics
import sys

import numpy as np

from ovperf.measure import baseline_speed

cells = {b["name"]: b["extra_info"] for b in json.loads(open(sys.argv[1]).read())["benchmarks"]}
speeds = {name: [statistics.median(p) for p in s.processes]
          for name, s in ((n, baseline_speed(info)) for n, info in cells.items()) if s is not None}
usual = float(np.percentile([x for v in speeds.values() for x in v], 90))
for name, values in speeds.items():
    print(f"{name}: {len(values)} processes, median kernel at {statistics.median(values) / usual:.0%} of the usual speed")
