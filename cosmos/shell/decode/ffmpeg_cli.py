"""The default backend: the system FFmpeg decodes to rawvideo rgb24 on a pipe."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO

from returns.result import Failure, Result, Success

from cosmos.core.errors import DecodeFailed, ToolUnavailable, stderr_tail
from cosmos.core.ffmpeg.extract import (
    build_concat_argv,
    build_full_scan_argv,
    build_window_argv,
    ffconcat_can_name,
)
from cosmos.core.ffmpeg.paths import file_url
from cosmos.core.ffmpeg.timeline import PacketIndex
from cosmos.core.model.media import MediaFacts
from cosmos.core.video.keyframes import NAL_CODECS, NAL_LENGTH_BYTES, nal_unit_type, resets_decoder
from cosmos.core.video.plan import (
    DecodeWindow,
    group_for_processes,
    plan_decode,
    process_threads,
)
from cosmos.shell.binaries import resolve_tool
from cosmos.shell.decode import DecodeResult, usable_cores
from cosmos.shell.runner import run_reading


def _run_window(
    argv: tuple[str, ...],
    path: Path,
    targets: tuple[int, ...],
    frame_bytes: int,
    timeout_seconds: float | None,
) -> Result[list[bytes], DecodeFailed]:
    def read(stream: IO[bytes]) -> list[bytes]:
        frames: list[bytes] = []
        while len(frames) < len(targets):
            data = stream.read(frame_bytes)
            if len(data) < frame_bytes:
                break
            frames.append(data)
        return frames

    try:
        completed, frames = run_reading(argv, read, timeout_seconds=timeout_seconds)
    except OSError as error:
        return Failure(DecodeFailed(path=str(path), message=f"cannot start {argv[0]} ({error})"))
    indices_text = ", ".join(str(t) for t in targets[:8]) + (" ..." if len(targets) > 8 else "")
    if completed.timed_out:
        return Failure(
            DecodeFailed(
                path=str(path),
                message=f"ffmpeg timed out after {timeout_seconds:g} s decoding frames "
                f"{indices_text} of {path}; raise COSMOS_VIDEO_FFMPEG_TIMEOUT or check the file",
                stderr=completed.stderr,
            )
        )
    if not completed.ok or len(frames) != len(targets):
        return Failure(
            DecodeFailed(
                path=str(path),
                message=f"ffmpeg returned {len(frames)} of {len(targets)} frames "
                f"({indices_text}) of {path} (exit {completed.returncode}: "
                f"{stderr_tail(completed.stderr) or 'no stderr'}); the file may be truncated "
                "or damaged",
                stderr=completed.stderr,
            )
        )
    return Success(frames)


# Containers whose demuxers seek to the indexed keyframe at or before the requested time, so a
# concat segment starts exactly at its window's keyframe, and whose packet offsets point at the
# NAL units. MPEG-TS seeks by DTS to any packet and can land after the keyframe.
# NOTE: Matroska also seeks to indexed keyframes, but ffprobe's offset of a Matroska packet is
# that of its block header, which _nal_header_bytes does not parse, so MKV keeps a process per
# window.
_KEYFRAME_SEEKING_FORMATS = ("mov,mp4,m4a,3gp,3g2,mj2",)
# ffmpeg drops a timestamp more than -dts_error_threshold (default 30 hours) from the expected
# one, and the timestamps of consecutive segments are up to two stream lengths apart.
_MAX_SHARED_LENGTH_SECONDS = 10 * 3600
# Linux limits one argv string to 128 KiB, and the ffconcat script names the file once per window.
_MAX_SCRIPT_URL_BYTES = 64 * 1024


def _nal_header_bytes(path: Path, location: tuple[int, int]) -> list[int] | None:
    """Read the first header byte of each NAL unit in the packet at ``location`` (offset, size),
    or return ``None`` when its bytes are not NAL units with 4-byte lengths that fill it exactly."""
    offset, size = location
    headers: list[int] = []
    try:
        with path.open("rb") as handle:
            position = 0
            while position < size:
                handle.seek(offset + position)
                head = handle.read(NAL_LENGTH_BYTES + 1)
                if len(head) < NAL_LENGTH_BYTES + 1:
                    return None
                length = int.from_bytes(head[:NAL_LENGTH_BYTES], "big")
                if length == 0 or head[NAL_LENGTH_BYTES] & 0x80:
                    return None
                headers.append(head[NAL_LENGTH_BYTES])
                position += NAL_LENGTH_BYTES + length
    except OSError:
        return None
    return headers if position == size else None


def _can_share_decoder(
    path: Path,
    facts: MediaFacts,
    index: PacketIndex,
    groups: tuple[tuple[DecodeWindow, ...], ...],
) -> bool:
    """Tell whether every group can run in one FFmpeg process through the concat demuxer.

    The decoder is not flushed between segments, so each window after the first in a group must
    start at an IDR picture, and the container must seek exactly to it.
    """
    codec = facts.probe.codec_name or ""
    if (
        facts.probe.format_name not in _KEYFRAME_SEEKING_FORMATS
        or codec not in NAL_CODECS
        or index.duration_seconds > _MAX_SHARED_LENGTH_SECONDS
        or not ffconcat_can_name(path)
        or len(file_url(path).encode("utf-8", "surrogateescape")) * max(map(len, groups))
        > _MAX_SCRIPT_URL_BYTES
    ):
        return False
    for group in groups:
        for window in group[1:]:
            location = index.keyframe_location(window.start_index)
            headers = _nal_header_bytes(path, location) if location is not None else None
            if headers is None:
                return False
            if not resets_decoder(codec, [nal_unit_type(codec, byte) for byte in headers]):
                return False
    return True


def decode_with_ffmpeg_cli(
    path: Path,
    facts: MediaFacts,
    index: PacketIndex,
    targets: tuple[int, ...],
    timeout_seconds: float | None,
) -> DecodeResult:
    """Decode ``targets`` with a full scan or with seek windows, whichever is cheaper.

    Small requests run in one FFmpeg process. When the decoding work is large, long windows are
    split at keyframes and groups of windows run in parallel, one process per core, with decoder
    threads in proportion to each group's share of the work. A process decodes its windows one
    after another through the concat demuxer where that is safe (see :func:`_can_share_decoder`).
    Otherwise every window gets its own process, as many at once as there are cores. A group or
    window that comes back short (a container whose seek lands past the keyframe) is decoded
    again window by window and then from the start, so a seek problem costs time, never a wrong
    frame.
    """
    tool = resolve_tool("ffmpeg")
    if isinstance(tool, Failure):
        return Failure(ToolUnavailable(tool="ffmpeg", message=tool.failure().message))
    ffmpeg = str(tool.unwrap().path)
    frame_bytes = facts.probe.width * facts.probe.height * 3
    cores = usable_cores()
    windows = plan_decode(targets, index, parallel=cores).windows
    groups = group_for_processes(windows, cores)
    if any(len(group) > 1 for group in groups) and not _can_share_decoder(
        path, facts, index, groups
    ):
        groups = tuple((window,) for window in windows)
    workers = max(1, min(len(groups), cores))
    threads = process_threads(groups, cores)

    def full_scan(
        window_targets: tuple[int, ...], window_threads: int | None
    ) -> Result[list[bytes], DecodeFailed]:
        argv = build_full_scan_argv(ffmpeg, path, window_targets, threads=window_threads)
        return _run_window(argv, path, window_targets, frame_bytes, timeout_seconds)

    def decode_window(
        window: DecodeWindow, window_threads: int | None
    ) -> Result[list[bytes], DecodeFailed]:
        if window.start_index == 0:
            return full_scan(window.targets, window_threads)
        argv = build_window_argv(ffmpeg, path, window, index, threads=window_threads)
        result = _run_window(argv, path, window.targets, frame_bytes, timeout_seconds)
        if _worth_retrying(result):
            return full_scan(window.targets, window_threads)
        return result

    def decode_group(
        group: tuple[DecodeWindow, ...], group_threads: int | None
    ) -> Result[list[bytes], DecodeFailed]:
        if len(group) == 1:
            return decode_window(group[0], group_threads)
        argv = build_concat_argv(ffmpeg, path, group, index, threads=group_threads)
        group_targets = tuple(target for window in group for target in window.targets)
        result = _run_window(argv, path, group_targets, frame_bytes, timeout_seconds)
        if not _worth_retrying(result):
            return result
        frames: list[bytes] = []
        for window in group:
            decoded = decode_window(window, group_threads)
            if isinstance(decoded, Failure):
                return decoded
            frames.extend(decoded.unwrap())
        return Success(frames)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(decode_group, groups, threads))

    decoded: dict[int, bytes] = {}
    for group, result in zip(groups, results, strict=True):
        if isinstance(result, Failure):
            return result
        group_targets = [target for window in group for target in window.targets]
        decoded.update(zip(group_targets, result.unwrap(), strict=True))
    return Success(decoded)


def _worth_retrying(result: Result[list[bytes], DecodeFailed]) -> bool:
    """Tell whether a failed decode may succeed another way: anything but a timeout."""
    return isinstance(result, Failure) and "timed out" not in result.failure().message
