"""The probed facts and frame index of a video file, cached per path, size and mtime in this
process, with ffprobe's packet listing kept on disk for later processes."""

from __future__ import annotations

import functools
import os
from pathlib import Path

from returns.result import Failure, Result

from cosmos.core.errors import (
    ProbeFailed,
    SourceMissing,
    ToolUnavailable,
    empty_file_message,
    not_a_file_message,
)
from cosmos.core.ffmpeg.probe import build_ffprobe_argv, parse_video_index
from cosmos.core.ffmpeg.timeline import PacketIndex
from cosmos.core.model.media import MediaFacts
from cosmos.core.video.backends import parse_timeout_seconds
from cosmos.shell.binaries import resolve_tool
from cosmos.shell.mediacache import reuse_or_probe
from cosmos.shell.probe import ffprobe_output

IndexResult = Result[tuple[MediaFacts, PacketIndex], ProbeFailed | ToolUnavailable | SourceMissing]


def video_timeout_seconds() -> float | None:
    """Return the per-process limit from ``COSMOS_VIDEO_FFMPEG_TIMEOUT``, or ``None``."""
    return parse_timeout_seconds(os.environ.get("COSMOS_VIDEO_FFMPEG_TIMEOUT"))


def check_source(path: Path) -> SourceMissing | None:
    if not path.is_file():
        return SourceMissing(
            path=str(path), message=not_a_file_message("video file", str(path), path.exists())
        )
    return None


@functools.lru_cache(maxsize=64)
def _cached_index(
    path: Path, size: int, mtime_ns: int, timeout_seconds: float | None
) -> IndexResult:
    del size, mtime_ns  # part of the cache key only
    tool = resolve_tool("ffprobe")
    if isinstance(tool, Failure):
        return tool
    ffprobe = tool.unwrap().path

    def parse(output: bytes) -> Result[tuple[MediaFacts, PacketIndex], ProbeFailed]:
        return parse_video_index(path, output)

    def probe() -> Result[bytes, ProbeFailed | ToolUnavailable]:
        return _packet_listing(path, ffprobe, timeout_seconds)

    # The kind names the listed fields, so listings stored before packet offsets and sizes and
    # the file size were listed are probed again rather than reused without them.
    return reuse_or_probe(path, ffprobe, "packets-pos-size-file-size", probe, parse)


def _packet_listing(
    path: Path, ffprobe: Path, timeout_seconds: float | None
) -> Result[bytes, ProbeFailed | ToolUnavailable]:
    argv = build_ffprobe_argv(str(ffprobe), path, packets=True)
    return ffprobe_output(
        path, argv, timeout_seconds, timeout_hint="raise COSMOS_VIDEO_FFMPEG_TIMEOUT"
    )


def video_index(path: Path) -> IndexResult:
    """Probe ``path`` and index its frames, reusing the result while the file is unchanged."""
    missing = check_source(path)
    if missing is not None:
        return Failure(missing)
    resolved = path.resolve()
    stat = resolved.stat()
    if stat.st_size == 0:
        return Failure(
            ProbeFailed(path=str(path), message=empty_file_message("video file", str(path)))
        )
    return _cached_index(resolved, stat.st_size, stat.st_mtime_ns, video_timeout_seconds())
