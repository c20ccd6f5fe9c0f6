"""Nightly history: every measured run in a database, and the persistent shifts in each cell's series.

One nightly comparison sees one night. A shift of a few percent that persists over
several nights is plain in a series even where no single night can call it, which is
how MongoDB's E-Divisive, Apache Otava and asv decide on noisy machines.

The store is SQLAlchemy Core over SQLite (the default, ``baselines/history.sqlite``)
or PostgreSQL (``postgresql://...``, a fleet sharing one database), with one schema
and an explicit version table. A run is appended in one transaction: all its cells or
nothing.

A cell's series is one value per run: the median of the run's per-process medians, the
same number the suite reports. :func:`detect` segments the log of that series with
ruptures (binary segmentation, a penalty scaled to the series' own noise) and keeps a
candidate point only if a permutation test of the runs on either side rejects "no
shift", in the spirit of E-Divisive's significance test, and the shift is at least
``min_magnitude``. Each shift is attributed to what the two runs around it recorded
differently.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import sys
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

import numpy as np

from ovperf import defaults
from ovperf.cli import entry_point

if TYPE_CHECKING:
    from ovperf.stats import DriftParts, RunDrift

#: The version of the tables below; a store written by a newer ovperf is refused, an older
#: one is migrated (:data:`MIGRATIONS`).
SCHEMA_VERSION = 2
DEFAULT_URL = "baselines/history.sqlite"
ENV = "OVPERF_HISTORY"
#: Software whose version change can explain a shift, as recorded in ``machine_info``.
SOFTWARE_KEYS = {"openvino_version": "OpenVINO", "torch_version": "torch", "ultralytics_version": "ultralytics",
                 "numpy_version": "numpy", "python_version": "Python"}
MACHINE_KEYS = ("cpu_model", "logical_cores", "physical_cores")
#: What ``ov-perf-history export`` writes (``ovperf.interop``).
EXPORT_FORMATS = ("otava", "bencher", "github-action-benchmark")
#: The fewest runs on each side of a change point.
MIN_SEGMENT = 3


class HistoryError(Exception):
    """The store cannot be opened, read or written, or an input file is not a run; one line."""


def url_of(value: str | os.PathLike | None) -> str:
    """``--ov-history`` / ``OVPERF_HISTORY`` -> an SQLAlchemy URL (a bare path is a SQLite file)."""
    text = str(value) if value else os.environ.get(ENV) or DEFAULT_URL
    if text.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg2://" + text.split("://", 1)[1]
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def _tables():
    from sqlalchemy import (JSON, Boolean, Column, Float, ForeignKey, Integer, MetaData, String, Table, Text,
                            UniqueConstraint)

    meta = MetaData()
    version = Table("ovperf_history_schema", meta, Column("version", Integer, nullable=False))
    runs = Table(
        "runs", meta,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("time", String(40), nullable=False, index=True),  # ISO 8601, UTC
        Column("kind", String(20), nullable=False),  # run, baseline, compare, ab, ingest
        Column("machine", JSON, nullable=False),
        Column("software", JSON, nullable=False),
        Column("openvino", String(200)),
        Column("model_key", String(64)),
        Column("onnx_sha256", String(64)),
        Column("git_commit", String(64)),
        Column("git_dirty", Boolean),
        Column("options", JSON),
        Column("ci_url", Text),
        # An ingested file's digest, so ingesting it twice adds nothing.
        Column("source_sha256", String(64), unique=True),
    )
    cells = Table(
        "cells", meta,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), nullable=False, index=True),
        Column("name", String(200), nullable=False),
        Column("fps", Float, nullable=False),
        Column("processes", JSON, nullable=False),  # per-process round FPS
        Column("precision", String(20)),
        Column("num_streams", Integer),
        Column("nireq", Integer),
        Column("cpu_ms_per_frame", Float),
        Column("p50_ms", Float), Column("p90_ms", Float), Column("p99_ms", Float),
        Column("peak_rss_mib", Float),
        Column("outputs_fingerprint", JSON),
        Column("verdict", String(20)),
        # Schema 2: the machine's speed around each process's rounds (ovperf.noise.machine_speed),
        # and the kernel that measured it, for ``detect --speed-adjust``.
        Column("speeds", JSON),
        Column("speed_kernel", String(200)),
        UniqueConstraint("run_id", "name"),
    )
    return meta, version, runs, cells


#: How a store of each older schema becomes the next one: the columns it gains, by table.
MIGRATIONS = {1: {"cells": ("speeds", "speed_kernel")}}


class Store:
    """A history database; open with :func:`open_store`."""

    def __init__(self, url: str) -> None:
        from sqlalchemy import create_engine

        self.url = url
        connect = {"timeout": 60} if url.startswith("sqlite") else {}  # writers wait for each other's lock
        try:
            self.engine = create_engine(url, connect_args=connect)
        except ModuleNotFoundError as exc:
            raise HistoryError(f"history {self.safe_url}: {exc.name} is not installed; "
                               "pip install 'ovperf[postgres]' for a PostgreSQL history") from None
        except Exception as exc:  # noqa: BLE001 - any driver or URL error is one line for the user
            raise HistoryError(f"history {self.safe_url}: {_first_line(exc)}") from None
        self.meta, self.version, self.runs, self.cells = _tables()

    @property
    def safe_url(self) -> str:
        from sqlalchemy.engine import make_url

        try:
            return make_url(self.url).render_as_string(hide_password=True)
        except Exception:  # noqa: BLE001
            return "(unreadable URL)"

    def prepare(self) -> "Store":
        """Create the tables in a new store, or check an existing store's schema version."""
        from sqlalchemy import insert, inspect, select
        from sqlalchemy.exc import SQLAlchemyError

        if self.url.startswith("sqlite:///"):
            Path(self.url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        try:
            with self.engine.begin() as conn:
                if not inspect(conn).has_table("ovperf_history_schema"):
                    self.meta.create_all(conn)
                    conn.execute(insert(self.version).values(version=SCHEMA_VERSION))
                    return self
                found = conn.execute(select(self.version.c.version)).scalar()
        except SQLAlchemyError as exc:
            raise HistoryError(f"history {self.safe_url}: {_first_line(exc)}") from None
        if found is None or found > SCHEMA_VERSION:
            raise HistoryError(
                f"history {self.safe_url} has schema {found}; this ovperf reads up to {SCHEMA_VERSION}: upgrade ovperf"
            )
        if found < SCHEMA_VERSION:
            self._migrate(found)
        return self

    def _migrate(self, found: int) -> None:
        """Bring an older store up to :data:`SCHEMA_VERSION` in one transaction: the new
        columns (empty for the runs already there) and the version, or nothing. A writer that
        migrated it first, at the same time, wins; this one then finds it done."""
        from sqlalchemy import select, text, update
        from sqlalchemy.exc import SQLAlchemyError

        try:
            with self.engine.begin() as conn:
                for version in range(found, SCHEMA_VERSION):
                    for table, names in MIGRATIONS[version].items():
                        for name in names:
                            column = self.meta.tables[table].c[name]
                            kind = column.type.compile(dialect=conn.dialect)
                            conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {name} {kind}"))
                conn.execute(update(self.version).values(version=SCHEMA_VERSION))
        except SQLAlchemyError as exc:
            with self.engine.connect() as conn:
                if conn.execute(select(self.version.c.version)).scalar() == SCHEMA_VERSION:
                    return
            raise HistoryError(f"history {self.safe_url}: cannot migrate schema {found} to {SCHEMA_VERSION}: "
                               f"{_first_line(exc)}") from None

    def append(self, run: Mapping[str, Any], cells: Sequence[Mapping[str, Any]]) -> int | None:
        """One run and its cells in one transaction; None if its source was ingested before."""
        from sqlalchemy import insert, select
        from sqlalchemy.exc import IntegrityError, SQLAlchemyError

        try:
            with self.engine.begin() as conn:
                source = run.get("source_sha256")
                if source and conn.execute(select(self.runs.c.id).where(self.runs.c.source_sha256 == source)).first():
                    return None
                run_id = conn.execute(insert(self.runs).values(**run)).inserted_primary_key[0]
                if cells:
                    conn.execute(insert(self.cells), [{**cell, "run_id": run_id} for cell in cells])
                return int(run_id)
        except IntegrityError as exc:
            if run.get("source_sha256") and self._has_source(run["source_sha256"]):
                return None  # a concurrent ingest of the same file won the race
            raise HistoryError(f"history {self.safe_url}: cannot append: {_first_line(exc)}") from None
        except SQLAlchemyError as exc:
            raise HistoryError(f"history {self.safe_url}: cannot append: {_first_line(exc)}") from None

    def _has_source(self, source: str) -> bool:
        from sqlalchemy import select

        with self.engine.connect() as conn:
            return conn.execute(select(self.runs.c.id).where(self.runs.c.source_sha256 == source)).first() is not None

    def series(self) -> dict[str, list["Point"]]:
        """Every cell's runs, oldest first; per machine (``cell @ cpu, N cores``) when the store holds several."""
        from sqlalchemy import select

        query = (select(self.cells.c.name, self.cells.c.fps, self.cells.c.processes, self.cells.c.speeds,
                        self.cells.c.speed_kernel, self.runs)
                 .join(self.runs, self.runs.c.id == self.cells.c.run_id)
                 .order_by(self.runs.c.time, self.runs.c.id))
        with self.engine.connect() as conn:
            rows = list(conn.execute(query).mappings())
        machines = {machine_label(row["machine"] or {}) for row in rows}
        out: dict[str, list[Point]] = {}
        for row in rows:
            key = row["name"] if len(machines) < 2 else f"{row['name']} @ {machine_label(row['machine'] or {})}"
            out.setdefault(key, []).append(Point(
                run_id=row["id"], time=row["time"], fps=row["fps"], processes=row["processes"] or [],
                software=row["software"] or {}, machine=row["machine"] or {},
                model=row["onnx_sha256"] or row["model_key"], commit=row["git_commit"], dirty=row["git_dirty"],
                injected=float((row["options"] or {}).get("inject_slowdown") or 0.0),
                speeds=row["speeds"] or [], speed_kernel=row["speed_kernel"],
            ))
        return out

    def count(self) -> tuple[int, int]:
        from sqlalchemy import func, select

        with self.engine.connect() as conn:
            return (conn.execute(select(func.count()).select_from(self.runs)).scalar() or 0,
                    conn.execute(select(func.count()).select_from(self.cells)).scalar() or 0)


    def _plain_runs(self, cells: Iterable[str], machine: Mapping[str, Any],
                    frames: int | None) -> list[tuple[int, str, str, list]]:
        """(run id, cell, OpenVINO build, processes) of this machine's runs of these cells that
        measure its drift: left out are runs of another machine (CPU model and cores), A/B runs
        (their processes alternated with another side's), runs with an injected slowdown, and
        runs of another frame count where it is recorded."""
        from sqlalchemy import select
        from sqlalchemy.exc import SQLAlchemyError

        names = list(dict.fromkeys(cells))
        query = (select(self.cells.c.run_id, self.cells.c.name, self.cells.c.processes, self.runs.c.kind,
                        self.runs.c.machine, self.runs.c.openvino, self.runs.c.options)
                 .join(self.runs, self.runs.c.id == self.cells.c.run_id)
                 .where(self.cells.c.name.in_(names)))
        try:
            with self.engine.connect() as conn:
                rows = list(conn.execute(query).mappings())
        except SQLAlchemyError as exc:
            raise HistoryError(f"history {self.safe_url}: cannot read: {_first_line(exc)}") from None
        label = machine_label(machine)
        out = []
        for row in rows:
            options = row["options"] or {}
            if (row["kind"] == "ab" or machine_label(row["machine"] or {}) != label
                    or float(options.get("inject_slowdown") or 0.0)
                    or (frames is not None and options.get("frames") not in (None, frames))):
                continue
            processes = [p for p in (row["processes"] or []) if p]
            if processes:
                out.append((row["run_id"], row["name"], str(row["openvino"]), processes))
        return out

    def drift(self, cells: Iterable[str], machine: Mapping[str, Any], frames: int | None = None,
              statistic: str = defaults.RUN_STATISTIC) -> "RunDrift | None":
        """How far this machine's runs of these cells drift, from the history: the between-run
        variance component of each cell's runs (:func:`ovperf.stats.run_drift`), taken within
        each OpenVINO build, so that a release change does not count as drift, and pooled over
        the cells. Only runs that measure the drift count (:meth:`_plain_runs`). None when no
        cell has two such runs.

        A comparison with a baseline of one run has no drift of its own to go by; the
        history's runs, made over nights, hold the drift a nightly comparison meets."""
        return _run_drift(self._plain_runs(cells, machine, frames), statistic)

    def drift_parts(self, cells: Iterable[str], machine: Mapping[str, Any],
                    frames: int | None = None, statistic: str = defaults.RUN_STATISTIC) -> "DriftParts | None":
        """The same runs' drift split into what moves all cells of a run together and what
        moves each cell on its own (:func:`ovperf.stats.drift_parts`), within each OpenVINO
        build, over the OpenVINO cells (the matrix the whole-matrix verdict is about). None
        without two runs of two cells."""
        return _drift_parts(self._plain_runs(cells, machine, frames), statistic)

    def drifts(self, cells: Iterable[str], machine: Mapping[str, Any], frames: int | None = None,
               statistic: str = defaults.RUN_STATISTIC) -> "tuple[RunDrift | None, DriftParts | None]":
        """:meth:`drift` and :meth:`drift_parts` from one read of the history."""
        rows = self._plain_runs(cells, machine, frames)
        return _run_drift(rows, statistic), _drift_parts(rows, statistic)


def _run_drift(rows: Sequence[tuple[int, str, str, list]], statistic: str) -> "RunDrift | None":
    from ovperf.stats import run_drift

    groups: dict[tuple[str, str], list] = {}
    for _, name, build, processes in rows:
        groups.setdefault((name, build), []).append(processes)
    found = run_drift(groups.values(), statistic)
    return None if found is None else replace(found, source="history")


def _drift_parts(rows: Sequence[tuple[int, str, str, list]], statistic: str) -> "DriftParts | None":
    from ovperf.baseline import MATRIX_PREFIX
    from ovperf.stats import BEST, best_size, drift_parts, run_value

    # runs of one build, and with ``best`` of one size: a run of fewer processes estimates another number
    groups: dict[tuple[str, int], dict[int, dict[str, float]]] = {}
    for run_id, name, build, processes in rows:
        if name.startswith(MATRIX_PREFIX):
            size = best_size(processes) if statistic == BEST else 0
            groups.setdefault((build, size), {}).setdefault(run_id, {})[name] = run_value(processes, statistic)
    # as the cells' drift (ovperf.stats._best_drift): full-size runs alone when there are any
    full = {key: runs for key, runs in groups.items() if key[1] == defaults.BEST_OF and len(runs) > 1}
    return drift_parts((list(runs.values()) for runs in (full or groups).values()), statistic)


def machine_label(machine: Mapping[str, Any]) -> str:
    return f"{machine.get('cpu_model') or '?'}, {machine.get('logical_cores') or '?'} cores"


def open_store(value: str | os.PathLike | None = None) -> Store:
    """The store at ``value`` (or ``OVPERF_HISTORY``, or ``baselines/history.sqlite``), ready to use."""
    return Store(url_of(value)).prepare()


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# --- runs from pytest-benchmark JSON (a live run's, a --benchmark-json file, a baseline) ---

def run_from_json(data: Mapping[str, Any], kind: str, options: Mapping[str, Any] | None = None,
                  source_sha256: str | None = None) -> tuple[dict, list[dict]]:
    """A run row and its cell rows from pytest-benchmark's JSON with the suite's ``extra_info``."""
    if not isinstance(data, Mapping) or not isinstance(data.get("benchmarks"), list):
        raise HistoryError("not a pytest-benchmark JSON file (no 'benchmarks' list)")
    machine_info = data.get("machine_info") or {}
    commit = data.get("commit_info") or {}
    section = data.get("ovperf") or {}
    model = section.get("model") or {}
    outputs = section.get("outputs") if isinstance(section.get("outputs"), Mapping) else {}
    cells = [cell for bench in data["benchmarks"] if (cell := cell_from_benchmark(bench, outputs)) is not None]
    if not cells:
        raise HistoryError("no benchmark in it has the suite's FPS (extra_info.fps_rounds)")
    first = next((b.get("extra_info") or {} for b in data["benchmarks"] if (b.get("extra_info") or {}).get("model_key")), {})
    software = {key: machine_info.get(key) for key in SOFTWARE_KEYS if machine_info.get(key)}
    options = dict(options or {})
    injected = [(b.get("extra_info") or {}).get("inject_slowdown") or 0.0 for b in data["benchmarks"]]
    options.setdefault("inject_slowdown", max(injected, default=0.0))  # an ingested file says it in each cell
    run = {
        "time": _utc(data.get("datetime")),
        "kind": kind,
        "machine": {key: machine_info.get(key) for key in MACHINE_KEYS}
        | {"devices": machine_info.get("openvino_devices"), "arch": machine_info.get("machine")},
        "software": software,
        "openvino": machine_info.get("openvino_version"),
        "model_key": model.get("model_key") or first.get("model_key"),
        "onnx_sha256": model.get("onnx_sha256") or first.get("onnx_sha256"),
        "git_commit": commit.get("id"),
        "git_dirty": commit.get("dirty"),
        "options": options,
        "ci_url": ci_url(),
        "source_sha256": source_sha256,
    }
    return run, cells


def cell_from_benchmark(bench: Mapping[str, Any], outputs: Mapping[str, Any] | None = None) -> dict | None:
    """A cell row; ``outputs`` is a baseline's ``ovperf.outputs`` (output checks by configuration id)."""
    info = bench.get("extra_info") if isinstance(bench, Mapping) else None
    if not isinstance(info, Mapping) or not info.get("fps_rounds"):
        return None
    check = (outputs or {}).get(info.get("id")) or {}
    processes = info.get("fps_processes") or [info["fps_rounds"]]
    fps = info.get("fps") or float(np.median([np.median(p) for p in processes]))
    # A comparison keeps its whole comparison in extra_info["verdict"], A/B in extra_info["ab"];
    # the cell row keeps the verdict's word.
    verdict = info.get("verdict") or (info.get("ab") or {}).get("verdict")
    if isinstance(verdict, Mapping):
        verdict = verdict.get("verdict")
    speeds = info.get("speed_processes") or None
    if speeds is not None and [len(p) for p in speeds] != [len(p) for p in processes]:
        speeds = None  # a baseline of several runs keeps its processes and speeds otherwise grouped
    return {
        "name": bench["name"], "fps": float(fps), "processes": processes,
        "precision": info.get("inference_precision"), "num_streams": _int(info.get("num_streams")),
        "nireq": _int(info.get("nireq")), "cpu_ms_per_frame": info.get("cpu_ms_per_frame"),
        "p50_ms": info.get("p50_ms"), "p90_ms": info.get("p90_ms"), "p99_ms": info.get("p99_ms"),
        "peak_rss_mib": info.get("peak_rss_run_mib"), "outputs_fingerprint": check.get("fingerprint"),
        "verdict": verdict, "speeds": speeds, "speed_kernel": info.get("speed_kernel") if speeds else None,
    }


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _utc(stamp: Any) -> str:
    if isinstance(stamp, str):
        try:
            parsed = datetime.fromisoformat(stamp)
            if parsed.tzinfo is None:  # pytest-benchmark writes UTC without an offset
                parsed = parsed.replace(tzinfo=timezone.utc)
            return parsed.astimezone(timezone.utc).isoformat(timespec="seconds")
        except ValueError:
            pass
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def ci_url() -> str | None:
    """The CI job's URL, where the environment names one (GitHub Actions, GitLab, Jenkins)."""
    env = os.environ
    if env.get("GITHUB_RUN_ID") and env.get("GITHUB_REPOSITORY"):
        return f"{env.get('GITHUB_SERVER_URL', 'https://github.com')}/{env['GITHUB_REPOSITORY']}/actions/runs/{env['GITHUB_RUN_ID']}"
    return env.get("CI_JOB_URL") or env.get("BUILD_URL") or None


def ingest(store: Store, paths: Iterable[Path]) -> list[str]:
    """Import baselines and ``--benchmark-json`` files; one line per file."""
    lines = []
    for path in paths:
        path = Path(path)
        try:
            raw = path.read_bytes()
            data = json.loads(raw)
        except (OSError, ValueError) as exc:
            raise HistoryError(f"{path}: not readable JSON ({exc})") from None
        try:
            run, cells = run_from_json(data, kind="ingest", options={"file": path.name},
                                       source_sha256=hashlib.sha256(raw).hexdigest())
        except HistoryError as exc:
            raise HistoryError(f"{path}: {exc}") from None
        added = store.append(run, cells)
        lines.append(f"{path}: {'already in the history' if added is None else f'run {added}, {len(cells)} cells'}")
    return lines


# --- change points ---

@dataclass(frozen=True)
class Point:
    run_id: int
    time: str
    fps: float
    processes: list = field(default_factory=list)
    software: dict = field(default_factory=dict)
    machine: dict = field(default_factory=dict)
    model: str | None = None
    commit: str | None = None
    dirty: bool | None = None
    #: ``--ov-inject-slowdown`` of the run, as a fraction (0 for a real run).
    injected: float = 0.0
    #: The machine's speed around each process's rounds, and the kernel that measured it.
    speeds: list = field(default_factory=list)
    speed_kernel: str | None = None
    #: The run's own FPS where ``fps`` was adjusted for the machine's speed (:func:`speed_adjusted`).
    raw_fps: float | None = None

    @property
    def process_medians(self) -> list[float]:
        """Each process's median FPS in this run (its rounds' median)."""
        return [float(np.median(p)) for p in self.processes if len(p)]


@dataclass(frozen=True)
class Shift:
    cell: str
    #: Index in the cell's series of the first run after the shift.
    index: int
    run_id: int
    time: str
    #: after / before - 1, of the geometric means of the segments on either side.
    magnitude: float
    #: The permutation test that kept the split, on the segment it divided when it was proposed.
    p_value: float
    runs_before: int
    runs_after: int
    attribution: str

    @property
    def regression(self) -> bool:
        return self.magnitude < 0

    def line(self) -> str:
        word = "slower" if self.regression else "faster"
        return (f"{self.cell}: {abs(self.magnitude):.1%} {word} from run {self.run_id} ({self.time}), "
                f"{self.runs_before} runs before, {self.runs_after} after, p={self.p_value:.3g}; {self.attribution}")


def _split_stats(y: np.ndarray, axis: int = -1, min_size: int = MIN_SEGMENT) -> np.ndarray:
    """The standardized difference of means at every split of ``y`` (a CUSUM statistic), splits last."""
    y = np.moveaxis(np.asarray(y), axis, -1)
    n = y.shape[-1]
    k = np.arange(min_size, n - min_size + 1)
    total = y.sum(axis=-1, keepdims=True)
    left = np.cumsum(y, axis=-1)[..., k - 1]
    return np.abs(left / k - (total - left) / (n - k)) * np.sqrt(k * (n - k) / n)


def _max_split(y: np.ndarray, axis: int = -1, min_size: int = MIN_SEGMENT) -> np.ndarray:
    return np.max(_split_stats(y, axis, min_size), axis=-1)


def shift_p_value(values: Sequence[float], seed: int = 0, min_size: int = MIN_SEGMENT) -> float:
    """How often a shuffled segment splits as well as this one does (scipy's permutation test).

    The split was chosen as the best one, so comparing its two sides directly would
    find shifts in pure noise. As in E-Divisive, the statistic is the best split's, and
    every permutation of the runs' order searches its own best split.
    """
    from scipy import stats

    y = np.log(np.asarray(values, dtype=float))
    result = stats.permutation_test(
        (y,), lambda x, axis: _max_split(x, axis, min_size), permutation_type="pairings", vectorized=True,
        n_resamples=1999, alternative="greater", rng=np.random.default_rng(seed),
    )
    return float(result.pvalue)


def detect(name: str, points: Sequence[Point], min_magnitude: float = defaults.MIN_MAGNITUDE,
           alpha: float = defaults.HISTORY_ALPHA, min_size: int = MIN_SEGMENT, max_shifts: int = 8) -> list[Shift]:
    """The persistent shifts in one cell's series, each tested and attributed.

    ruptures' binary segmentation proposes the splits of the log series greedily, best
    first. As in E-Divisive, each proposed split is kept only if the segment it divides
    shows a shift under :func:`shift_p_value` at ``alpha``, and the search stops at the
    first split that does not, so a flat series reports a shift with probability about
    ``alpha``. A kept shift smaller than ``min_magnitude`` (after / before of the
    segments' geometric means) is not reported.
    """
    import ruptures

    values = np.asarray([p.fps for p in points], dtype=float)
    n = len(values)
    if n < 2 * min_size:
        return []
    y = np.log(values)
    algo = ruptures.Binseg(model="l2", min_size=min_size, jump=1).fit(y.reshape(-1, 1))
    accepted: dict[int, float] = {}  # split -> the p-value that kept it
    for k in range(1, min(max_shifts, n // min_size - 1) + 1):
        proposed = [b for b in algo.predict(n_bkps=k)[:-1] if b not in accepted]
        if not proposed:
            break
        split = proposed[0]
        bounds = sorted([0, n, *accepted])
        lo = max(b for b in bounds if b < split)
        hi = min(b for b in bounds if b > split)
        p = shift_p_value(values[lo:hi], min_size=min_size)
        if p >= alpha:
            break
        accepted[split] = p
    shifts = []
    bounds = sorted([0, n, *accepted])
    for i in range(1, len(bounds) - 1):
        lo, start, hi = bounds[i - 1], bounds[i], bounds[i + 1]
        logs = y
        if _kernel_changes(points, start):
            # Adjusted runs on either side of a new speed kernel differ by the machine's mean
            # mood on each side, which no kernel measured: the shift is judged on raw FPS.
            logs = np.log([p.raw_fps for p in points])
            accepted[start] = shift_p_value(np.exp(logs[lo:hi]), min_size=min_size)
            if accepted[start] >= alpha:
                # Not reported, but kept as its neighbours' bound: adjusted runs on its two
                # sides sit at different offsets, so no neighbour's mean spans it.
                continue
        magnitude = float(math.exp(np.mean(logs[start:hi]) - np.mean(logs[lo:start])) - 1)
        if abs(magnitude) < min_magnitude:
            continue
        shifts.append(Shift(cell=name, index=start, run_id=points[start].run_id, time=points[start].time,
                            magnitude=magnitude, p_value=accepted[start],
                            runs_before=start - lo, runs_after=hi - start,
                            attribution=attribute_near(points, start)))
    return shifts


def speed_adjusted(points: Sequence[Point]) -> tuple[list[Point], float] | None:
    """The series as if every run had found the machine at its usual speed, and the slope
    used; None where a run recorded no machine speed.

    A run's speed ``x`` is the mean log speed of the kernel timed around its rounds
    (:func:`ovperf.noise.machine_speed`), centred over the runs that one kernel measured:
    another numpy or BLAS times the kernel differently, which is not the machine changing.
    The slope is least squares of the runs' log FPS on ``x``, both centred that way, kept in
    [0, 1], and each run becomes ``log FPS - slope * x``. It is fitted between runs, not
    inside them as a comparison's is (:func:`ovperf.stats.speed_slope`), because a
    history's noise is the machine's mood from one night to the next. A real step in FPS
    does not move the kernel, so it stays in the adjusted series, and a step that comes
    with a new kernel is centred out of the slope rather than fitted by it.
    """
    if not points or any(not p.speeds or len(p.speeds) != len(p.processes) or not p.speed_kernel for p in points):
        return None
    try:
        x = np.asarray([np.mean([np.mean(np.log(v)) for v in p.speeds]) for p in points], dtype=float)
    except (TypeError, ValueError):
        return None
    if not np.all(np.isfinite(x)):
        return None
    y = np.log([p.fps for p in points])
    kernels = [p.speed_kernel for p in points]
    dx, dy = x.copy(), y.copy()
    for kernel in set(kernels):
        mask = np.asarray([k == kernel for k in kernels])
        dx[mask] -= dx[mask].mean()
        dy[mask] -= dy[mask].mean()
    spread = float(dx @ dx)
    slope = float(np.clip(dx @ dy / spread, 0.0, 1.0)) if spread > 0 else 0.0
    out = []
    for p, shift in zip(points, -slope * dx):
        factor = math.exp(shift)
        out.append(replace(p, fps=p.fps * factor, processes=[[v * factor for v in proc] for proc in p.processes],
                           raw_fps=p.fps))
    return out, slope


def adjust_for_speed(series: Mapping[str, Sequence[Point]]) -> tuple[dict[str, list[Point]], list[str]]:
    """:func:`speed_adjusted` for every cell that can be, with one line each saying what it did."""
    out, notes = {}, []
    for name, points in series.items():
        adjusted = speed_adjusted(points)
        if adjusted is None:
            missing = sum(1 for p in points if not p.speeds)
            out[name] = list(points)
            notes.append(f"{name}: not adjusted: {missing} of {len(points)} runs recorded no machine speed")
            continue
        out[name], slope = adjusted
        sd = [float(np.std(np.log([p.fps for p in s]), ddof=1)) if len(s) > 1 else float("nan")
              for s in (points, out[name])]
        notes.append(f"{name}: at the machine's usual speed (slope {slope:.2f}): run-to-run SD {sd[0]:.1%} -> {sd[1]:.1%}")
    return out, notes


def _kernel_changes(points: Sequence[Point], at: int) -> bool:
    """The speed kernel changed within a run of ``at`` in a series adjusted for speed: a
    split's place is uncertain by a run (see ``simulate``'s oracle)."""
    return any(points[i - 1].raw_fps is not None and points[i].speed_kernel != points[i - 1].speed_kernel
               for i in range(max(at - 1, 1), min(at + 2, len(points))))


def attribute_near(points: Sequence[Point], start: int) -> str:
    """:func:`attribute` at the shift; where nothing changed there, a change one run either side.

    At a few percent of noise a step's place is itself uncertain by a run (see ``simulate``'s
    oracle), so a change recorded one run earlier or later is named as the likely cause.
    """
    here = attribute(points[start - 1], points[start])
    if not here.startswith("nothing"):
        return here
    for at, word in ((start - 1, "one run earlier"), (start + 1, "one run later")):
        if 1 <= at < len(points):
            near = attribute(points[at - 1], points[at])
            if not near.startswith("nothing"):
                return f"{word} (run {points[at].run_id}): " + near
    return here


@dataclass(frozen=True)
class Simulated:
    series: int
    #: Step series whose step :func:`detect` found within one run of where it is.
    found: int
    #: The same, for the best single split (the argmax of the CUSUM statistic) told there is one step.
    oracle: int
    #: Step-free series in which :func:`detect` reported a shift.
    false: int

    def line(self, noise: float, step: float, length: int) -> str:
        return (f"{self.series} series of {length} runs, {noise:.1%} noise (Gaussian, on log FPS), a {step:.1%} step at a "
                f"random run: found within 1 run in {self.found} ({self.found / self.series:.0%}); the best single "
                f"split, told there is a step, is within 1 run in {self.oracle} ({self.oracle / self.series:.0%}); "
                f"{self.false} of {self.series} step-free series got a shift ({self.false / self.series:.1%})")


def simulate(noise: float, step: float, series: int = 200, length: int = 30, seed: int = 0,
             min_magnitude: float = defaults.MIN_MAGNITUDE, alpha: float = defaults.HISTORY_ALPHA) -> Simulated:
    """How :func:`detect` does on seeded synthetic series: a step at a random run, and none."""
    rng = np.random.default_rng(seed)
    found = oracle = false = 0
    for _ in range(series):
        at = int(rng.integers(5, length - 4))
        y = rng.normal(0.0, noise, length)
        y[at:] += math.log1p(-step)
        points = [Point(run_id=i, time=str(i), fps=float(math.exp(v))) for i, v in enumerate(y)]
        found += any(abs(s.index - at) <= 1 for s in detect("sim", points, min_magnitude, alpha))
        oracle += abs(int(np.argmax(_split_stats(y, min_size=1))) + 1 - at) <= 1
        flat = [Point(run_id=i, time=str(i), fps=float(math.exp(v))) for i, v in enumerate(rng.normal(0, noise, length))]
        false += bool(detect("sim", flat, min_magnitude, alpha))
    return Simulated(series=series, found=found, oracle=oracle, false=false)


def run_changes(before: Point, after: Point) -> list[tuple[str | None, str]]:
    """What two consecutive runs recorded differently, each as (a plot's short label, the full note).

    A commit has no short label: a nightly history changes commit nearly every night, and a
    plot marking each would mark every run.
    """
    out = []
    if before.injected != after.injected:
        out.append((f"INJECTED {after.injected:.0%}",
                    f"INJECTED slowdown {before.injected:.0%} -> {after.injected:.0%} (--ov-inject-slowdown)"))
    for key, label in SOFTWARE_KEYS.items():
        old, new = before.software.get(key), after.software.get(key)
        if old != new and (old or new):
            out.append((f"{label} {str(new).split('-')[0]}", f"{label} {old} -> {new}"))
    if before.model != after.model:
        out.append(("model", f"model {str(before.model)[:8]} -> {str(after.model)[:8]}"))
    if before.commit != after.commit and (before.commit or after.commit):
        out.append((None, f"commit {str(before.commit)[:8]} -> {str(after.commit)[:8]}"))
    elif after.dirty and not before.dirty:
        out.append((None, "uncommitted changes in the checkout"))
    machine = [k for k in set(before.machine) | set(after.machine) if before.machine.get(k) != after.machine.get(k)]
    if machine:
        out.append(("machine", "machine (" + ", ".join(sorted(machine)) + ")"))
    return out


def attribute(before: Point, after: Point) -> str:
    """What the two runs around a shift recorded differently."""
    notes = [full for _, full in run_changes(before, after)]
    return "changed: " + "; ".join(notes) if notes else "nothing recorded changed (the machine itself?)"


def detect_all(store: Store, min_magnitude: float = defaults.MIN_MAGNITUDE,
               alpha: float = defaults.HISTORY_ALPHA, series: Mapping[str, Sequence[Point]] | None = None
               ) -> tuple[list[Shift], dict]:
    """Every cell's shifts, from the store's series or from ``series`` (e.g. adjusted for speed)."""
    series = dict(store.series() if series is None else series)
    shifts = [s for name, points in sorted(series.items()) for s in detect(name, points, min_magnitude, alpha)]
    return shifts, series


def recent(shift: Shift, series: Mapping[str, Sequence[Point]], window: int) -> bool:
    """The shift starts within the newest ``window`` runs of its cell."""
    return shift.index >= len(series[shift.cell]) - window


def history_markdown(shifts: Sequence[Shift], series: Mapping[str, Sequence[Point]], window: int,
                     notes: Sequence[str] = ()) -> str:
    """The CI job summary: new change points first, each with its attribution; ``notes`` say how
    the series were read (``--speed-adjust``)."""
    from ovperf.summary import markdown_table

    new = [s for s in shifts if recent(s, series, window)]
    old = [s for s in shifts if not recent(s, series, window)]
    runs = max((len(p) for p in series.values()), default=0)
    lines = ["# OpenVINO throughput history", "",
             f"- {len(series)} cells, up to {runs} runs each; a shift counts as new within the newest {window} runs."]
    lines += [f"- {note}" for note in notes]
    for title, group in ((f"New change points ({len(new)})", new), (f"Earlier change points ({len(old)})", old)):
        lines += ["", f"## {title}", ""]
        if not group:
            lines.append("none")
            continue
        rows = [["cell", "change", "from run", "runs before/after", "p", "attribution"]]
        for s in sorted(group, key=lambda s: (not s.regression, s.magnitude)):
            rows.append([s.cell, f"{s.magnitude:+.1%}", f"{s.run_id} ({s.time})", f"{s.runs_before}/{s.runs_after}",
                         f"{s.p_value:.3g}", s.attribution])
        lines.append(markdown_table(rows))
    return "\n".join(lines) + "\n"


@entry_point
def main(argv: list[str] | None = None) -> int:
    """``ov-perf-history``: ingest, detect, report, plot, export."""
    import argparse

    from ovperf.settings import parse_fraction

    parser = argparse.ArgumentParser(prog="ov-perf-history", description=__doc__.split("\n")[0])
    parser.add_argument("--history", metavar="URL",
                        help=f"a SQLite file or postgresql:// URL. Default: ${ENV}, else {DEFAULT_URL}")
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("ingest", help="import baselines and --benchmark-json files")
    add.add_argument("files", nargs="+", type=Path)
    sim = commands.add_parser("simulate", help="how detect does on seeded synthetic series at a noise and a step")
    sim.add_argument("--noise", type=parse_fraction, default=0.02, metavar="PCT",
                     help="run-to-run noise, the SD of log FPS. Default: 2%%")
    sim.add_argument("--step", type=parse_fraction, default=0.03, metavar="PCT", help="the slowdown. Default: 3%%")
    sim.add_argument("--series", type=int, default=200)
    sim.add_argument("--length", type=int, default=30, help="runs a series. Default: 30")
    sim.add_argument("--seed", type=int, default=0)
    export = commands.add_parser("export", help="write the history for Apache Otava, Bencher or github-action-benchmark")
    export.add_argument("--format", required=True, choices=EXPORT_FORMATS)
    export.add_argument("--out", type=Path, required=True,
                        help="a folder for otava (a CSV per cell and otava.yaml), a JSON file otherwise")
    export.add_argument("--run", type=int, metavar="ID", help="the run to export for bencher and "
                        "github-action-benchmark, which take one run at a time. Default: the newest")
    for name, text in (("detect", "print the persistent shifts; exit 1 if a regression starts in the newest runs"),
                       ("report", "write the Markdown summary for a CI job"),
                       ("plot", "draw each cell's series: PNG files per device and hint, and one offline HTML page")):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("--min-magnitude", type=parse_fraction, default=defaults.MIN_MAGNITUDE, metavar="PCT",
                         help=f"shifts smaller than this are not reported. Default: {defaults.MIN_MAGNITUDE * 100:g}%%")
        sub.add_argument("--window", type=int, default=3, metavar="N",
                         help="a shift starting within the newest N runs of its cell is new. Default: 3")
        sub.add_argument("--alpha", type=float, default=defaults.HISTORY_ALPHA,
                         help=f"significance of each shift. Default: {defaults.HISTORY_ALPHA}")
        sub.add_argument("--speed-adjust", action="store_true",
                         help="read each run at the machine's usual speed, from the speed kernel timed around its "
                         "rounds (python -m ovperf.speed shows whether it helps here). Default: raw FPS")
        if name == "report":
            sub.add_argument("--out", type=Path, help="write here instead of standard output")
        if name == "plot":
            sub.add_argument("--out", type=Path, default=Path("history-plots"), metavar="DIR",
                             help="the folder for the PNG files and index.html. Default: history-plots")
    args = parser.parse_args(argv)
    if args.command == "simulate":
        result = simulate(args.noise, args.step, args.series, args.length, args.seed)
        print(result.line(args.noise, args.step, args.length))
        return 0
    try:
        store = open_store(args.history)
        if args.command == "ingest":
            print("\n".join(ingest(store, args.files)))
            return 0
        if args.command == "export":
            from ovperf.interop import export as write_export

            series = store.series()
            if args.format == "otava":
                _make_folder(args.out)
            for path in write_export(args.format, series, args.out, args.run):
                print(path)
            return 0
        series, notes = store.series(), []
        if args.speed_adjust:
            series, notes = adjust_for_speed(series)
        shifts, series = detect_all(store, args.min_magnitude, args.alpha, series)
        short = {name: len(points) for name, points in series.items() if len(points) < 2 * MIN_SEGMENT}
        if len(short) == len(series):
            raise HistoryError(
                f"history {store.safe_url} holds " + (f"at most {max(short.values())} run(s) a cell" if short else "no runs")
                + f"; a change point needs {2 * MIN_SEGMENT} runs of a cell (record runs with --ov-history, or ingest files)"
            )
        for name, count in short.items():
            print(f"ov-perf-history: {name} has {count} run(s); a change point needs {2 * MIN_SEGMENT}", file=sys.stderr)
        if args.command == "plot":
            from ovperf.trends import plot

            for note in notes:
                print(f"ov-perf-history: {note}", file=sys.stderr)

            _make_folder(args.out)
            for path in plot(series, shifts, args.out):
                print(path)
            return 0
        if args.command == "report":
            text = history_markdown(shifts, series, args.window, notes)
            if args.out:
                from ovperf.atomic import write_atomic

                write_atomic(args.out, text)
            else:
                print(text, end="")
            return 0
        for note in notes:
            print(note)
        for shift in shifts:
            print(("NEW " if recent(shift, series, args.window) else "") + shift.line())
        runs, cells = store.count()
        print(f"{len(shifts)} shift(s) in {len(series)} cells ({runs} runs, {cells} cell results) in {store.safe_url}")
        return 1 if any(s.regression and recent(s, series, args.window) for s in shifts) else 0
    except HistoryError as exc:
        print(f"ov-perf-history: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"ov-perf-history: cannot write {exc.filename or args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 2


def _make_folder(path: Path) -> None:
    if path.exists() and not path.is_dir():
        raise HistoryError(f"{path} is not a folder")
    path.mkdir(parents=True, exist_ok=True)


if __name__ == "__main__":
    raise SystemExit(main())
