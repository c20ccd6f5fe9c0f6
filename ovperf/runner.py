"""Compile one configuration, read back what OpenVINO resolved, and run rounds.

A round pushes every frame through the model once. ``SyncRunner`` is the guide's
loop (one request, batch after batch). ``AsyncRunner`` is its throughput mode:
an ``AsyncInferQueue`` sized by the compiled model's
OPTIMAL_NUMBER_OF_INFER_REQUESTS, a callback per request, ``wait_all`` at the
end of the round. Inputs are shared with the frame array rather than copied,
as benchmark_app fills its tensors once, so the harness costs as little as it can.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from ovperf.matrix import Cell


class CompileError(RuntimeError):
    """OpenVINO refused the configuration; the message is OpenVINO's."""


@dataclass(frozen=True)
class Resolved:
    """What OpenVINO actually chose for a compiled model."""

    performance_hint: str | None
    inference_precision: str | None
    #: "compiled model", or "device default" where a virtual device (AUTO) hides it.
    precision_source: str
    execution_devices: tuple[str, ...]
    num_streams: int | None
    nireq: int


def read_property(target: Any, name: str, *args: str) -> Any:
    """A property, or None when this device or release does not report it."""
    try:
        return target.get_property(*args, name) if args else target.get_property(name)
    except (RuntimeError, TypeError):
        return None


def type_name(value: Any) -> str | None:
    """``<Type: 'float32'>`` -> ``f32``; strings pass through."""
    if value is None:
        return None
    if hasattr(value, "get_type_name"):
        return value.get_type_name()
    return str(value)


def enum_name(value: Any) -> str | None:
    """``PerformanceMode.THROUGHPUT`` (AUTO returns enums) and ``"THROUGHPUT"`` -> ``"THROUGHPUT"``."""
    if value is None:
        return None
    return getattr(value, "name", None) or str(value)


def resolve_compiled(core: Any, compiled: Any) -> Resolved:
    """Read back hint, precision, devices, streams and requests from a compiled model."""
    devices = tuple(read_property(compiled, "EXECUTION_DEVICES") or ())
    precision = type_name(read_property(compiled, "INFERENCE_PRECISION_HINT"))
    source = "compiled model"
    if precision is None and devices:
        # AUTO does not forward this property; its devices compile with their own default.
        found = {type_name(read_property(core, "INFERENCE_PRECISION_HINT", d)) for d in devices}
        found.discard(None)
        precision = ",".join(sorted(found)) or None
        source = "device default"
    streams = read_property(compiled, "NUM_STREAMS")
    return Resolved(
        performance_hint=enum_name(read_property(compiled, "PERFORMANCE_HINT")),
        inference_precision=precision,
        precision_source=source,
        execution_devices=devices,
        num_streams=int(streams) if streams is not None else None,
        nireq=int(read_property(compiled, "OPTIMAL_NUMBER_OF_INFER_REQUESTS") or 1),
    )


def read_for_batch(core: Any, xml: str, batch: int, imgsz: int) -> Any:
    """The IR read and reshaped to ``batch`` x 3 x imgsz x imgsz; a model whose batch is
    fixed (a static-batch ONNX given to --ov-onnx) raises ``CompileError`` with OpenVINO's reason."""
    model = core.read_model(xml)
    try:
        model.reshape([batch, 3, imgsz, imgsz])
    except RuntimeError as exc:
        raise CompileError(f"the model cannot take batch {batch} ({openvino_message(exc)})") from None
    return model


def compile_cell(core: Any, model: Any, cell: Cell, extra: dict[str, str] | None = None) -> tuple[Any, float]:
    """The compiled model and the compile time in milliseconds."""
    started = time.perf_counter()
    try:
        compiled = core.compile_model(model, cell.device, cell.compile_config(extra))
    except RuntimeError as exc:
        raise CompileError(openvino_message(exc)) from None
    return compiled, (time.perf_counter() - started) * 1e3


def openvino_message(exc: BaseException) -> str:
    """OpenVINO's exceptions carry a C++ trace; keep the lines a user can act on."""
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    useful = [ln for ln in lines if not ln.startswith(("Exception from src", "Check '"))]
    return " ".join(useful or lines) or exc.__class__.__name__


#: How long to let go of the GIL before dropping OpenVINO objects (seconds).
SETTLE_SECONDS = 0.05


