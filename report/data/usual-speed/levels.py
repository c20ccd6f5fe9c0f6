"""How many of a cell's processes count as run at the machine's usual speed: under today's rule,
with each cell held to its own level of that speed, and with another kernel?

    .venv/bin/python report/data/usual-speed/levels.py [--kernel KEY] DIR [DIR ...]

Each DIR holds a stored-baseline campaign: ``base.json`` and comparison runs
``cmp-NN-KIND.json`` (KIND ``aa`` or the injected percentage) whose cells recorded
``process_started`` and the kernel's speeds (KEY, default ``speed_processes``: the numpy
reference kernel; ``speed_amx_processes``: the OpenVINO bf16 convolution of
``report/data/amx-kernel/kernel.patch``, whose baseline holds its last run's processes only).
Only the files' own samples; nothing is simulated.

Every comparison run is replayed as the suite keeps its session
(:class:`ovperf.noise.UsualSpeed`): seeded with the baseline's processes, then its processes
in the order they started, each judged against what the session held before it, then added.
A process counts when its median speed reaches ``1 - USUAL_MARGIN`` of the
``USUAL_QUANTILE``-th percentile of every process before it. Three rules:

- ``one``: that percentile over every cell's processes (the suite's rule);
- ``level``: the same, times the cell's level, the median of its baseline processes' speeds
  over the median of all of them (the kernel reads slower around some cells' rounds);
- ``normalized``: the percentile of every process's speed over its cell's level, against the
  process's own speed over its cell's level;
- ``spread``: as ``one``, with the margin widened to how far the baseline's own processes spread
  below their fast ones, ``1 -`` their ``USUAL_SPREAD_QUANTILE``-th percentile over their
  ``USUAL_QUANTILE``-th, within ``USUAL_MARGIN`` to ``USUAL_MARGIN_MOST``
  (:meth:`ovperf.noise.UsualSpeed.margin`, the suite's rule since 2026-12-06 15:50 UTC).

Per cell, the share of processes that count: of the A/A runs' first looks (a machine at its
own moods, nothing changed), and of the processes after a cell's first look (its
confirmations, in the injected runs and any A/A cell that went on).
"""
from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

from ovperf import baseline as bl
from ovperf.noise import USUAL_MARGIN, USUAL_QUANTILE, UsualSpeed

RULES = ("one", "level", "normalized", "spread")


def medians(processes) -> list[float]:
    return [float(np.median(p)) for p in processes or [] if p]


def campaign(d: Path, key: str, counts: dict) -> str:
    base = bl.load(d / "base.json")
    prior = [(info["id"], v) for info in base.cells.values() for v in medians(info.get(key))]
    every = np.median([v for _, v in prior])
    seeded = UsualSpeed()
    seeded.seed("k", [[v] for _, v in prior])
    spread = 1 - seeded.margin("k")
    level = {c: float(np.median([v for cc, v in prior if cc == c]) / every) for c in sorted({c for c, _ in prior})}
    for path in sorted(d.glob("cmp-*.json")):
        data = json.loads(path.read_text())
        look, aa = int(data["ovperf"]["processes"]), path.stem.endswith("-aa")
        order = []
        for c in (b["extra_info"] for b in data["benchmarks"]):
            started, speeds = c.get("process_started") or [], c.get(key) or []
            if speeds and len(started) == len(speeds):
                order += [(float(started[i]), c["id"], i, float(np.median(s))) for i, s in enumerate(speeds) if s]
        session: list[tuple[str, float]] = []
        for _, cell, i, v in sorted(order):
            group = "A/A" if aa and i < look else "confirming" if i >= look else None
            if group:
                pool = prior + session
                raw = np.percentile([x for _, x in pool], USUAL_QUANTILE)
                norm = np.percentile([x / level.get(c, 1.0) for c, x in pool], USUAL_QUANTILE)
                least = 1 - USUAL_MARGIN
                counts[group, cell, "one"].append(v >= least * raw)
                counts[group, cell, "level"].append(v >= least * raw * level.get(cell, 1.0))
                counts[group, cell, "normalized"].append(v / level.get(cell, 1.0) >= least * norm)
                counts[group, cell, "spread"].append(v >= spread * raw)
            session.append((cell, v))
    levels = ", ".join(f"{c} {x:.3f}" for c, x in level.items())
    return f"{d}: the margin by the baseline's spread {1 - spread:.1%}; the cells' levels: {levels}"


def main(args: list[str]) -> None:
    key = "speed_processes"
    if args[:1] == ["--kernel"]:
        key, args = args[1], args[2:]
    counts: dict = defaultdict(list)
    for d in map(Path, args):
        print(campaign(d, key, counts))
    for group in ("A/A", "confirming"):
        cells = sorted({c for g, c, _ in counts if g == group})
        if not cells:
            continue
        print(f"\n{group} processes counted as run at the machine's usual speed ({' / '.join(RULES)}):")
        for name, chosen in [(c, [c]) for c in cells] + [("every cell", cells)]:
            shares = [[x for c in chosen for x in counts[group, c, rule]] for rule in RULES]
            print(f"  {name:26s} " + " / ".join(f"{np.mean(s):.0%}" for s in shares) + f"  of {len(shares[0])}")


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1:] == ["--kernel"]:
        sys.exit(__doc__)
    main(sys.argv[1:])
