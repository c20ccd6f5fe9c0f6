"""Does the reference kernel tell the machine's slow periods? Read from recorded runs.

For every ``--benchmark-json`` file given (cells that recorded ``speed_processes``), each
process's median kernel speed is taken as a share of the file's usual speed (the 90th
percentile of every process's median in that file; ``ovperf.noise.UsualSpeed`` keeps it so
over a session, with the stored baseline's processes pooled in), and its best round as a share of its cell's fast processes (the 90th
percentile of the cell's best rounds). The table: per band of kernel share, the processes and
the share of them 7% or more below their cell's fast ones (the slow mode or a slow period).
Then what counting only processes at the usual speed (kernel share >= 1 - USUAL_MARGIN) does to
a run's number (``ovperf.stats.run_value``, best of 4) in cells with no injected slowdown: the
mean and SD of the log difference, and the share of processes set aside. Last, each cell's
median kernel share.

Usage: .venv/bin/python report/data/usual-speed/kernel.py FILE.json [FILE.json ...]
"""
import json
import sys
from collections import defaultdict

import numpy as np

from ovperf.noise import USUAL_MARGIN, USUAL_QUANTILE
from ovperf.stats import run_value

BANDS = [(0.0, 0.90), (0.90, 0.93), (0.93, 1 - USUAL_MARGIN), (1 - USUAL_MARGIN, 0.97), (0.97, 1.0), (1.0, 9.0)]
points, differences, set_aside, files, by_cell = [], [], [], 0, defaultdict(list)
for path in sys.argv[1:]:
    cells = []
    for bench in json.loads(open(path).read())["benchmarks"]:
        info = bench["extra_info"]
        speeds, fps = info.get("speed_processes"), info.get("fps_processes")
        if speeds and fps and len(speeds) == len(fps):
            cells.append(([float(np.median(s)) for s in speeds], fps, float(info.get("inject_slowdown") or 0.0),
                          bench["name"]))
    if not cells:
        continue
    files += 1
    usual = np.percentile([k for kernels, _, _, _ in cells for k in kernels], USUAL_QUANTILE)
    for kernels, fps, inject, name in cells:
        by_cell[name] += [k / usual for k in kernels]
        fast = np.percentile([max(p) for p in fps], 90)
        points += [(k / usual, max(p) / fast) for k, p in zip(kernels, fps)]
        kept = [p for k, p in zip(kernels, fps) if k >= (1 - USUAL_MARGIN) * usual]
        if not inject and len(kept) >= 4:
            differences.append(run_value(kept) - run_value(fps))
            set_aside.append(1 - len(kept) / len(fps))
points = np.array(points)
print(f"{len(points)} processes in {files} files")
print("| kernel / usual | processes | 7% or more below the cell's fast ones |")
print("|---|---|---|")
for low, high in BANDS:
    inside = (points[:, 0] >= low) & (points[:, 0] < high)
    if inside.any():
        print(f"| {low:.2f}-{min(high, 9):.2f} | {inside.sum()} | {(points[inside, 1] < 0.93).mean():.0%} |")
d = np.array(differences)
print(f"usual-speed processes only, {len(d)} unchanged cells with 4 or more of them: the run's number moves "
      f"{d.mean():+.2%} on average (SD {d.std(ddof=1):.2%}); {np.mean(set_aside):.0%} of processes set aside")
print("median kernel / usual speed per cell:",
      ", ".join(f"{name} {np.median(v):.2f}" for name, v in sorted(by_cell.items())))
