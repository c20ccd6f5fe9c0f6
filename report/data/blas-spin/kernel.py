"""The speed kernel's own spread: 40 calls of ovperf.noise.machine_speed, 50 ms apart, for a
kernel of SIZE x SIZE products REPEATS times, under the environment it runs in.

Usage: python report/data/blas-spin/kernel.py SIZE REPEATS
"""
import os
import sys
import time

import numpy as np

from ovperf import noise

noise.SPEED_SIZE, noise.SPEED_REPEATS = int(sys.argv[1]), int(sys.argv[2])
noise.machine_speed()  # the matrix is made and the threads started outside the sample
speeds = []
for _ in range(40):
    speeds.append(noise.machine_speed())
    time.sleep(0.05)
env = os.environ.get("OPENBLAS_THREAD_TIMEOUT")
print(f"kernel {noise.SPEED_REPEATS}x {noise.SPEED_SIZE}, OPENBLAS_THREAD_TIMEOUT={env or '(unset)'}: "
      f"{1e3 * noise.SPEED_REPEATS / np.median(speeds):.0f} ms a call, SD {np.std(speeds) / np.mean(speeds):.1%}")
