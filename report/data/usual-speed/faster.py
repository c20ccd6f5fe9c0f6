"""What a stored baseline catches in a session that ran faster than the baseline's machine.

    .venv/bin/python report/data/usual-speed/faster.py DIR [DIR ...]

Each DIR holds a stored-baseline campaign (``base.json``, whose cells recorded ``speed_runs``,
and comparison runs ``cmp-NN-KIND.json``). Per comparison run: the session's speed against the
baseline's (:meth:`ovperf.noise.UsualSpeed.session_share` over the first look's processes of
every cell, seeded with the baseline's processes as the suite seeds it), the geometric mean
of its cells' ratios, and how many cells read ``regressed``. Then, per kind of run, the cells
caught in sessions at or above ``ovperf.noise.FAST_SESSION`` and in the others. Only the
files' own samples and verdicts.
"""
from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

from ovperf import baseline as bl
from ovperf.measure import seed_usual
from ovperf.noise import FAST_SESSION, UsualSpeed


def run(path: Path, base: bl.Baseline) -> tuple[float | None, float, int, int]:
    data = json.loads(path.read_text())
    look = int(data["ovperf"]["processes"])
    cells = [b["extra_info"] for b in data["benchmarks"]]
    cells = [c for c in cells if c.get("speed_processes") and c.get("verdict")]
    usual = UsualSpeed()
    seed_usual(usual, base.cells)
    for c in cells:
        usual.add(c["speed_kernel"], c["speed_processes"][:look])
    ratio = float(np.exp(np.mean([np.log(c["verdict"]["ratio"]) for c in cells])))
    caught = sum(c["verdict"]["verdict"] == "regressed" for c in cells)
    return usual.session_share(cells[0]["speed_kernel"]), ratio, caught, len(cells)


def main(dirs: list[str]) -> None:
    table = defaultdict(lambda: [0, 0, 0])  # (kind, fast) -> runs, caught, cells
    for d in map(Path, dirs):
        base = bl.load(d / "base.json")
        for path in sorted(d.glob("cmp-*.json")):
            share, ratio, caught, cells = run(path, base)
            kind = path.stem.split("-")[-1]
            print(f"  {path}: session at {share:.3f} of the baseline's speed, ratio {ratio:.3f}, "
                  f"regressed {caught} of {cells}")
            row = table[kind, share is not None and share >= FAST_SESSION]
            row[0], row[1], row[2] = row[0] + 1, row[1] + caught, row[2] + cells
    print()
    for (kind, fast), (runs, caught, cells) in sorted(table.items()):
        where = f"at or above {FAST_SESSION:.2f}" if fast else f"below {FAST_SESSION:.2f}"
        print(f"{kind}: sessions {where}: {runs} runs, regressed {caught} of {cells} cells")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
