"""Run one command as a child process and measure its wall time and memory.

Timed runs measure wall time from ``Popen`` to ``wait4`` (interpreter start included) and take
the largest single process's peak RSS from ``wait4``'s ``ru_maxrss``. That value covers the child
and the descendants it waited for, but it is the maximum of one process, not the sum over
processes that ran at the same time. Sampled runs add up RSS (``/proc/PID/statm``) and PSS
(``/proc/PID/smaps_rollup``) over the whole process tree every few milliseconds, so they see the
worker and its FFmpeg children together. The RSS sum counts a shared library page once per
process that maps it; PSS splits such pages between those processes. Sampling costs CPU, which is
why it runs in separate, untimed runs. Linux only.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
SAMPLE_INTERVAL_SECONDS = 0.005


@dataclass(frozen=True, slots=True)
class Command:
    """One measured command. ``env`` overrides the parent environment; ``None`` removes a
    variable. With ``reported_seconds`` the command's own ``seconds`` output replaces the
    wall time (for loops timed inside the process)."""

    label: str
    argv: tuple[str, ...]
    env: Mapping[str, str | None] = field(default_factory=dict)
    reported_seconds: bool = False


@dataclass(frozen=True, slots=True)
class TimedRun:
    """Wall seconds (or the reported ones), the largest process's peak RSS in KiB and the
    JSON object the command printed (empty when it printed none)."""

    seconds: float
    largest_process_kib: int
    output: dict[str, object]


class CommandFailed(RuntimeError):
    """A measured command exited with a non-zero status."""


def _environment(overrides: Mapping[str, str | None]) -> dict[str, str]:
    environment = dict(os.environ)
    for name, value in overrides.items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value
    return environment


def _parse_output(command: Command, stdout: bytes) -> dict[str, object]:
    text = stdout.decode("utf-8", "replace").strip()
    if not text.startswith("{"):
        return {}
    parsed = json.loads(text.splitlines()[-1])
    if not isinstance(parsed, dict):
        raise CommandFailed(f"{command.label} printed {text[:200]!r}, expected a JSON object")
    return parsed


def _check_exit(command: Command, status: int, stderr: IO[bytes]) -> None:
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        stderr.seek(0)
        message = stderr.read().decode("utf-8", "replace").strip()[-2000:]
        raise CommandFailed(
            f"{command.label} exited with status {code}: {' '.join(command.argv)}\n{message}"
        )


def run_timed(command: Command) -> TimedRun:
    """Run ``command`` once and measure it; raises ``CommandFailed`` on a non-zero exit."""
    environment = _environment(command.env)
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(  # noqa: S603 (an argv list from the case table)
            command.argv, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr, env=environment
        )
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        _check_exit(command, status, stderr)
        stdout.seek(0)
        output = _parse_output(command, stdout.read())

    seconds = elapsed
    if command.reported_seconds:
        reported = output.get("seconds")
        if not isinstance(reported, float):
            raise CommandFailed(f"{command.label} printed no 'seconds' value: {output}")
        seconds = reported
    # Linux reports ru_maxrss in KiB.
    return TimedRun(seconds=seconds, largest_process_kib=usage.ru_maxrss, output=output)


def _parent_pid(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name in field 2 may contain spaces and parentheses, so split after the last ')'.
    fields = stat[stat.rindex(")") + 2 :].split()
    return int(fields[1])


@dataclass(frozen=True, slots=True)
class TreeMemory:
    """Peaks of the process tree's summed RSS and summed PSS, in KiB."""

    rss_kib: int
    pss_kib: int


def _rss_bytes(pid: int) -> int:
    try:
        statm = Path(f"/proc/{pid}/statm").read_text().split()
    except OSError:
        return 0
    return int(statm[1]) * PAGE_BYTES


def _pss_kib(pid: int) -> int:
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    for line in rollup.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def _grow_tree(tree: set[int], outsiders: set[int], root: int) -> None:
    """Add the new descendants of ``root`` found under /proc to ``tree``.

    Only PIDs above ``root`` are examined because Linux hands out PIDs in increasing order.
    """
    # NOTE: a PID counter that wraps around during a run would hide the children started after
    # the wrap, and the sampled peak would then be too low.

    # Ascending order reaches a parent before its children.
    pids = sorted(int(entry.name) for entry in Path("/proc").iterdir() if entry.name.isdigit())
    for pid in pids:
        if pid <= root or pid in tree or pid in outsiders:
            continue
        parent = _parent_pid(pid)
        if parent in tree:
            tree.add(pid)
        else:
            outsiders.add(pid)


def run_sampled(command: Command) -> TreeMemory:
    """Run ``command`` once and return the peaks of its process tree's summed RSS and PSS.

    Samples every ``SAMPLE_INTERVAL_SECONDS``, so a spike shorter than that can be missed.
    Raises ``CommandFailed`` on a non-zero exit.
    """
    environment = _environment(command.env)
    peak_rss_bytes = 0
    peak_pss_kib = 0
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        process = subprocess.Popen(  # noqa: S603 (an argv list from the case table)
            command.argv, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr, env=environment
        )
        tree = {process.pid}
        outsiders: set[int] = set()
        while process.poll() is None:
            _grow_tree(tree, outsiders, process.pid)
            peak_rss_bytes = max(peak_rss_bytes, sum(_rss_bytes(pid) for pid in tree))
            peak_pss_kib = max(peak_pss_kib, sum(_pss_kib(pid) for pid in tree))
            time.sleep(SAMPLE_INTERVAL_SECONDS)
        if process.returncode != 0:
            stderr.seek(0)
            message = stderr.read().decode("utf-8", "replace").strip()[-2000:]
            raise CommandFailed(
                f"{command.label} exited with status {process.returncode}: "
                f"{' '.join(command.argv)}\n{message}"
            )
    return TreeMemory(rss_kib=peak_rss_bytes // 1024, pss_kib=peak_pss_kib)
