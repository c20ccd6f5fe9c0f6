"""Baseline files: pytest-benchmark's JSON layout, plus an ``ovperf`` section.

A baseline is pytest-benchmark's own output (``machine_info``, ``commit_info``,
``benchmarks[]`` with ``name``, ``fullname``, ``params``, ``stats``,
``extra_info``), so ``pytest-benchmark compare`` reads it. Every cell's
``extra_info`` keeps its per-round FPS (``fps_rounds``) and resolved inference
precision; the ``ovperf`` section holds the schema version, the machine
fingerprint, the model identity and the frame count. See baselines/README.md.
"""
from __future__ import annotations

import json
import os
import platform
import re
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from ovperf.defaults import RUN_STATISTIC

if TYPE_CHECKING:
    from ovperf.noise import MachineLevel
    from ovperf.stats import DriftParts, RunDrift

#: 2: rounds grouped by process and by run (``fps_runs``: runs -> processes -> rounds), and
#: the workload (frames, model, photo, IR precision, compile config) in ``ovperf.workload``.
SCHEMA_VERSION = 2
#: Fingerprint fields that must match for a comparison to mean anything.
#: The test names of the OpenVINO cells, the matrix a whole-matrix verdict is about (not the PyTorch row).
MATRIX_PREFIX = "test_openvino["
MACHINE_FIELDS = ("cpu_model", "logical_cores", "os", "arch", "devices")


class BaselineError(ValueError):
    """A baseline cannot be found, read, or written; the message names the file."""


