"""What a stored baseline's verdict could gain from a measure of the machine's speed taken in the same run.

    .venv/bin/python report/data/control/limits.py [--kernel units] DIR [DIR ...]

Each DIR holds a stored-baseline campaign of report/data/verdicts-amx/run.sh or
report/data/control/run.sh: ``base.json`` (several runs) and ``cmp-NN-KIND.json`` (KIND ``aa`` or
the injected percentage). Only the files' own samples; nothing is simulated or rescaled.

Per campaign it prints:

1. **How a comparison run moves as a whole.** For each comparison run, its *common shift*: the
   mean over the OpenVINO cells of the run's number (``ovperf.stats.run_value`` of the first
   look's processes) minus the mean of the baseline runs' numbers, with the injection taken
   out (``log(1 - PCT)``). Beside it the run's *kernel shift*: the log of the median speed
   kernel (``speed_processes``) over every OpenVINO cell of the run, minus the baseline runs'
   mean of the same; and, where the runs have PyTorch rows (``pytorch-b*``, which neither an
   OpenVINO change nor ``--ov-inject-slowdown`` touches), the *PyTorch shift*, the mean of their
   log FPS minus the baseline runs'. The correlations, and the mean and SD of the common shift
   raw and minus each control, say how far a control could take the machine's moves out.
   ``cells' own`` is the residual SD of the runs x cells table of those shifts once each run's and
   each cell's mean are taken out (two-way, without replication, as ``ovperf.stats.DriftParts``
   takes a run's drift apart): how a cell moves from run to run on its own, which no measure of
   the whole run can remove. Beside it, the part a run's own processes explain (the bootstrap
   of its number over its processes): the rest is the machine's mood while that cell ran.
2. **The first look re-judged** with each cell's run number minus ``slope`` x the run's kernel
   shift (slope 0: today's verdict; 0.5; 1), the drift re-estimated from the baseline's runs
   adjusted the same way; at slopes 0 and 1 also with the drift's degrees of freedom from the
   baseline's runs x cells table (``shared df``: a move that all of a run's cells share counts once);
   and at the slope each comparison run's processes and the baseline's give inside their runs
   (:func:`inside_slope`); with ``--kernel units``, at the slope inside the baseline's runs alone,
   as a live comparison takes it (``ovperf.noise.MachineLevel.slope``, ``--ov-machine-adjust auto``
   since 2026-12-07); and with 2 or 3 consecutive runs of one kind pooled as the current
   side (``ovperf.stats.compare`` with ``current_runs``). ``regressed`` counts at the look
   alone, before the confirmation that can only lower them.
   Beside them, the slope of FPS on the kernel between runs and inside them (:func:`slopes`).
   ``--kernel units`` reads the units kernel instead (``units_speed_processes``, ``units_speed_runs``:
   ``ovperf.noise.UnitsKernel``, the model's own units under the run's own OpenVINO), for
   campaigns whose baseline and comparisons measured it.
3. **What a perfect control would leave**: ``ovperf.stats.catch_chance`` at a drift equal to
   ``cells' own`` (one run against the baseline's runs, the baseline's degrees of freedom).
"""
from __future__ import annotations

import glob
import json
import math
import re
import sys
from pathlib import Path

import numpy as np
from scipy.stats import t

from ovperf import baseline as bl
from ovperf.measure import baseline_processes
from ovperf.stats import BEST, REGRESSED, RunDrift, catch_chance, compare, drift_parts, run_drift, run_value

ALPHA, MISS = 0.01, 0.05
#: The kernel read, by its results prefix (``ovperf.measure._SPEED_KERNELS``): "" numpy, "units_" the units kernel.
PREFIX = ""


def speeds(processes) -> list[float]:
    return [x for p in processes for x in p]


def torch_shift(cells: dict, base_torch: dict) -> float | None:
    logs = [np.log(cells[name]["fps"]) - level for name, level in base_torch.items() if name in cells]
    return float(np.mean(logs)) if logs else None


