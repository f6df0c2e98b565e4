"""FFmpeg argv lists that decode chosen frames to packed rgb24 on stdout."""

from __future__ import annotations

import base64
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from cosmos.core.ffmpeg.paths import file_url
from cosmos.core.ffmpeg.timeline import PacketIndex
from cosmos.core.video.plan import DecodeWindow


def _runs(values: Sequence[int]) -> list[tuple[int, int]]:
    """Collapse sorted unique integers into inclusive ``(first, last)`` runs."""
    runs: list[tuple[int, int]] = []
    for value in values:
        if runs and value == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], value)
        else:
            runs.append((value, value))
    return runs


def frame_counter_expression(targets: Sequence[int]) -> str:
    """Build a ``select`` expression true on the decoded-frame counter ``n`` of each target."""
    terms = [
        f"eq(n,{first})" if first == last else f"between(n,{first},{last})"
        for first, last in _runs(targets)
    ]
    return "+".join(terms)


def _pts_terms(targets: Sequence[int], index: PacketIndex, shift: int) -> list[str]:
    return [
        f"eq(pts,{index.pts[first] + shift})"
        if first == last
        else f"between(pts,{index.pts[first] + shift},{index.pts[last] + shift})"
        for first, last in _runs(targets)
    ]


def pts_expression(targets: Sequence[int], index: PacketIndex) -> str:
    """Build a ``select`` expression true on the PTS of each target frame.

    A run of consecutive frames becomes one ``between`` over its first and last PTS, which
    matches exactly those frames because the index lists every frame's PTS.
    """
    return "+".join(_pts_terms(targets, index, 0))


def _decode_tail(expression: str, frame_count: int) -> tuple[str, ...]:
    return (
        "-map",
        "0:v:0",
        "-vf",
        f"select='{expression}'",
        "-fps_mode",
        "passthrough",
        "-frames:v",
        str(frame_count),
        "-f",
        "rawvideo",
        "-pix_fmt",
        "rgb24",
        "pipe:1",
    )


def _decoder_threads(threads: int | None) -> tuple[str, ...]:
    return () if threads is None else ("-threads", str(threads))


def build_full_scan_argv(
    ffmpeg: str, source: Path, targets: Sequence[int], *, threads: int | None = None
) -> tuple[str, ...]:
    """Decode from the start and keep the frames whose counter is in ``targets``.

    FFmpeg stops after the last target because ``-frames:v`` counts selected frames.
    ``threads`` sets the decoder's threads; ``None`` keeps FFmpeg's automatic choice.
    """
    return (
        ffmpeg,
        "-hide_banner",
        "-nostdin",
        "-v",
        "error",
        *_decoder_threads(threads),
        "-i",
        file_url(source),
        *_decode_tail(frame_counter_expression(targets), len(targets)),
    )


def build_window_argv(
    ffmpeg: str,
    source: Path,
    window: DecodeWindow,
    index: PacketIndex,
    *,
    threads: int | None = None,
) -> tuple[str, ...]:
    """Seek to the window's keyframe and keep the target frames, matched by their PTS.

    ``-noaccurate_seek`` starts decoding at the keyframe and ``-copyts`` keeps the original PTS,
    so the select filter matches exact PTS values from the index wherever decoding starts.
    ``threads`` as in :func:`build_full_scan_argv`.
    """
    seek: tuple[str, ...] = ()
    if window.start_index > 0:
        offset = index.absolute_seconds(window.start_index) - index.format_start_seconds
        seek = ("-ss", f"{max(0.0, offset):.6f}")
    return (
        ffmpeg,
        "-hide_banner",
        "-nostdin",
        "-v",
        "error",
        "-noaccurate_seek",
        "-copyts",
        *seek,
        *_decoder_threads(threads),
        "-i",
        file_url(source),
        *_decode_tail(pts_expression(window.targets, index), len(window.targets)),
    )


MICROSECOND = Fraction(1, 1_000_000)
# The concat script gives each window's segment its own range of output timestamps, this far
# apart beyond the length of the whole stream.
SEGMENT_GAP_MICROSECONDS = 1_000_000


def rescale_rounded(value: int, source: Fraction, target: Fraction) -> int:
    """Rescale ``value`` between time bases as FFmpeg's ``av_rescale_q`` does: to the nearest
    integer, halves away from zero."""
    exact = value * source / target
    rounded = math.floor(abs(exact) + Fraction(1, 2))
    return rounded if exact >= 0 else -rounded


def _microseconds_up(ticks: int, time_base: Fraction) -> int:
    return math.ceil(ticks * time_base / MICROSECOND)


def _seconds_text(microseconds: int) -> str:
    """Write whole microseconds as decimal seconds, which FFmpeg parses back exactly."""
    sign = "-" if microseconds < 0 else ""
    whole, fraction = divmod(abs(microseconds), 1_000_000)
    return f"{sign}{whole}.{fraction:06d}"


