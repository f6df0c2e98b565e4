"""FFmpeg argv lists that decode chosen frames to packed rgb24 on stdout."""

from __future__ import annotations

from collections.abc import Sequence
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


def pts_expression(targets: Sequence[int], index: PacketIndex) -> str:
    """Build a ``select`` expression true on the PTS of each target frame.

    A run of consecutive frames becomes one ``between`` over its first and last PTS, which
    matches exactly those frames because the index lists every frame's PTS.
    """
    terms = [
        f"eq(pts,{index.pts[first]})"
        if first == last
        else f"between(pts,{index.pts[first]},{index.pts[last]})"
        for first, last in _runs(targets)
    ]
    return "+".join(terms)


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
