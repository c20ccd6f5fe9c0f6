"""Option values: parsed once, validated once, frozen.

The ``parse_*`` functions are argparse ``type=`` validators (they raise
``argparse.ArgumentTypeError`` with a message that names the bad value), in the
style of pytest-benchmark's ``utils.parse_*``. :func:`make_settings` does the
checks that need several options, or the list of devices, and raises
:class:`SettingsError`; the pytest plugin turns that into ``pytest.UsageError``.
"""
from __future__ import annotations

import argparse
import math
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Sequence

from ovperf import defaults
from ovperf.matrix import HINTS, MODES, PRECISIONS, VIRTUAL_DEVICES

#: Device families OpenVINO knows; anything else in --ov-devices is a typo.
PHYSICAL_FAMILIES = ("CPU", "GPU", "NPU")
IR_PRECISIONS = ("fp16", "fp32")

DEFAULT_HINTS = HINTS
DEFAULT_BATCHES = (1, 4)
DEFAULT_MODES = MODES
DEFAULT_PRECISIONS = ("default",)
#: About three seconds a round for the slowest OpenVINO cell on a 2-core CPU.
DEFAULT_FRAMES = 48
#: Measured rounds per process. Rounds of one process vary little (1.9% on the bf16 host)
#: next to processes (7.9%), so the time goes to processes, not rounds.
DEFAULT_ROUNDS = 2
#: Processes per cell. A plain run only reports; a baseline is compared against many
#: times; a comparison needs enough processes on both sides for the permutation test to
#: reach its alpha at the first look (6 baseline + 6 current: p >= 1/924), and against a
#: baseline of several runs a look as large as its runs is judged at their drift alone
#: (``ovperf.defaults.COMPARE_PROCESSES``).
DEFAULT_PROCESSES = 2
DEFAULT_BASELINE_PROCESSES = 6
DEFAULT_COMPARE_PROCESSES = defaults.COMPARE_PROCESSES
#: A/B judges pairs by sign flips: n pairs give p >= 2**-n, so 8 pairs (1/256) can decide
#: at the first look with alpha 0.01 over one or two looks.
DEFAULT_AB_PROCESSES = 8
#: An A/B pair's rounds alternate between its two processes (ABBA / BAAB), so the more
#: alternations, the more of the machine's moods the pair shares and its ratio cancels.
#: Six rounds of 16 frames measure as many frames as two of 48, in about 10% more time a
#: pair, and on the bf16 host (Intel, AMX) gave a pair SD of 2.7% against 4.2%, lower in
#: every cell (report/measured.md, "Where the A/B's noise lives"). Plain runs and baselines keep 2 x 48:
#: without a partner, more rounds buy a process nothing.
DEFAULT_AB_ROUNDS = 6
DEFAULT_AB_FRAMES = 16
DEFAULT_MAX_TIME = 60.0
#: An A/B cell's budget: room for a second (and, at 33 s a look, a third) look of 8 pairs
#: where the first leaves a cell undecided: an interval across 1 or 0.95, most often a
#: slowdown of 3-5% whose size the first look cannot yet place. On the Intel AMX host a
#: look took 30-55 s, so at 60 s no second look fitted and a 3% slowdown read `slower` with
#: its CI below 1 in 25 of 32 cells (report/measured.md, "Intel AMX host (2026-12-04"). Cells the first look
#: decides, unchanged code among them, still take one look; the first look keeps its full
#: power (``ovperf.stats.FIRST_LOOK_SHARE``). At 100 s, on the same host before an ``unchanged``
#: look that leans took the next one (report/measured.md, "Intel AMX host (2026-12-05, 09:18-11:42
#: UTC)"): 19 of 56 cells with 3% injected took a second look and 13 of them then read
#: `slower`, 41 of 56 in all; 85 of 88 unchanged cells took one look; 44 s a cell. With the
#: leaning look (README, "The gate at 5-10%"): 66 of 80, and 48 s a cell.
DEFAULT_AB_MAX_TIME = 100.0
#: Seconds a measuring process may take over one request (a compile, a round) before it counts as hung.
DEFAULT_WORKER_TIMEOUT = 300.0
#: Unmeasured rounds after the compile and the first inference. None by default: on the f32
#: machine the first measured round was not slower than the later ones (README, "Warm-up").
DEFAULT_WARMUP_ROUNDS = 0