def _quoted(text: str) -> str:
    """Quote ``text`` for an ffconcat directive: inside single quotes every character is
    literal, and a single quote is written as ``'\\''``."""
    return "'" + text.replace("'", "'\\''") + "'"


def ffconcat_can_name(source: Path) -> bool:
    """Tell whether an ffconcat line can hold ``source``: the script is read line by line."""
    url = file_url(source)
    return "\n" not in url and "\r" not in url


@dataclass(frozen=True, slots=True)
class ConcatScript:
    """An ffconcat script that plays ``windows`` of one file in sequence, and the ``select``
    expression true on the target frames' timestamps in its output."""

    text: str
    expression: str


def build_concat_script(
    source: Path, windows: Sequence[DecodeWindow], index: PacketIndex
) -> ConcatScript:
    """Write one concat segment per window: from the window's keyframe to its last target.

    ``inpoint`` seeks to the keyframe. ``outpoint`` is strictly later than the last target's
    PTS, and the demuxer ends the segment at the first packet whose DTS reaches it, so every video
    packet up to the last target is read. The demuxer shifts each packet's timestamps by
    (segment start - ``inpoint``), rescaled to the stream's time base, where a segment starts at
    the sum of the ``duration`` of the segments before it. Each ``duration`` is the distance to
    the next window's ``inpoint`` plus the length of the whole stream plus
    ``SEGMENT_GAP_MICROSECONDS``. So segment k's timestamps are the file's, shifted by
    k * (length + gap) - first ``inpoint``. A frame decoded in two segments, or decoded right
    after a seek from pictures that precede it, therefore never carries the timestamp of a target
    in another segment. Raises ``ValueError`` for a path that contains a line break, which an
    ffconcat line cannot hold.

    NOTE: the ``outpoint`` check applies to packets of every stream, so an audio packet muxed
    well ahead of the video can end a segment before its last target. The process then returns
    too few frames, and the caller decodes the windows again one by one.
    """
    url = file_url(source)
    if not ffconcat_can_name(source):
        raise ValueError(f"an ffconcat script cannot name {source!r}, whose name has a line break")
    time_base = index.time_base
    length = _microseconds_up(index.pts[-1] - index.pts[0] + index.last_frame_ticks, time_base)
    stride = length + SEGMENT_GAP_MICROSECONDS
    inpoints = [_microseconds_up(index.pts[window.start_index], time_base) for window in windows]

    lines = ["ffconcat version 1.0"]
    terms: list[str] = []
    segment_start = 0
    for position, window in enumerate(windows):
        lines.append(f"file {_quoted(url)}")
        lines.append(f"inpoint {_seconds_text(inpoints[position])}")
        shift = rescale_rounded(segment_start - inpoints[position], MICROSECOND, time_base)
        terms.extend(_pts_terms(window.targets, index, shift))
        if position + 1 < len(windows):
            # Strictly later than the last target's PTS, which is at or after its DTS.
            outpoint = _microseconds_up(index.pts[window.targets[-1]], time_base) + 1
            duration = inpoints[position + 1] - inpoints[position] + stride
            lines.append(f"outpoint {_seconds_text(outpoint)}")
            lines.append(f"duration {_seconds_text(duration)}")
            segment_start += duration
    return ConcatScript(text="\n".join(lines) + "\n", expression="+".join(terms))


def build_concat_argv(
    ffmpeg: str,
    source: Path,
    windows: Sequence[DecodeWindow],
    index: PacketIndex,
    *,
    threads: int | None = None,
) -> tuple[str, ...]:
    """Decode several seek windows of ``source`` one after another in one process.

    The script from :func:`build_concat_script` travels in a ``data:`` URL, so no file is written.
    One decoder reads every segment without being flushed in between, so each window after the
    first must start at a picture that resets the decoder (see :mod:`cosmos.core.video.keyframes`).
    ``-auto_convert 0`` passes H.264 packets on unchanged, because every segment is the same file
    with the same codec parameters. ``threads`` as in :func:`build_full_scan_argv`.
    """
    script = build_concat_script(source, windows, index)
    # surrogateescape returns the bytes of a file name that is not valid UTF-8 unchanged.
    payload = base64.b64encode(script.text.encode("utf-8", "surrogateescape")).decode("ascii")
    targets = sum(len(window.targets) for window in windows)
    return (
        ffmpeg,
        "-hide_banner",
        "-nostdin",
        "-v",
        "error",
        "-copyts",
        *_decoder_threads(threads),
        "-f",
        "concat",
        "-safe",
        "0",
        "-auto_convert",
        "0",
        "-i",
        f"data:text/plain;base64,{payload}",
        *_decode_tail(script.expression, targets),
    )
