"""The root cyclopts app, error reporting and exit codes."""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import signal
import sys
import threading
import traceback
from types import FrameType
from typing import Any

from cyclopts import App, CycloptsError

import cosmos
from cosmos.cli.output import (
    EXIT_INTERRUPTED,
    EXIT_INVALID_INPUT,
    EXIT_OK,
    EXIT_PROCESSING,
    EXIT_USAGE,
    cli_wording,
    exit_code_for,
    print_error,
    set_command_line,
)
from cosmos.sdk.errors import CosmosError


def build_app() -> App:
    app = App(
        name="cosmos",
        help="Provenance-first video toolkit: probe, ingest, and trace every output by sha256.\n\n"
        "Every command also takes --verbose (INFO logs and tracebacks on stderr) and --yes or "
        "--no-input (accepted for automation; Cosmos never prompts).",
        version=cosmos.__version__,
        # run_app reports an interruption itself: one error line and the exit status.
        suppress_keyboard_interrupt=False,
    )
    app.command(
        "cosmos.cli.ingest:app",
        name="ingest",
        help="Ingest recordings into normalized H.264 MP4 clips.",
    )
    app.command(
        "cosmos.cli.crop:app",
        name="crop",
        help="Cut square or rectangular views out of videos.",
    )
    app.command(
        "cosmos.cli.process:process",
        name="process",
        help="Ingest a folder, then crop every produced clip.",
    )
    app.command(
        "cosmos.cli.provenance:app",
        name="provenance",
        help="Trace files by sha256: lookups, maps and verification.",
    )
    app.command(
        "cosmos.cli.lineage:app",
        name="lineage",
        help="Build and query the lineage graph of artifacts.",
    )
    app.command(
        "cosmos.cli.optimize:app",
        name="optimize",
        help="Remux or transcode videos to fast-start MP4.",
    )
    app.command(
        "cosmos.cli.video:app",
        name="video",
        help="Probe video files, list frame timestamps, export frames.",
    )
    app.command(
        "cosmos.cli.doctor:doctor",
        name="doctor",
        help="Show the resolved FFmpeg, working encoders and optional backends.",
    )
    return app


class _LowercaseLevel(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname.lower()}: {cli_wording(record.getMessage())}"


def _configure_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_LowercaseLevel())
    logger = logging.getLogger("cosmos")
    logger.handlers = [handler]
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
    logger.propagate = False


# File-system errors that fail the work rather than point at a bad input: no space left, quota
# exceeded, an I/O error of the device.
_WRITE_FAILURES = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EIO})


class _Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised where the program is, so that the clean-up of Ctrl-C runs:
    FFmpeg is killed, partial files are removed and the run document records the interruption.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    del frame
    raise _Terminated(signum)


def _stop_on_signals() -> dict[signal.Signals, Any]:
    """Handle SIGTERM (service managers, ``timeout``, ``kill``) and SIGHUP (a closed terminal
    or SSH session) as Ctrl-C, and return the handlers they replace.

    An ignored SIGHUP stays ignored, so ``nohup cosmos ...`` keeps running after a hangup.
    """
    replaced: dict[signal.Signals, Any] = {}
    for stop in (signal.SIGTERM, signal.SIGHUP):
        if stop is signal.SIGHUP and signal.getsignal(stop) is signal.SIG_IGN:
            continue
        replaced[stop] = signal.signal(stop, _raise_terminated)
    return replaced


def run_app(tokens: list[str]) -> int:
    """Run one command line and return its exit status.

    ``--verbose`` anywhere on the line shows INFO logs and tracebacks of errors; ``--yes`` and
    ``--no-input`` are accepted anywhere and change nothing.
    """
    verbose = "--verbose" in tokens
    # Cosmos never prompts, so --yes and --no-input change nothing and any command takes them.
    tokens = [token for token in tokens if token not in ("--verbose", "--yes", "--no-input")]
    set_command_line(tokens)
    _configure_logging(verbose)
    # Python sets signal handlers only from the main thread, and tests may run commands on
    # another one.
    on_main_thread = threading.current_thread() is threading.main_thread()
    replaced = _stop_on_signals() if on_main_thread else {}
    try:
        return _run(tokens, verbose)
    finally:
        for stop, handler in replaced.items():
            signal.signal(stop, handler)


def _run(tokens: list[str], verbose: bool) -> int:
    try:
        result = build_app()(
            tokens, print_error=False, exit_on_error=False, result_action="return_value"
        )
    except BrokenPipeError:
        # The reader of stdout went away (`cosmos ... | head`); stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except CycloptsError as error:
        # A bad flag, value or command, found while parsing: one line, as every other error.
        print_error(f"{str(error).rstrip('.')}; see --help for the command's usage")
        return EXIT_USAGE
    except KeyboardInterrupt as stop:
        if isinstance(stop, _Terminated):
            name = signal.Signals(stop.signum).name
            with contextlib.suppress(OSError):
                # After a hangup the terminal may be gone, and the exit status still matters.
                print_error(f"terminated ({name}); partial outputs were removed")
            # 128 + the signal number, what a shell reports for a process the signal ended.
            return 128 + stop.signum
        print_error("interrupted; partial outputs were removed")
        return EXIT_INTERRUPTED
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else EXIT_USAGE
    except CosmosError as error:
        if verbose:
            traceback.print_exc()
        print_error(error.message)
        return exit_code_for(error)
    except OSError as error:
        # A file-system error that no command turned into a message of its own.
        if verbose:
            traceback.print_exc()
        where = f" ({error.filename})" if error.filename else ""
        print_error(
            f"{error.strerror or error}{where}; check the path, its permissions and the free "
            "space (--verbose shows where it happened)"
        )
        # A full disk or a failing device stops the work itself, so the input is not to blame.
        return EXIT_PROCESSING if error.errno in _WRITE_FAILURES else EXIT_INVALID_INPUT
    return result if isinstance(result, int) else 0
