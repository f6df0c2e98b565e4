"""The in-process PyAV backend (``video-av`` extra). The only module that imports ``av``."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from returns.result import Failure, Success

from cosmos.core.errors import BackendMissing, DecodeFailed
from cosmos.core.ffmpeg.timeline import PacketIndex
from cosmos.core.model.media import MediaFacts
from cosmos.core.video.plan import DecodeWindow, decoder_threads, plan_decode
from cosmos.shell.decode import DecodeResult, usable_cores

MISSING = BackendMissing(
    backend="pyav",
    extra="video-av",
    message="COSMOS_VIDEO_BACKEND selects PyAV, which is not installed; run "
    "`pip install 'polli-cosmos[video-av]'` or unset COSMOS_VIDEO_BACKEND",
)


def _to_rgb24(frame: Any, rotation_degrees: int) -> bytes:
    if rotation_degrees:
        return _rotated_rgb24(frame, rotation_degrees)
    # The same conversion as ``to_ndarray(format="rgb24")``, copied once into bytes. Importing
    # NumPy costs about 45 ms per process (measured), and an array would add a second copy.
    converted = frame.reformat(format="rgb24")
    plane = converted.planes[0]
    row_bytes = converted.width * 3
    if plane.line_size == row_bytes:
        return bytes(plane)
    rows = memoryview(plane)
    stride = plane.line_size
    return b"".join(rows[y * stride : y * stride + row_bytes] for y in range(converted.height))


def _rotated_rgb24(frame: Any, rotation_degrees: int) -> bytes:
    import numpy

    pixels = frame.to_ndarray(format="rgb24")
    # numpy.rot90 turns counter-clockwise for positive k; display rotation is clockwise.
    pixels = numpy.rot90(pixels, k=-(rotation_degrees // 90))
    return bytes(numpy.ascontiguousarray(pixels).data)


# Seeks in some containers (MPEG-TS) land after the requested keyframe. A window whose first
# frame comes too late is decoded again from further back, and from the start as a last resort.
SEEK_BACKOFF_SECONDS = (0.0, 2.0, 10.0, float("inf"))


def _seek_before(
    container: Any, stream: Any, index: PacketIndex, start_index: int, backoff_seconds: float
) -> None:
    backoff_ticks = backoff_seconds / index.time_base if backoff_seconds != float("inf") else None
    if backoff_ticks is None:
        target = index.pts[0]
    else:
        target = max(index.pts[0], round(index.pts[start_index] - backoff_ticks))
    container.seek(target, stream=stream, backward=True)


def _decode_window(
    container: Any,
    stream: Any,
    targets_by_pts: dict[int, int],
    decoded: dict[int, bytes],
    rotation_degrees: int,
) -> bool:
    """Decode until every target PTS is found; ``False`` when the seek overshot one of them."""
    first_pts = min(targets_by_pts)
    last_pts = max(targets_by_pts)
    remaining = dict(targets_by_pts)
    for frame in container.decode(stream):
        if frame.pts is None:
            continue
        if frame.pts > first_pts and first_pts in remaining:
            return False
        target = remaining.pop(frame.pts, None)
        if target is not None:
            decoded[target] = _to_rgb24(frame, rotation_degrees)
        if not remaining or frame.pts >= last_pts:
            break
    return not remaining


def decode_with_pyav(
    path: Path,
    facts: MediaFacts,
    index: PacketIndex,
    targets: tuple[int, ...],
    timeout_seconds: float | None,
) -> DecodeResult:
    """Decode ``targets`` in process, seeking to each window's keyframe and matching by PTS.

    As in the ffmpeg-cli backend, long requests are split at keyframes and the windows run side
    by side, each in its own container on a worker thread, with decoder threads in proportion to
    each window's share. The threads overlap in PyAV's decode and conversion calls (measured:
    every 10th frame of 60 s of 1080p went from 1.31x to 1.05x of a bare FFmpeg decode).
    ``timeout_seconds`` does not apply: there is no child process to stop.
    """
    del timeout_seconds
    try:
        import av
    except ImportError:
        return Failure(MISSING)

    cores = usable_cores()
    windows = plan_decode(targets, index, parallel=cores).windows
    threads = decoder_threads(windows, cores)

    def decode_one(window: DecodeWindow, thread_count: int | None) -> dict[int, bytes]:
        decoded: dict[int, bytes] = {}
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            if thread_count is not None:
                stream.codec_context.thread_count = thread_count
            targets_by_pts = {index.pts[t]: t for t in window.targets}
            for backoff_seconds in SEEK_BACKOFF_SECONDS:
                if window.start_index > 0 or backoff_seconds > 0:
                    _seek_before(container, stream, index, window.start_index, backoff_seconds)
                if _decode_window(
                    container, stream, targets_by_pts, decoded, facts.rotation_degrees
                ):
                    break
        return decoded

    decoded: dict[int, bytes] = {}
    try:
        if len(windows) == 1:
            decoded = decode_one(windows[0], threads[0])
        else:
            workers = min(len(windows), cores)
            with ThreadPoolExecutor(max_workers=workers) as pool:
                for part in pool.map(decode_one, windows, threads):
                    decoded.update(part)
    except (av.FFmpegError, OSError) as error:
        return Failure(
            DecodeFailed(path=str(path), message=f"PyAV failed to decode {path}: {error}")
        )

    missing = [t for t in targets if t not in decoded]
    if missing:
        indices_text = ", ".join(str(t) for t in missing[:8])
        return Failure(
            DecodeFailed(
                path=str(path),
                message=f"PyAV returned no frame for indices {indices_text} of {path}; the file "
                "may be truncated or damaged",
            )
        )
    return Success(decoded)
