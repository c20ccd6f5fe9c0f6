"""What a regressed cell's first look and its confirmation read, re-judged from a campaign's files.

    .venv/bin/python report/data/xeon-bf16/confirm.py DIR [DIR ...]

DIR holds comparison runs ``cmp-NN-KIND.json`` against its ``base.json`` (KIND ``aa`` or the
injected percentage). For every cell that took a confirming look (its verdict's ``look`` is 2, the
run as the unit, a run counted as its best processes), it prints: the first look, re-judged from
the cell's first ``FIRST`` processes; the verdict the run gave (the confirmation's processes at the
machine's usual speed); all the confirmation's processes, re-judged alone; and the first look's
and the confirmation's together; then, per kind of run, how many such cells each reading left
``regressed``, and in how many the processes at the usual speed read higher or lower than every
new process. Each with ``ovperf.stats.compare`` at the cell's own drift and the run's own alpha and
threshold, the baseline read at its machine level and this run's FPS times its ``machine_factor``
where the run so judged it, as the suite does. Only the files' own samples; nothing is simulated.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from ovperf import baseline as bl
from ovperf.baseline import cell_runs
from ovperf.measure import baseline_processes, scaled
from ovperf.settings import DEFAULT_COMPARE_PROCESSES as FIRST
from ovperf.stats import RunDrift, compare


def rows(d: Path):
    base = bl.load(d / "base.json")
    at_level = base.at_machine_level(base.units_level) if base.units_level is not None else base
    for path in sorted(d.glob("cmp-*.json")):
        for b in json.loads(path.read_text())["benchmarks"]:
            info, verdict = b["extra_info"], b["extra_info"].get("verdict") or {}
            drift = verdict.get("run_drift") or {}
            if verdict.get("look") != 2 or verdict.get("unit") != "run" or drift.get("statistic") != "best":
                continue
            factor = info.get("machine_factor")
            saved = (at_level if factor is not None else base).cells[b["name"]]
            between = RunDrift(variance=drift["sd"] ** 2, df=drift["df"], cells=drift["cells"], runs=drift["runs"],
                               statistic="best")
            current = scaled(info["fps_processes"], factor)
            baseline, sizes = baseline_processes(saved), [len(r) for r in cell_runs(saved)]
            alpha = (1 - verdict["confidence"]) / 2  # the level each of the run's looks spent

            def judged(processes, look):
                return compare(baseline, processes, max_regression=verdict["threshold"], alpha=alpha, look=look,
                               baseline_runs=sizes, drift=between)

            yield (f"{d.name}/{path.stem}", info["id"], judged(current[:FIRST], 1), verdict,
                   judged(current[FIRST:], 2), judged(current, 2))


def main() -> None:
    from collections import Counter, defaultdict

    totals: dict[str, Counter] = defaultdict(Counter)
    for d in sys.argv[1:]:
        for run, cell, first, gave, new, pooled in rows(Path(d)):
            print(f"{run:24s} {cell:24s} first look {first.ratio:.3f} {first.verdict:9s} | the run gave "
                  f"{gave['ratio']:.3f} {gave['verdict']:12s} | every new process {new.ratio:.3f} {new.verdict:12s} | "
                  f"both {pooled.ratio:.3f} {pooled.verdict}")
            t = totals[run.rsplit("-", 1)[-1]]
            t["cells"] += 1
            t["gave"] += gave["verdict"] == "regressed"
            t["new"] += new.verdict == "regressed"
            t["both"] += pooled.verdict == "regressed"
            t["higher"] += gave["ratio"] > new.ratio + 5e-4
            t["lower"] += gave["ratio"] < new.ratio - 5e-4
    for kind, t in sorted(totals.items()):
        print(f"{kind}: {t['cells']} cells took a confirming look; regressed as the run gave {t['gave']}, on every new "
              f"process {t['new']}, on both looks' processes {t['both']}; the processes at the usual speed read higher "
              f"than every new process in {t['higher']}, lower in {t['lower']}")


if __name__ == "__main__":
    main()
