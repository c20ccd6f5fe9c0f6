"""A measuring process: one fresh process per sample of a cell, on this or another OpenVINO.

Every measured OpenVINO cell is sampled in several of these processes, because
rounds of one process share its state (thread placement, memory layout) and are
not independent samples. The pytest process coordinates them through
:mod:`ovperf.client`; for an interleaved A/B run the B side is the same module
on another environment's Python, so both sides of any comparison run this code.

Started as ``PYTHON -m ovperf.worker``, it reads one JSON request per line on
stdin and answers one JSON line on stdout; everything else it or OpenVINO prints
goes to stderr. It needs only openvino, numpy and this package (no pytest, scipy,
torch), so any tox env of a release can run it.

Requests (``op``): ``hello`` (versions), ``load`` (convert the ONNX with this
release, cached; load the frames the pytest process saved), ``compile`` (one
cell; ``inject`` adds a known slowdown), ``first`` (first inference), ``round``
(all frames once, timed here, with the CPU accounting of the round and, unless
``kernels`` is false, the machine's speed around it, by the numpy kernel and by
the units kernel),
``finish`` (latency percentiles and peak memory of the rounds), ``release``,
``quit``. An answer is ``{"ok": true, ...}`` or ``{"ok": false, "error": "one line"}``.
"""
from __future__ import annotations

import json
import os
import platform
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ovperf import defaults


class Worker:
    def __init__(self) -> None:
        import openvino as ov

        self.ov = ov
        self.core = ov.Core()
        self.ir_xml: str | None = None
        self.frames = None
        self.imgsz = defaults.IMAGE_SIZE
        self.models: dict[int, Any] = {}
        self.compiled = None
        self.runner = None
        self.run_memory = None
        self.units = None  # ovperf.noise.UnitsKernel, built at hello; False where it cannot be

    def hello(self) -> dict:
        import numpy

        from ovperf.noise import UnitsKernel, speed_kernel

        if self.units is None:
            try:
                self.units = UnitsKernel(self.core)
            except Exception as exc:  # an OpenVINO that cannot build it: the numpy kernel alone
                print(f"ovperf.worker: no units kernel: {exc}".splitlines()[0], file=sys.stderr)
                self.units = False
        return {
            "openvino": self.ov.get_version(),
            "python": platform.python_version(),
            "numpy": numpy.__version__,
            "speed_kernel": speed_kernel(),
            "units_kernel": self.units.name if self.units else "",
            "executable": sys.executable,
            "pid": os.getpid(),
        }

    def load(self, onnx: str, cache_dir: str, compress_to_fp16: bool, frames_npy: str, imgsz: int) -> dict:
        import numpy as np

        from ovperf.model import convert_ir

        entry = convert_ir(Path(onnx), Path(cache_dir), compress_to_fp16=compress_to_fp16)
        self.ir_xml = str(entry.path / "model.xml")
        self.frames = np.load(frames_npy)
        self.imgsz = imgsz
        self.models.clear()
        return {"ir_key": entry.key, "converted": entry.built, "frames": int(len(self.frames))}

    def compile(self, cell: dict, extra: dict, inject: float = 0.0) -> dict:
        from ovperf import frames as fr
        from ovperf.matrix import Cell
        from ovperf.runner import AsyncRunner, PeakRSS, SyncRunner, compile_cell, read_for_batch, resolve_compiled

        self.release()
        spec = Cell(**cell)
        with PeakRSS() as memory:
            model = self.models.get(spec.batch)
            if model is None:
                model = self.models[spec.batch] = read_for_batch(self.core, self.ir_xml, spec.batch, self.imgsz)
            self.compiled, compile_ms = compile_cell(self.core, model, spec, extra)
        resolved = resolve_compiled(self.core, self.compiled)
        batches = fr.batched(self.frames, spec.batch)
        if spec.mode == "async":
            self.runner = AsyncRunner(self.compiled, batches, resolved.nireq, inject=inject)
        else:
            self.runner = SyncRunner(self.compiled, batches, inject=inject)
        return {"compile_ms": compile_ms, "resolved": asdict(resolved), "peak_rss_compile_mib": memory.peak_mib}

    def first(self) -> dict:
        from ovperf.runner import PeakRSS

        self.run_memory = PeakRSS().__enter__()  # the peak from here to ``finish``: the rounds
        return {"first_infer_ms": self.runner.first_inference_ms()}

    def round(self, measured: bool = True, kernels: bool = True) -> dict:
        from ovperf.noise import RoundClock, bracketed_speed, machine_speed

        if not measured:
            self.runner.run_round()
            self.runner.latencies_ms.clear()
            return {}
        if not kernels:  # the round alone, without the machine's speed around it
            with RoundClock() as clock:
                self.runner.run_round()
            return clock.as_dict()
        units = self.units or None
        before = machine_speed()
        units_before = units.speed() if units else 0.0
        with RoundClock() as clock:
            self.runner.run_round()
        answer = clock.as_dict()
        if units:
            answer["speed_units"] = bracketed_speed(units_before, units.speed())
        return {**answer, "speed": bracketed_speed(before, machine_speed())}

    def finish(self) -> dict:
        from ovperf.runner import latency_percentiles

        peak = 0.0
        if self.run_memory is not None:
            self.run_memory.__exit__(None, None, None)
            peak = self.run_memory.peak_mib
        return {"latency": latency_percentiles(self.runner.latencies_ms), "peak_rss_run_mib": peak}

    def release(self) -> dict:
        from ovperf.runner import let_openvino_threads_settle

        if self.runner is not None:
            self.runner.close()
            self.runner = None
        if self.compiled is not None:
            let_openvino_threads_settle()
            self.compiled = None
        return {}


def serve(requests: Any, answers: Any) -> None:
    from ovperf.runner import openvino_message

    worker = Worker()
    for line in requests:
        request = json.loads(line)
        op = request.pop("op")
        if op == "quit":
            worker.release()
            answers.write(json.dumps({"ok": True}) + "\n")
            answers.flush()
            return
        try:
            answer = {"ok": True, **getattr(worker, op)(**request)}
        except Exception as exc:  # every failure goes back to the coordinator as one line
            message = openvino_message(exc) if isinstance(exc, RuntimeError) else str(exc)
            answer = {"ok": False, "error": f"{type(exc).__name__}: {message}"}
        answers.write(json.dumps(answer) + "\n")
        answers.flush()


def main() -> None:
    # Keep the protocol channel private: anything printed by OpenVINO or Python goes to stderr.
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "w")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    from ovperf.offline import decline_openvino_telemetry

    decline_openvino_telemetry()
    serve(sys.stdin, answers)


if __name__ == "__main__":
    main()