@dataclass(frozen=True)
class Baseline:
    path: Path
    data: dict
    #: extra_info of every cell, by test name (``test_openvino[CPU-THROUGHPUT-b1-async]``).
    cells: dict
    #: What one of its runs of a cell counts as in the drift between runs (``ovperf.stats.run_value``).
    statistic: str = RUN_STATISTIC

    #: Where this copy's FPS reads at its runs' mean machine speed (:meth:`at_machine_level`).
    machine_level: "MachineLevel | None" = None

    @property
    def name(self) -> str:
        return self.path.stem

    @cached_property
    def units_level(self) -> "MachineLevel | None":
        """How fast the machine ran in each of this baseline's runs by the units kernel, and how
        far its processes' FPS followed it (:class:`ovperf.noise.MachineLevel`), or None unless
        every OpenVINO cell recorded it for every process of every run, under one kernel name."""
        from ovperf.noise import MachineLevel

        cells = [info for name, info in self.cells.items() if name.startswith(MATRIX_PREFIX)]
        kernels = {info.get("units_speed_kernel") for info in cells}
        if len(kernels) != 1 or any(len(info.get("units_speed_runs") or []) != len(cell_runs(info)) for info in cells):
            return None
        return MachineLevel.of_runs(str(kernels.pop()), [info["units_speed_runs"] for info in cells],
                                    [cell_runs(info) for info in cells])

    def at_machine_level(self, level: "MachineLevel") -> "Baseline":
        """A copy whose every OpenVINO cell's FPS, run by run, reads at the runs' mean machine
        speed (:meth:`ovperf.noise.MachineLevel.factor`); its drift between runs is then what the
        machine's speed does not explain. Only the copy's ``fps_runs`` change: the file, the
        kernels' speeds and every other field stay as measured."""
        factors = [level.factor(r) for r in level.runs]
        cells = {}
        for name, info in self.cells.items():
            runs = cell_runs(info)
            if name.startswith(MATRIX_PREFIX) and len(runs) == len(factors):
                info = {**info, "fps_runs": [[[x * f for x in p] for p in run] for run, f in zip(runs, factors)]}
            cells[name] = info
        return replace(self, cells=cells, machine_level=level)

    def usual_speeds(self, prefix: str) -> list[float] | None:
        """Each run's usual machine speed by the kernel ``prefix`` names (``""`` numpy's,
        ``"units_"`` the units kernel's): the ``USUAL_QUANTILE``-th percentile of the medians of
        every OpenVINO cell's processes in that run, as a session's own usual speed is taken
        (:class:`ovperf.noise.UsualSpeed`); None unless every such cell recorded them for every
        process of every run, under one kernel name."""
        import numpy as np

        from ovperf.noise import USUAL_QUANTILE

        cells = [info for name, info in self.cells.items() if name.startswith(MATRIX_PREFIX)]
        if not cells or len({info.get(f"{prefix}speed_kernel") for info in cells} - {None, ""}) != 1:
            return None
        by_run: list[list[float]] = []
        for info in cells:
            speeds = _speed_runs(info, prefix)
            if speeds is None:
                return None
            if by_run and len(by_run) != len(speeds):
                return None
            by_run = by_run or [[] for _ in speeds]
            for values, run in zip(by_run, speeds):
                values.extend(float(np.median(p)) for p in run if p)
        if not by_run or any(not values or min(values) <= 0 for values in by_run):
            return None
        return [float(np.percentile(values, USUAL_QUANTILE)) for values in by_run]

    @cached_property
    def drift(self) -> "RunDrift | None":
        """How much this machine's runs drift, pooled over the cells (None with one run)."""
        from ovperf.stats import run_drift

        return run_drift((cell_runs(info) for info in self.cells.values()), self.statistic)

    @cached_property
    def drift_parts(self) -> "DriftParts | None":
        """The drift between this baseline's runs split into its common and per-cell parts
        (:func:`ovperf.stats.drift_parts`; None with one run)."""
        from ovperf.stats import drift_parts, run_value

        runs: dict[int, dict[str, float]] = {}
        for name, info in self.cells.items():
            if name.startswith(MATRIX_PREFIX):
                for k, run in enumerate(cell_runs(info)):
                    if any(run):
                        runs.setdefault(k, {})[name] = run_value(run, self.statistic)
        return drift_parts([list(runs.values())], self.statistic)

    def span_note(self) -> str | None:
        """What a baseline of several runs, all saved close together, cannot know: the
        drift between its runs is that of the time they span, and a machine that changed
        since (hours later, another session or host) moves every cell beyond it. None when
        the runs span a day or more, or their times are not recorded."""
        times = [_parse_time(t) for t in run_times(self.data)]
        if len(times) < 2 or None in times:
            return None
        span = max(times) - min(times)
        if span.total_seconds() >= 86400:
            return None
        return (f"the baseline's {len(times)} runs were saved within {_duration(span.total_seconds())} "
                f"({min(times):%Y-%m-%d %H:%M} to {max(times):%H:%M}): the drift in its intervals is that of "
                "so short a time, and a machine that changed since can read as a change in every cell; "
                "append runs saved on other days (--ov-save-baseline-append)")

    @property
    def fingerprint(self) -> dict:
        return self.data["ovperf"]["fingerprint"]

    @property
    def workload(self) -> dict:
        """What was measured; a schema-1 file has the frame count and the model only."""
        section = self.data["ovperf"]
        if isinstance(section.get("workload"), dict):
            return section["workload"]
        model = section.get("model") or {}
        return {"frames": section.get("frames"), "onnx_sha256": model.get("onnx_sha256"),
                "ir_precision": model.get("ir_precision")}


def at_machine_speed(baseline: Baseline, openvino_version: str) -> Baseline:
    """``baseline`` as a comparison of this OpenVINO build judges it: at its runs' mean machine
    speed (:meth:`Baseline.at_machine_level`) where every run measured this build's units kernel,
    else as it is (one run, no units kernel, or another build's, which an OpenVINO change moves)."""
    from ovperf.noise import UNITS_NAME_PREFIX

    level = baseline.units_level
    if level is None or not level.kernel.startswith(f"{UNITS_NAME_PREFIX}{openvino_version} "):
        return baseline
    return baseline.at_machine_level(level)


def default_name(openvino_version: str) -> str:
    """``2026.4.1-22982-e213a14...`` -> ``openvino-2026.4.1``."""
    return f"openvino-{short_version(openvino_version)}"


def short_version(openvino_version: str) -> str:
    return openvino_version.split("-", 1)[0]


