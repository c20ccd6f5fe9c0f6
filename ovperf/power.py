"""What the gate catches on this machine, from real runs with real injected slowdowns.

``python -m ovperf.power RUN.json [RUN.json ...]`` reads the ``--benchmark-json`` files
of comparison runs (against a stored baseline, or interleaved A/B), some of them made
with ``--ov-inject-slowdown PCT`` and some without (A/A). Each cell's verdict is the one
the run gave; nothing is rescaled or simulated. It prints, per injected slowdown, how
many cells were ``regressed``, how many showed a slowdown at all (``regressed`` or
``slower``: a CI that excludes 1.0), and the verdicts, then one line:
"on this machine this gate catches X% slowdowns in Y% of cells, with Z false alarms in N",
and last what a cell cost in wall time (``cell_seconds``: mean, median, range). For runs
against a stored baseline of several runs, two lines more: the catch rate that each
baseline's drift predicts beside the rate the runs gave (:func:`drift_predicts`), and how the
runs moved since their baseline, as a whole and each cell on its own, with the most that any
rule judging one run of a cell could catch on this machine (:func:`moves`).

``--against BASELINE.json`` re-judges every cell of stored-baseline comparison runs
from the samples the files hold, twice, at the level each run's verdict spent: on
raw FPS, and on FPS adjusted for the machine's speed around each round
(:func:`ovperf.stats.speed_adjusted_logs`). Same processes, same test: the difference
is what the adjustment buys on this machine.

``--by-run BASELINE.json`` re-judges every cell of stored-baseline comparison runs with
the run as the unit (:class:`ovperf.stats.RunLevel`, the drift between the baseline's
runs pooled over its cells), at the level each run's verdict spent, and prints the same
table as the verdicts the runs gave: what the run unit would have said on these runs. A
last line sets the ratios' real error against the truth beside the standard error each
unit (run, process) claimed for them: the unit whose claim matches is the one to trust.

``--rejudge`` re-judges every cell of interleaved A/B runs from the pairs the files hold,
with this checkout's rules, at the level each run's verdict spent: what today's verdicts
say of runs made under older rules (the samples are the runs' own; nothing is simulated).
It judges the pairs of the last look at once, which is exact for runs of one look.

``--looks`` reads interleaved A/B runs and prints, per injected slowdown, at which look the
cells ended, and what their first looks read when re-judged from their first pairs: how many
were ``unchanged``, how many of those leaned towards a change (one-sided p below
:data:`ovperf.defaults.LEAN_P`, which takes the next look), and what those cells read in the
end. The first look's level is the one its run spent where the cell ended there, else the
first look's planned share of the default alpha.

``--noise`` reads interleaved A/B runs instead and prints where their noise lives: the
spread of rounds inside a process, of processes beyond it, and of pairs, per cell and per
design (rounds a process), with what a pair costs in wall time and what that buys: the
ratio's SD after 10 minutes a cell, the pairs and minutes a 5% slowdown needs, and the
time-optimal rounds a process (:mod:`ovperf.levels`).
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from ovperf import defaults
from ovperf.cli import entry_point
from ovperf.stats import (
    FIRST_LOOK_SHARE, REGRESSED, SLOWER, UNCHANGED, Comparison, DriftParts, RunDrift, catch_chance, compare,
    drift_parts, look_levels, planned_sizes, settle,
)
from ovperf.summary import markdown_table


def judged_cells(run: Mapping) -> Iterable[tuple[Mapping, Mapping]]:
    """(extra_info, verdict) of every judged cell of one run's JSON; the verdict is the A/B
    one (``extra_info.ab``) where the run was interleaved A/B."""
    for bench in run.get("benchmarks", []):
        info = bench.get("extra_info") or {}
        judged = info.get("ab") if isinstance(info.get("ab"), dict) else info.get("verdict")
        if isinstance(judged, dict) and "verdict" in judged:
            yield info, judged


#: How :func:`verdicts` reads an ``inconclusive`` cell left unjudged (its confirmation met only a
#: slow period of the machine, ``Comparison.unjudged``), apart from the other inconclusive ones.
NOT_JUDGED = "not judged (slow period)"


def verdicts(run: Mapping) -> Iterable[tuple[float, str, float]]:
    """(injected slowdown, verdict, ratio) of every judged cell of one run's JSON; a cell left
    unjudged reads :data:`NOT_JUDGED`."""
    for info, judged in judged_cells(run):
        verdict = NOT_JUDGED if judged.get("unjudged") else judged["verdict"]
        yield float(info.get("inject_slowdown") or 0.0), verdict, float(judged.get("ratio", 0.0))


def tally(runs: Sequence[Mapping]) -> dict[float, Counter]:
    """Injected slowdown -> counts of each verdict (:data:`NOT_JUDGED` apart)."""
    out: dict[float, Counter] = defaultdict(Counter)
    for run in runs:
        for inject, verdict, _ in verdicts(run):
            out[inject][verdict] += 1
    return dict(sorted(out.items()))


def level_spent(judged: Mapping) -> float:
    """The one-sided level a stored verdict spent on its look, from its interval's confidence."""
    return (1 - judged["confidence"]) / 2


