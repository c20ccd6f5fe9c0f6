"""Does a fresh process need a warm-up round on this machine? Read it from a run without one.

    pytest perf/ -k openvino --ov-warmup-rounds 0 --ov-rounds 3 --benchmark-json run.json
    python -m ovperf.warmup run.json

Every measuring process compiles the model and runs one inference before its rounds.
If what is still cold after that (thread pools, caches, memory pages, other infer
requests) slowed the first round, the first round of each process would be slower
than the rest. For each process this takes the first round's FPS over the median of
its later rounds, per cell and over every process, with a Wilcoxon signed-rank test
of "the first round is slower" (scipy) on the log ratios.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Iterable

import numpy as np
from scipy import stats

from ovperf.cli import entry_point


def first_round_ratios(benchmarks: Iterable[dict]) -> dict[str, list[float]]:
    """Cell name -> first round FPS / median of the later rounds, one per process with 2+ rounds."""
    ratios: dict[str, list[float]] = {}
    for bench in benchmarks:
        for rounds in bench.get("extra_info", {}).get("fps_processes") or []:
            if len(rounds) >= 2:
                ratios.setdefault(bench["name"], []).append(rounds[0] / float(np.median(rounds[1:])))
    return ratios


def report(ratios: dict[str, list[float]]) -> list[str]:
    every = [r for cell in ratios.values() for r in cell]
    if not every:
        return ["no process with 2 or more rounds; run with --ov-rounds 3 or more"]
    lines = [f"{'cell':<45} processes  first round / later rounds (median, range)"]
    for name, cell in ratios.items():
        lines.append(f"{name:<45} {len(cell):>9}  {np.median(cell):.3f} ({min(cell):.3f}-{max(cell):.3f})")
    logs = np.log(every)
    slower = stats.wilcoxon(logs, alternative="less").pvalue if len(every) >= 6 else math.nan
    lines.append(
        f"all {len(every)} processes: median {np.median(every):.3f}, {sum(r < 0.95 for r in every)} first rounds "
        f"over 5% slower, {sum(r > 1.05 for r in every)} over 5% faster; "
        f"p(first round slower) = {slower:.3g} (Wilcoxon signed-rank, one-sided)"
    )
    return lines


@entry_point
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ovperf.warmup", description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="+", type=Path, help="--benchmark-json files of runs without warm-up rounds")
    args = parser.parse_args(argv)
    benchmarks = []
    for path in args.files:
        try:
            benchmarks += json.loads(path.read_text())["benchmarks"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            print(f"ovperf.warmup: {path}: not a --benchmark-json file ({exc})", file=sys.stderr)
            return 2
    print("\n".join(report(first_round_ratios(b for b in benchmarks if b.get("name", "").startswith("test_openvino")))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
