"""The default backend: the system FFmpeg decodes to rawvideo rgb24 on a pipe."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO

from returns.result import Failure, Result, Success

from cosmos.core.errors import DecodeFailed, ToolUnavailable, stderr_tail
from cosmos.core.ffmpeg.extract import build_full_scan_argv, build_window_argv
from cosmos.core.ffmpeg.timeline import PacketIndex
from cosmos.core.model.media import MediaFacts
from cosmos.core.video.plan import DecodeWindow, decoder_threads, plan_decode
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


def decode_with_ffmpeg_cli(
    path: Path,
    facts: MediaFacts,
    index: PacketIndex,
    targets: tuple[int, ...],
    timeout_seconds: float | None,
) -> DecodeResult:
    """Decode ``targets`` with a full scan or with seek windows, whichever is cheaper.

    Windows run in parallel, one per core, and long ones are split at keyframes to keep every
    core busy. When several run at once each FFmpeg gets decoder threads in proportion to its
    share of the work. A window that comes back short (a container whose seek lands past the
    keyframe) is decoded again from the start, so a seek problem costs time, never a wrong frame.
    """
    tool = resolve_tool("ffmpeg")
    if isinstance(tool, Failure):
        return Failure(ToolUnavailable(tool="ffmpeg", message=tool.failure().message))
    ffmpeg = str(tool.unwrap().path)
    frame_bytes = facts.probe.width * facts.probe.height * 3
    cores = usable_cores()
    windows = plan_decode(targets, index, parallel=cores).windows
    workers = max(1, min(len(windows), cores))
    threads = decoder_threads(windows, cores)

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
        if isinstance(result, Failure) and "timed out" not in result.failure().message:
            return full_scan(window.targets, window_threads)
        return result

    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(decode_window, windows, threads))

    decoded: dict[int, bytes] = {}
    for window, result in zip(windows, results, strict=True):
        if isinstance(result, Failure):
            return result
        decoded.update(zip(window.targets, result.unwrap(), strict=True))
    return Success(decoded)
