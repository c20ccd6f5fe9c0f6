"""How large is the slowdown that --ov-inject-slowdown PCT injects, measured in one process?

Compiles one b1 CPU cell, builds two runners on it, one plain and one with PCT injected,
and alternates their rounds of FRAMES frames, 15 each, as a plain run measures them (back
to back, threads warm) and as an A/B measures them (a 0.5 s idle before each round, the
other side's turn). Prints the median FPS ratio injected / plain of each.

Usage: python report/data/inject/accuracy.py ONNX FRAMES sync|async HINT PCT
"""
import sys
import tempfile
import time

import numpy as np

from ovperf import frames as fr
from ovperf.worker import Worker
from ovperf.runner import AsyncRunner, SyncRunner

onnx, n, mode, hint, pct = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], float(sys.argv[5])
work = tempfile.mkdtemp()
np.save(f"{work}/frames.npy", fr.video(fr.preprocess(fr.load_image(fr.default_image()), 640), n))
w = Worker()
w.load(onnx, f"{work}/cache", True, f"{work}/frames.npy", 640)
answer = w.compile({"device": "CPU", "hint": hint, "batch": 1, "mode": mode}, {})
batches = fr.batched(w.frames, 1)
make = (lambda inject: AsyncRunner(w.compiled, batches, answer["resolved"]["nireq"], inject=inject)) if mode == "async" \
    else (lambda inject: SyncRunner(w.compiled, batches, inject=inject))
runners = {"plain": make(0.0), "injected": make(pct / 100)}
for runner in runners.values():
    for _ in range(3):
        runner.run_round()
for idle in (0.0, 0.5):
    fps = {name: [] for name in runners}
    for _ in range(15):
        for name, runner in runners.items():
            time.sleep(idle)
            started = time.perf_counter()
            runner.run_round()
            fps[name].append(n / (time.perf_counter() - started))
    ratio = np.median(fps["injected"]) / np.median(fps["plain"])
    print(f"{hint}-b1-{mode}, {n} frames, {pct:g}% injected, {idle:.1f} s idle before each round: "
          f"plain {np.median(fps['plain']):.1f} FPS, injected {np.median(fps['injected']):.1f}, ratio {ratio:.3f}")
