"""The history in the formats other dashboards read.

- **Apache Otava** (``otava analyze``): a CSV file per cell (``time,run,commit,openvino,fps``)
  and an ``otava.yaml`` naming them as ``csv`` tests with ``fps`` as a higher-is-better
  metric. Otava reads every metric column of every row as a number, so a cell gets a file of
  its own rather than an empty field in the runs that did not measure it.
- **Bencher** (``bencher run --adapter json --file F``): the Bencher Metric Format of one run,
  ``{cell: {"throughput": {"value", "lower_value", "upper_value"}}}``; the bounds are the
  slowest and fastest process of the run.
- **github-action-benchmark** (``tool: customBiggerIsBetter``): a list of
  ``{"name", "unit", "value", "range", "extra"}`` for one run.

Both dashboards keep their own history and take one run at a time: the newest by default,
or ``--run ID``.
"""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path
from typing import Mapping, Sequence

from ovperf.atomic import write_atomic
from ovperf.history import HistoryError, Point
from ovperf.trends import slug


def otava(series: Mapping[str, Sequence[Point]], out: Path) -> list[Path]:
    """``out/<cell>.csv`` for every cell and ``out/otava.yaml``; returns the files."""
    if not series:
        raise HistoryError("the history holds no runs to export")
    written, tests = [], []
    for name, points in sorted(series.items()):
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(["time", "run", "commit", "openvino", "fps"])
        for p in points:
            stamp = datetime.fromisoformat(p.time).strftime("%Y-%m-%d %H:%M:%S %z")
            writer.writerow([stamp, p.run_id, (p.commit or "")[:12], p.software.get("openvino_version") or "",
                             f"{p.fps:.4f}"])
        path = out / f"{slug(name)}.csv"
        write_atomic(path, buf.getvalue())
        written.append(path)
        tests.append((name, path))
    # JSON strings are YAML strings, so names with brackets or colons need no YAML library.
    lines = ["# Apache Otava: otava analyze --config-file otava.yaml <test> (or every test it lists)", "tests:"]
    for name, path in tests:
        lines += [f"  {json.dumps(slug(name))}:", "    type: csv", f"    file: {json.dumps(str(path.resolve()))}",
                  "    time_column: time", "    attributes: [run, commit, openvino]",
                  "    metrics:", "      fps:", "        direction: 1", f"    # {name}"]
    config = out / "otava.yaml"
    write_atomic(config, "\n".join(lines) + "\n")
    return written + [config]


def run_points(series: Mapping[str, Sequence[Point]], run_id: int | None) -> tuple[int, dict[str, Point]]:
    """Every cell's point of one run: ``run_id``, or the newest run."""
    points = [(name, p) for name, ps in series.items() for p in ps]
    if not points:
        raise HistoryError("the history holds no runs to export")
    if run_id is None:
        run_id = max(points, key=lambda item: (item[1].time, item[1].run_id))[1].run_id
    chosen = {name: p for name, p in points if p.run_id == run_id}
    if not chosen:
        raise HistoryError(f"the history has no run {run_id}")
    return run_id, chosen


def bencher(points: Mapping[str, Point]) -> dict:
    out = {}
    for name, p in sorted(points.items()):
        medians = p.process_medians or [p.fps]
        out[name] = {"throughput": {"value": p.fps, "lower_value": min(medians), "upper_value": max(medians)}}
    return out


def github_action_benchmark(points: Mapping[str, Point]) -> list[dict]:
    out = []
    for name, p in sorted(points.items()):
        medians = p.process_medians or [p.fps]
        extra = [f"run {p.run_id} at {p.time}", f"{len(medians)} processes",
                 f"OpenVINO {p.software.get('openvino_version') or '?'}"]
        if p.injected:
            extra.append(f"INJECTED slowdown {p.injected:.0%}")
        out.append({"name": name, "unit": "FPS", "value": round(p.fps, 4),
                    "range": f"{min(medians):.2f}-{max(medians):.2f}", "extra": "\n".join(extra)})
    return out


def export(fmt: str, series: Mapping[str, Sequence[Point]], out: Path, run_id: int | None = None) -> list[Path]:
    """Write ``fmt`` to ``out`` (a folder for Otava, a JSON file otherwise); returns the files."""
    if fmt == "otava":
        return otava(series, out)
    _, points = run_points(series, run_id)
    data = bencher(points) if fmt == "bencher" else github_action_benchmark(points)
    write_atomic(out, json.dumps(data, indent=2) + "\n")
    return [out]
