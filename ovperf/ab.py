"""Interleaved A/B: this process (A) against a worker on another OpenVINO release (B).

Measurements stored at different times drift with the machine's load; rounds
that alternate A, B, A, B within one session see the same load. asv's
``--interleave-rounds`` works the same way. :class:`WorkerClient` drives one
``PYTHON -m ovperf.abworker`` process over JSON lines, with a deadline on every
answer: a worker that dies or hangs raises :class:`WorkerError` with one line
(and the tail of its stderr), the worker is killed, and the next cell starts a
fresh one.
"""
from __future__ import annotations

import json
import os
import selectors
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import numpy as np
from scipy import stats as sps

from ovperf.stats import CONFIDENCE, Comparison, compare

#: The folder that holds the ``ovperf`` package; put on the worker's PYTHONPATH so it
#: runs this same source whatever the other environment has installed.
SOURCE_ROOT = Path(__file__).resolve().parent.parent


class WorkerError(RuntimeError):
    """The worker died, hung or refused a request; the message is one line."""


@dataclass
class WorkerClient:
    python: Path
    #: Seconds to wait for any one answer before the worker counts as hung.
    timeout: float = 300.0
    process: subprocess.Popen | None = field(default=None, init=False)
    info: dict = field(default_factory=dict, init=False)
    #: The worker has this run's model and frames (its ``load`` succeeded).
    loaded: bool = field(default=False, init=False)

    def start(self) -> dict:
        """Start the worker and return its ``hello`` (versions)."""
        self._stderr = tempfile.TemporaryFile(mode="w+b")
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SOURCE_ROOT), env.get("PYTHONPATH")]))
        try:
            self.process = subprocess.Popen(
                [str(self.python), "-m", "ovperf.abworker"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr,
                env=env, cwd=SOURCE_ROOT, bufsize=0,
            )
        except OSError as exc:
            raise WorkerError(f"cannot start the A/B worker {self.python}: {exc.strerror}") from None
        self._selector = selectors.DefaultSelector()
        self._selector.register(self.process.stdout, selectors.EVENT_READ)
        self._buffer = b""
        self.info = self.call("hello")
        return self.info

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def call(self, op: str, timeout: float | None = None, **args: Any) -> dict:
        """Send one request and wait for its answer."""
        if not self.alive:
            raise WorkerError(self._death(op))
        try:
            self.process.stdin.write((json.dumps({"op": op, **args}) + "\n").encode())
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            raise WorkerError(self._death(op)) from None
        answer = self._read_line(op, self.timeout if timeout is None else timeout)
        if not answer.get("ok"):
            raise WorkerError(f"the A/B worker ({self.describe()}) refused {op!r}: {answer.get('error')}")
        answer.pop("ok")
        return answer

    def _read_line(self, op: str, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                self.kill()
                raise WorkerError(
                    f"the A/B worker ({self.describe()}) did not answer {op!r} within {timeout:g} s; "
                    f"killed it (raise --ov-ab-timeout if the cell is just slow)"
                )
            if not self._selector.select(left):
                continue
            chunk = os.read(self.process.stdout.fileno(), 65536)
            if not chunk:
                self.process.wait(timeout=10)
                raise WorkerError(self._death(op))
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        try:
            return json.loads(line)
        except ValueError:
            self.kill()
            raise WorkerError(f"the A/B worker ({self.describe()}) answered {op!r} with {line[:80]!r}") from None

    def describe(self) -> str:
        version = self.info.get("openvino")
        return f"{self.python}, OpenVINO {version}" if version else str(self.python)

    def _death(self, op: str) -> str:
        code = self.process.poll() if self.process else None
        return (
            f"the A/B worker ({self.describe()}) exited with code {code} during {op!r}"
            + (f": {self.stderr_tail()}" if self.stderr_tail() else "")
        )

    def stderr_tail(self) -> str:
        """The worker's last stderr line that says something."""
        if not hasattr(self, "_stderr"):
            return ""
        self._stderr.seek(0)
        lines = [ln.strip() for ln in self._stderr.read().decode(errors="replace").splitlines() if ln.strip()]
        return lines[-1] if lines else ""

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)

    def close(self) -> None:
        """Ask the worker to quit; kill it if it does not."""
        if self.alive:
            try:
                self.call("quit", timeout=30)
                self.process.wait(timeout=30)
            except (WorkerError, subprocess.TimeoutExpired):
                pass
        self.kill()
        if hasattr(self, "_selector"):
            self._selector.close()
        if self.process is not None:
            for pipe in (self.process.stdin, self.process.stdout):
                pipe.close()
            self._stderr.close()
        self.process = None


@dataclass(frozen=True)
class ABResult:
    """One cell: B against A from interleaved rounds."""

    #: The verdict, ratio and unpaired bootstrap CI, from the same statistics as a baseline comparison.
    comparison: Comparison
    #: Median of the per-pair ratios B_i/A_i and its distribution-free CI (sign test):
    #: drift common to a pair cancels. The CI is None with fewer than MIN_PAIRS_FOR_CI pairs.
    paired_ratio: float
    paired_ci_low: float | None
    paired_ci_high: float | None

    @property
    def paired(self) -> tuple[float, float | None, float | None]:
        """(ratio, CI low, CI high), as :class:`ovperf.verdicts.CellVerdict` takes it."""
        return self.paired_ratio, self.paired_ci_low, self.paired_ci_high

    def as_dict(self) -> dict:
        return {
            **self.comparison.as_dict(),
            "paired_ratio": self.paired_ratio,
            "paired_ci_low": self.paired_ci_low,
            "paired_ci_high": self.paired_ci_high,
        }


#: The fewest pairs for which a 95% distribution-free CI of a median exists: with n pairs the
#: widest such interval, [min, max], covers the median with probability 1 - 2 * 0.5**n.
MIN_PAIRS_FOR_CI = 6


def paired_ratio_ci(
    a_fps: Sequence[float], b_fps: Sequence[float]
) -> tuple[float, float | None, float | None]:
    """Median of B_i/A_i over interleaved pairs, with its sign-test CI (order statistics).

    A percentile bootstrap of the median was the first choice here, but with 8 pairs it
    missed a true ratio of 1.0 in 9.5% of simulated A/A runs against the 5% it promises
    (tests/test_ab.py). The sign-test interval (``scipy.stats.quantile_test``) holds its
    level at any n and for any distribution of the ratios, at the price of being wider.
    """
    ratios = np.asarray(b_fps, dtype=float) / np.asarray(a_fps, dtype=float)
    median = float(np.median(ratios))
    if len(ratios) < MIN_PAIRS_FOR_CI:
        return median, None, None
    ci = sps.quantile_test(ratios, q=1.0, p=0.5).confidence_interval(CONFIDENCE)
    return median, float(ci.low), float(ci.high)


def ab_result(a_fps: Sequence[float], b_fps: Sequence[float], max_regression: float, alpha: float) -> ABResult:
    """B against A: the baseline comparison's verdict with A as the baseline, plus the paired ratio."""
    if len(a_fps) != len(b_fps):
        raise ValueError(f"interleaved rounds come in pairs; got {len(a_fps)} A and {len(b_fps)} B")
    comparison = compare(a_fps, b_fps, max_regression, alpha)
    ratio, low, high = paired_ratio_ci(a_fps, b_fps)
    return ABResult(comparison=comparison, paired_ratio=ratio, paired_ci_low=low, paired_ci_high=high)


class WorkerCell:
    """One configuration compiled in the worker: B's side of an interleaved cell."""

    def __init__(self, client: WorkerClient, cell: Any, extra: dict[str, str]) -> None:
        from dataclasses import asdict

        self.client = client
        answer = client.call("compile", cell=asdict(cell), extra=extra)
        self.compile_ms: float = answer["compile_ms"]
        #: ``ovperf.runner.Resolved`` as a dict: what the worker's OpenVINO chose.
        self.resolved: dict = answer["resolved"]

    def first_inference_ms(self) -> float:
        return self.client.call("first")["first_infer_ms"]

    def round_seconds(self) -> float:
        return self.client.call("round")["seconds"]

    def release(self) -> None:
        if self.client.alive:
            try:
                self.client.call("release")
            except WorkerError:
                pass