def rejudged(run: Mapping, baseline: Mapping) -> Iterable[tuple[float, str, str, float, float]]:
    """(injected slowdown, raw verdict, speed-adjusted verdict, raw ratio, adjusted ratio) of
    every cell of a comparison run that both files hold with the machine's speed."""
    from ovperf.measure import baseline_processes

    saved = {b["name"]: b.get("extra_info") or {} for b in baseline.get("benchmarks", [])}
    for bench in run.get("benchmarks", []):
        info = bench.get("extra_info") or {}
        base_info, judged = saved.get(bench["name"]), info.get("verdict")
        if base_info is None or not isinstance(judged, dict) or "confidence" not in judged:
            continue
        base, cur = baseline_processes(base_info), info.get("fps_processes") or []
        speeds = ([p for run_ in base_info.get("speed_runs") or [] for p in run_], info.get("speed_processes") or [])
        level = level_spent(judged)
        threshold = judged.get("threshold")
        raw = settle(compare(base, cur, max_regression=threshold, alpha_look=level))
        adj = settle(compare(base, cur, max_regression=threshold, alpha_look=level, speeds=speeds))
        if adj.speed_slope is None:
            continue
        yield float(info.get("inject_slowdown") or 0.0), raw.verdict, adj.verdict, raw.ratio, adj.ratio


def by_run(runs: Sequence[Mapping], baseline: Mapping, drift: RunDrift | None = None,
           statistic: str = defaults.RUN_STATISTIC) -> tuple[dict[float, Counter], str]:
    """Injected slowdown -> counts of each verdict, every cell re-judged with the run as the
    unit against ``baseline`` (every run it holds), at the level its run spent; and one line
    that checks the units against these runs: how far the ratios lay from the truth
    (1 - injected), against the standard error each unit claimed for them. ``drift``: the
    drift between runs to judge with (a history's, ``--history``); default: the baseline's, of
    runs counted as ``statistic`` (:func:`ovperf.stats.run_value`)."""
    import numpy as np

    from ovperf.baseline import cell_runs
    from ovperf.stats import RunLevel, matrix_cell, pooled_sd, process_medians, run_drift

    saved = {b["name"]: b.get("extra_info") or {} for b in baseline.get("benchmarks", [])}
    drift = drift or run_drift((cell_runs(info) for info in saved.values()), statistic)
    out: dict[float, Counter] = defaultdict(Counter)
    errors, run_se, process_se = [], [], []
    for run in runs:
        for bench in run.get("benchmarks", []):
            info, judged = bench.get("extra_info") or {}, (bench.get("extra_info") or {}).get("verdict")
            base_info = saved.get(bench["name"])
            if base_info is None or not isinstance(judged, dict) or "confidence" not in judged:
                continue
            base_runs, current = cell_runs(base_info), info.get("fps_processes") or []
            inject = float(info.get("inject_slowdown") or 0.0)
            verdict = settle(compare(
                [p for r in base_runs for p in r], current,
                max_regression=judged.get("threshold"), alpha_look=level_spent(judged),
                baseline_runs=[len(r) for r in base_runs], drift=drift,
            ))
            out[inject][verdict.verdict] += 1
            errors.append(math.log(verdict.ratio / (1 - inject)))
            if drift is not None:
                groups, this = matrix_cell(base_runs, current, drift.statistic)
                run_se.append(RunLevel.of(groups, [this], drift, [len(process_medians(current))],
                                          [len(process_medians(r)) for r in base_runs]).se)
            lb = np.concatenate([np.log(process_medians(r)) for r in base_runs])
            lc = np.log(process_medians(current))
            process_se.append(pooled_sd(lb, lc) * math.sqrt(1 / len(lb) + 1 / len(lc)))
    line = ""
    if errors:
        rms = math.sqrt(sum(e * e for e in errors) / len(errors))
        line = (f"log ratio against the truth (1 - injected slowdown) over {len(errors)} cells: RMS {rms:.3f}; "
                f"the standard error each unit claimed, median: run {np.median(run_se) if run_se else math.nan:.3f}"
                f"{f' (drift between runs {drift.describe()})' if drift else ''}, "
                f"process {np.median(process_se):.3f}")
    return dict(sorted(out.items())), line


