"""The closing table: every configuration by FPS, against the PyTorch b1 row.

It is the guide's closing bar chart, as text.
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

from ovperf.cli import entry_point

REFERENCE_ID = "pytorch-b1"


def speedup_table(results: Sequence[Mapping[str, Any]]) -> list[list[str]]:
    """Rows (header first) sorted by FPS, fastest first."""
    reference = next((r["fps"] for r in results if r["id"] == REFERENCE_ID), None)
    header = ["configuration", "FPS", "vs PyTorch b1", "precision", "streams/requests", "processes",
              "process CV", "CPU ms/frame"]
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
                str(r.get("processes", 1)),
                f"{r['process_cv']:.1%}" if r.get("process_cv") is not None else "-",
                f"{r['cpu_ms_per_frame']:.1f}" if r.get("cpu_ms_per_frame") else "-",
            ]
        )
    return rows


def parity_table(results: Sequence[Mapping[str, Any]]) -> list[list[str]]:
    """Suite FPS against benchmark_app's for the cells that ran ``--ov-parity``."""
    rows = [["configuration", "suite FPS", "benchmark_app FPS", "suite/benchmark_app", "requests", "seconds"]]
    for r in sorted(results, key=lambda r: r["id"]):
        p = r["parity"]
        rows.append([
            r["id"], f"{r['fps']:.2f}", f"{p['fps']:.2f}", f"{p['ratio']:.3f}", str(r.get("nireq", "-")),
            f"{p['duration_ms'] / 1e3:.0f}",
        ])
    return rows


def output_table(outputs: Mapping[str, Mapping[str, Any]]) -> list[list[str]]:
    """Each configuration's output check against PyTorch FP32, failures first."""
    rows = [["configuration", "precision", "box error", "score error", "detections", "F1",
             "vs OpenVINO f32 (box/score/F1)", "within tolerance"]]
    for name, o in sorted(outputs.items(), key=lambda kv: (kv[1]["ok"], kv[0])):
        f32 = o.get("vs_openvino_f32")
        if "box_rel" not in o:  # the check could not run the cell: its one-line reason instead
            rows.append([name, str(o.get("precision") or "-"), "-", "-", "-", "-", "-",
                         "NO: " + "; ".join(o.get("problems") or ["not checked"])])
            continue
        rows.append([
            name, str(o.get("precision") or "-"), f"{o['box_rel']:.2g}", f"{o['score_rel']:.2g}",
            f"{o['detections']}/{o['reference_detections']}", f"{o['detection_f1']:.3f}",
            f"{f32['box_rel']:.2g}/{f32['score_rel']:.2g}/{f32['detection_f1']:.3f}" if f32 else "-",
            "yes" if o["ok"] else "NO",
        ])
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


def markdown_table(rows: Sequence[Sequence[str]], left: Sequence[int] = (0,)) -> str:
    """The suite's one Markdown table: a header row, then the body; numbers right-aligned.

    ``left`` holds the indices (negative counts from the end) of the columns of text.
    """
    header, *body = rows
    texts = {i % len(header) for i in left}
    rule = "|" + "|".join(" --- " if i in texts else " ---: " for i in range(len(header))) + "|"
    lines = ["| " + " | ".join(header) + " |", rule]
    lines += ["| " + " | ".join(r) + " |" for r in body]
    return "\n".join(lines)


@entry_point
def main(argv: Sequence[str] | None = None) -> int:
    """``python -m ovperf.summary RUN.json``: the closing table of a saved run, as Markdown."""
    import argparse
    import json
    import sys

    parser = argparse.ArgumentParser(prog="python -m ovperf.summary", description=main.__doc__)
    parser.add_argument("run", help="pytest-benchmark JSON (--benchmark-json) or a baseline file")
    args = parser.parse_args(argv)
    try:
        data = json.loads(open(args.run).read())
        results = [b["extra_info"] for b in data["benchmarks"] if "fps" in b.get("extra_info", {})]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"python -m ovperf.summary: cannot read {args.run}: {exc}", file=sys.stderr)
        return 2
    print(markdown_table(speedup_table(results)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