def campaign(d: Path) -> dict:
    base = bl.load(d / "base.json")
    ov = {info["id"]: info for info in base.cells.values() if PREFIX + "speed_runs" in info}
    runs = {cid: bl.cell_runs(info) for cid, info in ov.items()}
    n_runs = min(len(r) for r in runs.values())
    base_value = {cid: np.array([run_value(r) for r in rs]) for cid, rs in runs.items()}
    base_kernel = np.array([np.log(np.median([x for info in ov.values() for x in speeds(info[PREFIX + "speed_runs"][r])]))
                            for r in range(n_runs)])
    torch_runs = [json.loads(p.read_text()) for p in sorted(d.glob("base-*.json"))]
    base_torch = {}
    for cells in ({b["extra_info"]["id"]: b["extra_info"] for b in run["benchmarks"]} for run in torch_runs):
        for cid, info in cells.items():
            if cid.startswith("pytorch-"):
                base_torch.setdefault(cid, []).append(np.log(info["fps"]))
    base_torch = {cid: float(np.mean(v)) for cid, v in base_torch.items() if len(v) == len(torch_runs)}
    cmps = []
    for path in sorted(glob.glob(str(d / "cmp-*.json"))):
        kind = re.search(r"cmp-\d+-(\w+)\.json", path).group(1)
        data = json.load(open(path))
        cells = {b["extra_info"]["id"]: b["extra_info"] for b in data["benchmarks"]}
        if not all(cid in cells and cells[cid].get(PREFIX + "speed_processes") for cid in ov):
            continue
        # the first look: the run's --ov-processes (a cell's own "processes" counts its later looks too)
        look = data["ovperf"]["processes"]
        first = {cid: cells[cid]["fps_processes"][:look] for cid in ov}
        run_speeds = {cid: cells[cid][PREFIX + "speed_processes"][:len(first[cid])] for cid in ov}
        kernel = np.log(np.median([x for cid in ov for x in speeds(cells[cid][PREFIX + "speed_processes"][:len(first[cid])])]))
        cmps.append({"kind": kind, "inject": 0.0 if kind == "aa" else int(kind) / 100, "first": first,
                     "speeds": run_speeds,
                     "value": {cid: run_value(first[cid]) for cid in ov}, "kernel": float(kernel - base_kernel.mean()),
                     "torch": torch_shift(cells, base_torch) if base_torch else None})
    return {"base": base, "ov": ov, "runs": runs, "n_runs": n_runs, "base_value": base_value,
            "base_kernel": base_kernel - base_kernel.mean(), "cmps": cmps}


def slopes(c: dict) -> str:
    """How much a run's FPS moves with its kernel, between runs and inside them.

    *Between runs*: the least-squares slope of the comparison runs' common shift (injection
    taken out) on their kernel shift. *Inside runs*: the slope of a process's log median FPS on
    the mean log kernel around its rounds, on deviations from its cell-and-run mean, pooled over
    every cell of every run, baseline and comparison (as ``ovperf.stats.speed_slope`` takes it,
    without the clip to [0, 1]). If the two agree, a run's own processes could say how far to
    take its kernel shift out, with no history of runs."""
    y, k = common_shifts(c).mean(axis=1), np.array([run["kernel"] for run in c["cmps"]])
    between = float(np.polyfit(k, y, 1)[0])
    inside = inside_slope(c, c["cmps"])
    left = y - inside * k
    return (f"slope of FPS on the kernel: between runs {between:.2f} (over {len(y)} runs), inside runs {inside:.2f} "
            f"(every process of the runs); the common shift minus the inside slope x the kernel shift "
            f"{left.mean():+.1%} (SD {left.std(ddof=1):.1%}), raw {y.mean():+.1%} (SD {y.std(ddof=1):.1%})")


def baseline_kernels(c: dict) -> str:
    """How far one cell's kernel strayed from the other cells' within a baseline run."""
    worst = (0.0, "", 0)
    spread = []
    for r in range(c["n_runs"]):
        logs = {cid: np.log(np.median(speeds(info[PREFIX + "speed_runs"][r]))) for cid, info in c["ov"].items()}
        middle = float(np.median(list(logs.values())))
        spread.append(float(np.std(list(logs.values()), ddof=1)))
        cid, low = min(logs.items(), key=lambda x: x[1])
        if low - middle < worst[0]:
            worst = (low - middle, cid, r + 1)
    return (f"baseline runs' kernel: the cells' spread {min(spread):.1%}-{max(spread):.1%} (SD) within a run; "
            f"lowest {np.expm1(worst[0]):+.0%} against its run's median ({worst[1]}, run {worst[2]})")