def rejudged_table(runs: Sequence[Mapping], baseline: Mapping) -> tuple[list[list[str]], str]:
    """The table of raw and speed-adjusted verdicts per injected slowdown, and one line: how far
    each kind of ratio lies from the truth (1 - injected), as the RMS of its log."""
    rows: dict[float, list] = defaultdict(list)
    for run in runs:
        for inject, raw, adj, raw_ratio, adj_ratio in rejudged(run, baseline):
            rows[inject].append((raw, adj, raw_ratio, adj_ratio))
    errors = [(math.log(c[2] / (1 - k)), math.log(c[3] / (1 - k))) for k, cells in rows.items() for c in cells]
    rms = [math.sqrt(sum(e[i] ** 2 for e in errors) / max(1, len(errors))) for i in (0, 1)]
    line = (f"ratio against the truth (1 - injected slowdown), RMS of the log over {len(errors)} cells: "
            f"raw {rms[0]:.3f}, speed-adjusted {rms[1]:.3f}")
    out = [["injected slowdown", "cells", "raw: regressed", "adjusted: regressed",
            "adjusted: regressed or slower", "raw ratios", "adjusted ratios", "adjusted verdicts"]]
    for inject, cells in sorted(rows.items()):
        n = len(cells)
        raw_reg = sum(c[0] == REGRESSED for c in cells)
        adj_reg = sum(c[1] == REGRESSED for c in cells)
        adj_shown = sum(c[1] in (REGRESSED, SLOWER) for c in cells)
        spread = ", ".join(f"{k} {v}" for k, v in Counter(c[1] for c in cells).most_common())
        span = lambda i: f"{min(c[i] for c in cells):.3f}-{max(c[i] for c in cells):.3f}"  # noqa: E731
        out.append([f"{inject:.0%}", str(n), f"{raw_reg} ({raw_reg / n:.0%})", f"{adj_reg} ({adj_reg / n:.0%})",
                    f"{adj_shown} ({adj_shown / n:.0%})", span(2), span(3), spread])
    return out, line


def rejudged_ab(runs: Sequence[Mapping]) -> dict[float, Counter]:
    """Injected slowdown -> counts of each verdict, every A/B cell re-judged from its pairs
    (A: the cell's own processes, B: ``extra_info.ab``'s) at the level its run spent."""
    from ovperf.levels import ab_cells

    out: dict[float, Counter] = defaultdict(Counter)
    for run in runs:
        for _, a, b, info in ab_cells(run):
            judged = info["ab"]
            if "confidence" not in judged or len(a) != len(b):
                continue
            verdict = settle(compare(a, b, max_regression=judged.get("threshold"),
                                     alpha_look=level_spent(judged), paired=True))
            out[float(info.get("inject_slowdown") or 0.0)][verdict.verdict] += 1
    return dict(sorted(out.items()))


