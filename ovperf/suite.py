"""What one run of the suite holds from start to end: the pytest side keeps it under one key.

pytest-benchmark keeps its ``BenchmarkSession`` the same way. Fixtures add to it as cells
are measured; the closing hooks read it to judge, save, record and report.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from ovperf import defaults
from ovperf.noise import FAST_SESSION, SLOW_SESSION, UsualSpeed, is_units_kernel

if TYPE_CHECKING:  # the types only; importing them would start OpenVINO and SQLAlchemy
    from openvino import Core

    from ovperf.baseline import SaveLock
    from ovperf.history import Store
    from ovperf.settings import Settings
    from ovperf.stats import Comparison
    from ovperf.verdicts import CellVerdict


@dataclass(frozen=True)
class Section:
    """A part of the terminal summary: a separator line with a title (none when empty), then lines."""

    title: str
    lines: list[str]
    sep: str = "="
    loud: bool = False


#: How a run must end when recording or saving could not do its job (None: as it was).
FAILED, USAGE, INTERRUPTED = "failed", "usage error", "interrupted"


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
    #: The machine's usual speed this session, from every measured process (a confirmation counts
    #: only processes that ran at it, ``ovperf.measure._confirming_processes``).
    usual: UsualSpeed = field(default_factory=UsualSpeed)

    def add(self, record: dict, stats: Any, verdict: CellVerdict | None = None) -> None:
        """One measured row: its record (extra_info), pytest-benchmark's stats object (None
        under --benchmark-disable) and its verdict, for the closing tables, JSON and save."""
        self.results.append(record)
        if stats is not None:
            self.benches.append(stats)
        if verdict is not None:
            self.verdicts.append(verdict)

    def record_history(self, run_json: Callable[[], dict], interrupted: bool) -> str | None:
        """Append this run to the history in one transaction, or say why not in a notice; returns
        :data:`FAILED` when appending failed. ``run_json()`` is the run's JSON (a baseline's layout)."""
        from ovperf.history import HistoryError, run_from_json

        store = self.history
        if store is None:
            return None
        why_not = "the run was interrupted" if interrupted else "nothing was measured" if not self.benches else None
        if why_not:
            self.notices.append(f"not recorded in the history {store.safe_url}: {why_not}")
            return None
        try:
            run, cells = run_from_json(self.with_verdicts(run_json()), kind=self.kind, options=self.history_options())
            run_id = store.append(run, cells)
        except HistoryError as exc:
            self.notices.append(f"not recorded in the history: {exc}")
            return FAILED
        self.notices.append(f"recorded run {run_id} ({len(cells)} cells) in the history {store.safe_url}")
        return None

    def save(self, run_json: Callable[[], dict], interrupted: bool, tests_failed: int) -> str | None:
        """Save the baseline this run was asked to save, whole or not at all, and say so in a
        notice; returns how the run must end when it was not saved for a reason it must fail on."""
        from ovperf import baseline as bl

        settings = self.settings
        if settings is None or settings.save_baseline is None:
            return None
        target = settings.save_baseline
        if interrupted:
            self.notices.append(f"not saving baseline {target}: the run was interrupted; a baseline holds "
                                "every cell the run planned or nothing")
            return INTERRUPTED
        if tests_failed:
            self.notices.append(f"not saving baseline {target}: {tests_failed} test(s) failed")
            return None
        if not self.benches:
            self.notices.append(f"not saving baseline {target}: nothing was measured "
                                "(--benchmark-disable or --benchmark-skip?)")
            return FAILED
        try:
            runs = bl.save_run(target, run_json(), append_to=settings.append_to, force=settings.save_baseline_force)
        except bl.BaselineError as exc:
            self.notices.append(str(exc))
            return USAGE
        saved = f"saved baseline {target} ({len(self.benches)} cells, {settings.processes} processes " \
                f"a cell this run, {runs} run{'s' * (runs > 1)})"
        try:
            saved_now = replace(bl.load(target), statistic=settings.run_statistic)
            version = ((self.fingerprint or {}).get("software") or {}).get("openvino")
            if version and settings.machine_adjusts:
                saved_now = bl.at_machine_speed(saved_now, version)
            drift = saved_now.drift if runs > 1 else None
        except bl.BaselineError:
            drift = None
        reach = self.reach(drift, runs)
        self.notices.append(f"{saved}; against it, {reach}" if reach else saved)
        return None

    def summary_sections(self) -> list[Section]:
        """What the run prints at its end: the injection warning, the throughput table, parity
        with benchmark_app, the output checks, and the verdicts of a comparison."""
        from ovperf.summary import format_table, output_table, parity_table, speedup_table
        from ovperf.verdicts import AB_SIDES, counts, rows

        settings, results, out = self.settings, self.results, []
        if settings is not None and settings.inject_slowdown:
            out.append(Section(f"INJECTED SLOWDOWN {settings.inject_slowdown:.0%}: every figure below is slower on "
                               "purpose (--ov-inject-slowdown)", [], sep="!", loud=True))
        if results:
            plain = settings is not None and settings.baseline is None and settings.ab_python is None
            out.append(Section("throughput by configuration (frames per second, median of per-process medians)",
                               [format_table(speedup_table(results)), *(self.shared_context() if plain else [])]))
        compared = [r for r in results if r.get("parity")]
        if compared:
            out.append(Section("against OpenVINO's benchmark_app (same IR, device, hint, batch, requests)",
                               [format_table(parity_table(compared))]))
        if self.outputs:
            bad = sum(not o["ok"] for o in self.outputs.values())
            out.append(Section(f"outputs against PyTorch FP32: {len(self.outputs) - bad} within tolerance, {bad} outside",
                               [format_table(output_table(self.outputs))]))
        verdicts = self.verdicts
        if verdicts and settings is not None and (settings.baseline is not None or settings.ab_python is not None):
            lines = [*self.report_context(),
                     format_table(rows(verdicts, AB_SIDES if settings.ab_python is not None else None))]
            changed = [v for v in verdicts if v.precision_change]
            if changed:
                lines.append("inference precision changed (not an OpenVINO speed change):")
                lines += [f"  {v.id}: {v.precision_change}, {v.label}" for v in changed]
            unjudged = [v.id for v in verdicts if v.comparison is not None and v.comparison.unjudged]
            if unjudged:
                lines.append(f"NOT JUDGED ({len(unjudged)} cell{'s' * (len(unjudged) > 1)}): the confirmation of a "
                             "regression met only a slow period of the machine, so it neither failed nor passed; "
                             "measure again when the machine is quiet:")
                lines += [f"  {name}" for name in unjudged]
            session = self.session_share()
            refit = ("if the machine stays so, append runs saved now (--ov-save-baseline-append), or judge a release "
                     "with the interleaved A/B (--ov-ab-python), whose sides share the machine's moods")
            # the verdicts read FPS at the baseline's machine speed: the session's distance from it is out
            adjusted = bool(self.machine_factors)
            if unjudged and session is not None and session < SLOW_SESSION and not adjusted:
                lines.append(f"this whole session ran far below the baseline's machine speed (its fastest processes at "
                             f"{session:.0%} of the baseline's, by the reference kernel): the baseline no longer fits "
                             f"it; {refit}")
            if session is not None and session >= FAST_SESSION and not adjusted:
                lines.append(f"this whole session ran faster than the baseline's machine (its fastest processes at "
                             f"{session:.0%} of the baseline's, by the reference kernel): a slowdown can hide in that, "
                             f"and read unchanged, unstable or inconclusive; {refit}")
            out.append(Section(f"{self.comparison_title}: {counts(verdicts)}", lines))
        return out

    def session_share(self) -> float | None:
        """This session's machine speed against the stored baseline's (:meth:`UsualSpeed.session_share`,
        the slowest over the reference kernels that measured both, as a confirmation reads it:
        not the units kernel, which an OpenVINO change moves), or None where none did."""
        kernels = [k for k in self.usual.speeds if not is_units_kernel(k)]
        shares = [x for x in map(self.usual.session_share, kernels) if x is not None]
        return min(shares) if shares else None

    def matrix_verdict(self) -> "Comparison | None":
        """The verdict on the OpenVINO cells as a whole against the baseline
        (:func:`ovperf.stats.compare_matrix`): what a change that every cell shares looks like
        through the drift that every cell of a run shares. None without a baseline, in an A/B
        run (each cell's pairs already share the machine's moods), without the drift's parts
        (no history and a baseline of one run), or with fewer than two compared cells."""
        from ovperf.baseline import MATRIX_PREFIX, cell_runs
        from ovperf.measure import scaled
        from ovperf.stats import compare_matrix, matrix_cell

        s = self.settings
        if s is None or s.baseline is None or s.ab_python is not None or s.drift_parts is None:
            return None
        compared = {v.id for v in self.verdicts if v.comparison is not None}
        drift = s.baseline.drift
        cells, looser = [], []
        for bench in self.benches:
            saved = s.baseline.cells.get(bench.name)
            # at the baseline's machine speed where the cell's verdict was (ovperf.measure.scaled)
            current = scaled(bench.extra_info.get("fps_processes") or [], bench.extra_info.get("machine_factor"))
            if bench.name.startswith(MATRIX_PREFIX) and bench.name in compared and saved and current:
                cells.append(matrix_cell(cell_runs(saved), current, s.drift_parts.statistic))
                # a run of fewer processes than the baseline's spreads more (RunDrift.looser)
                looser.append(drift.looser(len(current)) if drift is not None else 0.0)
        return compare_matrix(cells, s.drift_parts, s.max_regression, s.alpha, miss_rate=s.miss_rate, looser=looser)

    def matrix_line(self) -> str | None:
        """``the matrix as a whole (8 cells): regressed, 9.1%, 0.909 (0.870-0.950) ...``, or None."""
        verdict = self.matrix_verdict()
        if verdict is None:
            return None
        return (f"the matrix as a whole ({verdict.n_current} OpenVINO cells, the mean of their log ratios): "
                f"{verdict.label}, {verdict.interval()} at {verdict.confidence:.0%} confidence; "
                f"{self.settings.drift_parts.describe()}, so one run shows only shared changes beyond "
                f"~{verdict.reach:.0%}")

    def gate_matrix(self) -> str | None:
        """:data:`FAILED`, with a notice, when the matrix as a whole ``regressed`` while no single
        cell did: a change every cell shares, shown where no cell alone could show it, fails
        the gate too. None otherwise (a failed cell fails the run by itself), and when the
        drift's parts come from a baseline whose runs were all saved within a day
        (:meth:`ovperf.baseline.Baseline.span_note`), with a notice saying why."""
        from ovperf.stats import REGRESSED

        verdict = self.matrix_verdict()
        if verdict is None or verdict.verdict != REGRESSED or any(v.verdict == REGRESSED for v in self.verdicts):
            return None
        baseline = self.settings.baseline
        span = baseline.span_note() if self.settings.drift_parts is baseline.drift_parts else None
        if span is not None:
            # The shared part of the drift is what moves a whole run, and runs saved minutes
            # apart have not met the machine's moods of hours: on the Intel AMX host a baseline
            # of 3 runs in 4 minutes put it at 0.0%, and an unchanged run an hour later, 3.6%
            # slow in every cell through a slow period, failed on the whole
            # (report/data/verdicts-amx-usual/cmp-13-aa.log).
            self.notices.append(f"not failing the run on the matrix as a whole, which reads regressed: {span}")
            return None
        self.notices.append(f"failing the run: {self.matrix_line()}")
        return FAILED

    def common_shift(self) -> str | None:
        """A comparison whose cells all moved one way, with the machine's speed beside it
        (:func:`ovperf.verdicts.common_shift`); None for A/B, where both sides share the machine."""
        from ovperf.speed import kernel_ratio
        from ovperf.verdicts import common_shift

        settings = self.settings
        if settings is None or settings.baseline is None:
            return None
        speed = kernel_ratio(settings.baseline.cells.values(), self.results)
        return common_shift(self.verdicts, settings.max_regression, speed)

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
            "process_order": settings.process_order,
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
        matrix = self.matrix_verdict()
        if matrix is not None:
            section["matrix_verdict"] = {**matrix.as_dict(), "drift_parts": settings.drift_parts.as_dict()}
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

    def add_missing(self) -> None:
        """A verdict ``missing`` for every baseline cell this run did not measure."""
        from ovperf.stats import MISSING
        from ovperf.verdicts import CellVerdict

        seen = {v.id for v in self.verdicts}
        for name, info in self.settings.baseline.cells.items():
            if name not in seen:
                self.verdicts.append(CellVerdict(id=name, verdict=MISSING, baseline_fps=info.get("fps")))

    def report_context(self) -> list[str]:
        """The lines above a comparison's verdict table: what was compared with what, and how."""
        from ovperf.baseline import machine_differences

        settings = self.settings
        if settings.ab_python is not None:
            return self.ab_context()
        baseline = settings.baseline
        saved = baseline.fingerprint.get("software", {}).get("openvino", "?")
        now = self.fingerprint["software"]["openvino"]
        runs = baseline.data["ovperf"].get("runs", 1)
        context = [
            f"baseline: {baseline.name} ({baseline.path}), OpenVINO {saved}, {runs} run(s)"
            + ("; from one run, its spread holds no drift between runs, so the machine drifting can read as a "
               "change (add runs with --ov-save-baseline-append, keep a history with --ov-history, or compare "
               "releases with --ov-ab-python)"
               if runs == 1 and settings.history_drift is None else
               f"; from one run, so the drift between runs is the history's ({settings.history_drift.runs} runs "
               "of a cell at most)" if runs == 1 else ""),
            f"this run: OpenVINO {now}, {settings.processes} processes a look",
            self.method(),
            *filter(None, [self.machine_line()]),
            *filter(None, [self.reach(settings.drift, runs)]),
            *self.shared_context(),
        ]
        span = baseline.span_note() if baseline.drift is not None else None
        if span:
            context.insert(3, f"NOTE: {span}")
        together = self.common_shift()
        if together:
            context.append(f"NOTE: {together}")
        matrix = self.matrix_line()
        if matrix:
            context.append(matrix)
        if settings.cross_machine:
            diffs = machine_differences(baseline.fingerprint, self.fingerprint)
            context.append(f"CROSS-MACHINE comparison ({'; '.join(diffs)})")
        return context

    def ab_context(self) -> list[str]:
        import platform

        settings, worker = self.settings, self.ab_info or {}
        return [
            f"A (processes of this Python): OpenVINO {self.fingerprint['software']['openvino']}, "
            f"Python {platform.python_version()}",
            f"B (processes of {settings.ab_python}): OpenVINO {worker.get('openvino')}, Python {worker.get('python')}",
            f"{settings.processes} pairs of processes a look, rounds alternating ABBA / BAAB; ratio = B/A "
            "(below 1: B is slower)",
            self.method(),
            *self.shared_context(),
        ]

    def method(self) -> str:
        """How the verdicts were reached, in one line."""
        settings = self.settings
        drift = settings.drift
        # a run counted as its best processes: one look, and a regression confirmed (ovperf.stats.judge)
        best = settings.ab_python is None and drift is not None and drift.statistic == defaults.BEST
        if settings.ab_python is not None:
            test = ("the pair of A and B processes run together; sign-flip permutation test on the pairs' log-ratios: "
                    "'ratio (CI)' is the verdict's, the geometric mean of the pairs' ratios; the median pair ratio "
                    "beside it is a distribution-free check (sign test), which no verdict uses")
        elif best:
            test = (f"the run; t-test of this run's number against the mean of the baseline runs' numbers, a run's "
                    f"number being the best round to expect from {defaults.BEST_OF} of its processes (each "
                    f"process's best of its {settings.rounds} rounds), the drift between runs "
                    f"({drift.describe()}) in its standard error, and what a run of fewer processes than "
                    f"the baseline's spreads beyond it (a bootstrap of the baseline's processes)")
        elif drift is not None:
            test = (f"the run; t-test of this run's mean against the mean of the baseline's runs, the drift between "
                    f"runs ({drift.describe()}) in its standard error (a process's number is the median of its "
                    f"{settings.rounds} rounds)")
        else:
            test = (f"the process; permutation test on per-process medians (a process's number is the median of "
                    f"its {settings.rounds} rounds)")
        looks = (f"at each look: a regressed cell is confirmed by new processes measured over "
                 f"{settings.confirm_time:g} s, which must show it too; only those that ran at the machine's "
                 f"usual speed this session (by the units kernel where the baseline measured the same one, else "
                 f"by the numpy kernel) count, for up to {settings.confirm_wait:g} s more, once a slow period "
                 f"and not in a session below {SLOW_SESSION:.0%} of the baseline's speed (a slow period that "
                 "outlasts it leaves the cell not judged)"
                 + ("; with FPS read at the baseline's machine speed, by this session's own usual speed, and in a "
                    "session far below the baseline's too, its processes and the baseline's it counts each read at the "
                    "machine speed they ran at" if self.machine_level is not None else "")
                 if best
                 else "split over the looks the cell's time holds (at most 4"
                 + (f"; at least {settings.min_looks} at its first look's pace" if settings.min_looks > 1 else "") + ")")
        return (
            f"unit: {test}; alpha "
            f"{settings.alpha:g} {looks}; "
            f"threshold {settings.max_regression:.0%}; a shown slowdown is slower, not regressed, only when its "
            f"lower bound at the miss rate {settings.miss_rate:g} (split as alpha) lies within the threshold"
        )

    @property
    def machine_level(self) -> Any:
        """The stored baseline's machine level (``ovperf.noise.MachineLevel``) where FPS may be read
        at the baseline's machine speed (``--ov-machine-adjust``), else None."""
        return getattr(self.settings.baseline, "machine_level", None) if self.settings is not None else None

    @property
    def machine_factors(self) -> list[float]:
        """The factors the cells' verdicts multiplied this run's FPS by (``machine_factor``), each
        once, in order: empty where every verdict judged FPS as measured, as with a baseline that
        has a machine level but a session that measured none."""
        return sorted({round(r["machine_factor"], 3) for r in self.results if r.get("machine_factor")})

    def machine_line(self) -> str | None:
        """How the verdicts took the machine's speed out (``--ov-machine-adjust``): by the factors
        the cells' verdicts used (``machine_factor``), or where none did, by the session's
        processes so far; None where they judge FPS as measured."""
        import statistics

        level = self.machine_level
        if level is None:
            return None
        factors = self.machine_factors
        judged = level.level_of(statistics.median(factors)) if factors else None
        session = judged if judged is not None else self.usual.level(level.kernel)
        if session is None:
            return level.unmeasured(self.usual.shared(level.kernel))
        counted = (f"x{factors[0]:.3f}-x{factors[-1]:.3f}, by the session's processes when each cell was judged"
                   if len(factors) > 1 else f"x{factors[0] if factors else level.factor(session):.3f}")
        return (f"FPS at the baseline's machine speed (--ov-machine-adjust auto): each run's FPS, the baseline's "
                f"and this one's, divided by how fast its units kernel ran, to the power of the slope at which FPS "
                f"follows it; {level.describe(session)}, so this "
                f"run's FPS counts {counted} (the drift above is the baseline's so adjusted)")

    def reach(self, drift: Any, baseline_runs: int) -> str | None:
        """What one run can catch against a baseline whose runs drift so much, when the run is
        the unit and counts its best processes (:func:`ovperf.stats.reach_line`); else None."""
        from ovperf.stats import reach_line

        settings = self.settings
        if drift is None or drift.statistic != defaults.BEST:
            return None
        return reach_line(drift, baseline_runs, settings.alpha, settings.miss_rate, settings.max_regression,
                          processes=settings.processes)

    def shared_context(self) -> list[str]:
        """Lines every report carries: an injected slowdown, loudly, and how much of the machine the run got."""
        from ovperf.noise import MachineShare

        lines = []
        if self.settings.inject_slowdown:
            lines.append(f"**INJECTED SLOWDOWN {self.settings.inject_slowdown:.0%}**: this run was made slower on "
                         "purpose (--ov-inject-slowdown) to measure the gate")
        shares = [r["machine_share"] for r in self.results if r.get("machine_share")]
        if shares:
            mean = {k: sum(s[k] for s in shares) / len(shares) for k in ("own", "other", "steal")}
            lines.append(MachineShare(mean["own"], mean["other"], mean["steal"], 0.0).describe()
                         + " (mean over the measured rounds)")
        return lines

    @property
    def comparison_title(self) -> str:
        if self.settings.ab_python is not None:
            return "interleaved A/B verdicts (B against A)"
        return f"verdicts against {self.settings.baseline.name}"

    def report_text(self) -> str:
        """``--ov-report``: the verdict table of a comparison, or the throughput table of a plain run."""
        from ovperf.summary import markdown_table, speedup_table
        from ovperf.verdicts import AB_SIDES, verdicts_markdown

        settings = self.settings
        if settings.baseline is not None or settings.ab_python is not None:
            sides = AB_SIDES if settings.ab_python is not None else None
            title = "Interleaved A/B verdicts" if sides else "OpenVINO throughput verdicts"
            return verdicts_markdown(self.verdicts, title, self.report_context(), sides)
        lines = ["# OpenVINO throughput", ""] + [f"- {line}" for line in self.shared_context()]
        return "\n".join(lines + ["", markdown_table(speedup_table(self.results))]) + "\n"


