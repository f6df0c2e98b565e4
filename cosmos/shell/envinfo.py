"""Facts about the machine and the FFmpeg build, for documents and ``cosmos doctor``."""

from __future__ import annotations

import functools
import os
import platform
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cosmos.core.model.documents import FfmpegInfo, SystemInfo
from cosmos.shell.binaries import ResolvedTool
from cosmos.shell.runner import run
from cosmos.shell.toolcache import remembered


def _read_version(path: Path) -> str:
    try:
        completed = run((str(path), "-version"), timeout_seconds=30)
    except OSError:
        return "unknown"
    first_line = completed.stdout.decode("utf-8", "replace").partition("\n")[0]
    words = first_line.split()
    return words[2] if len(words) >= 3 and words[1] == "version" else "unknown"


@functools.cache
def tool_version(path: Path) -> str:
    """Return the version word of ``ffmpeg -version`` (or ffprobe), or ``unknown``."""
    return remembered(path, "version", lambda: _read_version(path), str)


def ffmpeg_info(tool: ResolvedTool) -> FfmpegInfo:
    return FfmpegInfo(version=tool_version(tool.path), path=str(tool.path), origin=tool.origin)


def _memory_gb() -> float | None:
    try:
        pages = os.sysconf("SC_PHYS_PAGES")
        page_size = os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None
    return round(pages * page_size / 1024**3, 1)


@functools.cache
def system_info() -> SystemInfo:
    return SystemInfo(
        os=f"{platform.system()} {platform.release()}",
        python=platform.python_version(),
        cpu_count=os.cpu_count() or 1,
        memory_gb=_memory_gb(),
    )


@dataclass(frozen=True, slots=True)
class Clock:
    """The start of a run in the two forms documents use."""

    iso: str
    compact: str


def utc_now() -> Clock:
    now = datetime.now(UTC).replace(microsecond=0)
    return Clock(iso=now.isoformat().replace("+00:00", "Z"), compact=now.strftime("%Y%m%dT%H%M%SZ"))


def current_platform() -> str:
    return sys.platform