def first_looks(runs: Sequence[Mapping]) -> Iterable[tuple[float, Comparison, Mapping]]:
    """(injected slowdown, the first look re-judged from its pairs, the verdict the run gave)
    of every A/B cell. A look adds as many pairs as the first had, so the first look held
    ``n_current // look`` pairs."""
    from ovperf.levels import ab_cells

    for run in runs:
        for _, a, b, info in ab_cells(run):
            judged = info["ab"]
            if "confidence" not in judged or len(a) != len(b):
                continue
            look = int(judged.get("look") or 1)
            n = int(judged["n_current"]) // look
            level = level_spent(judged) if look == 1 else look_levels(
                planned_sizes(n, n, n, True, looks=2), defaults.ALPHA, True, FIRST_LOOK_SHARE)[0]
            first = compare(a[:n], b[:n], max_regression=judged.get("threshold"), alpha_look=level, paired=True)
            yield float(info.get("inject_slowdown") or 0.0), first, judged


def looks_table(runs: Sequence[Mapping]) -> list[list[str]]:
    """The rows of ``--looks``: per injected slowdown, the look each cell ended at, and its
    first look's ``unchanged`` cells, the leaning ones among them and what those read in the end."""
    rows: dict[float, list] = defaultdict(list)
    for inject, first, judged in first_looks(runs):
        rows[inject].append((first, judged))
    out = [["injected slowdown", "cells", "ended at look 1 / 2 / 3 / 4", "first look unchanged",
            f"of them leaning (p < {defaults.LEAN_P:g})", "their p", "what the leaning ones read"]]
    for inject, cells in sorted(rows.items()):
        ended = Counter(int(j.get("look") or 1) for _, j in cells)
        unchanged = [(f, j) for f, j in cells if f.verdict == UNCHANGED]
        leaning = [(f, j) for f, j in unchanged if f.p_value < defaults.LEAN_P]
        ps = f"{min(f.p_value for f, _ in leaning):.3f}-{max(f.p_value for f, _ in leaning):.3f}" if leaning else "-"
        read = ", ".join(f"{k} {v}" for k, v in Counter(j["verdict"] for _, j in leaning).most_common()) or "-"
        out.append([f"{inject:.0%}", str(len(cells)), " / ".join(str(ended[k]) for k in range(1, 5)),
                    str(len(unchanged)), str(len(leaning)), ps, read])
    return out


def summary(table: Mapping[float, Counter]) -> str:
    """The one line: the largest injected slowdown's catch rate and the A/A false alarms."""
    aa = table.get(0.0, Counter())
    injected = {k: v for k, v in table.items() if k > 0}
    parts = []
    for inject, counts in injected.items():
        n = sum(counts.values())
        parts.append(f"{inject:.0%} slowdowns in {counts[REGRESSED] / n:.0%} of cells ({counts[REGRESSED]}/{n})")
    caught = "; ".join(parts) if parts else "no injected run given"
    left = [f"{counts[NOT_JUDGED]} of {sum(counts.values())} {'unchanged' if not k else f'{k:.0%} injected'}"
            for k, counts in table.items() if counts[NOT_JUDGED]]
    unjudged = f"; cells left unjudged in a slow period: {', '.join(left)}" if left else ""
    return (f"on this machine this gate catches {caught}, with {aa[REGRESSED]} false alarms in "
            f"{sum(aa.values())} unchanged cells{unjudged}")


