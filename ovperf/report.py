"""``ov-perf-report``: several baselines side by side, one column per OpenVINO release.

Give the files oldest first. Every later file is compared with the first, cell by
cell, with the same statistics as ``--ov-baseline`` (on the saved per-process
medians; nothing is re-measured here, so a file saved from one process per cell,
as schema-1 files were, gives an inconclusive verdict with an unbounded interval).
Where either file holds several runs (``--ov-save-baseline-append``), the run is the
unit, with the drift between runs pooled over both files' cells; two files of one run
each are compared process by process, and the table says which unit each column used.
The command prints a Markdown table, a geometric-mean ratio
per device, and notes wherever the two sides resolved a different inference
precision or a different number of streams or requests, so that a "speed-up" that
is really bf16 against f32 is not read as an OpenVINO improvement. It exits 1 when
the last (newest) file regressed any cell, 2 on unreadable input.
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ovperf import baseline as bl
from ovperf import defaults
from ovperf.changes import RESOLVED, changes
from ovperf.cli import entry_point
from ovperf.measure import baseline_processes
from ovperf.stats import REGRESSED, Comparison, RunDrift, compare, reach_line, run_drift, settle
from ovperf.summary import markdown_table


@dataclass(frozen=True)
class Column:
    label: str
    baseline: bl.Baseline


@dataclass(frozen=True)
class ReleaseCell:
    """One configuration in one column, against the first column."""

    fps: float
    comparison: Comparison | None
    notes: tuple[str, ...] = ()


def label_columns(baselines: Sequence[bl.Baseline]) -> list[Column]:
    """Label each file by its OpenVINO version; the file name where versions repeat."""
    versions = [bl.short_version(b.fingerprint.get("software", {}).get("openvino", "?")) for b in baselines]
    return [
        Column(v if versions.count(v) == 1 else f"{v} ({b.name})", b) for v, b in zip(versions, baselines)
    ]


def table(
    columns: Sequence[Column], max_regression: float = defaults.MAX_REGRESSION, alpha: float = defaults.ALPHA,
    miss_rate: float = defaults.MISS_RATE, statistic: str = defaults.RUN_STATISTIC,
) -> dict[str, list[ReleaseCell | None]]:
    """Cell name -> one entry per column (None where that file lacks the cell); a run counts
    as ``statistic`` says (:func:`ovperf.stats.run_value`) where the run is the unit."""
    names: list[str] = []
    for column in columns:
        names += [n for n in column.baseline.cells if n not in names]
    first = columns[0].baseline.cells
    drifts = [None] + [drift_between(columns[0].baseline, column.baseline, statistic) for column in columns[1:]]
    out: dict[str, list[ReleaseCell | None]] = {}
    for name in names:
        row: list[ReleaseCell | None] = []
        for i, column in enumerate(columns):
            info = column.baseline.cells.get(name)
            if info is None:
                row.append(None)
                continue
            fps = float(info.get("fps") or _median(info["fps_rounds"]))
            if i == 0 or name not in first:
                row.append(ReleaseCell(fps, None))
                continue
            comparison = settle(compare(
                baseline_processes(first[name]), baseline_processes(info), max_regression, alpha,
                baseline_runs=_run_sizes(first[name]), current_runs=_run_sizes(info), drift=drifts[i],
                miss_rate=miss_rate,
            ))
            row.append(ReleaseCell(fps, comparison, tuple(changes(first[name], info, RESOLVED))))
        out[name] = row
    return out


def drift_between(first: bl.Baseline, later: bl.Baseline, statistic: str = defaults.RUN_STATISTIC) -> RunDrift | None:
    """The drift between runs, pooled over the cells of both files (None when neither
    holds two runs of a cell). Each file's runs of a cell are one group: the step between
    the files is what is being measured, not drift."""
    return run_drift((bl.cell_runs(info) for b in (first, later) for info in b.cells.values()), statistic)


def _run_sizes(info: dict) -> list[int]:
    return [len(run) for run in bl.cell_runs(info)]


def unit_line(column: Column, row_cells: Sequence[ReleaseCell | None]) -> str:
    """What one column's verdicts took as their unit, from its comparisons."""
    compared = [c.comparison for c in row_cells if c is not None and c.comparison is not None]
    by_run = next((c for c in compared if c.unit == "run"), None)
    if by_run is not None and by_run.drift is not None:
        d = by_run.drift
        reach = ""
        if d.statistic == defaults.BEST:  # what the runs compared could catch at this drift
            reach = "; " + reach_line(d, by_run.baseline_runs, (1 - by_run.confidence) / 2,
                                      1 - by_run.floor_confidence, by_run.threshold, by_run.current_runs,
                                      confirmed=False)
        return (f"{column.label}: the run (runs drift {d.sd:.1%} between runs, pooled over {d.cells} cells "
                f"of both files, {d.df} df){reach}")
    if compared:
        return (f"{column.label}: the process (each file holds one run of these cells, so the drift between "
                f"runs is not in the interval; save several runs with --ov-save-baseline-append)")
    return f"{column.label}: no cell in common with the first column"


def _median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def device_of(name: str) -> str:
    """``test_openvino[CPU-THROUGHPUT-b1-async]`` -> ``CPU``; ``test_pytorch[b1]`` -> ``pytorch``."""
    if "[" not in name:
        return name
    test, _, param = name.partition("[")
    return "pytorch" if test == "test_pytorch" else param.rstrip("]").rsplit("-", 3)[0]


