"""What every command-line entry point of ovperf shares.

``python -m ovperf.power ... | head`` closes the pipe once ``head`` has its lines; the next
write (or the flush at exit) then raises ``BrokenPipeError``, which Python prints as a
traceback, or as "Exception ignored ... BrokenPipeError" when it comes at shutdown. A
command-line tool reading into a closed pipe should just stop, as ``cat`` does.
"""
from __future__ import annotations

import functools
import os
import signal
import sys
from typing import Callable, TypeVar

#: What a shell reports for a process that SIGPIPE ended (128 + the signal's number), as it
#: would for ``cat`` or ``grep`` in the same pipe.
BROKEN_PIPE_EXIT = 128 + int(getattr(signal, "SIGPIPE", 13))

Main = TypeVar("Main", bound=Callable[..., int])


def entry_point(main: Main) -> Main:
    """Wraps a ``main(argv) -> exit code`` so that a closed standard output ends it quietly.

    The flush inside the wrapper makes a write that was still buffered fail here, where it is
    caught, rather than at interpreter shutdown. Standard output is then pointed at
    /dev/null, the way Python's documentation of SIGPIPE suggests, so that the flush at exit
    does not fail again.
    """

    @functools.wraps(main)
    def run(*args, **kwargs):  # type: ignore[no-untyped-def]
        try:
            try:
                return main(*args, **kwargs)
            finally:
                sys.stdout.flush()
        except BrokenPipeError:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return BROKEN_PIPE_EXIT

    return run  # type: ignore[return-value]
