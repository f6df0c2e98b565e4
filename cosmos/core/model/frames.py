"""Decoded frames and the frame timeline of a video stream."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path


@dataclass(frozen=True, slots=True)
class VideoFrameTimeline:
    """Presentation timestamps of every frame the decoder outputs, in presentation order.

    ``pts_ticks[k]`` is the PTS of frame index ``k`` in units of
    ``time_base_numerator / time_base_denominator`` seconds.
    """

    source_path: Path
    time_base_numerator: int
    time_base_denominator: int
    pts_ticks: tuple[int, ...]

    @property
    def time_base(self) -> Fraction:
        return Fraction(self.time_base_numerator, self.time_base_denominator)

    @property
    def frame_count(self) -> int:
        return len(self.pts_ticks)


@dataclass(frozen=True, slots=True)
class RgbFrame:
    """One decoded frame as packed ``rgb24`` bytes: row-major, no padding, ``width*height*3``.

    ``requested_*`` echo the caller's request; ``resolved_*`` describe the frame returned, with
    ``resolved_time_seconds`` measured from the first frame's PTS.
    """

    source_path: Path
    requested_index: int | None
    requested_time_seconds: float | None
    resolved_index: int | None
    resolved_time_seconds: float | None
    width: int
    height: int
    rgb24: bytes
