"""Per-layer timings (OpenVINO's PERF_COUNT) for diagnosing a regressed configuration.

:func:`layer_times` compiles the cell once more with ``PERF_COUNT=YES``, pushes
every batch through one infer request and averages each layer's real time per
inference. :func:`grown` names the layers whose time grew most between a
baseline's timings and this run's, the first place to look when a cell regresses.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from ovperf.matrix import Cell
from ovperf.runner import let_openvino_threads_settle


def layer_times(core: Any, model: Any, cell: Cell, extra: dict[str, str], batches: np.ndarray) -> list[dict]:
    """Each executed layer: name, type, exec type, status and mean real time (ms), slowest first."""
    config = {**cell.compile_config(extra), "PERF_COUNT": "YES"}
    compiled = core.compile_model(model, cell.device, config)
    request = compiled.create_infer_request()
    totals: dict[str, dict] = {}
    for batch in batches:
        request.infer(batch, share_inputs=True)
        for info in request.profiling_info:
            layer = totals.setdefault(info.node_name, {
                "name": info.node_name, "type": info.node_type, "exec_type": info.exec_type,
                "status": getattr(info.status, "name", str(info.status)), "real_time_ms": 0.0,
            })
            layer["real_time_ms"] += info.real_time.total_seconds() * 1e3
    let_openvino_threads_settle()
    del request, compiled
    for layer in totals.values():
        layer["real_time_ms"] /= max(1, len(batches))
    return sorted(totals.values(), key=lambda layer: -layer["real_time_ms"])


def grown(before: Sequence[dict], after: Sequence[dict], count: int = 5) -> list[dict]:
    """The ``count`` layers whose mean real time grew most (a layer new in ``after`` grew from 0)."""
    old = {layer["name"]: layer["real_time_ms"] for layer in before}
    deltas = []
    for layer in after:
        was = old.get(layer["name"], 0.0)
        deltas.append({
            "name": layer["name"], "type": layer["type"], "exec_type": layer["exec_type"],
            "before_ms": was, "after_ms": layer["real_time_ms"], "grew_ms": layer["real_time_ms"] - was,
        })
    return sorted(deltas, key=lambda d: -d["grew_ms"])[:count]


def describe(layers: Sequence[dict]) -> str:
    return ", ".join(
        f"{d['name']} ({d['type']}, {d['exec_type']}) {d['before_ms']:.2f}->{d['after_ms']:.2f} ms" for d in layers
    )


def profile(times: Callable[[], list[dict]], before: Sequence[dict] | None) -> dict:
    """What a cell's record gains from profiling: ``perf_counters`` (``times()``, e.g. a
    :func:`layer_times` call) and, against a baseline's ``before``, ``perf_counters_grown``;
    or ``perf_counters_error`` where the device cannot profile (the verdict stands)."""
    from ovperf.runner import openvino_message

    try:
        layers = times()
    except RuntimeError as exc:
        return {"perf_counters_error": openvino_message(exc)}
    found: dict[str, Any] = {"perf_counters": layers}
    if before and layers:
        found["perf_counters_grown"] = grown(before, layers)
    return found