class StartError(Exception):
    """Why the run cannot start, in one line (the pytest side makes it a usage error)."""


#: Settings fields and the options they come from (``ovperf.settings.make_settings`` checks them).
SETTINGS_OPTIONS = {
    "devices": "--ov-devices", "hints": "--ov-hints", "batches": "--ov-batches", "modes": "--ov-modes",
    "precisions": "--ov-precisions", "extra_config": "--ov-config", "frames": "--ov-frames",
    "rounds": "--ov-rounds", "processes": "--ov-processes", "inject_slowdown": "--ov-inject-slowdown",
    "speed_adjust": "--ov-speed-adjust", "machine_adjust": "--ov-machine-adjust", "run_statistic": "--ov-run-statistic", "process_order": "--ov-process-order", "warmup_rounds": "--ov-warmup-rounds", "image": "--ov-image",
    "weights": "--ov-weights", "onnx": "--ov-onnx", "ir_precision": "--ov-ir-precision",
    "max_regression": "--ov-max-regression", "alpha": "--ov-alpha",
    "miss_rate": "--ov-miss-rate", "max_time": "--ov-max-time", "confirm_time": "--ov-confirm-time",
    "confirm_wait": "--ov-confirm-wait",
    "save_baseline_force": "--ov-save-baseline-force", "save_baseline_subset": "--ov-save-baseline-subset",
    "parity": "--ov-parity", "perf_counters": "--ov-perf-counters", "ab_python": "--ov-ab-python",
    "worker_timeout": "ov_worker_timeout",
}
#: Settings fields that are paths the run writes.
PATH_OPTIONS = {"report": "--ov-report", "save_images": "--ov-save-images"}