def machine_fingerprint(machine: Mapping[str, Any], openvino_version: str) -> dict:
    """The stable facts a baseline is tied to; no clock speeds or host names.

    ``machine`` must match for a comparison; ``software`` is what a comparison
    across releases is about, so it is recorded and reported, not enforced.
    """
    return {
        "machine": {
            "cpu_model": machine["cpu_model"],
            "logical_cores": machine["logical_cores"],
            "os": platform.system(),
            "arch": platform.machine(),
            "devices": dict(machine["openvino_devices"]),
        },
        "software": {
            "python": platform.python_version(),
            "openvino": openvino_version,
            "torch": machine.get("torch_version"),
        },
    }


def machine_differences(saved: Mapping[str, Any], current: Mapping[str, Any]) -> list[str]:
    """What differs between two fingerprints' machine parts, as ``field: saved != current``."""
    a, b = saved.get("machine", {}), current.get("machine", {})
    return [f"{f}: {a.get(f)!r} != {b.get(f)!r}" for f in MACHINE_FIELDS if a.get(f) != b.get(f)]


def resolve_ref(ref: str, directory: Path) -> Path:
    """A baseline name, an OpenVINO version, a path, or ``latest`` -> the file."""
    directory = Path(directory)
    if ref == "latest":
        saved = [p for p in directory.glob("*.json") if _is_ours(p)]
        if not saved:
            raise BaselineError(f"--ov-baseline latest: no saved baseline in {directory}")
        return max(saved, key=lambda p: (str(json.loads(p.read_text()).get("datetime", "")), p.name))
    candidates = [Path(ref).expanduser(), directory / ref, directory / f"{ref}.json"]
    if re.fullmatch(r"\d{4}\.\d+(\.\d+)?", ref):
        candidates.append(directory / f"{default_name(ref)}.json")
    for path in candidates:
        if path.is_file():
            return path
    saved = sorted(p.stem for p in directory.glob("*.json"))
    raise BaselineError(
        f"--ov-baseline {ref}: no such baseline file (looked for {', '.join(map(str, candidates))}; "
        f"saved: {', '.join(saved) or 'none'})"
    )


def _is_ours(path: Path) -> bool:
    """A JSON object with an ``ovperf`` section; anything else in the folder is not a baseline."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # UnicodeDecodeError is a ValueError
        return False
    return isinstance(data, dict) and isinstance(data.get("ovperf"), dict)


def load(path: Path) -> Baseline:
    """Read and check a baseline against :mod:`ovperf.schema`; any defect is a
    :class:`BaselineError` naming the file and the field."""
    from ovperf.schema import first_problem, parse

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise BaselineError(f"cannot read baseline {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise BaselineError(f"baseline {path} is not a text file; a baseline is the JSON --ov-save-baseline writes") from None
    try:
        data = parse(text)
    except ValueError as exc:
        raise BaselineError(f"baseline {path} is not valid JSON (truncated?): {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("benchmarks"), list):
        raise BaselineError(f"baseline {path} has no 'benchmarks' list; is it a pytest-benchmark file?")
    section = data.get("ovperf")
    if not isinstance(section, dict) or not isinstance(section.get("schema"), int):
        raise BaselineError(f"baseline {path} has no 'ovperf' section; save one with --ov-save-baseline")
    if section["schema"] > SCHEMA_VERSION:
        raise BaselineError(
            f"baseline {path} uses schema {section['schema']}; this ovperf reads up to {SCHEMA_VERSION}"
        )
    problem = first_problem(data)
    if problem is not None:
        raise BaselineError(f"baseline {path}: {problem}")
    cells = {}
    for bench in data["benchmarks"]:
        if bench["name"] in cells:
            raise BaselineError(f"baseline {path}: cell {bench['name']} appears twice")
        cells[bench["name"]] = bench["extra_info"]
    return Baseline(path=path, data=data, cells=cells)


def write_new(path: Path, data: Mapping[str, Any], force: bool = False) -> None:
    """Write ``data`` atomically; never replace an existing file unless ``force``.

    The JSON goes to a temporary file in the same folder first. Without force it
    is then hard-linked into place, which fails if the name exists, so even two
    runs racing for one name cannot overwrite each other.
    """
    from ovperf.atomic import ExistsError, write_atomic

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, indent=2, default=str) + "\n"  # as pytest-benchmark's safe_dumps
    try:
        write_atomic(path, text, replace=force)
    except ExistsError:
        raise BaselineError(f"baseline {path} exists; pass --ov-save-baseline-force to replace it") from None


def left_out(planned: Sequence[str], selected: Sequence[str]) -> list[str]:
    """The planned cells a narrowed run does not select, in the matrix's order."""
    chosen = set(selected)
    return [name for name in planned if name not in chosen]