@entry_point
def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ovperf.power", description=__doc__.split("\n\n")[0])
    parser.add_argument("runs", type=Path, nargs="+", help="--benchmark-json files of comparison runs")
    parser.add_argument("--against", type=Path, metavar="BASELINE.json",
                        help="re-judge each cell raw and speed-adjusted against this stored baseline")
    parser.add_argument("--by-run", type=Path, metavar="BASELINE.json",
                        help="re-judge each cell with the run as the unit against this stored baseline")
    parser.add_argument("--history", metavar="URL",
                        help="with --by-run: the drift between runs from this history's runs of the baseline's "
                        "machine (as --ov-history gives a baseline of one run)")
    parser.add_argument("--run-statistic", choices=defaults.RUN_STATISTICS, default=defaults.RUN_STATISTIC,
                        help="with --by-run: what one run of a cell counts as (as --ov-run-statistic). "
                        f"Default: {defaults.RUN_STATISTIC}")
    parser.add_argument("--rejudge", action="store_true",
                        help="re-judge every A/B cell from its pairs with this checkout's rules")
    parser.add_argument("--looks", action="store_true",
                        help="the looks A/B cells took, and what their first looks read (leaning ones apart)")
    parser.add_argument("--noise", action="store_true",
                        help="where the noise of these A/B runs lives (round, process, pair) and what time buys")
    args = parser.parse_args(argv)
    if sum(map(bool, (args.against, args.by_run, args.noise, args.rejudge, args.looks))) > 1:
        parser.error("give one of --against, --by-run, --noise, --rejudge and --looks")
    try:
        runs = [json.loads(p.read_text()) for p in args.runs]
        baseline = json.loads(args.against.read_text()) if args.against else None
        runs_baseline = json.loads(args.by_run.read_text()) if args.by_run else None
    except (OSError, ValueError) as exc:
        print(f"python -m ovperf.power: cannot read a run: {exc}", file=sys.stderr)
        return 2
    if args.noise:
        from ovperf.levels import decompose, noise_table

        cells = decompose(runs)
        if not cells:
            print("python -m ovperf.power: --noise needs interleaved A/B runs (--ov-ab-python) of 2 pairs or more; "
                  "these files hold none", file=sys.stderr)
            return 2
        print(markdown_table(noise_table(cells)))
        return 0
    if args.looks:
        rows = looks_table(runs)
        if len(rows) == 1:
            print("python -m ovperf.power: --looks needs interleaved A/B runs (--ov-ab-python); these files hold none",
                  file=sys.stderr)
            return 2
        print(markdown_table(rows, left=(-1,)))
        return 0
    if baseline is not None:
        rows, line = rejudged_table(runs, baseline)
        if len(rows) == 1:
            print("python -m ovperf.power: no cell of these runs and this baseline has the machine's speed "
                  "recorded (runs of an older checkout)", file=sys.stderr)
            return 2
        print(markdown_table(rows, left=(-1,)))
        print()
        print(line)
        return 0
    table, check = (rejudged_ab(runs) if args.rejudge else tally(runs)), ""
    if args.history and runs_baseline is None:
        parser.error("--history goes with --by-run")
    if runs_baseline is not None:
        drift = parts = None
        if args.history:
            from ovperf.history import HistoryError, open_store

            where = ([b["name"] for b in runs_baseline.get("benchmarks", [])],
                     ((runs_baseline.get("ovperf") or {}).get("fingerprint") or {}).get("machine") or {},
                     ((runs_baseline.get("ovperf") or {}).get("workload") or {}).get("frames"))
            try:
                store = open_store(args.history)
                drift, parts = store.drifts(*where, statistic=args.run_statistic)
            except HistoryError as exc:
                print(f"python -m ovperf.power: --history: {exc}", file=sys.stderr)
                return 2
            if drift is None:
                print(f"python -m ovperf.power: --history {args.history} holds no two runs of these cells on "
                      "this machine", file=sys.stderr)
                return 2
        table, check = by_run(runs, runs_baseline, drift, args.run_statistic)
        if parts is not None:
            check = "\n".join(filter(None, [check, *by_matrix(args.runs, runs, runs_baseline, parts)]))
    if not table:
        print("python -m ovperf.power: no judged cell in these files (were they comparison runs?)", file=sys.stderr)
        return 2
    print(verdict_table(table))
    if not (args.rejudge or runs_baseline is not None):  # those re-judge: the files' ratios are not theirs
        print(ratio_spread(runs))
    print()
    print(summary(table))
    if check:
        print(check)
    if not (args.rejudge or runs_baseline is not None):  # the files' own verdicts
        for line in filter(None, (drift_predicts(runs), moves(runs), machine_speed(runs))):
            print(line)
    print(shared_shifts(args.runs, runs))
    print(whole_matrix(args.runs, runs))
    print(cell_time(runs))
    return 0