def start(option: Callable[[str], Any], path: Callable[[str], Path | None], *, baseline_dir: Path,
          cache_dir: Path, history_url: str | None) -> SuiteRun:
    """Check the options and open what a measuring run needs, before anything is measured.

    ``option(name)`` is an option's parsed value and ``path(name)`` a path option, resolved.
    In order: OpenVINO's telemetry declined, the Core and the machine's fingerprint, the
    baseline plan, every option checked together (:func:`ovperf.settings.make_settings`),
    every path the run writes, the lock on a baseline it saves (then the file re-read under
    it), a baseline too small to decide, the B side of an A/B run, the history. Raises
    :class:`StartError`; a lock taken before the error is released.
    """
    from ovperf import baseline as bl
    from ovperf.offline import configure_ultralytics, decline_openvino_telemetry
    from ovperf.settings import SettingsError, check_writable, frames_or_default, make_settings

    run = SuiteRun()
    configure_ultralytics(cache_dir / "ultralytics-settings")
    notice = decline_openvino_telemetry()
    if notice:
        run.notices.append(notice)
    import openvino

    from ovperf.machine import machine_info

    run.core = openvino.Core()
    version = openvino.get_version()
    run.fingerprint = bl.machine_fingerprint(machine_info(run.core), version)
    try:
        # The frames this run will use, default resolved once: the baseline plan checks them
        # against a baseline it appends to, and the settings carry them.
        given = {field: option(name) for field, name in SETTINGS_OPTIONS.items()}
        given["frames"] = frames_or_default(given["frames"], given["batches"], ab=bool(given["ab_python"]))
        plan = bl.plan(
            baseline_dir, option("--ov-baseline"), option("--ov-save-baseline"),
            force=option("--ov-save-baseline-force"), append=option("--ov-save-baseline-append"),
            allow_foreign=option("--ov-allow-foreign-baseline"), frames=given["frames"],
            version=version, fingerprint=run.fingerprint,
        )
        settings = make_settings(
            available_devices=run.core.available_devices, cache_dir=cache_dir,
            baseline=plan.baseline, save_baseline=plan.save_path, append_to=plan.append_to,
            cross_machine=plan.cross_machine, **given,
            **{field: path(name) for field, name in PATH_OPTIONS.items()},
        )
        targets = [("--ov-report", settings.report, False), ("--ov-save-images", settings.save_images, True),
                   ("--ov-cache-dir", settings.cache_dir, True), ("--benchmark-json", path("--benchmark-json"), False)]
        if settings.save_baseline is not None:
            targets.append(("--ov-baseline-dir", settings.save_baseline.parent, True))
        for name, target, directory in targets:
            if target is not None:
                check_writable(name, target, directory=directory)
    except (SettingsError, bl.BaselineError) as exc:
        raise StartError(str(exc)) from None
    if settings.baseline is not None and settings.machine_adjusts and not settings.cross_machine:
        # judged at the baseline's machine speed where both sides measure this build's units kernel
        settings = replace(settings, baseline=bl.at_machine_speed(settings.baseline, version))
    run.settings = settings
    try:
        if settings.save_baseline is not None:
            lock = bl.SaveLock(settings.save_baseline)
            lock.acquire()
            run.save_lock = lock
            if settings.append_to is not None:  # re-read under the lock: what is merged is what is on disk now
                run.settings = settings = replace(settings, append_to=bl.load(settings.save_baseline))
        if settings.baseline is not None and (why := bl.undecidable(settings.baseline, settings.processes, settings.alpha)):
            raise StartError(why)
        if settings.ab_python is not None:
            run.ab_info = _hello(settings)
        if history_url:  # opened now, so a bad URL or a newer schema stops the run before it measures
            from ovperf.history import HistoryError, open_store

            try:
                run.history = open_store(history_url)
                if settings.baseline is not None:
                    where = (settings.baseline.cells, run.fingerprint["machine"], settings.frames)
                    # a baseline of one run: the history's runs of this machine say how far runs drift
                    drift, parts = run.history.drifts(*where, statistic=settings.run_statistic)
                    run.settings = settings = replace(
                        settings, history_drift=drift if settings.baseline.drift is None else None, drift_parts=parts)
            except HistoryError as exc:
                raise StartError(f"--ov-history: {exc}") from None
        if settings.baseline is not None and settings.drift_parts is None:
            run.settings = settings = replace(settings, drift_parts=settings.baseline.drift_parts)
        if settings.baseline is not None:
            from ovperf.measure import seed_usual

            seed_usual(run.usual, settings.baseline.cells)
    except (StartError, bl.BaselineError) as exc:
        if run.save_lock is not None:
            run.save_lock.release()
        raise StartError(str(exc)) from None
    return run


def _hello(settings: Settings) -> dict:
    """Start a B process once now, so a Python without OpenVINO is a usage error, not N failed cells."""
    from ovperf.client import WorkerClient, WorkerError

    with WorkerClient(settings.ab_python, timeout=settings.worker_timeout) as client:
        try:
            return client.start()
        except WorkerError as exc:
            raise StartError(f"--ov-ab-python {settings.ab_python}: {exc}") from None