def cell_runs(info: Mapping[str, Any]) -> list[list[list[float]]]:
    """A baseline cell's FPS as runs -> processes -> rounds.

    Schema 2 keeps them so in ``fps_runs``. A schema-1 file has no processes: each of its
    runs (``fps_runs`` as runs -> rounds, or only ``fps_rounds``) was one process.
    """
    runs = info.get("fps_runs")
    if runs and isinstance(runs[0], list) and runs[0] and isinstance(runs[0][0], list):
        return [[list(p) for p in run] for run in runs]
    if runs:
        return [[list(run)] for run in runs]
    return [[list(info["fps_rounds"])]] if info.get("fps_rounds") else []


def at_usual_speed(info: Mapping[str, Any], usual_speeds: Sequence[float], margin: float,
                   prefix: str) -> list[list[float]]:
    """A baseline cell's processes over all its runs, as :func:`cell_runs` orders them, with
    those that did not run at their run's usual speed left without rounds: their median speed
    by the kernel ``prefix`` names fell more than ``margin`` below ``usual_speeds`` of their
    run (:meth:`Baseline.usual_speeds`). A run none of whose processes ran at it keeps them
    all, and where the speeds were not recorded so, every process counts.
    ``ovperf.stats.compare`` counts the processes with rounds only.

    A regression's confirming look counts only its new processes that ran at the session's
    usual speed; this holds the baseline's to the same rule, run by run. Counted whole, the
    baseline keeps the processes that met a slow moment of its runs, and the confirmation's
    chosen processes read a slowdown smaller: on the Intel Xeon without AMX they read higher
    than all of a confirmation's new processes in 14 of 22 cells with 10% injected. A small
    bias: re-judged over every campaign's confirmations on record, holding the baseline so
    read 3 more injected cells ``regressed`` and 1 fewer, of 283, and changed none of 82 A/A ones
    (``report/data/xeon-bf16/confirm.py``; README, "the baseline held to the confirmation's rule")."""
    import numpy as np

    runs, speeds = cell_runs(info), _speed_runs(info, prefix)
    if speeds is None or len(runs) != len(usual_speeds):
        return [p for run in runs for p in run]  # not measured so: every process counts
    chosen: list[list[float]] = []
    for run, run_speeds, usual in zip(runs, speeds, usual_speeds):
        fast = [float(np.median(v)) >= (1 - margin) * usual for v in run_speeds]
        chosen.extend(p if keep or not any(fast) else [] for p, keep in zip(run, fast))
    return chosen


def _speed_runs(info: Mapping[str, Any], prefix: str) -> list | None:
    """A baseline cell's speeds by the kernel ``prefix`` names (``{prefix}speed_runs``), or None
    unless they hold one speed for every round of every process of every run (:func:`cell_runs`)."""
    speeds = info.get(f"{prefix}speed_runs") or []
    shape = [[len(p) for p in run] for run in cell_runs(info)]
    return speeds if shape == [[len(p) for p in run] for run in speeds] else None


def run_times(data: Mapping[str, Any]) -> list[str]:
    """When each run of a baseline was saved (pytest-benchmark's ``datetime`` of each), oldest
    first; [] unless every run's time is recorded (files saved before ``run_times`` existed)."""
    section = data.get("ovperf") or {}
    runs = section.get("runs", 1)
    times = section.get("run_times")
    if times is None and runs == 1 and data.get("datetime"):
        times = [data["datetime"]]
    return [str(t) for t in times] if times and len(times) == runs else []


def _parse_time(stamp: str):
    from datetime import datetime, timezone

    try:
        parsed = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _duration(seconds: float) -> str:
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))} min"
    return f"{seconds / 3600:.1f} h"


