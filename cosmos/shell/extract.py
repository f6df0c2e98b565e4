"""Frame extraction: validate the request, index the file, decode through the chosen backend."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from returns.result import Failure, Result, Success

from cosmos.core.errors import BackendMissing, CosmosFailure
from cosmos.core.model.frames import RgbFrame, VideoFrameTimeline
from cosmos.core.model.media import VideoProbe
from cosmos.core.video.backends import BackendName, backends_to_try, parse_backend_setting
from cosmos.core.video.requests import (
    check_indices_in_range,
    indices_for_times,
    normalize_indices,
    normalize_times,
)
from cosmos.shell.decode import DecodeBackend, DecodeResult
from cosmos.shell.decode.ffmpeg_cli import decode_with_ffmpeg_cli
from cosmos.shell.video_index import video_index, video_timeout_seconds


def _load_backend(name: BackendName) -> DecodeBackend:
    # Imported lazily: PyAV and torch are heavy and optional.
    if name == "pyav":
        from cosmos.shell.decode.pyav import decode_with_pyav

        return decode_with_pyav
    if name == "torchcodec":
        from cosmos.shell.decode.torchcodec import decode_with_torchcodec

        return decode_with_torchcodec
    return decode_with_ffmpeg_cli


def timeline(path: Path) -> Result[VideoFrameTimeline, CosmosFailure]:
    """Return the PTS of every decoded frame of the first video stream."""
    indexed = video_index(path)
    if isinstance(indexed, Failure):
        return indexed
    _, index = indexed.unwrap()
    return Success(
        VideoFrameTimeline(
            source_path=path,
            time_base_numerator=index.time_base.numerator,
            time_base_denominator=index.time_base.denominator,
            pts_ticks=index.pts,
        )
    )


def _decode(
    path: Path, requested: Sequence[int], with_times: Sequence[float] | None
) -> Result[list[RgbFrame], CosmosFailure]:
    setting = parse_backend_setting(os.environ.get("COSMOS_VIDEO_BACKEND"))
    if isinstance(setting, Failure):
        return setting
    indexed = video_index(path)
    if isinstance(indexed, Failure):
        return indexed
    facts, index = indexed.unwrap()

    if with_times is None:
        in_range = check_indices_in_range(requested, index.frame_count, str(path))
        if isinstance(in_range, Failure):
            return in_range
        indices = tuple(requested)
    else:
        mapped = indices_for_times(with_times, index, str(path))
        if isinstance(mapped, Failure):
            return mapped
        indices = mapped.unwrap()

    targets = tuple(sorted(set(indices)))
    decoded: DecodeResult | None = None
    for name in backends_to_try(setting.unwrap(), sys.platform):
        decoded = _load_backend(name)(path, facts, index, targets, video_timeout_seconds())
        if not (isinstance(decoded, Failure) and isinstance(decoded.failure(), BackendMissing)):
            break
        if setting.unwrap() != "auto":
            break
    assert decoded is not None
    if isinstance(decoded, Failure):
        return Failure(decoded.failure())
    frames = decoded.unwrap()

    width, height = facts.probe.width, facts.probe.height
    return Success(
        [
            RgbFrame(
                source_path=path,
                requested_index=None if with_times is not None else frame_index,
                requested_time_seconds=with_times[position] if with_times is not None else None,
                resolved_index=frame_index,
                resolved_time_seconds=index.seconds_from_first(frame_index),
                width=width,
                height=height,
                rgb24=frames[frame_index],
            )
            for position, frame_index in enumerate(indices)
        ]
    )


def extract_at_indices(
    path: Path, indices: Sequence[object], probe: VideoProbe | None = None
) -> Result[list[RgbFrame], CosmosFailure]:
    """Decode the frames at ``indices`` (caller's order, duplicates kept)."""
    del probe  # the frame index carries the same facts, cached per file
    normalized = normalize_indices(indices)
    if isinstance(normalized, Failure):
        return normalized
    if not normalized.unwrap():
        return Success([])
    return _decode(path, normalized.unwrap(), None)


def extract_at_times(
    path: Path, times_seconds: Sequence[object], probe: VideoProbe | None = None
) -> Result[list[RgbFrame], CosmosFailure]:
    """Decode the frames displayed at ``times_seconds`` (caller's order, duplicates kept)."""
    del probe
    normalized = normalize_times(times_seconds)
    if isinstance(normalized, Failure):
        return normalized
    if not normalized.unwrap():
        return Success([])
    return _decode(path, (), normalized.unwrap())
