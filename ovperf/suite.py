"""What one run of the suite holds from start to end: the pytest side keeps it under one key.

pytest-benchmark keeps its ``BenchmarkSession`` the same way. Fixtures add to it as cells
are measured; the closing hooks read it to judge, save, record and report.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

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