def merge_runs(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict:
    """``new`` with each cell's processes added to ``old``'s, run by run.

    Each cell keeps ``fps_runs`` (runs -> processes -> rounds), so later statistics can
    take the process, or the run, as their unit; ``fps_rounds`` is every round and
    ``fps`` the median of per-process medians. Cells, outputs and precisions that only
    the old file has are kept: appending a ``-k`` subset drops nothing.
    """
    import statistics

    old_cells = {b["name"]: b for b in old["benchmarks"]}
    merged = []
    for bench in new["benchmarks"]:
        bench = dict(bench)
        info = dict(bench["extra_info"])
        this_run = [list(p) for p in info.get("fps_processes") or [info["fps_rounds"]]]
        previous = old_cells.pop(bench["name"], None)
        runs = (cell_runs(previous["extra_info"]) if previous is not None else []) + [this_run]
        info["fps_runs"] = runs
        # The machine's speed per round is kept only while every run has it, so that it
        # stays parallel to fps_runs (runs -> processes -> rounds).
        # So for each kernel: the numpy one (speed_*) and the units one (units_speed_*).
        old_info = previous["extra_info"] if previous is not None else {}
        for prefix in ("", "units_"):
            speed_runs = old_info.get(f"{prefix}speed_runs") if previous is not None else []
            same_kernel = previous is None or old_info.get(f"{prefix}speed_kernel") == info.get(f"{prefix}speed_kernel")
            if speed_runs is not None and same_kernel and info.get(f"{prefix}speed_processes"):
                info[f"{prefix}speed_runs"] = list(speed_runs) + [info[f"{prefix}speed_processes"]]
                info[f"{prefix}speed_processes"] = [p for run in info[f"{prefix}speed_runs"] for p in run]
            else:
                for key in ("speed_runs", "speed_processes", "speed_kernel"):
                    info.pop(f"{prefix}{key}", None)
        processes = [p for run in runs for p in run]
        info["fps_processes"] = processes
        info["fps_rounds"] = [x for p in processes for x in p]
        info["fps"] = statistics.median(statistics.median(p) for p in processes)
        info["processes"] = len(processes)
        bench["extra_info"] = info
        merged.append(bench)
    merged += list(old_cells.values())
    section = dict(new["ovperf"])
    old_section = old["ovperf"]
    section["runs"] = old_section.get("runs", 1) + 1
    # When each run was saved, while every run's time is known: the span the drift covers.
    before = run_times(old)
    section.pop("run_times", None)
    if new.get("datetime") and (before or not old_section.get("runs", 1)):
        section["run_times"] = before + [str(new["datetime"])]
    for key in ("outputs", "precisions"):
        section[key] = {**(old_section.get(key) or {}), **(section.get(key) or {})}
    return {**new, "benchmarks": merged, "ovperf": section}


def save_run(path: Path, run: Mapping[str, Any], *, append_to: Baseline | None = None, force: bool = False) -> int:
    """Write ``run`` (the run's JSON with its ``ovperf`` section) as the baseline ``path``, as a
    new file or, with ``append_to``, as one more run of it; returns how many runs it holds.

    Raises :class:`BaselineError` saying why nothing was written.
    """
    if append_to is not None:
        saved, now = append_to.data["ovperf"].get("frames"), run["ovperf"].get("frames")
        if saved != now:
            raise BaselineError(f"not appended to {path}: it was measured with {saved} frames a round, "
                                f"this run with {now}")
        output = merge_runs(append_to.data, run)
    else:
        output = merge_runs({"benchmarks": [], "ovperf": {"runs": 0}}, run)
    try:
        write_new(path, output, force=force or append_to is not None)
    except BaselineError as exc:
        raise BaselineError(f"not saved: {exc}") from None
    return output["ovperf"].get("runs", 1)


class SaveLock:
    """An exclusive lock on a baseline name from the start of a saving run to its end.

    Two overlapping ``--ov-save-baseline-append`` runs would each read the file at the
    start and replace it at the end, keeping only one new run. The second one is refused
    at start instead, before it measures anything. ``fcntl.flock`` locks are released by
    the kernel when the process ends, so a killed run leaves no stale lock.
    """

    def __init__(self, path: Path) -> None:
        self.target = Path(path)
        self.path = self.target.with_name(f".{self.target.name}.lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise BaselineError(
                f"another run is saving {self.target.name} in {self.target.parent} right now; "
                "run the two one after the other"
            ) from None
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


@dataclass(frozen=True)
class BaselinePlan:
    """What a run does with baselines, checked before anything is measured."""

    #: The baseline to compare with (``--ov-baseline``), or None.
    baseline: Baseline | None = None
    #: Where to save this run (``--ov-save-baseline``), or None.
    save_path: Path | None = None
    #: The baseline is from another machine and ``--ov-allow-foreign-baseline`` was given.
    cross_machine: bool = False
    #: The baseline this run is appended to (``--ov-save-baseline-append``), or None.
    append_to: Baseline | None = None


def plan(directory: Path, ref: str | None, save_name: str | None, *, force: bool, append: bool,
         allow_foreign: bool, frames: int, version: str, fingerprint: Mapping[str, Any]) -> BaselinePlan:
    """Resolve and check the baseline options; any conflict is a :class:`BaselineError` naming it.

    ``save_name`` is ``""`` for ``--ov-save-baseline`` without a name (the OpenVINO version's).
    """
    if ref is not None and save_name is not None:
        raise BaselineError(
            "--ov-baseline compares and --ov-save-baseline saves; a comparison run never writes "
            "a baseline, so run them one after the other"
        )
    if (force or append) and save_name is None:
        raise BaselineError(f"{'--ov-save-baseline-force' if force else '--ov-save-baseline-append'} "
                            "only goes with --ov-save-baseline")
    if force and append:
        raise BaselineError("--ov-save-baseline-force replaces a baseline and --ov-save-baseline-append adds to it; "
                            "give one")
    baseline, cross_machine, save_path, append_to = None, False, None, None
    if ref is not None:
        baseline = load(resolve_ref(ref, directory))
        differences = machine_differences(baseline.fingerprint, fingerprint)
        if differences and not allow_foreign:
            raise BaselineError(
                f"baseline {baseline.path} was measured on another machine ({'; '.join(differences)}); "
                f"pass --ov-allow-foreign-baseline to compare anyway"
            )
        cross_machine = bool(differences)
    if save_name is not None:
        name = save_name or default_name(version)
        if os.sep in name or name.startswith("."):
            raise BaselineError(f"--ov-save-baseline {name}: give a plain name; use --ov-baseline-dir for the folder")
        save_path = directory / (name if name.endswith(".json") else f"{name}.json")
        if append:
            if not save_path.exists():
                raise BaselineError(f"--ov-save-baseline-append: {save_path} does not exist; save it first")
            append_to = load(save_path)
            saved_frames = append_to.workload.get("frames")
            if saved_frames is not None and saved_frames != frames:
                raise BaselineError(
                    f"--ov-save-baseline-append: {save_path} was measured with {saved_frames} frames a round, "
                    f"this run would use {frames}; a baseline pools one workload"
                )
            differences = machine_differences(append_to.fingerprint, fingerprint)
            if differences:
                raise BaselineError(
                    f"--ov-save-baseline-append: {save_path} was measured on another machine ({'; '.join(differences)})"
                )
        elif save_path.exists() and not force:
            raise BaselineError(
                f"baseline {save_path} exists; pass --ov-save-baseline-append to add this run to it, "
                f"or --ov-save-baseline-force to replace it"
            )
    return BaselinePlan(baseline, save_path, cross_machine, append_to)


def undecidable(baseline: Baseline, processes: int, alpha: float) -> str | None:
    """Why a baseline cannot decide any cell: a cell with too few processes for any look to reach
    ``alpha`` with ``processes`` a look. None when every cell can be decided."""
    from ovperf.measure import baseline_processes
    from ovperf.stats import can_decide, planned_sizes

    for name, info in baseline.cells.items():
        n = len(baseline_processes(info))
        if can_decide(planned_sizes(n, processes, processes, grows_baseline=False), alpha):
            continue
        need = next(k for k in range(n + 1, 100) if can_decide(planned_sizes(k, processes, processes, False), alpha))
        return (f"baseline {baseline.path}: {name} has {n} process(es); with --ov-processes {processes} no verdict "
                f"could reach alpha {alpha:g}. Save it with at least {need} processes (--ov-processes {need}, "
                "or --ov-save-baseline-append runs)")
    return None
