"""Would a confirmation have lost its verdict had it not waited for the machine's usual speed
in a session that ran below its stored baseline's speed?

    .venv/bin/python report/data/usual-speed/recovery.py DIR [DIR ...]

Each DIR holds a stored-baseline campaign: ``base.json`` (whose cells recorded ``speed_runs``)
and comparison runs ``cmp-*.json`` (cells with ``speed_processes``). Only the files' own
samples and verdicts; nothing is simulated.

A confirming look (``ovperf.measure._ConfirmRule``) measures new processes over a span of at
least 60 s, and counts only those at the session's usual speed; if it has too few when the
span is over, it waits up to 600 s more for the machine to come back. This script finds every
confirmation whose verdict says it set processes aside (``counted the X of Y new processes ...
(N s)``) or that the wait ran out (``stayed below its usual speed ... for N s``), and, for each,
the session's speed when it began: its fastest processes so far as a share of the baseline's
(:meth:`ovperf.noise.UsualSpeed.session_share`, the session seeded with the baseline's
processes as the suite seeds it). The session's processes are taken in the order they
started (``process_started``; in runs that did not record it, the order of the cells and of
each cell's processes, which is the order a run that measures its cells one after another
keeps). A confirmation's own processes are the last Y of its cell (all after the first look,
the run's ``processes``, for one whose wait ran out).

Per row of the table, a band of the session's speed when the confirmation began (below
``ovperf.noise.SLOW_SESSION``, where a confirmation no longer waits; up to
``1 - USUAL_MARGIN``; above): the confirmations that found the machine at its usual speed
within the span (N at most ``SPAN`` s plus one process), those that found it only in the wait
(the verdicts a rule "no wait in such a session" loses), and those whose wait ran out (the
seconds it saves; a run that confirms its cells in passes shares one wait among them). The
campaigns on record ran before that rule: every confirmation in them could wait.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import numpy as np

from ovperf import baseline as bl
from ovperf.measure import seed_usual
from ovperf.noise import SLOW_SESSION, USUAL_MARGIN, UsualSpeed

SPAN, ONE_PROCESS = 60.0, 15.0
FOUND = re.compile(r"counted the (\d+) of (\d+) new processes that ran at the machine's usual speed \((\d+) s\)")
VOID = re.compile(r"the machine stayed below its usual speed \(the kernel at \d+% of it\) for (\d+) s")


def run(path: Path, base: bl.Baseline) -> list[dict]:
    data = json.loads(path.read_text())
    look = int(data["ovperf"]["processes"])
    cells = [b["extra_info"] for b in data["benchmarks"]]
    cells = [c for c in cells if c.get("speed_processes") and c.get("speed_kernel")]
    order = []  # (start or (cell, index), cell id, index, kernel, median speed)
    for n, c in enumerate(cells):
        started = c.get("process_started")
        for i, s in enumerate(c["speed_processes"]):
            key = float(started[i]) if started and len(started) == len(c["speed_processes"]) else (n, i)
            order.append((key, c["id"], i, c["speed_kernel"], float(np.median(s)) if s else None))
    order.sort(key=lambda x: x[0])
    rows = []
    for c in cells:
        label = (c.get("verdict") or {}).get("label", "")
        found, void = FOUND.search(label), VOID.search(label)
        if not (found or void):
            continue
        total = len(c["speed_processes"])
        first = total - int(found.group(2)) if found else look
        at = next(k for k, x in enumerate(order) if x[1] == c["id"] and x[2] == first)
        usual = UsualSpeed()
        seed_usual(usual, base.cells)
        for _, _, _, kernel, speed in order[:at]:
            if speed is not None:
                usual.add(kernel, [[speed]])
        rows.append(dict(run=path, cell=c["id"], session=usual.session_share(c["speed_kernel"]),
                         found=bool(found), seconds=int((found or void).group(3 if found else 1))))
    return rows


def main(dirs: list[str]) -> None:
    rows = []
    for d in map(Path, dirs):
        base = bl.load(d / "base.json")
        for path in sorted(d.glob("cmp-*.json")):
            rows += run(path, base)
    for r in rows:
        share = f"{r['session']:.3f}" if r["session"] is not None else "-"
        print(f"  {r['run']} {r['cell']}: session at {share} of the baseline's speed; "
              f"{'found' if r['found'] else 'wait ran out'} after {r['seconds']} s")
    print()
    quick = SPAN + ONE_PROCESS
    bands = ((f"below {SLOW_SESSION:.2f}", 0.0, SLOW_SESSION), (f"{SLOW_SESSION:.2f}-{1 - USUAL_MARGIN:.2f}",
             SLOW_SESSION, 1 - USUAL_MARGIN), (f"at {1 - USUAL_MARGIN:.2f} or above", 1 - USUAL_MARGIN, 99.0))
    print("session's speed when the confirmation began, as a share of the baseline's:")
    for label, low, high in bands:
        group = [r for r in rows if r["session"] is not None and low <= r["session"] < high]
        within = [r for r in group if r["found"] and r["seconds"] <= quick]
        waited = [r for r in group if r["found"] and r["seconds"] > quick]
        out = [r for r in group if not r["found"]]
        sessions = {r["run"]: r["seconds"] for r in out}  # a spread run's cells share one wait
        print(f"  {label}: {len(group)} confirmations in {len({r['run'] for r in group})} sessions; "
              f"the usual speed found within {quick:.0f} s: {len(within)}; only in the wait: {len(waited)}"
              + (f" (after {', '.join(str(r['seconds']) for r in waited)} s)" if waited else "")
              + f"; wait ran out: {len(out)}, in {len(sessions)} sessions"
              + (f" ({', '.join(str(v) for v in sessions.values())} s)" if sessions else ""))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