class SettingsError(ValueError):
    """A combination of options that cannot run; the message is shown as is."""


def _csv(value: str) -> list[str]:
    items = [item.strip() for item in value.split(",")]
    if not value.strip() or any(not item for item in items):
        raise argparse.ArgumentTypeError(f"expected a comma-separated list, got {value!r}")
    return items


def _whole_number(value: str, minimum: int) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < minimum:
        raise argparse.ArgumentTypeError(f"{value!r} must be {minimum} or more")
    return number


def positive_int(value: str) -> int:
    return _whole_number(value, 1)


def non_negative_int(value: str) -> int:
    return _whole_number(value, 0)


def path_given(value: str) -> str:
    """A path option's value; an empty one (``--ov-report=``) is an error, not "off"."""
    if not value.strip():
        raise argparse.ArgumentTypeError("an empty path; give a file or folder, or leave the option out")
    return value


def parse_batches(value: str) -> tuple[int, ...]:
    """``"1,4"`` -> ``(1, 4)``; every batch is a whole number of 1 or more."""
    batches: list[int] = []
    for item in _csv(value):
        try:
            batch = positive_int(item)
        except argparse.ArgumentTypeError as exc:
            raise argparse.ArgumentTypeError(f"batch {exc}") from None
        if batch not in batches:
            batches.append(batch)
    return tuple(batches)


def _choices(name: str, allowed: Sequence[str], normalise: Callable[[str], str]) -> Callable[[str], tuple[str, ...]]:
    def parse(value: str) -> tuple[str, ...]:
        chosen: list[str] = []
        for item in _csv(value):
            canonical = {normalise(a): a for a in allowed}.get(normalise(item))
            if canonical is None:
                raise argparse.ArgumentTypeError(
                    f"unknown {name} {item!r}; choose from {', '.join(allowed)}"
                )
            if canonical not in chosen:
                chosen.append(canonical)
        return tuple(chosen)

    parse.__name__ = f"parse_{name}s"
    return parse


parse_hints = _choices("hint", HINTS, lambda s: s.upper().replace("-", "_"))
parse_modes = _choices("mode", MODES, str.lower)
parse_precisions = _choices("precision", PRECISIONS, str.lower)


def parse_fraction(value: str) -> float:
    """``5%`` or ``0.05`` -> ``0.05``; between 0 and 1, exclusive."""
    text = value.strip()
    try:
        number = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a percentage such as 5% or 0.05") from None
    if not 0 < number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} must lie between 0% and 100%")
    return number


