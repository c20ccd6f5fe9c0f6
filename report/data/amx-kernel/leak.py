"""Does an injected slowdown reach the units kernel timed right after a round, and does one
untimed inference of the kernel first (a warm-up) keep it out?

    .venv/bin/python report/data/amx-kernel/leak.py OUT.json [PAIRS]
    .venv/bin/python report/data/amx-kernel/leak.py --read OUT.json

PAIRS (default 4) times over the two CPU cells without a hint at batch 1 (sync, async), a fresh
process each with ``--ov-inject-slowdown`` 0 and one with 10% (which goes first alternating),
each an ``ovperf.worker.Worker`` of this checkout: it converts the export's ONNX (cached in
.ovperf-cache), builds 48 frames of the photo as the suite does, compiles the cell, runs its first
inference, then 12 rounds, under the measuring processes' environment (``QUIET_BLAS_ENV``). Around them it times the units kernel (``ovperf.noise.UnitsKernel``):
before every round (after the numpy kernel, as the worker does), and right after it, on even
rounds as the worker does (``plain``), on odd rounds after one untimed inference of the kernel
(``warm``). OUT.json keeps every timing. ``--read`` prints, per cell and way of timing, the median
over processes of each process's median speed with and without the injection, and their ratio.
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from ovperf.noise import QUIET_BLAS_ENV

CELLS = [{"device": "CPU", "hint": "none", "batch": 1, "mode": mode} for mode in ("sync", "async")]
ROUNDS = 12
EXPORT = Path(".ovperf-export")


def one(cell: dict, inject: float) -> dict:
    import numpy as np

    from ovperf import frames as fr
    from ovperf.noise import machine_speed
    from ovperf.worker import Worker

    frames = fr.video(fr.preprocess(fr.load_image(EXPORT / "bus.jpg"), 640), 48)
    npy = Path(f"/tmp/leak-frames-{cell['mode']}.npy")
    np.save(npy, frames)
    w = Worker()
    name = w.hello()["units_kernel"]
    w.load(str(EXPORT / "yolov5n.onnx"), ".ovperf-cache", True, str(npy), 640)
    w.compile(cell, {}, inject)
    w.first()
    units, out = w.units, {"before": [], "plain": [], "warm": []}
    for k in range(ROUNDS):
        machine_speed()
        out["before"].append(units.speed())
        w.runner.run_round()
        if k % 2:
            units._request.infer({0: units._data})
            out["warm"].append(units.speed())
        else:
            out["plain"].append(units.speed())
        machine_speed()
    w.release()
    return {"cell": f"{cell['device']}-{cell['hint']}-b{cell['batch']}-{cell['mode']}", "inject": inject,
            "kernel": name, **out}


def read(path: str) -> None:
    runs = json.loads(Path(path).read_text())
    print(f"{len(runs)} processes, kernel {runs[0]['kernel']}")
    for cell in sorted({r["cell"] for r in runs}):
        for way in ("before", "plain", "warm"):
            level = {}
            for inject in (0.0, 0.1):
                level[inject] = statistics.median(statistics.median(r[way]) for r in runs
                                                  if r["cell"] == cell and r["inject"] == inject)
            print(f"{cell:18s} {way:6s}: plain process {level[0.0]:.1f}/s, 10% injected {level[0.1]:.1f}/s, "
                  f"ratio {level[0.1] / level[0.0]:.3f}")


def main() -> None:
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(one(json.loads(sys.argv[2]), float(sys.argv[3]))))
        return
    if sys.argv[1:2] == ["--read"]:
        read(sys.argv[2])
        return
    out, pairs = Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 4
    runs = []
    for k in range(pairs):
        for cell in CELLS:
            for inject in ((0.0, 0.1) if k % 2 == 0 else (0.1, 0.0)):
                # under the environment every measuring process runs under (ovperf.client)
                done = subprocess.run([sys.executable, __file__, "--one", json.dumps(cell), str(inject)],
                                      capture_output=True, text=True, check=True, env={**os.environ, **QUIET_BLAS_ENV})
                runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
        out.write_text(json.dumps(runs))
    read(str(out))


if __name__ == "__main__":
    main()
