"""What a regressed cell's first look and its confirmation read, re-judged from a campaign's files.

    .venv/bin/python report/data/xeon-bf16/confirm.py DIR [DIR ...]

DIR holds comparison runs ``cmp-NN-KIND.json`` against its ``base.json`` (KIND ``aa`` or the
injected percentage). For every cell that took a confirming look (its verdict's ``look`` is 2, the
run as the unit, a run counted as its best processes), it prints: the first look, re-judged from
the cell's first look's processes (as many as the run's ``--ov-processes``, in its file); the
verdict the run gave (the confirmation's processes at the machine's usual speed); all the
confirmation's processes, re-judged alone; the first look's and the confirmation's together; and the processes the run counted (the fastest by its kernel, as many
as its note says) against the whole baseline and against the baseline held to the same rule
(``ovperf.measure.confirming_baseline``, which the suite applies since this script's column was
added). Then, per kind of run, how many such cells each reading left ``regressed`` (a void look,
which the suite leaves unjudged whatever the baseline, counts in neither of the last two), and in
how many the processes counted read higher or lower, against the whole baseline, than every new
process. Each with ``ovperf.stats.compare`` at the cell's own drift and the run's own alpha and
threshold, the baseline read at its machine level and this run's FPS times its ``machine_factor``
where the run so judged it, as the suite does. Only the files' own samples; nothing is simulated.
"""
from __future__ import annotations

import json
import math
import re
import statistics
import sys
from pathlib import Path

from ovperf import baseline as bl
from ovperf.baseline import cell_runs
from ovperf.measure import (at_counted_level, baseline_processes, confirming_baseline, level_speeds, scaled,
                            seed_usual)
from ovperf.noise import UsualSpeed
from ovperf.stats import RunDrift, compare

#: What a confirming look that held the baseline to its own rule says (``ovperf.measure.measure_cell``).
HELD = "it held the baseline to the same rule"


def confirming_level(run: dict, first: int) -> float | None:
    """The log of the median units-kernel speed of every new process of the run's confirmations
    (each cell that took a confirming look, its processes after the first ``first``): how fast the
    machine ran while they did, as :meth:`ovperf.noise.UsualSpeed.level` reads a session."""
    speeds = [statistics.median(p) for b in run["benchmarks"]
              if (b["extra_info"].get("verdict") or {}).get("look") == 2
              for p in (b["extra_info"].get("units_speed_processes") or [])[first:] if p]
    return math.log(statistics.median(speeds)) if speeds else None


def rows(d: Path, confirm_alpha: float | None = None, period_factor: str = "", looser: bool = False):
    """Each confirmed cell of DIR's runs; ``confirm_alpha``: the confirming look re-judged at this
    level instead of the run's own (the first look keeps the run's). ``period_factor``: where the
    run read its FPS at the baseline's machine speed, ``confirmations``: the confirming processes
    read at the level of the confirmations' own processes (:func:`confirming_level`) instead of the
    session's; ``counted``: the processes the confirmation counted, and the baseline's held to its
    rule run by run, each read at the level of those processes' own speeds, as the suite reads a
    confirmation since 9f737ce (``ovperf.measure.at_counted_level``). ``looser``: every look judged
    at the drift of the baseline's own runs with their processes, so that a look of fewer processes
    than the baseline's runs counts what it spreads beyond them (``ovperf.stats.RunDrift.looser``),
    as the suite judges since that change; else at the drift the run recorded."""
    base = bl.load(d / "base.json")
    at_level = base.at_machine_level(base.units_level) if base.units_level is not None else base
    usual = UsualSpeed()
    seed_usual(usual, base.cells)
    for path in sorted(d.glob("cmp-*.json")):
        run = json.loads(path.read_text())
        first = run["ovperf"]["processes"]  # a look's processes (``--ov-processes``)
        period = (confirming_level(run, first) if period_factor == "confirmations" and base.units_level is not None
                  else None)
        for b in run["benchmarks"]:
            info, verdict = b["extra_info"], b["extra_info"].get("verdict") or {}
            drift = verdict.get("run_drift") or {}
            if verdict.get("look") != 2 or verdict.get("unit") != "run" or drift.get("statistic") != "best":
                continue
            factor = info.get("machine_factor")
            saved = (at_level if factor is not None else base).cells[b["name"]]
            between = RunDrift(variance=drift["sd"] ** 2, df=drift["df"], cells=drift["cells"], runs=drift["runs"],
                               statistic="best")
            if looser:
                between = (at_level if factor is not None else base).drift
            current = scaled(info["fps_processes"], factor)
            baseline, sizes = baseline_processes(saved), [len(r) for r in cell_runs(saved)]
            alpha = (1 - verdict["confidence"]) / 2  # the level each of the run's looks spent
            confirm_level = alpha if confirm_alpha is None else confirm_alpha  # the confirming look's

            def judged(processes, look):
                level = alpha if look == 1 else confirm_level
                return compare(baseline, processes, max_regression=verdict["threshold"], alpha=level, look=look,
                               baseline_runs=sizes, drift=between)

            new = current[first:]
            if factor is not None and period is not None:
                new = scaled(info["fps_processes"][first:], base.units_level.factor(period))
            kept = _kept(info, verdict, usual, first)
            held_base = confirming_baseline(saved, at_level if factor is not None else base, usual)
            own = (at_counted_level(base.units_level, held_base, level_speeds(saved, base.units_level), sizes,
                                    [info["units_speed_processes"][first + k] for k in kept],
                                    [info["fps_processes"][first + k] for k in kept])
                   if factor is not None and period_factor == "counted" and held_base is not None else None)
            if own is not None:
                held_base, counted, _ = own
                new = [[] for _ in new]
                for k, p in zip(kept, counted):
                    new[k] = p
            held = compare(held_base,
                           [new[k] for k in kept], max_regression=verdict["threshold"],
                           alpha=confirm_level, look=2,
                           baseline_runs=sizes, drift=between)
            yield (f"{d.name}/{path.stem}", info["id"], judged(current[:first], 1), verdict,
                   judged(new, 2), judged(current, 2), judged([new[k] for k in kept], 2), held)


