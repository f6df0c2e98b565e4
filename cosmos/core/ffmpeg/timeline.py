"""The frame index of a video stream, built from its packets without decoding."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from returns.result import Failure, Result, Success

from cosmos.core.errors import ProbeFailed


@dataclass(frozen=True, slots=True)
class PacketIndex:
    """Frames of a stream in presentation order, from its packets.

    ``pts`` has one PTS per frame the decoder outputs: packets flagged discard (edit-list
    pre-roll) produce no frame and are left out, and sorting by PTS undoes B-frame reordering.
    ``keyframe_positions`` are frame indices that start a GOP. ``format_start_seconds`` is the
    container start time, which FFmpeg's input ``-ss`` counts from. ``keyframe_locations``
    contains the byte offset and size of each keyframe's packet, aligned with
    ``keyframe_positions``, or is empty when the packet listing gave none.
    """

    time_base: Fraction
    pts: tuple[int, ...]
    keyframe_positions: tuple[int, ...]
    last_frame_ticks: int
    format_start_seconds: float
    keyframe_locations: tuple[tuple[int, int] | None, ...] = ()

    @property
    def frame_count(self) -> int:
        return len(self.pts)

    def seconds_from_first(self, index: int) -> float:
        return float((self.pts[index] - self.pts[0]) * self.time_base)

    def absolute_seconds(self, index: int) -> float:
        return float(self.pts[index] * self.time_base)

    @property
    def duration_seconds(self) -> float:
        """Time from the first frame's start to the end of the last frame's display interval."""
        return float((self.pts[-1] - self.pts[0] + self.last_frame_ticks) * self.time_base)

    def keyframe_at_or_before(self, index: int) -> int:
        position = bisect_right(self.keyframe_positions, index) - 1
        return self.keyframe_positions[position] if position >= 0 else 0

    def keyframe_location(self, index: int) -> tuple[int, int] | None:
        """Return the byte offset and size of the packet of keyframe ``index``, if known."""
        position = bisect_right(self.keyframe_positions, index) - 1
        if position < 0 or self.keyframe_positions[position] != index:
            return None
        if position >= len(self.keyframe_locations):
            return None
        return self.keyframe_locations[position]


def build_packet_index(
    source: Path,
    time_base: Fraction | None,
    packets: Sequence[tuple[int | None, int | None, str]],
    format_start_seconds: float,
    locations: Sequence[tuple[int, int] | None] = (),
) -> Result[PacketIndex, ProbeFailed]:
    """Build the index from ``(pts, duration, flags)`` of each packet, in file order.

    ``locations`` contains each packet's byte offset and size in the same order, or is empty.
    """
    if time_base is None:
        return Failure(
            ProbeFailed(
                path=str(source),
                message=f"ffprobe reports no time base for the video stream of {source}; the "
                "file may be damaged",
            )
        )
    packet_locations = locations if len(locations) == len(packets) else [None] * len(packets)
    frames = sorted(
        (
            (pts, "K" in flags, duration or 0, location)
            for (pts, duration, flags), location in zip(packets, packet_locations, strict=True)
            if pts is not None and "D" not in flags
        ),
        key=lambda frame: (frame[0], frame[1], frame[2]),
    )
    if not frames:
        return Failure(
            ProbeFailed(
                path=str(source),
                message=f"the video stream of {source} has no packets with timestamps; the file "
                "may be truncated or empty",
            )
        )
    keyframes = tuple(i for i, (_, is_key, _, _) in enumerate(frames) if is_key) or (0,)
    keyframe_locations = tuple(frames[i][3] for i in keyframes) if locations else ()
    last_duration = frames[-1][2]
    if last_duration <= 0 and len(frames) > 1:
        last_duration = frames[-1][0] - frames[-2][0]
    return Success(
        PacketIndex(
            time_base=time_base,
            pts=tuple(frame[0] for frame in frames),
            keyframe_positions=keyframes,
            last_frame_ticks=max(1, last_duration),
            format_start_seconds=format_start_seconds,
            keyframe_locations=keyframe_locations,
        )
    )