def _finite_float(value: str, within: Callable[[float], bool], bound: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number") from None
    if not math.isfinite(number) or not within(number):
        raise argparse.ArgumentTypeError(f"{value!r} must be a finite number {bound}")
    return number


def positive_float(value: str) -> float:
    """A finite number above 0 (``inf`` would let a deadline or a time budget never end)."""
    return _finite_float(value, lambda x: x > 0, "above 0")


def non_negative_float(value: str) -> float:
    """A finite number of 0 or more (a wait that may be none)."""
    return _finite_float(value, lambda x: x >= 0, "of 0 or more")


def parse_slowdown(value: str) -> float:
    """``5%`` or ``0.05`` -> ``0.05``: the FPS drop to inject, below 90%."""
    number = parse_fraction(value)
    if number > 0.9:
        raise argparse.ArgumentTypeError(f"{value!r}: inject at most 90%")
    return number


def parse_ir_precision(value: str) -> str:
    if value.lower() not in IR_PRECISIONS:
        raise argparse.ArgumentTypeError(
            f"unknown IR precision {value!r}; choose from {', '.join(IR_PRECISIONS)}"
        )
    return value.lower()


def parse_devices(value: str) -> tuple[str, ...]:
    """A comma list of devices, or one virtual device with its own list.

    ``CPU,AUTO`` -> ``("CPU", "AUTO")``; ``MULTI:CPU,GPU`` -> ``("MULTI:CPU,GPU",)``.
    The option is repeatable, so ``--ov-devices CPU --ov-devices MULTI:CPU,GPU``
    asks for both. Only the spelling is checked here; availability is checked
    against the machine in :func:`make_settings`.
    """
    value = value.strip()
    if ":" in value:
        family, _, targets = value.partition(":")
        return (f"{family.strip().upper()}:{','.join(t.upper() for t in _csv(targets))}",)
    return tuple(item.upper() for item in _csv(value))


def unknown_device(device: str) -> str | None:
    """The part of ``device`` that names no OpenVINO device family, or None.

    A known family that this machine lacks (GPU on a CPU-only host) is not
    unknown: its cells are collected and skip with a reason.
    """
    family, sep, targets = device.partition(":")
    if sep:
        if family not in VIRTUAL_DEVICES:
            return device
        return next((t for t in targets.split(",") if unknown_device(t)), None)
    if family.split(".", 1)[0] not in PHYSICAL_FAMILIES + VIRTUAL_DEVICES:
        return device
    return None


def parse_config_item(value: str) -> tuple[str, str]:
    """``INFERENCE_NUM_THREADS=1`` -> ``("INFERENCE_NUM_THREADS", "1")``."""
    key, sep, val = value.partition("=")
    if not sep or not key.strip() or not val.strip():
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {value!r}")
    return key.strip(), val.strip()


def python_executable(value: str) -> Path:
    """An executable file, made absolute but not resolved: a venv's ``bin/python`` is a
    symlink, and following it would leave the venv."""
    path = Path(value).expanduser()
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"no such file: {path}")
    if not os.access(path, os.X_OK):
        raise argparse.ArgumentTypeError(f"not executable: {path}")
    return path.absolute()


def weights_file(value: str) -> Path:
    """An existing PyTorch ``.pt`` file (an ``.onnx`` goes to --ov-onnx)."""
    path = existing_file(value)
    if path.suffix == ".onnx":
        raise argparse.ArgumentTypeError(f"{path} is an ONNX file; give it with --ov-onnx")
    if path.suffix != ".pt":
        raise argparse.ArgumentTypeError(f"{path}: expected an ultralytics .pt file")
    return path


def existing_file(value: str) -> Path:
    path = Path(value).expanduser()
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"no such file: {path}")
    return path.resolve()


