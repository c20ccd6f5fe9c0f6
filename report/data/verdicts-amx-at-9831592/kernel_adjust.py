"""Would adjusting a run's number for the machine's speed kernel have caught more, against a stored baseline?

    .venv/bin/python report/data/verdicts-amx-at-9831592/kernel_adjust.py BASE.json 'CMP-GLOB'

Re-judges each comparison cell's first look (no confirmation) with the run as the unit, as the
suite does (``ovperf.stats.run_value``, a t-test on the drift pooled over the baseline's cells,
alpha 0.01, the miss-rate bound at 0.05), on each run's number minus ``beta`` times the log of
the run's median kernel speed (``speed_processes``), for beta 0 (today's verdict), 0.5 and 1,
and for the slope the baseline's own runs give (least squares within cells, kept in 0-1).
The files' own samples only; nothing is simulated or rescaled.
"""
from __future__ import annotations

import glob
import json
import re
import sys

import numpy as np
from scipy.stats import t

from ovperf.stats import run_value


def kernel(speeds):
    return float(np.log(np.median([x for p in speeds for x in p])))


def main(base_path: str, pattern: str) -> None:
    base = json.load(open(base_path))
    runs = {b["extra_info"]["id"]: [(run_value(fps), kernel(speed))
                                    for fps, speed in zip(b["extra_info"]["fps_runs"], b["extra_info"]["speed_runs"])]
            for b in base["benchmarks"] if b["extra_info"].get("speed_runs")}
    n = min(len(r) for r in runs.values())
    dx = np.concatenate([np.array([k for _, k in r]) - np.mean([k for _, k in r]) for r in runs.values()])
    dy = np.concatenate([np.array([v for v, _ in r]) - np.mean([v for v, _ in r]) for r in runs.values()])
    own = float(np.clip((dx * dy).sum() / (dx * dx).sum(), 0, 1))
    print(f"{base_path}: {len(runs)} cells, {n} runs; the baseline runs' own slope {own:.2f}")
    for beta in (0.0, 0.5, 1.0, own):
        resid = dy - beta * dx
        df = len(runs) * (n - 1) - (beta == own)
        sd = float(np.sqrt((resid ** 2).sum() / df))
        counts: dict[str, list[int]] = {}
        for path in sorted(glob.glob(pattern)):
            kind = re.search(r"cmp-\d+-(\w+)\.json", path).group(1)
            for bench in json.load(open(path))["benchmarks"]:
                info = bench["extra_info"]
                if info.get("id") not in runs or not info.get("speed_processes"):
                    continue
                first = info.get("processes", 5)
                value, speed = run_value(info["fps_processes"][:first]), kernel(info["speed_processes"][:first])
                saved = np.array([v - beta * k for v, k in runs[info["id"]]])
                observed = value - beta * speed - saved.mean()
                se = sd * np.sqrt(1 + 1 / n)
                regressed = observed + t.isf(0.01, df) * se < 0 and observed - t.isf(0.05, df) * se < np.log(0.95)
                c = counts.setdefault(kind, [0, 0])
                c[0], c[1] = c[0] + 1, c[1] + regressed
        which = "the baseline's own" if beta == own else f"{beta:.1f}"
        print(f"  slope {which}: drift {sd:.1%}; regressed at the first look: "
              + ", ".join(f"{kind} {r} of {c}" for kind, (c, r) in sorted(counts.items())))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
