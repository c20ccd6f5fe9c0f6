"""The confirming looks of a stored-baseline campaign (run.sh's OUT), and the slow periods behind them.

For every comparison file: each cell whose first look (its first 5 processes) read the best of 4
at least 7% below the baseline's (a slow period, or a real slowdown), with its verdict, the look
that decided it, and every process's best round and machine-speed kernel in order. Then the
count of confirming looks (look 2) by injected slowdown and verdict, and each confirming
look's label (which says how many new processes ran at the machine's usual speed, where a
checkout that counts only those set some aside).

Usage: .venv/bin/python report/data/verdicts-amd-best/confirmations.py OUT [BASE.json]   (default OUT/base.json)
"""
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

from ovperf.baseline import cell_runs
from ovperf.stats import run_value

LOOK = 5
out = Path(sys.argv[1])
baseline = Path(sys.argv[2]) if len(sys.argv) > 2 else out / "base.json"
base = {b["name"]: b["extra_info"] for b in json.loads(baseline.read_text())["benchmarks"]}
confirmations, measured, slow, labels = Counter(), 0, 0, []
for path in sorted(out.glob("cmp-*.json")):
    for bench in json.loads(path.read_text())["benchmarks"]:
        info, verdict = bench["extra_info"], bench["extra_info"].get("verdict") or {}
        inject = float(info.get("inject_slowdown") or 0.0)
        if verdict.get("look") == 2:
            confirmations[(f"{inject:.0%}", verdict["verdict"])] += 1
            labels.append(f"{path.name} {bench['name']} ({inject:.0%} injected): {verdict.get('label')}")
        level = np.mean([run_value(run) for run in cell_runs(base[bench["name"]])])
        first = float(np.exp(run_value(info["fps_processes"][:LOOK]) - level))
        measured += 1
        if first < 0.93 * (1 - inject):
            slow += 1
            speeds = [round(float(np.mean(s)), 1) for s in info.get("speed_processes") or []]
            print(f"{path.name} {bench['name']}: first look {first:.3f} ({inject:.0%} injected), "
                  f"{verdict.get('verdict')} at look {verdict.get('look')}")
            print("  best rounds:", [round(max(p), 1) for p in info["fps_processes"]])
            print("  speed kernel:", speeds)
print(f"{slow} of {measured} cell measurements read 7% or more below the baseline (and any injection) at the first look")
print("confirming looks (injected, verdict):", dict(sorted(confirmations.items())))
print("confirming looks:")
for line in labels:
    print(" ", line)
