"""The closing table: every configuration by FPS, against the PyTorch b1 row.

It is the guide's closing bar chart, as text.
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

REFERENCE_ID = "pytorch-b1"


def speedup_table(results: Sequence[Mapping[str, Any]]) -> list[list[str]]:
    """Rows (header first) sorted by FPS, fastest first."""
    reference = next((r["fps"] for r in results if r["id"] == REFERENCE_ID), None)
    header = ["configuration", "FPS", "vs PyTorch b1", "precision", "streams/requests"]
    rows = [header]
    for r in sorted(results, key=lambda r: r["fps"], reverse=True):
        speedup = f"{r['fps'] / reference:.2f}x" if reference else "-"
        streams = r.get("num_streams")
        nireq = r.get("nireq")
        rows.append(
            [
                r["id"],
                f"{r['fps']:.1f}",
                speedup,
                precision_label(r),
                f"{streams if streams is not None else '-'}/{nireq if nireq is not None else '-'}",
            ]
        )
    return rows


def format_table(rows: Sequence[Sequence[str]]) -> str:
    """Plain aligned columns; numbers right-aligned."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [
            cell.ljust(widths[i]) if i == 0 or n == 0 else cell.rjust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def precision_label(result: Mapping[str, Any]) -> str:
    """The resolved precision, flagged when it is not the one that was pinned.

    A CPU without bf16 support accepts INFERENCE_PRECISION_HINT=bf16 and runs f32.
    """
    resolved = result.get("inference_precision") or "-"
    pinned = result.get("pinned_precision", "default")
    if pinned not in (None, "default") and pinned != resolved:
        return f"{resolved} (asked {pinned})"
    return resolved
