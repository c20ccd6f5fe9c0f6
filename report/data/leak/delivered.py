"""Does ``--ov-inject-slowdown`` take what it says off a cell's FPS, measured inside one process?

    .venv/bin/python report/data/leak/delivered.py OUT.json [PROCESSES] [INJECT]
    .venv/bin/python report/data/leak/delivered.py --read OUT.json [OUT.json ...]

On the Intel Xeon without AMX (2026-12-06) an injected 10% read about 4% against a stored
baseline. Here each process of every CPU cell of the comparisons (none / THROUGHPUT x b1 / b4 x
sync / async) runs rounds with the injected work (``runner.extra``) on and off in a balanced order
(ABBA, BAAB, ...), timed by the worker's own ``round``, so the ratio of a cell's FPS with it to
its FPS without is round against round in one process. 12 rounds of 48 frames a process;
PROCESSES (default 2) fresh processes a cell, one cell after another; INJECT default 0.1.

``--read`` prints, per cell, each process's ratio of median FPS with the injection to median FPS
without (``1 - INJECT`` if the injection delivers what it says), and over all processes the median
and a 95% interval (``scipy.stats.bootstrap`` over processes).
"""
from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

from paired import cell_name, measure, median_line, started  # the kernel-leak measurement's own set-up, runs and summary

CELLS = [{"device": "CPU", "hint": hint, "batch": batch, "mode": mode}
         for hint in ("none", "THROUGHPUT") for batch in (1, 4) for mode in ("sync", "async")]
ROUNDS = 12


def one(cell: dict, inject: float) -> dict:
    from ovperf.runner import injected_factor

    w, _ = started(cell)
    rounds = []
    for k in range(ROUNDS):
        on = (k % 4 in (1, 2)) != bool((k // 4) % 2)  # ABBA, then BAAB, ...
        w.runner.extra = injected_factor(inject) if on else 0.0
        answer = w.round()
        rounds.append({"inject": inject if on else 0.0, "fps": len(w.frames) / answer["seconds"]})
    w.release()
    return {"cell": cell_name(cell), "rounds": rounds}


def ratio(rounds: list[dict]) -> float:
    on = [r["fps"] for r in rounds if r["inject"]]
    off = [r["fps"] for r in rounds if not r["inject"]]
    return statistics.median(on) / statistics.median(off)


def read(paths: list[str]) -> None:
    runs = [run for path in paths for run in json.loads(Path(path).read_text())]
    inject = max(r["inject"] for run in runs for r in run["rounds"])
    print(f"{len(runs)} processes, injected {inject:.0%}: FPS with it over FPS without, per process "
          f"(the injection delivers what it says at {1 - inject:.3f})")
    everyone = []
    for name in dict.fromkeys(run["cell"] for run in runs):
        ratios = [ratio(run["rounds"]) for run in runs if run["cell"] == name]
        everyone += ratios
        print(f"{name:24s} " + " ".join(f"{x:.3f}" for x in ratios))
    print(f"{'all cells':24s} {median_line(everyone)}")


def main() -> None:
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(one(json.loads(sys.argv[2]), float(sys.argv[3]))))
        return
    if sys.argv[1:2] == ["--read"]:
        read(sys.argv[2:])
        return
    out = Path(sys.argv[1])
    processes = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    measure(__file__, out, processes, CELLS, sys.argv[3] if len(sys.argv) > 3 else "0.1")
    read([str(out)])


if __name__ == "__main__":
    main()
