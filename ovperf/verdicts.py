"""The verdict table: every cell against the baseline, regressions first.

The same rows go to the terminal and, with ``--ov-report``, to a Markdown file
for a CI job summary.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from ovperf.ab import MIN_PAIRS_FOR_CI
from ovperf.stats import IMPROVED, MISSING, NEW, REGRESSED, UNCHANGED, UNSTABLE, Comparison

ORDER = {REGRESSED: 0, UNSTABLE: 1, IMPROVED: 2, UNCHANGED: 3, NEW: 4, MISSING: 5}
HEADER = ["configuration", "baseline FPS", "current FPS", "ratio (95% CI)", "p", "verdict"]


@dataclass(frozen=True)
class CellVerdict:
    """One row: a comparison, or a cell only one side has (``new``/``missing``)."""

    id: str
    verdict: str
    comparison: Comparison | None = None
    current_fps: float | None = None
    baseline_fps: float | None = None
    #: "f32->bf16" when the resolved inference precision changed.
    precision_change: str = ""
    #: Interleaved A/B only: median of per-pair ratios B_i/A_i and its 95% CI (None, None
    #: with too few pairs).
    paired: tuple[float, float | None, float | None] | None = None

    @property
    def label(self) -> str:
        return self.comparison.label if self.comparison else self.verdict


#: Column names of the two sides in an interleaved A/B run.
AB_SIDES = ("A FPS", "B FPS")


def rows(verdicts: Sequence[CellVerdict], sides: tuple[str, str] | None = None) -> list[list[str]]:
    """Header first, then regressions, unstable, improved, unchanged, new, missing.

    ``sides`` renames the two FPS columns; a paired-ratio column is added when any
    verdict has one (interleaved A/B).
    """
    header = list(HEADER)
    if sides:
        header[1:3] = sides
    paired = any(v.paired for v in verdicts)
    if paired:
        header.insert(4, "paired ratio (95% CI)")
    out = [header]
    for v in sorted(verdicts, key=lambda v: (ORDER.get(v.verdict, 9), v.id)):
        c = v.comparison
        if c:
            row = [
                v.id, f"{c.baseline_fps:.2f}", f"{c.current_fps:.2f}",
                f"{c.ratio:.3f} ({c.ci_low:.3f}-{c.ci_high:.3f})", f"{c.p_value:.2g}", v.label,
            ]
            if paired:
                row.insert(4, paired_text(*v.paired) if v.paired else "-")
            out.append(row)
        else:
            out.append([
                v.id,
                f"{v.baseline_fps:.2f}" if v.baseline_fps is not None else "-",
                f"{v.current_fps:.2f}" if v.current_fps is not None else "-",
                "-", *(["-"] if paired else []), "-", v.label,
            ])
    return out


def paired_text(ratio: float, low: float | None, high: float | None) -> str:
    """``0.989 (0.962-1.046)``, or the ratio alone when too few pairs give no CI."""
    if low is None or high is None:
        return f"{ratio:.3f} (no CI under {MIN_PAIRS_FOR_CI} pairs)"
    return f"{ratio:.3f} ({low:.3f}-{high:.3f})"


def counts(verdicts: Sequence[CellVerdict]) -> str:
    """``2 regressed, 26 unchanged`` in table order."""
    tally: dict[str, int] = {}
    for v in verdicts:
        tally[v.verdict] = tally.get(v.verdict, 0) + 1
    return ", ".join(f"{n} {k}" for k, n in sorted(tally.items(), key=lambda kv: ORDER.get(kv[0], 9)))


def markdown(
    verdicts: Sequence[CellVerdict], title: str, context: Sequence[str] = (), sides: tuple[str, str] | None = None
) -> str:
    """A Markdown report: context lines, the table, and precision changes listed apart."""
    lines = [f"# {title}", ""]
    lines += [f"- {line}" for line in context]
    lines += [f"- verdicts: {counts(verdicts)}", ""]
    table = rows(verdicts, sides)
    lines.append("| " + " | ".join(table[0]) + " |")
    lines.append("|" + "|".join(["---"] + ["---:"] * (len(table[0]) - 2) + ["---"]) + "|")
    lines += ["| " + " | ".join(r) + " |" for r in table[1:]]
    changed = [v for v in verdicts if v.precision_change]
    if changed:
        lines += [
            "", "## Inference precision changed",
            "",
            "These cells ran at another precision than their baseline; their ratio mixes the "
            "precision change with any OpenVINO change, so it is not an OpenVINO speed-up or slow-down.",
            "",
        ]
        lines += [f"- `{v.id}`: {v.precision_change}, {v.label}" for v in sorted(changed, key=lambda v: v.id)]
    return "\n".join(lines) + "\n"
