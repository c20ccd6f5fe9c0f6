"""Does the machine-speed kernel just before a round slow the round down?

One process compiles one b1 CPU cell and runs 15 x 3 rounds of FRAMES frames, alternating:
``plain`` (no kernel), ``kernel`` (ovperf.noise.machine_speed just before the round, as the
worker does) and ``kernel+sleep`` (the kernel, then 0.3 s idle). Prints each kind's median
FPS. Run it under the environment to test (e.g. OPENBLAS_THREAD_TIMEOUT=4, which
ovperf.client gives every measuring process). SIZE and REPEATS set the kernel.

Usage: python report/data/blas-spin/spin.py ONNX FRAMES sync|async HINT [SIZE REPEATS]
"""
import os
import sys
import tempfile
import time

import numpy as np

from ovperf import frames as fr
from ovperf import noise
from ovperf.worker import Worker

onnx, n, mode, hint = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
if len(sys.argv) > 5:
    noise.SPEED_SIZE, noise.SPEED_REPEATS = int(sys.argv[5]), int(sys.argv[6])
work = tempfile.mkdtemp()
np.save(f"{work}/frames.npy", fr.video(fr.preprocess(fr.load_image(fr.default_image()), 640), n))
w = Worker()
w.load(onnx, f"{work}/cache", True, f"{work}/frames.npy", 640)
w.compile({"device": "CPU", "hint": hint, "batch": 1, "mode": mode}, {})
w.first()
for _ in range(3):
    w.runner.run_round()
fps = {"plain": [], "kernel": [], "kernel+sleep": []}
for _ in range(15):
    for kind, values in fps.items():
        if kind != "plain":
            noise.machine_speed()
        if kind == "kernel+sleep":
            time.sleep(0.3)
        started = time.perf_counter()
        w.runner.run_round()
        values.append(n / (time.perf_counter() - started))
env = os.environ.get("OPENBLAS_THREAD_TIMEOUT")
label = f"{hint}-b1-{mode}, {n} frames, kernel {noise.SPEED_REPEATS}x {noise.SPEED_SIZE}, OPENBLAS_THREAD_TIMEOUT={env or '(unset)'}"
for kind, values in fps.items():
    print(f"{label}: {kind:13s} median FPS {np.median(values):6.1f}, SD {np.std(values) / np.mean(values):.1%}")
