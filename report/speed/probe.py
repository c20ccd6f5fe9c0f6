"""Does the machine-speed kernel track the model's speed? A standalone probe, outside the suite.

    .venv/bin/python report/speed/probe.py IR.xml --processes 8 --seconds 40

Each of ``--processes`` fresh processes compiles the IR for CPU (LATENCY hint, batch 1,
sync), then for ``--seconds`` alternates the kernel of ``ovperf.noise.machine_speed``
and 12 inferences of a random frame (about 1 s here). It prints, per process, the
correlation of log FPS with the log of the kernel's speed around each burst, and at the
end the spread of the per-process medians, raw and adjusted with the slope found inside
processes. Runs one process at a time; keep the machine otherwise idle.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

import numpy as np


def one_process(ir: str, seconds: float) -> list[tuple[float, float]]:
    import openvino as ov

    from ovperf.noise import bracketed_speed, machine_speed

    compiled = ov.Core().compile_model(ir, "CPU", {"PERFORMANCE_HINT": "LATENCY"})
    request = compiled.create_infer_request()
    frame = np.random.default_rng(0).random((1, 3, 640, 640), dtype=np.float32)
    for _ in range(3):
        request.infer({0: frame})
    rows = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        before = machine_speed()
        started = time.perf_counter()
        for _ in range(12):
            request.infer({0: frame})
        fps = 12 / (time.perf_counter() - started)
        rows.append((fps, bracketed_speed(before, machine_speed())))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ir")
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=40.0)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_process(args.ir, args.seconds)))
        return 0
    processes = []
    for k in range(args.processes):
        out = subprocess.run([sys.executable, __file__, args.ir, "--seconds", str(args.seconds), "--one"],
                             capture_output=True, text=True, check=True).stdout
        rows = np.log(np.asarray(json.loads(out.strip().splitlines()[-1])))
        processes.append(rows)
        corr = np.corrcoef(rows[:, 0], rows[:, 1])[0, 1]
        print(f"process {k + 1}: {len(rows)} bursts, median {np.exp(np.median(rows[:, 0])):.2f} FPS, corr {corr:.2f}")
    dx = np.concatenate([p[:, 1] - p[:, 1].mean() for p in processes])
    dy = np.concatenate([p[:, 0] - p[:, 0].mean() for p in processes])
    slope = float((dx * dy).sum() / (dx * dx).sum())
    raw = np.array([np.median(p[:, 0]) for p in processes])
    adjusted = np.array([np.median(p[:, 0] - slope * p[:, 1]) for p in processes])
    flat = np.concatenate(processes)
    print(f"all bursts: corr {np.corrcoef(flat[:, 0], flat[:, 1])[0, 1]:.2f}; slope inside processes {slope:.2f}")
    print(f"per-process medians: SD {raw.std(ddof=1):.1%} raw, {adjusted.std(ddof=1):.1%} adjusted")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