def common_shifts(c: dict) -> np.ndarray:
    """Runs x cells: each comparison run's number minus the baseline runs' mean, the injection taken out."""
    shifts = np.array([[run["value"][cid] - c["base_value"][cid].mean() for cid in c["ov"]] for run in c["cmps"]])
    return shifts - np.log1p(-np.array([run["inject"] for run in c["cmps"]]))[:, None]


def tracking(c: dict) -> tuple[list[str], float]:
    shifts = common_shifts(c)
    y = shifts.mean(axis=1)
    k = np.array([run["kernel"] for run in c["cmps"]])
    lines = [f"common shift {y.mean():+.1%} (SD {y.std(ddof=1):.1%}); kernel shift {k.mean():+.1%} "
             f"(SD {k.std(ddof=1):.1%}), correlation {np.corrcoef(y, k)[0, 1]:.2f}; "
             f"common minus kernel {np.mean(y - k):+.1%} (SD {np.std(y - k, ddof=1):.1%})"]
    torch = [run["torch"] for run in c["cmps"]]
    if all(x is not None for x in torch) and torch:
        tr = np.array(torch)
        lines.append(f"PyTorch shift {tr.mean():+.1%} (SD {tr.std(ddof=1):.1%}), correlation {np.corrcoef(y, tr)[0, 1]:.2f}; "
                     f"common minus PyTorch {np.mean(y - tr):+.1%} (SD {np.std(y - tr, ddof=1):.1%}); "
                     f"PyTorch against the kernel: correlation {np.corrcoef(k, tr)[0, 1]:.2f}")
    # runs x cells without replication, taken apart as a drift is: what is left after each run's and each cell's mean
    cells_own = math.sqrt(drift_parts([[dict(enumerate(row)) for row in shifts]], BEST).cell)
    # how much of the cells' own a run's processes explain: their bootstrap, inside each run of each cell
    rng = np.random.default_rng(0)
    boot = [np.std([run_value([first[k] for k in rng.integers(0, len(first), len(first))]) for _ in range(200)])
            for first in (run["first"][cid] for run in c["cmps"] for cid in c["ov"])]
    lines.append(f"cells' own {cells_own:.1%} over {len(y)} runs, of which a run's own processes explain "
                 f"{np.sqrt(np.mean(np.square(boot))):.1%} (bootstrap of its number, root mean square over its cells)")
    return lines, cells_own


def inside_slope(c: dict, runs: list[dict]) -> float:
    """The slope of a process's log median FPS on the mean log kernel around its rounds, on
    deviations from its cell-and-run mean, pooled over every cell of the baseline's runs and of
    ``runs``: what the processes of those runs alone say of how FPS moves with the kernel."""
    dx, dy = [], []
    groups = [(info["fps_runs"][r], info[PREFIX + "speed_runs"][r]) for info in c["ov"].values() for r in range(c["n_runs"])]
    groups += [(run["first"][cid], run["speeds"][cid]) for run in runs for cid in c["ov"]]
    for fps, speed in groups:
        fy = np.log([np.median(p) for p in fps])
        fx = np.array([np.mean(np.log(v)) for v in speed])
        dx.append(fx - fx.mean())
        dy.append(fy - fy.mean())
    dx, dy = np.concatenate(dx), np.concatenate(dy)
    return float((dx * dy).sum() / (dx * dx).sum())


def kernel_adjusted(c: dict, slope: float | None, shared: bool = False) -> dict[str, tuple[int, int]]:
    """First-look regressions by kind, on run numbers minus ``slope`` x the run's kernel shift
    (``None``: each comparison run's :func:`inside_slope` from the baseline's runs and its own,
    what a verdict made at that run could know, kept in [0, 1]). ``shared``: the drift's degrees
    of freedom as the two-way table of the baseline's runs gives them (``DriftParts.mean_variance(1)``,
    Satterthwaite), not the pooled ``cells x (runs - 1)``, which counts a move every cell of a run
    shares once per cell."""
    cids = list(c["ov"])
    counts: dict[str, tuple[int, int]] = {}
    for run in c["cmps"]:
        b = float(np.clip(inside_slope(c, [run]), 0.0, 1.0)) if slope is None else slope
        adjusted = {cid: c["base_value"][cid] - b * c["base_kernel"][:len(c["base_value"][cid])] for cid in cids}
        df = sum(len(v) - 1 for v in adjusted.values())
        sd = float(np.sqrt(sum(((v - v.mean()) ** 2).sum() for v in adjusted.values()) / df))
        if shared:
            table = [{cid: float(adjusted[cid][r]) for cid in cids} for r in range(c["n_runs"])]
            df = drift_parts([table], BEST).mean_variance(1)[1]
        for cid in cids:
            n = len(adjusted[cid])
            observed = run["value"][cid] - b * run["kernel"] - adjusted[cid].mean()
            se = sd * np.sqrt(1 + 1 / n)
            caught = observed + t.isf(ALPHA, df) * se < 0 and observed - t.isf(MISS, df) * se < np.log(0.95)
            cells, hits = counts.get(run["kind"], (0, 0))
            counts[run["kind"]] = (cells + 1, hits + caught)
    return counts