@dataclass(frozen=True)
class Settings:
    """Everything a run needs to know, validated. One instance per session."""

    devices: tuple[str, ...]
    hints: tuple[str, ...] = DEFAULT_HINTS
    batches: tuple[int, ...] = DEFAULT_BATCHES
    modes: tuple[str, ...] = DEFAULT_MODES
    precisions: tuple[str, ...] = DEFAULT_PRECISIONS
    extra_config: tuple[tuple[str, str], ...] = ()
    frames: int = DEFAULT_FRAMES
    rounds: int = DEFAULT_ROUNDS
    #: Fresh processes per cell (per side in A/B).
    processes: int = DEFAULT_PROCESSES
    #: ``--ov-inject-slowdown`` as a fraction: busy work added to the measured side, or 0.
    inject_slowdown: float = 0.0
    #: Judge stored-baseline comparisons on FPS adjusted for the machine's speed.
    speed_adjust: bool = False
    #: ``auto``: judge a stored baseline's comparisons at its machine speed by the units kernel
    #: where it can (``ovperf.baseline.at_machine_speed``); ``off``: FPS as measured.
    machine_adjust: str = defaults.AUTO
    #: What one run of a cell counts as when the run is the unit (``ovperf.stats.run_value``):
    #: ``best`` or ``mean`` (``--ov-run-statistic``; not given: ``mean`` with ``speed_adjust``).
    run_statistic: str = defaults.RUN_STATISTIC
    warmup_rounds: int = DEFAULT_WARMUP_ROUNDS
    #: ``spread`` or ``cell`` (``--ov-process-order``; not given: ``spread``, ``cell`` in A/B).
    process_order: str = defaults.SPREAD
    image: Path | None = None
    weights: Path | None = None
    onnx: Path | None = None
    ir_precision: str = defaults.IR_PRECISION
    cache_dir: Path = Path(".ovperf-cache")
    available_devices: tuple[str, ...] = field(default=(), compare=False)
    imgsz: int = defaults.IMAGE_SIZE
    max_regression: float = defaults.MAX_REGRESSION
    alpha: float = defaults.ALPHA
    #: A shown slowdown within the threshold at this one-sided level reads ``slower``, else ``regressed``.
    miss_rate: float = defaults.MISS_RATE
    #: Seconds one cell may spend, re-measuring included, before an unclear verdict is "unstable".
    max_time: float = DEFAULT_MAX_TIME
    #: Looks a cell's budget holds at least, at its first look's pace, however long ``max_time``
    #: (``ovperf.measure.cell_budget``): ``defaults.AB_MIN_LOOKS`` in an A/B run whose
    #: ``--ov-max-time`` was not given, else 1 (the budget is ``max_time``).
    min_looks: int = 1
    #: Seconds of new processes that confirm a regression of a run counted by its best processes.
    confirm_time: float = defaults.CONFIRM_SECONDS
    #: Seconds more a confirmation may take for enough processes at the machine's usual speed.
    confirm_wait: float = defaults.CONFIRM_WAIT_SECONDS
    #: The loaded baseline to compare with (an ``ovperf.baseline.Baseline``), or None.
    baseline: Any = None
    #: The drift between this machine's runs from the history (``ovperf.stats.RunDrift``), for
    #: a baseline of one run, which has none of its own; set at start when ``--ov-history`` has it.
    history_drift: Any = None
    #: The drift split into what moves a run's cells together and what moves each on its own
    #: (``ovperf.stats.DriftParts``), for the verdict on the matrix as a whole; set at start from
    #: the history (``--ov-history``), or from the baseline's own runs when it has no history.
    drift_parts: Any = None
    #: Where to save this run as a baseline, or None.
    save_baseline: Path | None = None
    save_baseline_force: bool = False
    #: ``--ov-save-baseline-subset``: a run narrowed to part of the matrix may save.
    save_baseline_subset: bool = False
    #: The baseline this run's rounds are pooled into (``--ov-save-baseline-append``), or None.
    append_to: Any = None
    #: The fingerprint differs from the baseline's and the user allowed it.
    cross_machine: bool = False
    report: Path | None = None
    #: Per-layer timings for every cell (``--ov-perf-counters``), not only regressed ones.
    perf_counters: bool = False
    #: Run benchmark_app after each async cell (``--ov-parity``).
    parity: bool = False
    #: Where to draw each configuration's detections, or None.
    save_images: Path | None = None
    #: The Python of the other OpenVINO release for an interleaved A/B run, or None.
    ab_python: Path | None = None
    #: Seconds a measuring process may take to answer one request before it counts as hung.
    worker_timeout: float = DEFAULT_WORKER_TIMEOUT

    @property
    def drift(self) -> Any:
        """The drift between runs a stored-baseline verdict holds (the run is then its unit):
        the baseline's own runs', else the history's, else None (the process is the unit)."""
        if self.baseline is None:
            return None
        return self.baseline.drift or self.history_drift

    @property
    def machine_adjusts(self) -> bool:
        """Whether a stored baseline is judged at its machine speed where it can be
        (``--ov-machine-adjust auto``, and not with ``--ov-speed-adjust``, which adjusts by the
        numpy kernel process by process instead)."""
        return self.machine_adjust == defaults.AUTO and not self.speed_adjust

    @property
    def compile_extra(self) -> dict[str, str]:
        return dict(self.extra_config)

    @property
    def compress_to_fp16(self) -> bool:
        """The IR is converted with fp16 weights (``--ov-ir-precision fp16``, the default)."""
        return self.ir_precision == "fp16"


