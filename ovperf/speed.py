"""How closely the machine's speed tracks FPS on this machine, from runs already made.

``python -m ovperf.speed FILE.json [FILE.json ...]`` reads baselines or
``--benchmark-json`` files whose rounds recorded the machine's speed
(:func:`ovperf.noise.machine_speed`), and prints per cell: the rounds and processes
it saw, how closely log FPS follows log speed (correlation over all rounds), the
slope a verdict would use (:func:`ovperf.stats.speed_slope`, inside processes), and
the spread of per-process medians raw and adjusted. Where the adjusted spread is
clearly smaller, ``--ov-speed-adjust`` judges comparisons on adjusted FPS.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import numpy as np

from ovperf.cli import entry_point
from ovperf.measure import baseline_processes
from ovperf.stats import speed_adjusted_logs
from ovperf.summary import markdown_table


def kernel_ratio(baseline_cells: Iterable[Mapping], current_cells: Iterable[Mapping]) -> float | None:
    """The machine's speed now against then: the median of every round's speed over this
    run's cells (``extra_info``-like records) over the baseline cells' median. None unless
    both sides recorded speeds with one and the same kernel."""
    sides = []
    for infos in (baseline_cells, current_cells):
        values, kernels = [], set()
        for info in infos:
            speeds = info.get("speed_processes") or []
            if speeds:
                kernels.add(info.get("speed_kernel"))
                values += [x for process in speeds for x in process]
        sides.append((values, kernels))
    (then, k_then), (now, k_now) = sides
    if not then or not now or len(k_then | k_now) != 1 or None in k_then:
        return None
    return float(np.median(now) / np.median(then))


def cells(data: Mapping) -> Iterable[tuple[str, list[list[float]], list[list[float]]]]:
    """(cell id, per-process FPS rounds, per-process speeds) of every cell that recorded speeds."""
    for bench in data.get("benchmarks", []):
        info = bench.get("extra_info") or {}
        runs = info.get("speed_runs")
        speeds = [p for run in runs for p in run] if runs else info.get("speed_processes")
        fps = baseline_processes(info) if runs else info.get("fps_processes")
        if speeds and fps and len(speeds) == len(fps):
            yield str(info.get("id") or bench.get("name")), fps, speeds


def row(name: str, fps: Sequence[Sequence[float]], speeds: Sequence[Sequence[float]]) -> list[str] | None:
    adjusted = speed_adjusted_logs((fps,), (speeds,))
    if adjusted is None:
        return None
    (logs,), slope = adjusted
    raw = np.log([float(np.median(p)) for p in fps])
    flat_fps = np.log([x for p in fps for x in p])
    flat_speed = np.log([x for p in speeds for x in p])
    corr = float(np.corrcoef(flat_fps, flat_speed)[0, 1]) if len(flat_fps) > 2 else float("nan")
    sd = lambda x: float(np.std(x, ddof=1)) if len(x) > 1 else float("nan")  # noqa: E731
    return [name, str(len(flat_fps)), str(len(fps)), f"{corr:.2f}", f"{slope:.2f}",
            f"{sd(raw):.1%}", f"{sd(logs):.1%}"]


@entry_point
def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ovperf.speed", description=__doc__.split("\n\n")[0])
    parser.add_argument("files", type=Path, nargs="+", help="baselines or --benchmark-json files")
    args = parser.parse_args(argv)
    table = [["cell", "rounds", "processes", "corr(log FPS, log speed)", "slope between processes",
              "process SD raw", "process SD adjusted"]]
    for path in args.files:
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError) as exc:
            print(f"python -m ovperf.speed: cannot read {path}: {exc}", file=sys.stderr)
            return 2
        for name, fps, speeds in cells(data):
            found = row(f"{path.stem}: {name}" if len(args.files) > 1 else name, fps, speeds)
            if found:
                table.append(found)
    if len(table) == 1:
        print("python -m ovperf.speed: no cell in these files recorded the machine's speed", file=sys.stderr)
        return 2
    print(markdown_table(table))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
