"""Video probe and frame extraction.

``probe_video`` describes the first video stream; ``probe_video_timeline`` lists the PTS of every
frame the decoder outputs; ``extract_frames_at_indices`` and ``extract_frames_at_times`` return
:class:`RgbFrame` objects with packed rgb24 bytes. Frame index ``k`` is the ``k``-th frame in
presentation order after edit lists, on every backend. ``COSMOS_VIDEO_BACKEND`` picks the
backend (``ffmpeg-cli`` by default, ``pyav``, ``torchcodec``, ``auto``) and
``COSMOS_VIDEO_FFMPEG_TIMEOUT`` bounds each FFmpeg or ffprobe process in seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

from returns.result import Failure, Result

from cosmos.core.errors import CosmosFailure, ToolUnavailable, not_a_file_message
from cosmos.core.model.frames import RgbFrame, VideoFrameTimeline
from cosmos.core.model.media import VideoProbe
from cosmos.sdk._boundary import unwrap_or_raise
from cosmos.sdk.errors import (
    BackendNotInstalledError,
    CosmosVideoError,
    VideoDecodeError,
    VideoFileNotFoundError,
    VideoProbeError,
    VideoToolNotFoundError,
)
from cosmos.shell.probe import probe_media
from cosmos.shell.video_index import video_timeout_seconds

T = TypeVar("T")


def _source(path: str | Path) -> Path:
    return Path(path).expanduser()


def _existing_source(path: str | Path) -> Path:
    """Return the video path, or raise ``VideoFileNotFoundError`` (a ``ValueError``) when it is
    missing or not a regular file, before ffprobe runs.

    The frame helpers get the same error from their index, after an empty request returns.
    """
    source = _source(path)
    if not source.is_file():
        raise VideoFileNotFoundError(not_a_file_message("video file", str(path), source.exists()))
    return source


def _unwrap(result: Result[T, CosmosFailure]) -> T:
    """Return the value, raising a video error for every failure: a missing ffprobe or FFmpeg
    becomes ``VideoToolNotFoundError``, a ``VideoProbeError``."""
    if isinstance(result, Failure) and isinstance(result.failure(), ToolUnavailable):
        raise VideoToolNotFoundError(result.failure().message)
    return unwrap_or_raise(result)


def probe_video(path: str | Path) -> VideoProbe:
    """Describe the first video stream of ``path``.

    Raises ``VideoProbeError`` when the file is missing, empty, not a regular file, has no video
    stream or ffprobe fails or times out (``COSMOS_VIDEO_FFMPEG_TIMEOUT`` seconds; unset means no
    limit); the message names the file and quotes ffprobe's stderr. A missing path or a folder
    raises ``VideoFileNotFoundError``, which is also a ``ValueError``.
    A missing ffprobe is a ``VideoProbeError`` as well (``VideoToolNotFoundError``, also a
    ``ToolNotFoundError``), naming the variable to set.
    """
    source = _existing_source(path)
    return _unwrap(probe_media(source, timeout_seconds=video_timeout_seconds())).probe


def probe_video_timeline(path: str | Path) -> VideoFrameTimeline:
    """Return the PTS of every frame the decoder outputs, in presentation order.

    Read from the container's packets without decoding; packets flagged discard (edit-list
    pre-roll) are left out. Raises ``VideoProbeError`` when the file cannot be indexed.
    """
    from cosmos.shell.extract import timeline

    return _unwrap(timeline(_source(path)))


def extract_frames_at_indices(
    path: str | Path, indices: Sequence[int], *, probe: VideoProbe | None = None
) -> list[RgbFrame]:
    """Decode the frames at ``indices``, returned in the caller's order with duplicates.

    Raises ``ValueError`` for a negative, non-integer or out-of-range index (before decoding),
    ``VideoProbeError`` when the file cannot be indexed and ``VideoDecodeError`` when decoding
    fails. ``probe`` is accepted for compatibility; the cached frame index carries its facts.
    """
    # Imported here: probe_video callers do not pay for the decode backends' imports.
    from cosmos.shell.extract import extract_at_indices

    return _unwrap(extract_at_indices(_source(path), indices, probe))


def extract_frames_at_times(
    path: str | Path, times_seconds: Sequence[float], *, probe: VideoProbe | None = None
) -> list[RgbFrame]:
    """Decode the frames displayed at ``times_seconds`` (seconds from the first frame).

    Each time returns the last frame whose start is at or before it; a time equal to the duration
    returns the last frame. Errors as :func:`extract_frames_at_indices`.
    """
    from cosmos.shell.extract import extract_at_times

    return _unwrap(extract_at_times(_source(path), times_seconds, probe))


__all__ = [
    "BackendNotInstalledError",
    "CosmosVideoError",
    "RgbFrame",
    "VideoDecodeError",
    "VideoFileNotFoundError",
    "VideoFrameTimeline",
    "VideoProbe",
    "VideoProbeError",
    "extract_frames_at_indices",
    "extract_frames_at_times",
    "probe_video",
    "probe_video_timeline",
]