def geomeans(rows: dict[str, list[ReleaseCell | None]], n_columns: int) -> dict[str, list[float | None]]:
    """Device -> geometric-mean ratio against the first column, per column."""
    by_device: dict[str, list[list[float]]] = {}
    for name, row in rows.items():
        ratios = by_device.setdefault(device_of(name), [[] for _ in range(n_columns)])
        for i, cell in enumerate(row):
            if cell is not None and cell.comparison is not None:
                ratios[i].append(cell.comparison.ratio)
    from scipy.stats import gmean

    return {
        device: [float(gmean(r)) if r else None for r in ratios]
        for device, ratios in by_device.items()
    }


def releases_markdown(columns: Sequence[Column], rows: dict[str, list[ReleaseCell | None]]) -> str:
    first = columns[0].label
    lines = [
        "# OpenVINO throughput across releases",
        "",
        f"FPS per configuration; later columns show the ratio against {first} and the verdict.",
        "",
    ]
    table = [["configuration", *(c.label for c in columns)]]
    for name, row in rows.items():
        cells = []
        for cell in row:
            if cell is None:
                cells.append("-")
            elif cell.comparison is None:
                cells.append(f"{cell.fps:.2f}")
            else:
                note = f"; {', '.join(cell.notes)}" if cell.notes else ""
                cells.append(f"{cell.fps:.2f} ({cell.comparison.ratio:.2f}x, {cell.comparison.verdict}{note})")
        table.append([name, *cells])
    lines += [markdown_table(table), "", "Geometric-mean ratio against the first column, per device:", ""]
    means_table = [["device", *(c.label for c in columns)]]
    for device, means in geomeans(rows, len(columns)).items():
        means_table.append([device, *("1.00" if i == 0 else (f"{m:.3f}" if m else "-") for i, m in enumerate(means))])
    lines.append(markdown_table(means_table))
    if len(columns) > 1:
        lines += ["", "Unit of each column's verdicts:", ""]
        lines += [f"- {unit_line(column, [row[i] for row in rows.values()])}" for i, column in enumerate(columns) if i]
    flagged = [name for name, row in rows.items() if any(c is not None and c.notes for c in row)]
    if flagged:
        lines += ["", "Cells marked with a precision, streams or requests change ran a different "
                  "configuration on the two sides; their ratio is not an OpenVINO speed change alone."]
    return "\n".join(lines) + "\n"


def chart(columns: Sequence[Column], rows: dict[str, list[ReleaseCell | None]], path: Path) -> None:
    """Grouped bars: one group per configuration, one colour per release (the guide's closing figure)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    names = list(rows)
    height = 0.8 / len(columns)
    # Horizontal bars, one row of bars per configuration: readable for any matrix size.
    fig, ax = plt.subplots(figsize=(10, max(4.0, 0.16 * len(names) * len(columns) + 1.5)))
    for i, column in enumerate(columns):
        values = [rows[n][i].fps if rows[n][i] is not None else 0.0 for n in names]
        ax.barh([y + i * height for y in range(len(names))], values, height, label=column.label)
    ax.set_yticks([y + height * (len(columns) - 1) / 2 for y in range(len(names))])
    ax.set_yticklabels([n.split("[", 1)[-1].rstrip("]") for n in names], fontsize=8)
    ax.invert_yaxis()  # the first configuration on top, as in the table
    ax.set_xlabel("Throughput [FPS]")
    ax.grid(axis="x", alpha=0.3)
    ax.set_title("YOLO throughput per configuration and OpenVINO release")
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


@entry_point
def main(argv: Sequence[str] | None = None) -> int:
    from ovperf.settings import parse_fraction

    parser = argparse.ArgumentParser(prog="ov-perf-report", description=__doc__.split("\n\n")[0])
    parser.add_argument("baselines", nargs="+", type=Path, help="baseline files, oldest first")
    parser.add_argument("--markdown", type=Path, metavar="PATH", help="also write the table to PATH")
    parser.add_argument("--chart", type=Path, metavar="PATH", help="write a PNG bar chart to PATH")
    parser.add_argument("--max-regression", type=parse_fraction, default=defaults.MAX_REGRESSION, metavar="PCT")
    parser.add_argument("--alpha", type=parse_fraction, default=defaults.ALPHA, metavar="P")
    parser.add_argument("--miss-rate", type=parse_fraction, default=defaults.MISS_RATE, metavar="P",
                        help="a shown slowdown is 'slower' only when its lower bound at this level is within "
                             "the threshold, else 'regressed'")
    parser.add_argument("--run-statistic", choices=defaults.RUN_STATISTICS, default=defaults.RUN_STATISTIC,
                        help="where a file holds several runs, what one run of a cell counts as (as "
                             f"--ov-run-statistic). Default: {defaults.RUN_STATISTIC}")
    args = parser.parse_args(argv)
    try:
        columns = label_columns([bl.load(p) for p in args.baselines])
    except bl.BaselineError as exc:
        print(f"ov-perf-report: {exc}", file=sys.stderr)
        return 2
    rows = table(columns, args.max_regression, args.alpha, args.miss_rate, args.run_statistic)
    text = releases_markdown(columns, rows)
    print(text, end="")
    if args.markdown:
        from ovperf.atomic import write_atomic

        write_atomic(args.markdown, text)
    if args.chart:
        chart(columns, rows, args.chart)
    newest = [row[-1] for row in rows.values()]
    regressed = [c for c in newest if c is not None and c.comparison is not None and c.comparison.verdict == REGRESSED]
    return 1 if len(columns) > 1 and regressed else 0


if __name__ == "__main__":
    raise SystemExit(main())
