"""The configuration matrix: one place that turns option values into cells.

Baselines are keyed by test id, so :meth:`Cell.id` must never change meaning:
``CPU-THROUGHPUT-b4-async`` always means that device, hint, batch and mode, and
a pinned inference precision adds a suffix (``-f32``) only when it is pinned.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Iterable, Sequence

HINTS = ("none", "LATENCY", "THROUGHPUT", "CUMULATIVE_THROUGHPUT")
MODES = ("sync", "async")
PRECISIONS = ("default", "f32", "bf16", "f16")
#: Virtual devices that schedule over one or more physical devices.
VIRTUAL_DEVICES = ("AUTO", "MULTI", "HETERO", "BATCH")


@dataclass(frozen=True)
class Cell:
    """One OpenVINO configuration of the matrix."""

    device: str
    hint: str
    batch: int
    mode: str
    precision: str = "default"

    @property
    def id(self) -> str:
        parts = [self.device, self.hint, f"b{self.batch}", self.mode]
        if self.precision != "default":
            parts.append(self.precision)
        return "-".join(parts)

    def __str__(self) -> str:
        # pytest-benchmark's JSON carries test params; a cell is written as its id.
        return self.id

    @property
    def device_family(self) -> str:
        """``GPU.1`` -> ``GPU``, ``MULTI:CPU,GPU`` -> ``MULTI``."""
        return self.device.split(":", 1)[0].split(".", 1)[0]

    def compile_config(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        """Properties for ``Core.compile_model``: the hint, the pinned precision, then ``extra``."""
        config: dict[str, str] = {}
        if self.hint != "none":
            config["PERFORMANCE_HINT"] = self.hint
        if self.precision != "default":
            config["INFERENCE_PRECISION_HINT"] = self.precision
        config.update(extra or {})
        return config


def why_meaningless(cell: Cell) -> str | None:
    """The reason a combination makes no sense, or None when it does.

    OpenVINO 2026.4 accepts CUMULATIVE_THROUGHPUT on a plain CPU and runs it as
    THROUGHPUT, which would only duplicate that row; the hint exists to spread
    requests over several devices, so it is kept for the virtual devices.
    """
    if cell.hint == "CUMULATIVE_THROUGHPUT" and cell.device_family not in VIRTUAL_DEVICES:
        return (
            f"CUMULATIVE_THROUGHPUT spreads requests over several devices; it applies to "
            f"AUTO/MULTI, not to {cell.device} (use MULTI:{cell.device} to force it)"
        )
    return None


def build_matrix(
    devices: Sequence[str],
    hints: Sequence[str],
    batches: Sequence[int],
    modes: Sequence[str],
    precisions: Sequence[str] = ("default",),
) -> list[Cell]:
    """Every combination, in a stable order; meaningless ones stay in and skip with a reason."""
    cells = [
        Cell(device, hint, batch, mode, precision)
        for device, hint, batch, mode, precision in itertools.product(
            devices, hints, batches, modes, precisions
        )
    ]
    duplicates = _duplicates(cell.id for cell in cells)
    if duplicates:
        raise ValueError(f"duplicate matrix ids: {', '.join(duplicates)}")
    return cells


def _duplicates(ids: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    dup: list[str] = []
    for i in ids:
        if i in seen and i not in dup:
            dup.append(i)
        seen.add(i)
    return dup


def why_unavailable(cell: Cell, available: Sequence[str]) -> str | None:
    """Why this machine cannot run ``cell``'s device, or None when it can.

    ``GPU`` matches ``GPU`` or any ``GPU.N``; ``GPU.1`` must match exactly; a
    virtual device needs each device it lists; bare AUTO picks from what there is.
    """
    device = cell.device
    family, sep, targets = device.partition(":")
    wanted = targets.split(",") if sep else ([] if family in VIRTUAL_DEVICES else [device])
    for target in wanted:
        present = target in available or ("." not in target and any(a.split(".", 1)[0] == target for a in available))
        if not present:
            return f"{target} not in available devices {list(available)}"
    return None
