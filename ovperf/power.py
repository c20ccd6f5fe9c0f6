"""What the gate catches on this machine, from real runs with real injected slowdowns.

``python -m ovperf.power RUN.json [RUN.json ...]`` reads the ``--benchmark-json`` files
of comparison runs (against a stored baseline, or interleaved A/B), some of them made
with ``--ov-inject-slowdown PCT`` and some without (A/A). Each cell's verdict is the one
the run gave; nothing is rescaled or simulated. It prints, per injected slowdown, how
many cells were ``regressed``, how many showed a slowdown at all (``regressed`` or
``slower``: a CI that excludes 1.0), and the verdicts, then one line:
"on this machine this gate catches X% slowdowns in Y% of cells, with Z false alarms in N".
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from ovperf.stats import REGRESSED, SLOWER
from ovperf.summary import markdown_table


def verdicts(run: Mapping) -> Iterable[tuple[float, str, float]]:
    """(injected slowdown, verdict, ratio) of every judged cell of one run's JSON."""
    for bench in run.get("benchmarks", []):
        info = bench.get("extra_info") or {}
        judged = info.get("ab") if isinstance(info.get("ab"), dict) else info.get("verdict")
        if isinstance(judged, dict) and "verdict" in judged:
            yield float(info.get("inject_slowdown") or 0.0), judged["verdict"], float(judged.get("ratio", 0.0))


def tally(runs: Sequence[Mapping]) -> dict[float, Counter]:
    """Injected slowdown -> counts of each verdict."""
    out: dict[float, Counter] = defaultdict(Counter)
    for run in runs:
        for inject, verdict, _ in verdicts(run):
            out[inject][verdict] += 1
    return dict(sorted(out.items()))


def summary(table: Mapping[float, Counter]) -> str:
    """The one line: the largest injected slowdown's catch rate and the A/A false alarms."""
    aa = table.get(0.0, Counter())
    injected = {k: v for k, v in table.items() if k > 0}
    parts = []
    for inject, counts in injected.items():
        n = sum(counts.values())
        parts.append(f"{inject:.0%} slowdowns in {counts[REGRESSED] / n:.0%} of cells ({counts[REGRESSED]}/{n})")
    caught = "; ".join(parts) if parts else "no injected run given"
    return (f"on this machine this gate catches {caught}, with {aa[REGRESSED]} false alarms in "
            f"{sum(aa.values())} unchanged cells")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ovperf.power", description=__doc__.split("\n\n")[0])
    parser.add_argument("runs", type=Path, nargs="+", help="--benchmark-json files of comparison runs")
    args = parser.parse_args(argv)
    try:
        runs = [json.loads(p.read_text()) for p in args.runs]
    except (OSError, ValueError) as exc:
        print(f"python -m ovperf.power: cannot read a run: {exc}", file=sys.stderr)
        return 2
    table = tally(runs)
    if not table:
        print("python -m ovperf.power: no judged cell in these files (were they comparison runs?)", file=sys.stderr)
        return 2
    out = [["injected slowdown", "cells", "regressed", "regressed or slower (CI excludes 1)", "verdicts"]]
    for inject, counts in table.items():
        n = sum(counts.values())
        shown = counts[REGRESSED] + counts[SLOWER]
        spread = ", ".join(f"{k} {v}" for k, v in counts.most_common())
        out.append([f"{inject:.0%}", str(n), f"{counts[REGRESSED]} ({counts[REGRESSED] / n:.0%})",
                    f"{shown} ({shown / n:.0%})", spread])
    print(markdown_table(out, left=(-1,)))
    print()
    print(summary(table))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
