"""Histories made in the test: pytest-benchmark JSON as the suite writes it, appended night by night."""
from __future__ import annotations

import numpy as np

from ovperf import history as h

CELL = "test_openvino[CPU-THROUGHPUT-b1-async]"


def bench_json(fps_by_cell, when="2026-11-01T00:00:00", openvino="2026.3.0-1", commit="a" * 40, **machine):
    """A --benchmark-json file's content as the suite writes it, with one process of 2 rounds a cell.

    A cell's value may also be a list of processes, each a list of round FPS.
    """
    return {
        "machine_info": {"cpu_model": "AMD EPYC", "logical_cores": 2, "openvino_version": openvino,
                         "torch_version": "2.14.1", "machine": "x86_64", **machine},
        "commit_info": {"id": commit, "dirty": False},
        "datetime": when,
        "benchmarks": [
            {"name": name, "extra_info": {"fps": _median(procs), "fps_rounds": [r for p in procs for r in p],
                                          "fps_processes": procs, "inference_precision": "f32",
                                          "model_key": "k1", "onnx_sha256": "o1"}}
            for name, procs in ((n, v if isinstance(v, list) else [[v, v]]) for n, v in fps_by_cell.items())
        ],
    }


def nightly(store, values, start_day=1, changes=None):
    """Append one run per value; ``changes`` maps a night's index to keyword overrides of bench_json."""
    for i, fps in enumerate(values):
        extra = {k: v for at, kw in (changes or {}).items() if i >= at for k, v in kw.items()}
        run, cells = h.run_from_json(bench_json({CELL: float(fps)}, when=f"2026-11-{start_day + i:02d}T02:00:00",
                                                **extra), kind="run")
        store.append(run, cells)


def _median(processes):
    return float(np.median([np.median(p) for p in processes]))


def noisy(n, level, sd, seed):
    return level * np.exp(np.random.default_rng(seed).normal(0, sd, n))
