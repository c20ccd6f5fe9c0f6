"""Where a cell's own move from run to run comes from, by design: processes back to back, or spread over the run.

    .venv/bin/python report/data/interleave/parts.py OUT

Reads what report/data/interleave/run.sh made in OUT: ``normal-NN.json`` (one run as the suite
makes it, each cell's processes back to back) and ``inter-NN-1..5.json`` (five passes of one
process a cell, pooled into one run NN whose cells' processes are spread over it). For each design,
each run of each cell counts as ``ovperf.stats.run_value`` (the best of 4 of its processes to
expect), and the runs x cells table is taken apart as a run's drift is
(``ovperf.stats.drift_parts``; a run of a cell during which other processes took 20% of the
machine or more is left out): the move that a whole run shares, and each cell's own, with the
part a run's own processes explain (the bootstrap of its number over them). What one run against
3 baseline runs of that design could catch at the cells' own drift alone is
``ovperf.stats.catch_chance`` at it. For the normal runs, how the PyTorch rows and the speed kernel
follow the whole run's move (each run's shift from the mean of the runs). All of that from the
unchanged runs; then, per design, the first 3 unchanged runs as a stored baseline and every later
run (unchanged, or with a slowdown injected) judged against it with the run as the unit, at the
look alone. Only the files' samples; nothing is simulated or rescaled.
"""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np

from ovperf.stats import BEST, REGRESSED, RunDrift, catch_chance, compare, drift_parts, run_drift, run_value


def cells(path: Path) -> dict[str, dict]:
    return {b["extra_info"]["id"]: b["extra_info"] for b in json.loads(path.read_text())["benchmarks"]}


#: A run of a cell during which other processes took this share of the machine or more is left out.
BUSY = 0.2


def other(info: dict) -> float:
    return float((info.get("machine_share") or {}).get("other") or 0.0)


def runs(out: Path) -> dict[str, list[dict[str, dict]]]:
    """Design -> runs in order, each cell id -> {"processes": [[rounds]...], "speeds": [...], "fps": ...,
    "inject": the injected slowdown}."""
    normal, inter = [], []
    for path in sorted(out.glob("normal-*.json")):
        normal.append({cid: {"processes": info.get("fps_processes") or [], "speeds": info.get("speed_processes") or [],
                             "fps": info.get("fps"), "inject": float(info.get("inject_slowdown") or 0.0),
                             "other": other(info)}
                       for cid, info in cells(path).items()})
    for n in sorted({p.name.split("-")[1] for p in out.glob("inter-*-*.json")}):
        passes = sorted(out.glob(f"inter-{n}-*.json"))
        if len(passes) < 5:
            continue  # a run cut short
        pooled: dict[str, dict] = {}
        for path in passes:
            for cid, info in cells(path).items():
                cell = pooled.setdefault(cid, {"processes": [], "speeds": [], "other": 0.0,
                                               "inject": float(info.get("inject_slowdown") or 0.0)})
                cell["other"] = max(cell["other"], other(info))
                cell["processes"] += info.get("fps_processes") or []
                cell["speeds"] += info.get("speed_processes") or []
        inter.append(pooled)
    designs = {"processes back to back": normal, "processes spread over the run": inter}
    for design, made in designs.items():
        busy = [(k + 1, cid) for k, run in enumerate(made) for cid, cell in run.items() if cell["other"] >= BUSY]
        for k, cid in busy:
            del made[k - 1][cid]
        if busy:
            print(f"{design}: left out, other processes took {BUSY:.0%} of the machine or more: "
                  + ", ".join(f"run {k} {cid}" for k, cid in busy))
    return designs


def injected(run: dict[str, dict]) -> float:
    return max(cell["inject"] for cell in run.values())


