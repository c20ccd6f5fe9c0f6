"""How a regression's confirming look would read at other levels, re-judged from every campaign's files.

    .venv/bin/python report/data/zen5-bf16/confirm_level.py DIR [DIR ...]

For each cell whose first look read ``regressed`` and took a confirming look (the run as the
unit, a run counted as its best processes; ``report/data/xeon-bf16/confirm.py`` reads them), the
confirmation re-judged on the processes the run counted, against the baseline held to the same
rule (as the suite holds it since 2026-12-06, in runs made before that too), at the run's own level and at
0.02, 0.05 and 0.10. The first look, which chose the cell, keeps the run's level, so a cell can
fail only where the first look showed the regression at it: whatever the confirmation's level,
a cell fails at most as often as the first look alone. Counts per kind of run (``aa`` or the
injected percentage), a void look (not judged whatever the level) left out. Only the files'
own processes; nothing is simulated.
"""
from __future__ import annotations

import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "xeon-bf16"))
from confirm import rows  # noqa: E402  the reading of confirm.py, at other levels

LEVELS = (None, 0.02, 0.05, 0.10)


def main() -> None:
    table: dict[str, Counter] = defaultdict(Counter)
    for d in sys.argv[1:]:
        for level in LEVELS:
            for run, _, _, gave, _, _, _, held in rows(Path(d), level):
                if gave.get("unjudged"):
                    continue
                kind = run.rsplit("-", 1)[-1]
                table[kind][(level, "cells")] += 1
                table[kind][(level, "regressed")] += held.verdict == "regressed"
                if level is None:
                    table[kind][("run", "regressed")] += gave["verdict"] == "regressed"
    for kind, t in sorted(table.items()):
        n = t[(None, "cells")]
        at = ", ".join(f"at {lv}: {t[(lv, 'regressed')]}" for lv in LEVELS[1:])
        print(f"{kind}: {n} confirmed cells judged; the confirmation read regressed at the run's level in "
              f"{t[(None, 'regressed')]} (the run itself gave {t[('run', 'regressed')]}), {at}")


if __name__ == "__main__":
    main()