def let_openvino_threads_settle() -> None:
    """Release the GIL briefly so OpenVINO's worker threads finish what they still hold.

    After ``wait_all()`` returns, a worker thread can still be finishing a request and
    releasing objects that hold Python state, for which it needs the GIL. If the main
    thread then destroys the compiled model, it joins that worker while holding the
    GIL, and both wait forever (seen here once on openvino 2026.4.1, main thread in
    ~CompiledModel -> ~CPUStreamsExecutor -> join; the same stack as ultralytics
    issue #25923; openvino PR 37073 fixed only the ~AsyncInferQueue side). Sleeping
    while we still hold our references lets those tails finish first.
    """
    time.sleep(SETTLE_SECONDS)


def burn(seconds: float) -> None:
    """Busy CPU work on this thread for ``seconds``: the injected slowdown."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


def injected_factor(slowdown: float) -> float:
    """Extra work per unit of the frame's own time, so that FPS drops by ``slowdown``:
    t / (t + t * f) = 1 - slowdown."""
    return slowdown / (1 - slowdown) if slowdown else 0.0


class SyncRunner:
    """One infer request, batch after batch: the guide's plain loop.

    ``inject`` (a fraction, ``--ov-inject-slowdown``) adds busy CPU work after each
    batch, proportional to that batch's own time, in the measured path.
    """

    def __init__(self, compiled: Any, batches: np.ndarray, inject: float = 0.0) -> None:
        self.batches = batches
        self.request = compiled.create_infer_request()
        self.latencies_ms: list[float] = []
        self.extra = injected_factor(inject)

    def first_inference_ms(self) -> float:
        started = time.perf_counter()
        self.request.infer(self.batches[0], share_inputs=True, share_outputs=True)
        return (time.perf_counter() - started) * 1e3

    def run_round(self) -> None:
        request, latencies, extra = self.request, self.latencies_ms, self.extra
        for batch in self.batches:
            started = time.perf_counter()
            request.infer(batch, share_inputs=True, share_outputs=True)
            latencies.append(request.latency)
            if extra:
                burn((time.perf_counter() - started) * extra)

    def close(self) -> None:
        let_openvino_threads_settle()
        self.request = None


class AsyncRunner:
    """An AsyncInferQueue of ``nireq`` requests with a callback each: the guide's throughput mode.

    Requests overlap, so a frame has no time of its own here; ``inject`` adds busy
    CPU work after ``wait_all``, proportional to the round's time.
    """

    def __init__(self, compiled: Any, batches: np.ndarray, nireq: int, inject: float = 0.0) -> None:
        import openvino as ov

        self.batches = batches
        self.extra = injected_factor(inject)
        self.latencies_ms: list[float] = []
        self.queue = ov.AsyncInferQueue(compiled, nireq)
        latencies = self.latencies_ms
        self.queue.set_callback(lambda request, _userdata: latencies.append(request.latency))

    def first_inference_ms(self) -> float:
        started = time.perf_counter()
        self.queue.start_async(self.batches[0], share_inputs=True)
        self.queue.wait_all()
        elapsed = (time.perf_counter() - started) * 1e3
        self.latencies_ms.clear()
        return elapsed

    def run_round(self) -> None:
        queue = self.queue
        started = time.perf_counter()
        for batch in self.batches:
            queue.start_async(batch, share_inputs=True)
        queue.wait_all()
        if self.extra:
            burn((time.perf_counter() - started) * self.extra)

    def close(self) -> None:
        if self.queue is None:
            return
        self.queue.wait_all()
        let_openvino_threads_settle()
        self.queue = None
        let_openvino_threads_settle()


class TorchRunner:
    """The PyTorch reference row: the same frames through the eager model, without autograd."""

    def __init__(self, module: Any, batches: np.ndarray) -> None:
        import torch

        self.module = module
        self.batches = [torch.from_numpy(b) for b in batches]
        self.latencies_ms: list[float] = []

    def _infer(self, batch: Any) -> None:
        import torch

        with torch.no_grad():
            self.module(batch)

    def first_inference_ms(self) -> float:
        started = time.perf_counter()
        self._infer(self.batches[0])
        return (time.perf_counter() - started) * 1e3

    def run_round(self) -> None:
        for batch in self.batches:
            started = time.perf_counter()
            self._infer(batch)
            self.latencies_ms.append((time.perf_counter() - started) * 1e3)

    def close(self) -> None:
        self.module = None


def fps_samples(frames: int, round_seconds: Sequence[float]) -> list[float]:
    """Frames per second of each round."""
    return [frames / s for s in round_seconds if s > 0]


def latency_percentiles(latencies_ms: Sequence[float]) -> dict[str, float]:
    """p50/p90/p99 of per-request latency, in milliseconds (empty when nothing was recorded)."""
    if not len(latencies_ms):
        return {}
    p50, p90, p99 = np.percentile(np.asarray(latencies_ms, dtype=float), [50, 90, 99])
    return {"p50_ms": float(p50), "p90_ms": float(p90), "p99_ms": float(p99)}


class InferError(RuntimeError):
    """OpenVINO failed while inferring; the message is OpenVINO's, trimmed."""


