"""The verdict table: every cell against the baseline, regressions first.

The same rows go to the terminal and, with ``--ov-report``, to a Markdown file
for a CI job summary.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from ovperf.stats import (
    FASTER, IMPROVED, INCONCLUSIVE, MIN_PAIRS_FOR_CI, MISSING, NEW, REGRESSED, SLOWER, UNCHANGED, UNSTABLE,
    Comparison,
)
from ovperf.changes import RESOLVED, WORKLOAD, changes, precision_change
from ovperf.summary import markdown_table

ORDER = {REGRESSED: 0, SLOWER: 1, INCONCLUSIVE: 2, UNSTABLE: 3, IMPROVED: 4, FASTER: 5, UNCHANGED: 6, NEW: 7, MISSING: 8}
HEADER = ["configuration", "baseline FPS", "current FPS", "ratio (CI)", "processes", "p", "verdict"]


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


#: The A/B check column: the median of the pairs' ratios with its sign-test interval. The
#: verdict's own ratio (geometric mean) and interval are in "ratio (CI)".
PAIRED_HEADER = "median pair ratio (sign test, 95% CI)"

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
        header.insert(4, PAIRED_HEADER)
    out = [header]
    for v in sorted(verdicts, key=lambda v: (ORDER.get(v.verdict, 9), v.id)):
        c = v.comparison
        if c:
            row = [
                v.id, f"{c.baseline_fps:.2f}", f"{c.current_fps:.2f}",
                f"{c.interval()} at {c.confidence:.1%}", f"{c.n_current} vs {c.n_baseline}",
                f"{c.p_value:.2g}", v.label,
            ]
            if paired:
                row.insert(4, paired_text(*v.paired) if v.paired else "-")
            out.append(row)
        else:
            out.append([
                v.id,
                f"{v.baseline_fps:.2f}" if v.baseline_fps is not None else "-",
                f"{v.current_fps:.2f}" if v.current_fps is not None else "-",
                "-", *(["-"] if paired else []), "-", "-", v.label,
            ])
    return out


def paired_text(ratio: float, low: float | None, high: float | None) -> str:
    """``0.989 (0.962-1.046)``, or the ratio alone when too few pairs give no CI."""
    if low is None or high is None:
        return f"{ratio:.3f} (no CI under {MIN_PAIRS_FOR_CI} pairs)"
    return f"{ratio:.3f} ({low:.3f}-{high:.3f})"


def shared_shift(ratios: Sequence[float], threshold: float) -> float | None:
    """The geometric mean ratio when every one of at least four cells moved the same way and
    the mean lies beyond ``threshold``; else None."""
    from scipy.stats import gmean

    ratios = [r for r in ratios if r > 0]
    if len(ratios) < 4:
        return None
    mean = float(gmean(ratios))
    faster = sum(r > 1 for r in ratios)
    if faster not in (0, len(ratios)) or abs(math.log(mean)) < math.log1p(threshold):
        return None
    return mean


def common_shift(verdicts: Sequence[CellVerdict], threshold: float, speed_ratio: float | None = None) -> str | None:
    """One line when every compared cell moved the same way by more than ``threshold`` on
    (geometric) average (:func:`shared_shift`): a shift that every cell shares is the
    machine, or something every cell shares (the OpenVINO build, the model), rather than one
    configuration's. ``speed_ratio``: the machine's speed kernel in this run against the
    baseline's, when both recorded it.

    It changes no verdict: a release that slows every cell looks the same as a slower machine.
    """
    ratios = [v.comparison.ratio for v in verdicts if v.comparison is not None]
    mean = shared_shift(ratios, threshold)
    if mean is None:
        return None
    way = "faster" if mean > 1 else "slower"
    speed = (f"; the machine's speed kernel ran at {speed_ratio:.2f}x its speed during the baseline"
             if speed_ratio is not None else "")
    return (f"all {len(ratios)} cells {way}, geometric mean ratio {mean:.3f}{speed}: a shift that every cell "
            "shares is the machine, or something every cell shares (OpenVINO, the model); check both before "
            "reading it as one configuration's")


def counts(verdicts: Sequence[CellVerdict]) -> str:
    """``2 regressed, 26 unchanged`` in table order."""
    tally: dict[str, int] = {}
    for v in verdicts:
        tally[v.verdict] = tally.get(v.verdict, 0) + 1
    return ", ".join(f"{n} {k}" for k, n in sorted(tally.items(), key=lambda kv: ORDER.get(kv[0], 9)))


def verdicts_markdown(
    verdicts: Sequence[CellVerdict], title: str, context: Sequence[str] = (), sides: tuple[str, str] | None = None
) -> str:
    """A Markdown report: context lines, the table, and precision changes listed apart."""
    lines = [f"# {title}", ""]
    lines += [f"- {line}" for line in context]
    lines += [f"- verdicts: {counts(verdicts)}", ""]
    lines.append(markdown_table(rows(verdicts, sides), left=(0, -1)))
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


def cell_record(cell: Any, side: Any, settings: Any, model_identity: Mapping[str, Any], openvino_version: str) -> dict:
    """A measured OpenVINO cell as extra_info, results and baselines keep it."""
    record = {
        "id": cell.id, "fps": side.fps, "fps_rounds": side.fps_rounds, "fps_processes": side.fps_processes,
        "frames": settings.frames, "rounds": settings.rounds, "device": cell.device, "hint": cell.hint,
        "batch": cell.batch, "mode": cell.mode, "pinned_precision": cell.precision,
        "ov_config": settings.compile_extra, **model_identity, **side.info,
        "nireq": side.info.get("nireq") if cell.mode == "async" else 1,
        "this_openvino_version": openvino_version,
    }
    if settings.inject_slowdown:
        record["inject_slowdown"] = settings.inject_slowdown
    return record


def baseline_verdict(
    test_name: str, cell_id: str, outcome: Any, saved: Mapping[str, Any] | None, baseline: Any,
    record: Mapping[str, Any], outputs_now: Mapping[str, Any] | None,
) -> CellVerdict:
    """This cell against its baseline cell, with every change of what was measured named."""
    from ovperf.outputs import fingerprint_changes

    if saved is None or outcome.comparison is None:
        return CellVerdict(id=test_name, verdict=NEW, current_fps=record["fps"])
    change = precision_change(saved.get("inference_precision"), record.get("inference_precision"))
    notes = [f"precision {change}"] if change else []
    notes += changes(baseline.workload, record, WORKLOAD)
    before = (baseline.data.get("ovperf", {}).get("outputs") or {}).get(cell_id) or {}
    if before.get("fingerprint") and (outputs_now or {}).get("fingerprint"):
        moved = fingerprint_changes(before["fingerprint"], outputs_now["fingerprint"], record.get("inference_precision"))
        if moved:
            notes.append(f"outputs changed ({', '.join(moved)})")
    notes += busy_machine(saved, "baseline") + busy_machine(record, "this run")
    if record.get("inject_slowdown"):
        notes.append(f"INJECTED {record['inject_slowdown']:.0%} slowdown")
    comparison = outcome.comparison.with_note(", ".join(notes)) if notes else outcome.comparison
    return CellVerdict(id=test_name, verdict=comparison.verdict, comparison=comparison, precision_change=change)


#: Other processes' share of the machine from which a verdict says the machine was busy.
#: On the bf16 host a test suite running beside a baseline save took 31-36% and slowed
#: some processes of the cell to a quarter of their speed; quiet runs showed 0-1%.
BUSY_SHARE = 0.10


def busy_machine(info: Mapping[str, Any], side: str) -> list[str]:
    """``baseline: other processes took 31% of the machine`` when they did."""
    share = (info.get("machine_share") or {}) if isinstance(info, Mapping) else {}
    other, steal = share.get("other", 0.0), share.get("steal", 0.0)
    if other + steal >= BUSY_SHARE:
        return [f"{side}: other processes took {other:.0%} of the machine, steal {steal:.0%}"]
    return []


def ab_verdict(cell_id: str, outcome: Any, record: Mapping[str, Any]) -> CellVerdict:
    """B against A in one cell, with any difference in what the two sides resolved named."""
    b = outcome.current.info
    resolved = {**b, "nireq": b.get("nireq") if record.get("mode") == "async" else 1}
    notes = changes(record, resolved, RESOLVED)
    if record.get("inject_slowdown"):
        notes.append(f"INJECTED {record['inject_slowdown']:.0%} slowdown in B")
    comparison = outcome.comparison.with_note(", ".join(notes)) if notes else outcome.comparison
    return CellVerdict(
        id=cell_id, verdict=comparison.verdict, comparison=comparison,
        precision_change=precision_change(record.get("inference_precision"), b.get("inference_precision")),
        paired=outcome.paired,
    )


def side_record(side: Any) -> dict:
    """One side of an A/B cell as its JSON keeps it."""
    return {"fps": side.fps, "fps_processes": side.fps_processes, "fps_rounds": side.fps_rounds, **side.info}


def judge(cell: Any, outcome: Any, settings: Any, model_identity: Mapping[str, Any], openvino_version: str, *,
          test_name: str, outputs_now: Mapping[str, Any] | None = None) -> tuple[dict, CellVerdict | None]:
    """A measured cell's record (its extra_info) and its verdict: against the A side in an A/B
    run, against the stored baseline in a comparison, none in a plain run."""
    ab = settings.ab_python is not None
    record = cell_record(cell, outcome.reference if ab else outcome.current, settings, model_identity,
                         openvino_version)
    if outcome.seconds:  # the wall time of the cell's processes, every look, both sides in A/B
        record["cell_seconds"] = round(outcome.seconds, 3)
    if getattr(outcome, "machine_factor", None) is not None:  # the verdict's FPS, at the baseline's machine speed
        record["machine_factor"] = outcome.machine_factor
    if ab:
        record["ab"] = {**side_record(outcome.current), "python": str(settings.ab_python),
                        **outcome.comparison.as_dict(), "paired": list(outcome.paired), "order": outcome.order}
        return record, ab_verdict(cell.id, outcome, record)
    if settings.baseline is None:
        return record, None
    saved = settings.baseline.cells.get(test_name)
    verdict = baseline_verdict(test_name, cell.id, outcome, saved, settings.baseline, record, outputs_now)
    if outcome.comparison is not None:
        record["verdict"] = outcome.comparison.as_dict()
    record["baseline"] = settings.baseline.name
    return record, verdict


def regression_message(cell_id: str, verdict: CellVerdict, settings: Any, record: Mapping[str, Any],
                       layers_grown: str = "") -> str:
    """The one line a regressed cell fails with: the figures, any note, and where its time went."""
    against = "A in interleaved processes (B/A)" if settings.ab_python else settings.baseline.name
    layers = (
        f"; layers that grew most: {layers_grown}" if layers_grown
        else "; per-layer times (PERF_COUNT) are in the JSON; the baseline has none to diff with"
        if record.get("perf_counters") and not settings.ab_python else ""
    )
    note = f"; {verdict.comparison.note}" if verdict.comparison.note else ""
    factor = record.get("machine_factor")
    machine = (f"; at the baseline's machine speed (this run's FPS x{factor:.3f}, by the units kernel; "
               "--ov-machine-adjust off judges FPS as measured)" if factor is not None and not settings.ab_python else "")
    return f"{cell_id} regressed against {against}: {verdict.comparison.describe()}{note}{machine}{layers}"
