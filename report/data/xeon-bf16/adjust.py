"""Whether reading a run's FPS at the baseline's machine speed brought it nearer the truth.

    .venv/bin/python report/data/xeon-bf16/adjust.py RUN.json [RUN.json ...]

A stored-baseline comparison of the same OpenVINO build multiplies the run's FPS by
``machine_factor`` (``--ov-machine-adjust auto``: how much slower its units kernel ran than the
baseline's). Per run: the geometric mean over its cells of the ratio each verdict gave, at the
baseline's machine speed, and of that ratio divided by the factor (FPS as measured, to first order:
the baseline's own runs are divided by their speeds around their mean), each against the truth,
1 minus the injected slowdown; then the root mean square of those errors over the runs, both
ways. The whole run's move is what the factor is for, so the run is the unit. Only the files'
own samples.
"""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path


def main() -> None:
    adjusted, measured = [], []
    for path in sys.argv[1:]:
        logs_adj, logs_raw, factors = [], [], []
        for bench in json.loads(Path(path).read_text())["benchmarks"]:
            info = bench["extra_info"]
            verdict, factor = info.get("verdict") or {}, info.get("machine_factor")
            if "ratio" not in verdict or not factor:
                continue
            truth = math.log(1 - float(info.get("inject_slowdown") or 0.0))
            logs_adj.append(math.log(verdict["ratio"]) - truth)
            logs_raw.append(math.log(verdict["ratio"] / factor) - truth)
            factors.append(factor)
        if not logs_adj:
            continue
        adj, raw = sum(logs_adj) / len(logs_adj), sum(logs_raw) / len(logs_raw)
        adjusted.append(adj)
        measured.append(raw)
        print(f"{path}: factor x{min(factors):.3f}-x{max(factors):.3f}; against the truth "
              f"{math.exp(adj) - 1:+.1%} at the baseline's machine speed, {math.exp(raw) - 1:+.1%} as measured")
    rms = lambda xs: math.sqrt(sum(x * x for x in xs) / len(xs))  # noqa: E731
    print(f"{len(adjusted)} runs: the whole run off the truth by {rms(adjusted):.1%} (root mean square) at the "
          f"baseline's machine speed, {rms(measured):.1%} as measured")


if __name__ == "__main__":
    main()
