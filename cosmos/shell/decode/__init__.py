"""Decode backends. Each turns sorted unique frame indices into packed rgb24 bytes.

``ffmpeg_cli`` runs the system FFmpeg; ``pyav`` and ``torchcodec`` decode in process and are the
only modules that import ``av`` and ``torchcodec``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

from returns.result import Result

from cosmos.core.errors import BackendMissing, DecodeFailed, ToolUnavailable
from cosmos.core.ffmpeg.timeline import PacketIndex
from cosmos.core.model.media import MediaFacts

DecodeResult = Result[dict[int, bytes], DecodeFailed | ToolUnavailable | BackendMissing]


class DecodeBackend(Protocol):
    def __call__(
        self,
        path: Path,
        facts: MediaFacts,
        index: PacketIndex,
        targets: tuple[int, ...],
        timeout_seconds: float | None,
    ) -> DecodeResult:
        """Decode ``targets`` (sorted, unique frame indices) to rgb24 bytes of the display size."""
        ...


def usable_cores() -> int:
    """Count the cores this process may run on (its affinity mask, where the OS has one)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)