def by_matrix(paths: Sequence[Path], runs: Sequence[Mapping], baseline: Mapping, parts: DriftParts) -> list[str]:
    """Each run's verdict on the matrix as a whole against ``baseline`` (:func:`ovperf.stats.compare_matrix`,
    the drift's parts from a history, and what a run of fewer processes than the baseline's
    spreads beyond them from the baseline's own, as the suite judges it), one line a run, then
    the count of each verdict by injected slowdown."""
    from ovperf.baseline import cell_runs
    from ovperf.stats import compare_matrix, matrix_cell, run_drift

    saved = {b["name"]: b.get("extra_info") or {} for b in baseline.get("benchmarks", [])}
    drift = run_drift((cell_runs(info) for info in saved.values()), parts.statistic)
    lines, counts = [], defaultdict(Counter)
    for path, run in zip(paths, runs):
        cells, looser, inject, threshold = [], [], 0.0, None
        for bench in run.get("benchmarks", []):
            info = bench.get("extra_info") or {}
            judged, base = info.get("verdict"), saved.get(bench["name"])
            if base is None or not isinstance(judged, dict) or not info.get("fps_processes"):
                continue
            inject = float(info.get("inject_slowdown") or 0.0)
            threshold = threshold or judged.get("threshold")
            cells.append(matrix_cell(cell_runs(base), info["fps_processes"], parts.statistic))
            looser.append(drift.looser(len(info["fps_processes"])) if drift is not None else 0.0)
        verdict = compare_matrix(cells, parts, threshold or defaults.MAX_REGRESSION, looser=looser)
        if verdict is None:
            continue
        counts[inject][verdict.verdict] += 1
        lines.append(f"the matrix as a whole, {Path(path).name} ({inject:.0%} injected, {len(cells)} cells): "
                     f"{verdict.label}, {verdict.interval()}")
    if not lines:
        return []
    tally_line = "; ".join(f"{inject:.0%}: " + ", ".join(f"{v} {n}" for v, n in c.most_common())
                           for inject, c in sorted(counts.items()))
    return [*lines, f"the matrix as a whole ({parts.describe()}): {tally_line}"]


def ratio_spread(runs: Sequence[Mapping]) -> str:
    """One line: the ratios the cells gave (B/A, or current/baseline) per injected slowdown,
    their range and geometric mean, so that an injection is seen at the size it was read."""
    from scipy.stats import gmean

    ratios: dict[float, list[float]] = defaultdict(list)
    for run in runs:
        for inject, _, ratio in verdicts(run):
            if ratio > 0:
                ratios[inject].append(ratio)
    parts = [f"{inject:.0%} {min(r):.3f}-{max(r):.3f} (geometric mean {gmean(r):.3f}, {len(r)} cells)"
             for inject, r in sorted(ratios.items())]
    return f"ratios by injected slowdown: {'; '.join(parts) if parts else 'none recorded'}"


def _best_run_verdicts(run: Mapping) -> Iterable[tuple[Mapping, Mapping]]:
    """The cells of one run's JSON judged against a stored baseline with the run as the unit,
    counted by its best processes: those :func:`ovperf.stats.catch_chance` models."""
    for info, judged in judged_cells(run):
        drift = judged.get("run_drift") or {}
        if judged.get("unit") == "run" and drift.get("statistic") == defaults.BEST and judged.get("baseline_runs"):
            yield info, judged