def pooled(c: dict, k: int, drift: RunDrift) -> dict[str, tuple[int, int]]:
    by_kind: dict[str, list[dict]] = {}
    for run in c["cmps"]:
        by_kind.setdefault(run["kind"], []).append(run)
    counts = {}
    for kind, runs in by_kind.items():
        cells = hits = 0
        for g in range(0, len(runs) - k + 1, k):
            group = runs[g:g + k]
            for cid, info in c["ov"].items():
                current = [p for run in group for p in run["first"][cid]]
                verdict = compare(baseline_processes(info), current, baseline_runs=[len(r) for r in c["runs"][cid]],
                                  current_runs=[len(run["first"][cid]) for run in group], drift=drift)
                cells, hits = cells + 1, hits + (verdict.verdict == REGRESSED)
        counts[kind] = (cells, hits)
    return counts


def show(counts: dict[str, tuple[int, int]]) -> str:
    return ", ".join(f"{'A/A' if kind == 'aa' else kind + '%'} {hits} of {cells}"
                     for kind, (cells, hits) in sorted(counts.items(), key=lambda x: (x[0] != "aa", x[0])) if cells)


def main(dirs: list[str]) -> None:
    totals: dict[str, dict[str, list[int]]] = {}
    for d in map(Path, dirs):
        c = campaign(d)
        drift = run_drift(c["runs"].values(), BEST)
        print(f"{d}: {len(c['ov'])} cells, {c['n_runs']} baseline runs (drift {drift.sd:.1%}, {drift.df} df), "
              f"{len(c['cmps'])} comparison runs")
        lines, cells_own = tracking(c)
        lines.append(slopes(c))
        lines.append(baseline_kernels(c))
        for line in lines:
            print(f"  {line}")
        rows = [(f"kernel slope {s:g}", kernel_adjusted(c, s)) for s in (0.0, 0.5, 1.0)]
        rows += [(f"kernel slope {s:g}, shared df", kernel_adjusted(c, s, shared=True)) for s in (0.0, 1.0)]
        rows += [(f"kernel slope inside the run{', shared df' if s else ''}", kernel_adjusted(c, None, shared=s))
                 for s in (False, True)]
        level = c["base"].units_level if PREFIX == "units_" else None
        if level is not None:  # today's rule (--ov-machine-adjust auto): the slope inside the baseline's own runs
            print(f"  the slope inside the baseline's runs (today's rule): {level.slope:.2f}")
            rows.append(("kernel slope of the baseline's processes", kernel_adjusted(c, level.slope)))
        rows += [(f"{k} runs pooled", pooled(c, k, drift)) for k in (2, 3)]
        for name, counts in rows:
            print(f"  first look, {name}: {show(counts)}")
            for kind, (cells, hits) in counts.items():
                total = totals.setdefault(name, {}).setdefault(kind, [0, 0])
                total[0] += cells
                total[1] += hits
        perfect = RunDrift(cells_own ** 2, drift.df)
        print(f"  a perfect control leaves a drift of {cells_own:.1%}: one run would catch 10% in "
              f"{catch_chance(perfect, c['n_runs'], 0.10):.0%} of cells and 5% in {catch_chance(perfect, c['n_runs'], 0.05):.0%}")
    if len(dirs) > 1:
        print("all campaigns:")
        for name, counts in totals.items():
            print(f"  first look, {name}: {show({k: tuple(v) for k, v in counts.items()})}")


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--kernel"]:
        if args[1:2] != ["units"]:
            sys.exit("limits.py: --kernel takes units (the numpy kernel is the default)")
        PREFIX, args = "units_", args[2:]
    main(args)
