"""Validation of frame requests and the rules that map indices and times to frames."""

from __future__ import annotations

import math
import operator
from bisect import bisect_right
from collections.abc import Sequence
from numbers import Integral, Real

from returns.result import Failure, Result, Success

from cosmos.core.errors import InvalidOption
from cosmos.core.ffmpeg.timeline import PacketIndex


def normalize_indices(values: Sequence[object]) -> Result[tuple[int, ...], InvalidOption]:
    """Check each index is a non-negative integer (Python or NumPy, not ``bool``)."""
    indices: list[int] = []
    for position, value in enumerate(values):
        if isinstance(value, bool) or not isinstance(value, Integral):
            return Failure(
                InvalidOption(
                    field="indices",
                    value=repr(value),
                    message=f"invalid frame index {value!r} at position {position}; indices "
                    "must be non-negative integers",
                )
            )
        index = operator.index(value)
        if index < 0:
            return Failure(
                InvalidOption(
                    field="indices",
                    value=str(index),
                    message=f"invalid frame index {index} at position {position}; indices "
                    "must be non-negative integers",
                )
            )
        indices.append(index)
    return Success(tuple(indices))


def normalize_times(values: Sequence[object]) -> Result[tuple[float, ...], InvalidOption]:
    """Check each time is a finite, non-negative number of seconds."""
    times: list[float] = []
    for position, value in enumerate(values):
        if isinstance(value, bool) or not isinstance(value, Real):
            return Failure(
                InvalidOption(
                    field="times_seconds",
                    value=repr(value),
                    message=f"invalid time {value!r} at position {position}; times must be "
                    "finite, non-negative numbers of seconds",
                )
            )
        seconds = float(value)
        if not math.isfinite(seconds) or seconds < 0:
            return Failure(
                InvalidOption(
                    field="times_seconds",
                    value=repr(value),
                    message=f"invalid time {value!r} at position {position}; times must be "
                    "finite, non-negative numbers of seconds",
                )
            )
        times.append(seconds)
    return Success(tuple(times))


def check_indices_in_range(
    indices: Sequence[int], frame_count: int, source: str
) -> Result[None, InvalidOption]:
    """Reject indices at or past ``frame_count``, naming the valid range."""
    for index in indices:
        if index >= frame_count:
            return Failure(
                InvalidOption(
                    field="indices",
                    value=str(index),
                    message=f"frame index {index} is out of range for {source}: valid indices "
                    f"are 0 to {frame_count - 1} ({frame_count} frames)",
                )
            )
    return Success(None)


def indices_for_times(
    times: Sequence[float], index: PacketIndex, source: str
) -> Result[tuple[int, ...], InvalidOption]:
    """Map each time to the frame displayed at it: the last frame starting at or before it.

    Times count from the first frame's PTS. A time equal to the duration, or inside the last
    frame's display interval, returns the last frame; a later time is out of range.
    """
    duration = index.duration_seconds
    starts = [index.seconds_from_first(i) for i in range(index.frame_count)]
    resolved: list[int] = []
    for seconds in times:
        if seconds > duration + 1e-9:
            return Failure(
                InvalidOption(
                    field="times_seconds",
                    value=repr(seconds),
                    message=f"time {seconds:g} s is out of range for {source}: valid times are "
                    f"0 to {duration:g} s",
                )
            )
        # A tolerance of 1 ns absorbs float rounding of times given exactly on a frame start.
        resolved.append(max(0, bisect_right(starts, seconds + 1e-9) - 1))
    return Success(tuple(resolved))
