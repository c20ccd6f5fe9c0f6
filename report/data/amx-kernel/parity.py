"""Does timing the OpenVINO convolution kernel around every round move the model's FPS?

    .venv/bin/python report/data/amx-kernel/parity.py report/data/amx-kernel/parity

The directory holds ``parity.sh``'s pairs of plain runs, ``COMMIT-NN.json``, one commit without
the kernel and one with it (the one whose cells recorded ``units_speed_processes``, or
``speed_amx_processes`` from ``kernel.patch``). Per
cell and over all, the log ratio with / without of each pair's run numbers
(``ovperf.stats.run_value``, the verdict's), its mean over the pairs and a t interval (scipy);
then each side's median peak memory of a process (``peak_rss_compile_mib``, ``peak_rss_run_mib``).
Only the files' own samples.
"""
from __future__ import annotations

import json
import math
import re
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy import stats

from ovperf.stats import run_value


def main(directory: str) -> None:
    runs: dict = defaultdict(dict)  # pair -> side -> cell -> run number
    memory: dict = defaultdict(list)  # side -> (compile, run) peak MiB of each cell
    for path in sorted(Path(directory).glob("*-[0-9][0-9].json")):
        pair = re.search(r"-(\d+)$", path.stem).group(1)
        cells = {b["extra_info"]["id"]: b["extra_info"] for b in json.loads(path.read_text())["benchmarks"]}
        side = "with" if any(c.get("units_speed_processes") or c.get("speed_amx_processes")
                             for c in cells.values()) else "without"
        runs[pair][side] = {cid: run_value(c["fps_processes"]) for cid, c in cells.items()}
        memory[side] += [(c["peak_rss_compile_mib"], c["peak_rss_run_mib"]) for c in cells.values()]
    pairs = [p for p in sorted(runs) if len(runs[p]) == 2]
    if len(pairs) < 2:
        sys.exit(f"parity.py: {directory} holds {len(pairs)} complete pairs; 2 or more are needed")
    names = sorted(set.intersection(*(set(runs[p]["with"]) & set(runs[p]["without"]) for p in pairs)))
    table = np.array([[runs[p]["with"][n] - runs[p]["without"][n] for n in names] for p in pairs])

    def line(label: str, x: np.ndarray) -> str:
        mean, half = x.mean(), stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / math.sqrt(len(x))
        return (f"  {label:26s} {math.exp(mean):.3f} (95% CI {math.exp(mean - half):.3f}-{math.exp(mean + half):.3f}), "
                f"pairs from {math.exp(x.min()):.3f} to {math.exp(x.max()):.3f}")

    print(f"FPS with the convolution kernel / without, {len(pairs)} pairs of runs:")
    for j, n in enumerate(names):
        print(line(n, table[:, j]))
    print(line("every cell (a pair's mean)", table.mean(axis=1)))
    for side in ("without", "with"):
        compile_, run = np.median(memory[side], axis=0)
        print(f"peak memory of a process {side} it (median over cells and runs): compiling {compile_:.0f} MiB, "
              f"running {run:.0f} MiB")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__.split("\n\n")[1].strip())
    main(sys.argv[1])