#: Compile properties the matrix or the suite itself sets, and why --ov-config may not (keys
#: are compared in upper case: OpenVINO's names are upper case, and a lower-case one would
#: otherwise slip past this check).
CONFIG_OWNED = {
    "PERFORMANCE_HINT": "would override a matrix dimension; use --ov-hints",
    "INFERENCE_PRECISION_HINT": "would override a matrix dimension; use --ov-precisions",
    "NUM_STREAMS": "would change what a cell id measures without the id saying so; "
                   "use a PERFORMANCE_HINT through --ov-hints",
    "PERFORMANCE_HINT_NUM_REQUESTS": "would change what a cell id measures without the id saying so",
    "PERF_COUNT": "would slow every measured round down; use --ov-perf-counters, which profiles apart",
}
#: One 640x640 float32 RGB frame.
FRAME_MIB = 3 * defaults.IMAGE_SIZE * defaults.IMAGE_SIZE * 4 / 2**20


def available_memory_mib() -> float | None:
    """MemAvailable from /proc/meminfo, or None where there is none."""
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def frames_or_default(frames: int | None, batches: Sequence[int], ab: bool) -> int:
    """``--ov-frames`` as given, or its default for this kind of run (A/B or not), rounded
    up to a multiple of every batch."""
    if frames is not None:
        return frames
    lcm = math.lcm(*batches)
    return lcm * math.ceil((DEFAULT_AB_FRAMES if ab else DEFAULT_FRAMES) / lcm)