def _kept(info, verdict, usual, first: int) -> list[int]:
    """Which of the confirmation's new processes the run counted: the ``K`` fastest by the kernel it
    chose them by (:meth:`ovperf.measure.ProcessSample.usual_speed`), ``K`` from its note
    ("counted the K of N new processes"), or all of them without such a note."""
    new = range(first, len(info["fps_processes"]))
    counted = re.search(r"counted the (\d+) of (\d+) new processes", verdict.get("label") or "")
    if counted is None or "met only the machine's slowness" in (verdict.get("label") or ""):
        return [k - first for k in new]
    kernel = "units_" if info.get("units_speed_kernel") and usual.prior.get(info["units_speed_kernel"]) else ""
    speeds = info[f"{kernel}speed_processes"]
    fastest = sorted(new, key=lambda k: -statistics.median(speeds[k]))[:int(counted.group(1))]
    return sorted(k - first for k in fastest)


def main() -> None:
    from collections import Counter, defaultdict

    totals: dict[str, Counter] = defaultdict(Counter)
    for d in sys.argv[1:]:
        for run, cell, first, gave, new, pooled, whole, held in rows(Path(d)):
            void = bool(gave.get("unjudged"))  # the suite holds neither side then: the cell is not judged
            ran_held = HELD in (gave.get("label") or "")
            print(f"{run:24s} {cell:24s} first look {first.ratio:.3f} {first.verdict:9s} | the run gave "
                  f"{gave['ratio']:.3f} {gave['verdict']:12s} | every new process {new.ratio:.3f} {new.verdict:12s} | "
                  f"both {pooled.ratio:.3f} {pooled.verdict:12s} | "
                  + ("a void look, not judged" if void else f"counted against the whole baseline {whole.ratio:.3f} "
                     f"{whole.verdict:12s} | against the baseline held to the same rule {held.ratio:.3f} {held.verdict}")
                  + ("" if void or abs((held if ran_held else whole).ratio - gave["ratio"]) < 5e-4
                     else " (the run's counted processes not found)"))
            t = totals[run.rsplit("-", 1)[-1]]
            t["cells"] += 1
            t["gave"] += gave["verdict"] == "regressed"
            t["new"] += new.verdict == "regressed"
            t["both"] += pooled.verdict == "regressed"
            t["whole"] += whole.verdict == "regressed" and not void
            t["held"] += held.verdict == "regressed" and not void
            t["held only"] += held.verdict == "regressed" and whole.verdict != "regressed" and not void
            t["whole only"] += whole.verdict == "regressed" and held.verdict != "regressed" and not void
            t["ran held"] += ran_held
            t["unfound"] += not void and abs((held if ran_held else whole).ratio - gave["ratio"]) >= 5e-4
            t["higher"] += whole.ratio > new.ratio + 5e-4 and not void
            t["lower"] += whole.ratio < new.ratio - 5e-4 and not void
    for kind, t in sorted(totals.items()):
        print(f"{kind}: {t['cells']} cells took a confirming look ({t['ran held']} of them holding the baseline to its "
              f"rule); regressed as the run gave {t['gave']}, on every new process {t['new']}, on both looks' processes "
              f"{t['both']}; on the processes it counted, against the whole baseline {t['whole']}, against the baseline "
              f"held to the same rule {t['held']} ({t['held only']} only so, {t['whole only']} only against the whole); "
              f"the processes it counted read higher than every new process in {t['higher']}, lower in {t['lower']}"
              + (f"; the run's counted processes not found in {t['unfound']}" if t["unfound"] else ""))


if __name__ == "__main__":
    main()
