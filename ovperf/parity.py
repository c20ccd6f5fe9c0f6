"""OpenVINO's own ``benchmark_app`` on the same IR and configuration, for the parity check.

For an async cell the suite ran, :func:`benchmark_app` runs OpenVINO's benchmark
tool with the same IR, device, hint, batch shape, number of requests (and, with
no hint, the same number of streams), pinned precision and extra properties,
for about as long as the suite measured. The throughput comes from the tool's
own JSON report (``-json_stats``: ``execution_results.throughput``), not from
its log. The ratio suite/benchmark_app says how much the harness costs.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from ovperf.matrix import Cell

#: Our hint names -> benchmark_app's ``-hint`` values.
HINTS = {"none": "none", "LATENCY": "latency", "THROUGHPUT": "throughput", "CUMULATIVE_THROUGHPUT": "ctput"}
#: benchmark_app's JSON report, written into ``-report_folder``.
REPORT = "benchmark_report.json"


class ParityError(RuntimeError):
    """benchmark_app failed or wrote no usable report; the message is one line."""


def command(
    ir_xml: Path, cell: Cell, imgsz: int, nireq: int, streams: int | None, seconds: float,
    extra: dict[str, str], folder: Path,
) -> list[str]:
    """The benchmark_app command line for one cell (run with this Python)."""
    args = [
        sys.executable, "-c", "import sys; from openvino.tools.benchmark.main import main; sys.exit(main())",
        "-m", str(ir_xml), "-d", cell.device, "-hint", HINTS[cell.hint], "-api", "async",
        "-shape", f"[{cell.batch},3,{imgsz},{imgsz}]", "-nireq", str(nireq), "-t", str(max(1, round(seconds))),
        "-report_type", "no_counters", "-report_folder", str(folder), "-json_stats",
    ]
    if cell.hint == "none" and streams:
        args += ["-nstreams", str(streams)]
    if cell.precision != "default":
        args += ["-infer_precision", cell.precision]
    if extra:
        config = folder / "config.json"
        config.write_text(json.dumps({cell.device: dict(extra)}))
        args += ["-load_config", str(config)]
    return args


def read_report(path: Path) -> dict[str, Any]:
    """benchmark_app's throughput (FPS), iterations and duration from its JSON report."""
    try:
        results = json.loads(path.read_text())["execution_results"]
        return {
            "fps": float(results["throughput"]),
            "iterations": int(results["total number of iterations"]),
            "duration_ms": float(results["total execution time (ms)"]),
        }
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ParityError(f"benchmark_app wrote no usable report {path}: {exc!r}") from None


def benchmark_app(
    ir_xml: Path, cell: Cell, imgsz: int, nireq: int, streams: int | None, seconds: float,
    extra: dict[str, str] | None = None, timeout: float = 600,
) -> dict[str, Any]:
    """Run benchmark_app for one cell; its FPS and the command, or a ParityError."""
    with tempfile.TemporaryDirectory(prefix="ovperf-parity-") as tmp:
        folder = Path(tmp)
        args = command(ir_xml, cell, imgsz, nireq, streams, seconds, extra or {}, folder)
        try:
            done = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise ParityError(f"benchmark_app did not finish within {timeout:g} s") from None
        if done.returncode != 0:
            lines = [ln for ln in (done.stderr + done.stdout).splitlines() if ln.strip()]
            raise ParityError(f"benchmark_app exited with {done.returncode}: {lines[-1] if lines else 'no output'}")
        report = read_report(folder / REPORT)
    shown = ["benchmark_app", *args[3:]]
    return {**report, "command": " ".join(shown)}
