"""How small a slowdown the verdict catches, from real measurements.

``python -m ovperf.power BASELINE.json RUN.json [RUN.json ...]`` takes the per-round
FPS of real comparison runs of an unchanged configuration, scales each run's
rounds by (1 - d) for a range of slowdowns d, and applies the same verdict as
``--ov-baseline`` (without re-measuring, which can only help). It prints, per
slowdown, the share of cells flagged ``regressed``: at d = 0 that is the false-
alarm rate, and the smallest d flagged in (nearly) every cell is the smallest
slowdown caught reliably on this machine, with run-to-run drift included.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Mapping, Sequence

from ovperf import baseline as bl
from ovperf.stats import DEFAULT_ALPHA, DEFAULT_MAX_REGRESSION, REGRESSED, compare

DROPS = (0.0, 0.02, 0.05, 0.075, 0.10, 0.15, 0.20, 0.25, 0.30, 0.40)


def catch_rates(
    baseline: Mapping[str, Sequence[float]],
    runs: Sequence[Mapping[str, Sequence[float]]],
    drops: Sequence[float] = DROPS,
    max_regression: float = DEFAULT_MAX_REGRESSION,
    alpha: float = DEFAULT_ALPHA,
) -> dict[float, tuple[int, int]]:
    """For each drop: (cells flagged regressed, cells compared)."""
    rates = {}
    for drop in drops:
        flagged = total = 0
        for run in runs:
            for name, rounds in run.items():
                if name not in baseline:
                    continue
                scaled = [fps * (1 - drop) for fps in rounds]
                flagged += compare(baseline[name], scaled, max_regression, alpha).verdict == REGRESSED
                total += 1
        rates[drop] = (flagged, total)
    return rates


def _rounds(path: Path) -> dict[str, list[float]]:
    data = json.loads(Path(path).read_text())
    return {b["name"]: b["extra_info"]["fps_rounds"] for b in data["benchmarks"]}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ovperf.power", description=__doc__.split("\n\n")[0])
    parser.add_argument("baseline", type=Path)
    parser.add_argument("runs", type=Path, nargs="+", help="pytest-benchmark JSON of comparison runs")
    parser.add_argument("--max-regression", type=float, default=DEFAULT_MAX_REGRESSION)
    parser.add_argument("--alpha", type=float, default=DEFAULT_ALPHA)
    args = parser.parse_args(argv)
    try:
        base = bl.load(args.baseline)
        runs = [_rounds(p) for p in args.runs]
    except (bl.BaselineError, OSError, ValueError, KeyError) as exc:
        print(f"python -m ovperf.power: {exc}", file=sys.stderr)
        return 2
    baseline = {name: info["fps_rounds"] for name, info in base.cells.items()}
    print(f"| slowdown | cells flagged regressed (of {len(runs)} runs) |")
    print("| ---: | ---: |")
    for drop, (flagged, total) in catch_rates(baseline, runs, max_regression=args.max_regression, alpha=args.alpha).items():
        print(f"| {drop:.1%} | {flagged}/{total} ({flagged / total:.0%}) |" if total else f"| {drop:.1%} | - |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