def make_settings(
    *,
    devices: Sequence[Sequence[str]] | None,
    available_devices: Sequence[str],
    batches: Sequence[int] = DEFAULT_BATCHES,
    frames: int | None = None,
    extra_config: Sequence[tuple[str, str]] = (),
    **rest,
) -> Settings:
    """Combine parsed option values into :class:`Settings`, checking what spans options.

    ``devices`` is the list of parsed ``--ov-devices`` values (each a tuple), or
    None for the default: every available device, plus AUTO.
    """
    if devices:
        chosen: list[str] = []
        for group in devices:
            chosen.extend(d for d in group if d not in chosen)
    else:
        chosen = list(available_devices) + ["AUTO"]
    for device in chosen:
        bad = unknown_device(device)
        if bad:
            raise SettingsError(
                f"unknown device {bad!r} in --ov-devices; available devices: "
                f"{', '.join(list(available_devices) + ['AUTO'])} "
                f"(known but absent ones such as {', '.join(PHYSICAL_FAMILIES)} or "
                f"MULTI:/HETERO: lists are allowed and skip)"
            )
    lcm = math.lcm(*batches)
    frames = frames_or_default(frames, batches, ab=bool(rest.get("ab_python")))
    if frames % lcm:
        raise SettingsError(
            f"--ov-frames {frames} is not a multiple of every batch in --ov-batches "
            f"{','.join(map(str, batches))}; use a multiple of {lcm} (for example {lcm * max(1, round(frames / lcm))}), "
            f"so that no frame is dropped or run twice"
        )
    if rest.get("ab_python") and (rest.get("baseline") is not None or rest.get("save_baseline")):
        flag = "--ov-baseline" if rest.get("baseline") is not None else "--ov-save-baseline"
        raise SettingsError(
            f"--ov-ab-python compares two releases within this run; it does not go with {flag}"
        )
    if rest.get("inject_slowdown") and rest.get("save_baseline"):
        raise SettingsError(
            "--ov-inject-slowdown makes this run slower on purpose; it does not go with --ov-save-baseline"
        )
    if rest.get("onnx") and rest.get("weights"):
        raise SettingsError("--ov-onnx and --ov-weights both name the model; give one")
    if rest.get("processes") is None:
        rest["processes"] = (
            DEFAULT_AB_PROCESSES if rest.get("ab_python") else DEFAULT_BASELINE_PROCESSES if rest.get("save_baseline")
            else DEFAULT_COMPARE_PROCESSES if rest.get("baseline") is not None else DEFAULT_PROCESSES
        )
    order = rest.get("process_order")
    if rest.get("ab_python") and order == defaults.SPREAD:
        raise SettingsError("--ov-process-order spread is for runs of one side; an A/B run pairs its two sides "
                            "cell by cell (give --ov-process-order cell, or leave it out)")
    rest["process_order"] = order or (defaults.CELL if rest.get("ab_python") else defaults.SPREAD)
    if rest.get("rounds") is None:
        rest["rounds"] = DEFAULT_AB_ROUNDS if rest.get("ab_python") else DEFAULT_ROUNDS
    if rest.get("max_time") is None:
        rest["max_time"] = DEFAULT_AB_MAX_TIME if rest.get("ab_python") else DEFAULT_MAX_TIME
        rest["min_looks"] = defaults.AB_MIN_LOOKS if rest.get("ab_python") else 1
    keys = [k.upper() for k, _ in extra_config]
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        raise SettingsError(f"--ov-config sets {', '.join(repeated)} more than once")
    for key, (given, _) in zip(keys, extra_config):
        if key in CONFIG_OWNED:
            raise SettingsError(f"--ov-config {given}=... {CONFIG_OWNED[key]}")
    statistic = rest.get("run_statistic")
    if statistic == defaults.BEST and rest.get("speed_adjust"):
        raise SettingsError("--ov-speed-adjust adjusts each process's median FPS; it goes with "
                            "--ov-run-statistic mean, not best")
    rest["run_statistic"] = statistic or (defaults.MEAN if rest.get("speed_adjust") else defaults.RUN_STATISTIC)
    if rest.get("baseline") is not None:
        rest["baseline"] = replace(rest["baseline"], statistic=rest["run_statistic"])
    # The pytest process and each measuring process alive at once (two in an A/B pair) hold the frames.
    copies = 3 if rest.get("ab_python") else 2
    frames_mib = frames * FRAME_MIB * copies
    available = available_memory_mib()
    if available is not None and frames_mib > available / 2:
        raise SettingsError(
            f"--ov-frames {frames}: the frames alone would take about {frames_mib:,.0f} MiB "
            f"({FRAME_MIB:.1f} MiB a frame, held by {copies} processes at once), more than half of the "
            f"{available:,.0f} MiB this machine has available; use fewer frames"
        )
    return Settings(
        devices=tuple(chosen),
        batches=tuple(batches),
        frames=frames,
        extra_config=tuple(extra_config),
        available_devices=tuple(available_devices),
        **rest,
    )


def check_writable(option: str, path: Path, *, directory: bool) -> None:
    """Refuse at start a target the run could not write at its end: a missing parent that
    cannot be made, a directory where a file goes (or the reverse), a read-only folder, a
    name longer than the file system takes. Creates the folder, as the run would; writes
    and removes a probe file, because permission bits alone do not tell (root, /proc)."""
    import errno
    import tempfile

    folder = path if directory else path.parent
    try:
        if directory and path.exists() and not path.is_dir():
            raise SettingsError(f"{option} {path}: not a directory")
        if not directory and path.is_dir():
            raise SettingsError(f"{option} {path}: is a directory; give a file name")
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".ovperf-probe-"):
            pass
        if not directory:
            limit = os.pathconf(folder, "PC_NAME_MAX")
            if len(path.name.encode()) > limit:
                raise OSError(errno.ENAMETOOLONG, f"file name longer than {limit} bytes")
    except OSError as exc:
        raise SettingsError(f"{option} {path}: cannot write there ({exc.strerror or exc})") from None
