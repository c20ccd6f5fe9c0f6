"""What a look of fewer processes than the baseline's runs changes, re-judged from campaigns' files.

    .venv/bin/python report/data/zen5-bf16/looser.py DIR [DIR ...]

DIR holds comparison runs ``cmp-NN-KIND.json`` against its ``base.json`` (KIND ``aa`` or the
injected percentage), as ``report/data/xeon-bf16/confirm.py`` reads them. Since the change this
measures, a run counted as its best processes whose look has fewer processes than the baseline's
runs is judged with what that spreads beyond the runs' drift in its interval
(``ovperf.stats.RunDrift.looser``, a bootstrap of the baseline's processes); before it, at the
drift alone. For every cell judged with the run as the unit (a run counted as its best
processes) this re-judges the first look (the run's first ``--ov-processes`` processes, at the
run's alpha, FPS at the baseline's machine speed times the run's ``machine_factor`` where the run
so read it) both ways, and the confirming look, where the run took one, as the run counted it
(``confirm.rows``, its processes and the baseline's at the machine speed they ran at, as the suite
reads them since 9f737ce): at the drift alone, as the suite judges a confirmation, whose
processes are chosen for the machine's usual speed rather than drawn at random; and, for the
runs of e62422d, which judged it so, with the spread of fewer processes in it too. A cell fails
where both looks read ``regressed``; one whose first look reads ``regressed`` only at the new rule
took no confirmation and is counted apart. Per kind of run, it prints the cells, those whose first
look read ``regressed`` at the old rule and at the new, and those that fail as the run gave them,
at the old rule, at the new, and with the confirmation judged with the spread too. Only the files' own
samples; nothing is simulated.
"""
from __future__ import annotations

import json
import math
import sys
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

from ovperf import baseline as bl
from ovperf.baseline import cell_runs
from ovperf.measure import baseline_processes, scaled
from ovperf.stats import REGRESSED, compare

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "xeon-bf16"))
from confirm import rows  # noqa: E402  the confirmations as confirm.py reads them


def main() -> None:
    totals: dict[str, Counter] = defaultdict(Counter)
    for d in map(Path, sys.argv[1:]):
        base = bl.load(d / "base.json")
        at_level = base.at_machine_level(base.units_level) if base.units_level is not None else base
        confirmed = {spread: {(run, cell): held for run, cell, *_, held in
                              rows(d, period_factor="counted", looser=spread)} for spread in (False, True)}
        for path in sorted(d.glob("cmp-*.json")):
            run = json.loads(path.read_text())
            first = run["ovperf"]["processes"]
            kind = path.stem.rsplit("-", 1)[-1]
            for b in run["benchmarks"]:
                info, verdict = b["extra_info"], b["extra_info"].get("verdict") or {}
                if verdict.get("unit") != "run" or (verdict.get("run_drift") or {}).get("statistic") != "best":
                    continue
                factor = info.get("machine_factor")
                judged_at = at_level if factor is not None else base
                saved, drift = judged_at.cells[b["name"]], judged_at.drift
                t = totals[kind]
                t["cells"] += 1
                t["drift differs"] += abs(drift.sd - verdict["run_drift"]["sd"]) > 1e-6
                t["gave"] += verdict["verdict"] == REGRESSED
                t["looser sd"] += first < max(len(r) for r in cell_runs(saved)) and math.sqrt(drift.looser(first))
                held = {spread: confirmed[spread].get((f"{d.name}/{path.stem}", info["id"])) for spread in (False, True)}
                # the first look at the old rule (the drift alone) and at the new (with the spread);
                # "both" is the new rule's first look with the confirmation judged with the spread too
                first_look = {rule: compare(
                    baseline_processes(saved), scaled(info["fps_processes"][:first], factor),
                    max_regression=verdict["threshold"], alpha=(1 - verdict["confidence"]) / 2, look=1,
                    baseline_runs=[len(r) for r in cell_runs(saved)], drift=between)
                    for rule, between in (("old", replace(drift, bests=())), ("new", drift))}
                for rule, look, spread in (("old", first_look["old"], False), ("new", first_look["new"], False),
                                           ("both", first_look["new"], True)):
                    t[f"first {rule}"] += look.verdict == REGRESSED
                    if look.verdict != REGRESSED:
                        continue
                    confirmation = held[spread]
                    if confirmation is None:
                        t[f"no confirmation {rule}"] += 1
                    else:
                        t[rule] += confirmation.verdict == REGRESSED and not verdict.get("unjudged")
    for kind, t in sorted(totals.items()):
        print(f"{kind}: {t['cells']} cells; the first look regressed {t['first old']} at the old rule, "
              f"{t['first new']} at the new (a look's fewer processes adding {t['looser sd'] / t['cells']:.2%} on "
              f"average); regressed after the confirmation as the run gave {t['gave']}, at the old rule {t['old']}, "
              f"at the new {t['new']} (with the confirmation judged so too: {t['both']})"
              + "".join(f"; {t[f'no confirmation {rule}']} regressed at the {rule} rule's first look without a "
                        "confirmation" for rule in ("old", "new") if t[f"no confirmation {rule}"])
              + (f"; the baseline's drift not the run's in {t['drift differs']}" if t["drift differs"] else ""))


if __name__ == "__main__":
    main()
