"""The ``cosmos`` command line, built with cyclopts over the SDK.

Command modules load lazily, so ``cosmos --help`` imports neither PyAV nor torch.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Sequence
from typing import NoReturn


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``cosmos`` console script; exits with the command's status.

    The imports create tens of thousands of long-lived objects (classes, functions, type
    annotations) and no garbage, so the cyclic garbage collector is paused while they load and
    the objects are then frozen out of later collections, which cut about 9 ms on the 2-core
    benchmark machine. The collector stays on while the command runs. See :func:`_exit_now` for
    the exit.
    """
    gc.disable()
    try:
        from cosmos.cli.app import run_app
    finally:
        gc.freeze()
        gc.enable()
    status = run_app(list(sys.argv[1:] if argv is None else argv))
    _exit_now(status)


def _exit_now(status: int) -> NoReturn:
    """Flush stdout and stderr, then end the process without the interpreter's teardown.

    Every command has closed its files and joined its threads by the time it returns, and
    Cosmos registers no ``atexit`` handler, so the teardown would only free memory. Skipping it
    saves about 3 ms on ``cosmos optimize run --dry-run`` on the 2-core benchmark machine, and
    more after a real run. A reader that closed stdout early (``cosmos ... | head``) is not an
    error.
    """
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(BrokenPipeError):
            stream.flush()
    os._exit(status)