def judged(design: list[dict[str, dict]], baseline_runs: int = 3) -> tuple[str, dict[float, list[int]]]:
    """The first ``baseline_runs`` unchanged runs as a stored baseline, every later run judged against
    it with the run as the unit (``ovperf.stats.compare``: the run counted by its best processes,
    the drift pooled over the baseline's cells), at the look alone: the confirmation that follows
    in the suite can only lower a catch. Returns the baseline's drift and, per injected slowdown,
    [cells, regressed]."""
    unchanged = [k for k, run in enumerate(design) if injected(run) == 0.0]
    if len(unchanged) < baseline_runs:
        return "", {}
    base = [design[k] for k in unchanged[:baseline_runs]]
    names = [cid for cid in base[0] if not cid.startswith("pytorch-") and all(cid in b for b in base)]
    drift = run_drift([[b[cid]["processes"] for b in base] for cid in names], BEST)
    counts: dict[float, list[int]] = {}
    alarms = []
    for k, run in enumerate(design[unchanged[baseline_runs - 1] + 1:], start=unchanged[baseline_runs - 1] + 2):
        before = counts.get(0.0, [0, 0])[1]
        for cid in names:
            if cid not in run:
                continue
            verdict = compare([p for b in base for p in b[cid]["processes"]], run[cid]["processes"], drift=drift,
                              baseline_runs=[len(b[cid]["processes"]) for b in base])
            c = counts.setdefault(run[cid]["inject"], [0, 0])
            c[0] += 1
            c[1] += verdict.verdict == REGRESSED
        if injected(run) == 0.0 and counts[0.0][1] > before:
            alarms.append(f"run {k} {counts[0.0][1] - before}")
    where = f"; the A/A regressions by run: {', '.join(alarms)}" if alarms else ""
    return f"{drift.sd:.1%} ({drift.df} df){where}", counts


def table(design: list[dict[str, dict]]) -> list[dict[str, float]]:
    return [{cid: run_value(cell["processes"]) for cid, cell in run.items()
             if not cid.startswith("pytorch-") and len(cell["processes"]) >= 4} for run in design]


def bootstrap(design: list[dict[str, dict]]) -> float:
    rng = np.random.default_rng(0)
    sds = []
    for run in design:
        for cid, cell in run.items():
            procs = cell["processes"]
            if cid.startswith("pytorch-") or len(procs) < 4:
                continue
            sds.append(np.std([run_value([procs[k] for k in rng.integers(0, len(procs), len(procs))]) for _ in range(200)]))
    return float(np.sqrt(np.mean(np.square(sds))))


def follows(design: list[dict[str, dict]], rows: list[dict[str, float]]) -> list[str]:
    """How the PyTorch rows and the run-wide kernel follow each run's common shift."""
    names = sorted(set.intersection(*(set(r) for r in rows)))
    y = np.array([[r[n] for n in names] for r in rows])
    common = (y - y.mean(axis=0)).mean(axis=1)
    out = []
    kernel = np.array([np.log(np.median([x for cid in names for p in run[cid]["speeds"] for x in p])) for run in design])
    torch = [[math.log(run[cid]["fps"]) for cid in sorted(run) if cid.startswith("pytorch-")] for run in design]
    for name, control in (("the speed kernel (median over the run's cells)", kernel),
                          ("the PyTorch rows (mean log FPS)", np.array([np.mean(t) if t else np.nan for t in torch]))):
        if np.isnan(control).any():
            continue
        control = control - control.mean()
        slope = float(np.polyfit(control, common, 1)[0])
        out.append(f"{name}: correlation {np.corrcoef(common, control)[0, 1]:.2f} with the run's common shift "
                   f"(SD {common.std(ddof=1):.1%}); the shift minus it SD {np.std(common - control, ddof=1):.1%}, "
                   f"minus its fitted slope {slope:.2f} SD {np.std(common - slope * control, ddof=1):.1%}")
    return out


def main(out: Path) -> None:
    for design, made in runs(out).items():
        drift, counts = judged(made)
        made = [run for run in made if injected(run) == 0.0]  # the table is of unchanged runs
        rows = table(made)
        parts = drift_parts([rows], BEST)
        if parts is None:
            print(f"{design}: fewer than two runs")
            continue
        own = parts.cell
        caps = ", ".join(f"{s:.0%} in {catch_chance(RunDrift(own, 16), 3, s):.0%}" for s in (0.10, 0.05))
        print(f"{design}: {parts.runs} runs x {parts.cells} cells; the whole run moves {math.sqrt(parts.common):.1%} "
              f"from run to run, each cell on its own {math.sqrt(own):.1%} ({parts.df_cell} df), of which its "
              f"processes explain {bootstrap(made):.1%}; at the cells' own drift alone one run against 3 baseline "
              f"runs catches {caps} of the cells")
        if counts:
            print(f"  against its first 3 unchanged runs as a baseline (drift {drift}), the later runs at the look: "
                  + ", ".join(f"{'A/A' if k == 0 else f'{k:.0%} injected'} regressed in {r} of {c}"
                              for k, (c, r) in sorted(counts.items())))
        for line in follows(made, rows):  # the PyTorch rows only where measured (back to back)
            print(f"  {line}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
