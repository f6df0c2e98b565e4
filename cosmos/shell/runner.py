"""The one subprocess runner: argv lists only, captured output, timeout, no orphan children."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import IO, TypeVar

logger = logging.getLogger("cosmos.shell.runner")
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Completed:
    """A finished process. ``returncode`` is ``None`` when it was killed on timeout."""

    argv: tuple[str, ...]
    returncode: int | None
    stdout: bytes
    stderr: str
    seconds: float

    @property
    def timed_out(self) -> bool:
        return self.returncode is None

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def _pump(stream: IO[bytes], sink: list[bytes]) -> None:
    for chunk in iter(lambda: stream.read(65536), b""):
        sink.append(chunk)


def _pump_lines(stream: IO[bytes], sink: list[bytes], on_line: Callable[[str], None]) -> None:
    for line in stream:
        sink.append(line)
        on_line(line.decode("utf-8", "replace"))


def _kill(process: subprocess.Popen[bytes]) -> None:
    """Kill the child and every process it started, then reap the child.

    The child leads its own process group, so a wrapper script's children die with it and
    cannot hold the output pipes open past a timeout.
    """
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            process.kill()
    process.wait()


class _Watchdog:
    """Kill a child's process group when ``timeout_seconds`` passes; ``None`` means never."""

    def __init__(self, process: subprocess.Popen[bytes], timeout_seconds: float | None) -> None:
        self._process = process
        self._fired = threading.Event()
        self._timer = (
            threading.Timer(timeout_seconds, self._fire) if timeout_seconds is not None else None
        )
        if self._timer is not None:
            self._timer.daemon = True
            self._timer.start()

    def _fire(self) -> None:
        self._fired.set()
        if self._process.poll() is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self._process.pid, signal.SIGKILL)

    @property
    def fired(self) -> bool:
        return self._fired.is_set()

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()


def _spawn(command: tuple[str, ...]) -> subprocess.Popen[bytes]:
    # An argv list, never a shell string, so no name in it is interpreted.
    return subprocess.Popen(  # noqa: S603
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def run(
    argv: Sequence[str],
    *,
    timeout_seconds: float | None = None,
    on_stdout_line: Callable[[str], None] | None = None,
) -> Completed:
    """Run ``argv`` to completion and capture its output.

    The child is killed, and waited for, when ``timeout_seconds`` passes or when the caller is
    interrupted (Ctrl-C re-raises ``KeyboardInterrupt`` after the kill). ``on_stdout_line`` receives
    each stdout line as it arrives, on a reader thread. Raises ``OSError`` when the program
    cannot be started.
    """
    command = tuple(argv)
    logger.debug("starting %s", command[0])
    started = time.monotonic()
    process = _spawn(command)
    assert process.stdout is not None and process.stderr is not None
    stdout: list[bytes] = []
    stderr: list[bytes] = []
    readers = [
        threading.Thread(
            target=_pump_lines if on_stdout_line else _pump,
            args=(process.stdout, stdout, on_stdout_line)
            if on_stdout_line
            else (process.stdout, stdout),
            daemon=True,
        ),
        threading.Thread(target=_pump, args=(process.stderr, stderr), daemon=True),
    ]
    for reader in readers:
        reader.start()

    returncode: int | None
    watchdog = _Watchdog(process, timeout_seconds)
    try:
        # A blocking wait: Popen.wait(timeout) polls with sleeps of up to 50 ms, which
        # added that much to every short ffprobe call.
        returncode = process.wait()
    except BaseException:
        _kill(process)
        raise
    finally:
        watchdog.cancel()
        for reader in readers:
            reader.join()
        process.stdout.close()
        process.stderr.close()
    if watchdog.fired:
        returncode = None

    return _finished(command, returncode, b"".join(stdout), stderr, started)


def _finished(
    command: tuple[str, ...],
    returncode: int | None,
    stdout: bytes,
    stderr: list[bytes],
    started: float,
) -> Completed:
    """Log the end of ``command`` and collect what it returned."""
    seconds = time.monotonic() - started
    logger.info(
        "ran %s: %s in %.2f s",
        command[0],
        "timed out" if returncode is None else f"exit {returncode}",
        seconds,
    )
    return Completed(
        argv=command,
        returncode=returncode,
        stdout=stdout,
        stderr=b"".join(stderr).decode("utf-8", "replace"),
        seconds=seconds,
    )


def run_reading(
    argv: Sequence[str],
    read_stdout: Callable[[IO[bytes]], T],
    *,
    timeout_seconds: float | None = None,
) -> tuple[Completed, T]:
    """Run ``argv`` while ``read_stdout`` consumes its stdout on this thread.

    For large binary output (decoded frames) that should not be buffered twice. A watchdog kills
    the child when ``timeout_seconds`` passes; ``Completed.returncode`` is then ``None``.
    """
    command = tuple(argv)
    started = time.monotonic()
    process = _spawn(command)
    assert process.stdout is not None and process.stderr is not None
    stderr: list[bytes] = []
    stderr_reader = threading.Thread(target=_pump, args=(process.stderr, stderr))
    stderr_reader.start()
    watchdog = _Watchdog(process, timeout_seconds)
    try:
        value = read_stdout(process.stdout)
        process.stdout.close()
        returncode: int | None = process.wait()
    except BaseException:
        _kill(process)
        raise
    finally:
        watchdog.cancel()
        stderr_reader.join()
        process.stderr.close()
    if watchdog.fired:
        returncode = None

    return _finished(command, returncode, b"", stderr, started), value
