"""The in-process PyAV backend (``video-av`` extra). The only module that imports ``av``."""

from __future__ import annotations

from collections.abc import Iterator, Set
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


# Decoders that may drop non-reference pictures that are not targets. FFmpeg's H.264 decoder
# (ff_h264_queue_decode_slice in libavcodec/h264_slice.c) skips a picture under skip_frame NONREF
# when its nal_ref_idc is 0, which H.264 reserves for pictures that no other picture predicts
# from. It checks only at the first slice of a frame or of a first field, so the second field
# of a decoded first field is always decoded. HEVC is left out because a sub-layer non-reference
# picture can still be a reference for pictures of higher temporal layers.
# NOTE: tests/shell/test_pyav_nonref.py checks frame identity on progressive and MBAFF clips with
# the FFmpeg that PyAV bundles. No test covers field pictures (PAFF), which x264 cannot write.
SKIP_NONREF_DECODERS = frozenset({"h264"})


def _frames(container: Any, stream: Any, target_pts: Set[int], skip_nonref: bool) -> Iterator[Any]:
    """Decode ``stream`` packet by packet, dropping non-target non-reference pictures when
    ``skip_nonref`` is set.

    Frame threads copy ``skip_frame`` when a packet is submitted, and PyAV submits each packet
    before ``decode`` returns, so the value set for a packet applies to that packet alone. A
    packet without a PTS is always decoded. Dropped pictures produce no frame.
    """
    codec_context = stream.codec_context
    for packet in container.demux(stream):
        if skip_nonref:
            is_target = packet.pts is None or packet.pts in target_pts
            codec_context.skip_frame = "DEFAULT" if is_target else "NONREF"
        yield from packet.decode()


def _decode_window(
    container: Any,
    stream: Any,
    targets_by_pts: dict[int, int],
    decoded: dict[int, bytes],
    rotation_degrees: int,
    *,
    skip_nonref: bool,
) -> bool:
    """Decode until every target PTS is found; ``False`` when the seek overshot one of them."""
    first_pts = min(targets_by_pts)
    last_pts = max(targets_by_pts)
    remaining = dict(targets_by_pts)
    for frame in _frames(container, stream, targets_by_pts.keys(), skip_nonref):
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


def _decode_in_container(
    path: Path,
    index: PacketIndex,
    window: DecodeWindow,
    thread_count: int | None,
    *,
    rotation_degrees: int,
    skip_nonref: bool,
) -> dict[int, bytes]:
    """Decode one window in its own container; targets that were not found are left out."""
    import av

    decoded: dict[int, bytes] = {}
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        if thread_count is not None:
            stream.codec_context.thread_count = thread_count
        skip_nonref = skip_nonref and stream.codec_context.name in SKIP_NONREF_DECODERS
        targets_by_pts = {index.pts[t]: t for t in window.targets}
        for backoff_seconds in SEEK_BACKOFF_SECONDS:
            if window.start_index > 0 or backoff_seconds > 0:
                _seek_before(container, stream, index, window.start_index, backoff_seconds)
            if _decode_window(
                container,
                stream,
                targets_by_pts,
                decoded,
                rotation_degrees,
                skip_nonref=skip_nonref,
            ):
                break
    return decoded


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
    every 10th frame of 60 s of 1080p went from 1.31x to 1.05x of a bare FFmpeg decode). H.264
    decoders drop non-reference pictures that are not targets (see ``SKIP_NONREF_DECODERS``).
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
        rotation = facts.rotation_degrees
        decoded = _decode_in_container(
            path, index, window, thread_count, rotation_degrees=rotation, skip_nonref=True
        )
        if len(decoded) < len(window.targets):
            # FFmpeg guesses the reorder depth of H.264 streams that do not signal it from the
            # pictures it decodes, and drops a picture that comes out of order after a low
            # guess. Skipping changes the pictures the guess is based on, so a window that
            # misses a target is decoded again without skipping.
            decoded = _decode_in_container(
                path, index, window, thread_count, rotation_degrees=rotation, skip_nonref=False
            )
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
