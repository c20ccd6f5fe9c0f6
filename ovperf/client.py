"""The coordinator's end of a measuring process (:mod:`ovperf.worker`).

:class:`WorkerClient` drives one ``PYTHON -m ovperf.worker`` process over JSON
lines, with a deadline on every answer: a worker that dies, hangs or answers
nonsense raises :class:`WorkerError` with one line (and the tail of its stderr),
and the worker is killed. Only the cell it was measuring fails.
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
from typing import Any

from ovperf.noise import QUIET_BLAS_ENV

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
        env.update(QUIET_BLAS_ENV)  # the speed kernel must not leave threads spinning into a round
        try:
            self.process = subprocess.Popen(
                [str(self.python), "-m", "ovperf.worker"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr,
                env=env, cwd=SOURCE_ROOT, bufsize=0,
            )
        except OSError as exc:
            raise WorkerError(f"cannot start the measuring process {self.python}: {exc.strerror}") from None
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
            raise WorkerError(f"the measuring process ({self.describe()}) refused {op!r}: {answer.get('error')}")
        answer.pop("ok")
        return answer

    def _read_line(self, op: str, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                self.kill()
                raise WorkerError(
                    f"the measuring process ({self.describe()}) did not answer {op!r} within {timeout:g} s; "
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
            answer = json.loads(line)
        except ValueError:
            answer = None
        if not isinstance(answer, dict) or not isinstance(answer.get("ok"), bool):
            self.kill()
            raise WorkerError(f"the measuring process ({self.describe()}) answered {op!r} with {line[:80]!r}")
        return answer

    def describe(self) -> str:
        version = self.info.get("openvino")
        return f"{self.python}, OpenVINO {version}" if version else str(self.python)

    def _death(self, op: str) -> str:
        code = self.process.poll() if self.process else None
        return (
            f"the measuring process ({self.describe()}) exited with code {code} during {op!r}"
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

    def __enter__(self) -> "WorkerClient":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
