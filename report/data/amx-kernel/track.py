"""Which kernel follows the machine's moves: the numpy float64 reference kernel, or an OpenVINO
bf16 convolution that runs on the model's own units (AMX here)?

    .venv/bin/python report/data/amx-kernel/track.py DIR

DIR holds the plain runs of ``run.sh`` (``run-NN.json``, and ``run-NN-busy.json`` beside a busy
neighbour), or the comparison runs of a stored-baseline campaign
(``report/data/verdicts-amx/run.sh``: ``cmp-NN-KIND.json``, KIND ``aa`` or the injected
percentage), each cell with ``speed_processes`` (numpy) and ``speed_amx_processes`` (the
convolution), from a clone with ``kernel.patch``. Only the files' own samples.

For every run: its number per OpenVINO cell (``ovperf.stats.run_value``, the verdict's; of a
comparison run, its first look's processes, with the injection taken out, ``log(1 - PCT)``),
and each kernel's log median speed over the same processes' rounds, as
``report/data/control/limits.py`` takes the numpy kernel. Then, over the runs (all, and the quiet ones alone):

- **whole run**: the run's mean over the cells minus the mean over the runs (each cell's mean
  taken out), beside each kernel's move: the correlation, the least-squares slope, and the SD
  of the whole run's move raw, minus the kernel at slope 1 and at the fitted slope;
- **each cell on its own**: the runs x cells table's residual (``ovperf.stats.drift_parts``),
  and the same table minus each cell's own kernel move (the kernel timed around that cell's own
  rounds), at slope 1;
- **each process of a cell in a run**: the SD of its log median FPS and of each kernel's log
  median speed around the median of its cell's processes in that run, and their correlation
  (the quiet runs; every process of a comparison run, its confirmations too);
- each run beside a busy neighbour against the quiet runs' mean: the run, and each kernel.
"""
from __future__ import annotations

import json
import math
import re
import sys
from pathlib import Path

import numpy as np

from ovperf.stats import MEAN, drift_parts, run_value

KERNELS = {"numpy": "speed_processes", "conv": "speed_amx_processes"}


def read(path: Path) -> dict | None:
    data = json.loads(path.read_text())
    cells = {b["extra_info"]["id"]: b["extra_info"] for b in data["benchmarks"]
             if b["extra_info"].get("speed_amx_processes")}
    if not cells:
        return None
    kind = re.fullmatch(r"cmp-\d+-(\w+)", path.stem)
    shift = 0.0 if kind is None or kind.group(1) == "aa" else -math.log(1 - int(kind.group(1)) / 100)
    look = data["ovperf"]["processes"]  # a comparison's first look (later looks add processes)
    run = {"name": path.stem, "busy": path.stem.endswith("-busy"), "value": {}, "mean": {}}
    for kernel, key in KERNELS.items():
        run[kernel] = float(np.log(np.median([x for info in cells.values() for p in info[key][:look] for x in p])))
        run[kernel + "_cell"] = {cid: float(np.log(np.median([x for p in info[key][:look] for x in p])))
                                 for cid, info in cells.items()}
    run["processes"] = []  # (log FPS, log numpy, log conv) of each process, around its cell's medians
    for info in cells.values():
        logs = np.log([[np.median(p) for p in info[key]] for key in ("fps_processes", *KERNELS.values())])
        run["processes"] += list(zip(*(row - np.median(row) for row in logs)))
    for cid, info in cells.items():
        run["value"][cid] = run_value(info["fps_processes"][:look]) + shift
        run["mean"][cid] = run_value(info["fps_processes"][:look], MEAN) + shift
    return run


def table(runs: list[dict], key: str, names: list[str]) -> np.ndarray:
    return np.array([[r[key][n] for n in names] for r in runs])


def report(runs: list[dict], what: str) -> None:
    names = sorted(set.intersection(*(set(r["value"]) for r in runs)))
    print(f"\n{what}: {len(runs)} runs x {len(names)} cells")
    for statistic in ("value", "mean"):
        y = table(runs, statistic, names)
        whole = y.mean(axis=1) - y.mean()
        label = "best-of (the verdict's)" if statistic == "value" else "mean of log medians"
        print(f"  run number: {label}; whole run moves SD {100 * whole.std(ddof=1):.2f}%, "
              f"range {100 * whole.min():+.1f}% to {100 * whole.max():+.1f}%")
        for kernel in KERNELS:
            x = np.array([r[kernel] for r in runs])
            x = x - x.mean()
            corr = float(np.corrcoef(whole, x)[0, 1])
            slope = float(np.polyfit(x, whole, 1)[0])
            own = table(runs, kernel + "_cell", names)
            resid = drift_parts([[dict(zip(names, row)) for row in y]]).ms_cell ** 0.5
            adjusted = drift_parts([[dict(zip(names, row)) for row in y - own]]).ms_cell ** 0.5
            print(f"    {kernel:5s}: moves SD {100 * x.std(ddof=1):.2f}%; correlation {corr:+.2f}, slope {slope:.2f}; "
                  f"whole run minus it SD {100 * (whole - x).std(ddof=1):.2f}% (slope 1), "
                  f"{100 * (whole - slope * x).std(ddof=1):.2f}% (fitted); "
                  f"each cell on its own {100 * resid:.2f}%, minus its own kernel {100 * adjusted:.2f}%")


def main(directory: str) -> None:
    paths = sorted(Path(directory).glob("run-*.json")) + sorted(Path(directory).glob("cmp-*.json"))
    runs = [r for r in (read(p) for p in paths) if r]
    if len(runs) < 3:
        sys.exit(f"track.py: {directory} holds {len(runs)} runs with both kernels; 3 or more are needed")
    for r in runs:
        print(f"{r['name']:14s} mean log FPS {np.mean(list(r['value'].values())):.4f}  "
              f"log speed: numpy {r['numpy']:.4f}, conv {r['conv']:.4f}")
    report(runs, "all runs")
    quiet = [r for r in runs if not r["busy"]]
    spread = np.array([x for r in quiet for x in r["processes"]])
    print(f"\neach process of a cell in a quiet run ({len(spread)}), around its cell's median in that run: "
          f"SD of log FPS {100 * spread[:, 0].std():.1f}%, "
          + ", ".join(f"{kernel} {100 * spread[:, j + 1].std():.1f}% (correlation with FPS "
                      f"{np.corrcoef(spread[:, 0], spread[:, j + 1])[0, 1]:+.2f})" for j, kernel in enumerate(KERNELS)))
    for r in (r for r in runs if r["busy"]):
        fps = np.mean([np.mean(list(q["value"].values())) for q in quiet])
        print(f"{r['name']} against the quiet runs' mean: the run {100 * math.expm1(np.mean(list(r['value'].values())) - fps):+.1f}%, "
              + ", ".join(f"{k} {100 * math.expm1(r[k] - np.mean([q[k] for q in quiet])):+.1f}%" for k in KERNELS))
    if len(quiet) >= 3 and len(quiet) < len(runs):
        report(quiet, "the runs without a neighbour")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__.split("\n\n")[1].strip())
    main(sys.argv[1])