def infer_outputs(compiled: Any, batch: np.ndarray, mode: str, nireq: int) -> np.ndarray:
    """The first output of one batch (b x 84 x anchors), run the way the cell runs:
    one infer request for sync, the AsyncInferQueue for async. Outside any timing."""
    try:
        return _infer_outputs(compiled, batch, mode, nireq)
    except RuntimeError as exc:
        raise InferError(f"inference failed: {openvino_message(exc)}") from None


def _infer_outputs(compiled: Any, batch: np.ndarray, mode: str, nireq: int) -> np.ndarray:
    import openvino as ov

    if mode != "async":
        request = compiled.create_infer_request()
        request.infer(batch)
        out = request.get_output_tensor(0).data.copy()
        let_openvino_threads_settle()
        return out
    got: list[np.ndarray] = []
    queue = ov.AsyncInferQueue(compiled, nireq)
    queue.set_callback(lambda request, _userdata: got.append(request.get_output_tensor(0).data.copy()))
    queue.start_async(batch)
    queue.wait_all()
    let_openvino_threads_settle()
    del queue
    let_openvino_threads_settle()
    return got[0]


class PeakRSS:
    """The process's peak resident memory (MiB) while the ``with`` block runs.

    On Linux the kernel keeps the peak itself (``VmHWM`` in /proc/self/status), and
    writing ``5`` to /proc/self/clear_refs resets it, so one cell's peak costs nothing
    while the cell runs. A sampling thread would not: at 200 samples a second it
    competed with the requests' callbacks for the GIL and slowed b1 async cells
    visibly against benchmark_app. Where the reset is not allowed (not Linux), the figure
    is the process-lifetime peak (``ru_maxrss``) instead, which only grows from cell to cell.
    """

    def __init__(self) -> None:
        self.peak_mib = 0.0
        self._reset = False

    def __enter__(self) -> "PeakRSS":
        try:
            with open("/proc/self/clear_refs", "w") as fh:
                fh.write("5")
            self._reset = True
        except OSError:
            pass
        return self

    def __exit__(self, *exc: Any) -> None:
        self.peak_mib = _high_water_mib() if self._reset else _max_rss_mib()


def _high_water_mib() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    return _max_rss_mib()


def _max_rss_mib() -> float:
    import resource
    import sys

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024  # bytes on macOS, kB elsewhere


def time_in_process(runner: Any, frames: int, rounds: int, warmup_rounds: int = 0) -> dict:
    """Time ``rounds`` rounds of a runner in this process (the PyTorch row): its FPS per round
    and latency percentiles, as one process's record. The first inference and any warm-up
    rounds are outside the timing."""
    first_ms = runner.first_inference_ms()
    for _ in range(warmup_rounds):
        runner.run_round()
    runner.latencies_ms.clear()
    seconds = []
    for _ in range(rounds):
        started = time.perf_counter()
        runner.run_round()
        seconds.append(time.perf_counter() - started)
    runner.close()
    fps_rounds = fps_samples(frames, seconds)
    return {
        "fps": float(np.median(fps_rounds)), "fps_rounds": fps_rounds, "fps_processes": [fps_rounds],
        "round_seconds": [seconds], "processes": 1, "frames": frames, "rounds": len(fps_rounds),
        "first_infer_ms": first_ms, **latency_percentiles(runner.latencies_ms),
    }