def _chance(judged: Mapping, variance: float, slowdown: float, looser: float = 0.0) -> float:
    """:func:`ovperf.stats.catch_chance` at ``variance`` with one verdict's baseline runs, df and levels;
    ``looser``: what a look smaller than the baseline's runs adds to the run's variance."""
    return catch_chance(
        RunDrift(variance=variance, df=judged["run_drift"]["df"]), judged["baseline_runs"], slowdown,
        alpha=level_spent(judged) if judged.get("confidence") else defaults.ALPHA,
        miss_rate=1 - judged.get("floor_confidence", 1 - defaults.MISS_RATE),
        threshold=judged.get("threshold", defaults.MAX_REGRESSION), looser=looser)


def drift_predicts(runs: Sequence[Mapping]) -> str | None:
    """One line: per injected slowdown, the ``regressed`` rate that the drift in the stored-baseline
    verdicts' intervals predicts for their look (:func:`ovperf.stats.catch_chance` of each cell's
    own drift, what its look's fewer processes added to it (``looser_sd``), baseline runs and
    levels, averaged over the cells), beside the rate the runs gave.
    A confirmation can only lower a catch rate, so injected runs read at most the prediction
    while the baseline's drift is the machine's; unchanged runs above it (the alpha) mean the
    machine drifted more than the baseline's runs did. None when no cell took the run as its
    unit with a run counted by its best processes."""
    chances: dict[float, list[float]] = defaultdict(list)
    caught: dict[float, int] = Counter()
    for run in runs:
        for info, judged in _best_run_verdicts(run):
            inject = float(info.get("inject_slowdown") or 0.0)
            chances[inject].append(_chance(judged, judged["run_drift"]["sd"] ** 2, inject,
                                           float(judged.get("looser_sd") or 0.0) ** 2))
            caught[inject] += judged["verdict"] == REGRESSED and not judged.get("unjudged")
    if not chances:
        return None
    parts = [f"{inject:.0%} injected {sum(c) / len(c):.0%}, these runs {caught[inject]} of {len(c)} "
             f"({caught[inject] / len(c):.0%})" for inject, c in sorted(chances.items())]
    return ("regressed as the baselines' drift predicts it for one look (ovperf.stats.catch_chance at each cell's "
            f"drift, its look's spread and levels; a confirmation can only lower a catch): {'; '.join(parts)}")


def moves(runs: Sequence[Mapping]) -> str | None:
    """One line: how stored-baseline comparison runs moved since their baseline, taken apart as
    a run's drift is (:func:`ovperf.stats.drift_parts` on the runs x cells table of each cell's
    log ratio as its verdict read it, the injection taken out): the move that a whole run
    shares (its mean over the runs, and its SD from run to run) and what each cell moves on its
    own. The first is the machine's mood over a run, which a baseline saved in one sitting does
    not know and which a measure of the whole run could take out; the second no such measure
    can, so the line ends with what one run would catch at that drift alone
    (:func:`ovperf.stats.catch_chance` with the verdicts' baseline runs, df and levels): the
    most that any rule judging one run of a cell can reach on this machine. None without two
    runs of two such cells."""
    table, judged = [], None
    for run in runs:
        row = {}
        for info, judged_ in _best_run_verdicts(run):
            if judged_.get("ratio", 0) > 0:
                inject = float(info.get("inject_slowdown") or 0.0)
                row[str(info.get("id") or len(row))] = math.log(judged_["ratio"]) - math.log1p(-inject)
                judged = judged_
        table.append(row)
    parts = drift_parts([table], defaults.BEST) if judged is not None else None
    if parts is None:
        return None
    whole = sum(sum(r.values()) / len(r) for r in table if r) / sum(1 for r in table if r)
    caps = ", ".join(f"{slowdown:.0%} in at most {_chance(judged, parts.cell, slowdown):.0%}" for slowdown in (0.10, 0.05))
    return (f"how these runs moved since their baseline (each cell's ratio, the injection taken out; "
            f"{parts.runs} runs x {parts.cells} cells): as a whole {math.expm1(whole):+.1%} on average, "
            f"{math.sqrt(parts.common):.1%} from run to run; each cell on its own {math.sqrt(parts.cell):.1%}. "
            f"No measure of the whole run takes out the cells' own: at that drift alone one run catches {caps} "
            "of the cells")


