"""How confirmations would read with their FPS at the baseline's machine speed by their own period.

    .venv/bin/python report/data/zen5-bf16/confirm_factor.py [--counted] DIR [DIR ...]

Where a comparison reads its FPS at the baseline's machine speed (``--ov-machine-adjust``), the
suite multiplies every process of a cell, the confirmation's too, by one factor: the session's
level by the units kernel over the processes measured until the cell was judged, in a spread run
every cell's first look. A confirmation runs minutes later. This re-judges each confirmation on the
processes the run counted, against the baseline held to the same rule, with its FPS read at the
level of the confirmations' own processes instead (``report/data/xeon-bf16/confirm.py``,
``confirming_level``: the median units-kernel speed of every new process of the run's
confirmations). With ``--counted``, as the suite reads a confirmation since 9f737ce
(``ovperf.measure.at_counted_level``): the processes the confirmation counted at the level of
their own speeds, and the baseline's processes it counted, run by run, at theirs. Run on
comparisons made before 9f737ce (a run since reads its confirmations so already). Counts per kind of run (``aa`` or the injected percentage), a void look left
out, and how far the two levels lay apart. For injected runs, also how far each reading's ratios
lay from the injection's own (the mean and the root mean square of log ratio - log(1 - injected),
as percentages): the injection is the one change known to be there, so the reading nearer it
reads the machine better. Only the files' own processes; nothing is simulated.
"""
from __future__ import annotations

import math
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "xeon-bf16"))
from confirm import rows  # noqa: E402  the reading of confirm.py, at the confirmation's own level


def main() -> None:
    table: dict[str, Counter] = defaultdict(Counter)
    errors: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    args = sys.argv[1:]
    mode = "counted" if args[:1] == ["--counted"] else "confirmations"
    for d in args[mode == "counted":]:
        as_run = {(run, cell): held for run, cell, *_, held in rows(Path(d))}
        for run, cell, first, gave, *_, held in rows(Path(d), period_factor=mode):
            if gave.get("unjudged"):
                continue
            t = table[run.rsplit("-", 1)[-1]]
            t["cells"] += 1
            t["run"] += as_run[run, cell].verdict == "regressed"
            t["period"] += held.verdict == "regressed"
            kind = run.rsplit("-", 1)[-1]
            if kind.isdigit():  # the injected percentage: how far each reading lay from it
                truth = math.log1p(-int(kind) / 100)
                errors[kind]["session"].append(math.log(as_run[run, cell].ratio) - truth)
                errors[kind]["own"].append(math.log(held.ratio) - truth)
            moved = held.ratio / as_run[run, cell].ratio
            print(f"{run:34s} {cell:24s} first look {first.ratio:.3f} | confirmation at the session's level "
                  f"{as_run[run, cell].ratio:.3f} {as_run[run, cell].verdict:12s} | at its own {held.ratio:.3f} "
                  f"{held.verdict} (x{moved:.3f})")
    for kind, t in sorted(table.items()):
        off = "".join(f"; off the injected {kind}% by {_off(errors[kind][level])} at {name}"
                      for level, name in (("session", "the session's level"), ("own", "their own"))
                      if errors[kind][level])
        print(f"{kind}: {t['cells']} confirmations judged; regressed at the session's level {t['run']}, at the "
              f"confirmations' own {t['period']}{off}")


def _off(logs: list[float]) -> str:
    """``+1.2% on average, 3.8% RMS``: log ratios' distance from the truth, as percentages."""
    mean = sum(logs) / len(logs)
    return f"{mean:+.2%} on average, {math.sqrt(sum(x * x for x in logs) / len(logs)):.2%} RMS"


if __name__ == "__main__":
    main()
