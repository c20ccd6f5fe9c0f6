"""What one run of the suite holds from start to end: the pytest side keeps it under one key.

pytest-benchmark keeps its ``BenchmarkSession`` the same way. Fixtures add to it as cells
are measured; the closing hooks read it to judge, save, record and report.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Sequence

if TYPE_CHECKING:  # the types only; importing them would start OpenVINO and SQLAlchemy
    from openvino import Core

    from ovperf.baseline import SaveLock
    from ovperf.history import Store
    from ovperf.settings import Settings
    from ovperf.verdicts import CellVerdict


@dataclass
class SuiteRun:
    #: The options, checked; None until they are (a usage error stops the run before).
    settings: Settings | None = None
    core: Core | None = None
    #: This run's machine and software (``ovperf.baseline.machine_fingerprint``).
    fingerprint: dict | None = None
    #: extra_info of every measured configuration, for the closing table.
    results: list[dict] = field(default_factory=list)
    #: pytest-benchmark's stats objects of this run, for its JSON and for a saved baseline.
    benches: list[Any] = field(default_factory=list)
    #: Every compared cell's verdict; the missing ones are added at the end.
    verdicts: list[CellVerdict] = field(default_factory=list)
    #: Lines for the end of the terminal summary.
    notices: list[str] = field(default_factory=list)
    #: Cell id -> its output check against the PyTorch reference, with a fingerprint.
    outputs: dict[str, dict] = field(default_factory=dict)
    #: The lock on the baseline this run saves, held to the end.
    save_lock: SaveLock | None = None
    #: Names of the OpenVINO cells the matrix planned, before any deselection.
    planned: list[str] = field(default_factory=list)
    #: The planned cells a narrowed save leaves out (``--ov-save-baseline-subset``).
    left_out: list[str] = field(default_factory=list)
    #: The B side's ``hello`` (OpenVINO and Python versions) in an A/B run.
    ab_info: dict | None = None
    #: The history this run is recorded in (``--ov-history`` / ``OVPERF_HISTORY``), opened at start.
    history: Store | None = None

    def json_section(self, benches: Sequence[Any]) -> dict:
        """The ``ovperf`` section of this run's JSON (``--benchmark-json``, autosave, baselines).

        ``benches`` are pytest-benchmark's stats objects (``.name``, ``.extra_info``).
        """
        from ovperf.baseline import SCHEMA_VERSION

        settings = self.settings
        # The PyTorch rows carry no IR; take the model identity from an OpenVINO cell.
        first = next((b.extra_info for b in benches if b.extra_info.get("model_key")), {})
        section = {
            "schema": SCHEMA_VERSION,
            "fingerprint": self.fingerprint,
            "model": {key: first.get(key) for key in ("model_key", "onnx_sha256", "ir_precision")},
            "frames": settings.frames,
            "rounds": settings.rounds,
            "processes": settings.processes,
            "workload": {
                "frames": settings.frames, "onnx_sha256": first.get("onnx_sha256"),
                "ir_precision": settings.ir_precision, "image_sha256": first.get("image_sha256"),
                "ov_config": settings.compile_extra,
            },
            "precisions": {b.name: b.extra_info.get("inference_precision") for b in benches},
            # Each configuration's output check against PyTorch and a fingerprint of its outputs,
            # so a later release whose outputs move is reported beside its throughput verdict.
            "outputs": self.outputs,
        }
        if self.left_out:
            section["subset"] = {"left_out": self.left_out, "planned": len(self.planned)}
        return section

    @property
    def kind(self) -> str:
        """What the run did, as the history records it: ab, baseline, compare or run."""
        s = self.settings
        return "ab" if s.ab_python else "baseline" if s.save_baseline else "compare" if s.baseline is not None else "run"

    def history_options(self) -> dict:
        """The options that shape the matrix and the workload, as the history records them."""
        s = self.settings
        return {"frames": s.frames, "rounds": s.rounds, "processes": s.processes,
                "devices": list(s.devices), "hints": list(s.hints), "batches": list(s.batches),
                "modes": list(s.modes), "precisions": list(s.precisions),
                "ov_config": dict(s.compile_extra), "ir_precision": s.ir_precision,
                # An injected run is kept, marked, so a history can measure its own power; detect names it.
                "inject_slowdown": s.inject_slowdown}

    def with_verdicts(self, data: dict) -> dict:
        """``data`` (this run's JSON) with each judged cell's verdict in its ``extra_info``."""
        verdicts = {v.id: v.verdict for v in self.verdicts}
        for bench in data["benchmarks"]:
            if bench["name"] in verdicts:
                bench["extra_info"].setdefault("verdict", verdicts[bench["name"]])
        return data