def machine_speed(runs: Sequence[Mapping]) -> str | None:
    """One line: how many judged cells read their FPS at the baseline's machine speed
    (``machine_factor``, ``--ov-machine-adjust``) and by how much; None where none did."""
    import numpy as np

    judged = [info for run in runs for info, _ in judged_cells(run) if "ab" not in info]
    factors = [float(info["machine_factor"]) for info in judged if info.get("machine_factor")]
    if not factors:
        return None
    return (f"judged at the baseline's machine speed by the units kernel (--ov-machine-adjust): {len(factors)} of "
            f"{len(judged)} cells, their FPS counted x{min(factors):.3f}-x{max(factors):.3f} (median "
            f"x{np.median(factors):.3f}); the ratios and moves above are of FPS so read")


def cell_time(runs: Sequence[Mapping]) -> str:
    """One line: what a judged cell cost in wall time (``cell_seconds``: every process and look,
    both A/B sides), as the mean, median and range over the cells that recorded it."""
    import numpy as np

    seconds = [float(info["cell_seconds"]) for run in runs for info, _ in judged_cells(run) if info.get("cell_seconds")]
    if not seconds:
        return "time a cell: not recorded in these files (runs older than cell_seconds)"
    return (f"time a cell: mean {np.mean(seconds):.0f} s, median {np.median(seconds):.0f} s, "
            f"{min(seconds):.0f}-{max(seconds):.0f} s over {len(seconds)} cells")


def shared_shifts(paths: Sequence[Path], runs: Sequence[Mapping]) -> str:
    """One line: the runs in which every cell moved the same way beyond the threshold, as
    a comparison's report notes them (:func:`ovperf.verdicts.shared_shift`)."""
    from ovperf import defaults
    from ovperf.verdicts import shared_shift

    found = []
    for path, run in zip(paths, runs):
        judged = [verdict for _, verdict in judged_cells(run)]
        threshold = next((j["threshold"] for j in judged if j.get("threshold")), defaults.MAX_REGRESSION)
        mean = shared_shift([float(j.get("ratio", 0.0)) for j in judged], threshold)
        if mean is not None:
            found.append(f"{path.name} {mean:.3f}")
    return (f"runs whose cells all moved one way beyond the threshold (geometric mean ratio): {len(found)} of "
            f"{len(runs)}{': ' + ', '.join(found) if found else ''}")


def whole_matrix(paths: Sequence[Path], runs: Sequence[Mapping]) -> str:
    """One line: the runs whose matrix as a whole read ``regressed`` as they ran (the JSON's
    ``ovperf.matrix_verdict``), which is what the gate fails a run on when no cell regressed."""
    found, judged = [], 0
    for path, run in zip(paths, runs):
        verdict = (run.get("ovperf") or {}).get("matrix_verdict")
        if verdict:
            judged += 1
            if verdict.get("verdict") == REGRESSED:
                inject = max((inject for inject, _, _ in verdicts(run)), default=0.0)
                found.append(f"{path.name} ({inject:.0%} injected, {verdict.get('ratio', 0.0):.3f})")
    return (f"runs whose matrix as a whole read regressed: {len(found)} of {judged} judged as a whole"
            f"{': ' + ', '.join(found) if found else ''}")


def verdict_table(table: Mapping[float, Counter]) -> str:
    """Per injected slowdown: cells, regressed, regressed or slower, and every verdict's count."""
    out = [["injected slowdown", "cells", "regressed", "regressed or slower (CI excludes 1)", "verdicts"]]
    for inject, counts in table.items():
        n = sum(counts.values())
        shown = counts[REGRESSED] + counts[SLOWER]
        spread = ", ".join(f"{k} {v}" for k, v in counts.most_common())
        out.append([f"{inject:.0%}", str(n), f"{counts[REGRESSED]} ({counts[REGRESSED] / n:.0%})",
                    f"{shown} ({shown / n:.0%})", spread])
    return markdown_table(out, left=(-1,))


if __name__ == "__main__":
    raise SystemExit(main())
