"""The CPU TorchCodec backend (``video-torchcodec`` extra). The only importer of ``torchcodec``.

TorchCodec decodes to tensors; they are converted back to packed rgb24 bytes here. TorchCodec
0.13 applies the display rotation itself.
"""

from __future__ import annotations

from pathlib import Path

from returns.result import Failure, Success

from cosmos.core.errors import BackendMissing, DecodeFailed
from cosmos.core.ffmpeg.timeline import PacketIndex
from cosmos.core.model.media import MediaFacts
from cosmos.shell.decode import DecodeResult

MISSING = BackendMissing(
    backend="torchcodec",
    extra="video-torchcodec",
    message="COSMOS_VIDEO_BACKEND selects TorchCodec, which is not installed or cannot load "
    "FFmpeg's shared libraries; run `pip install 'polli-cosmos[video-torchcodec]'` and check "
    "that libavcodec is installed, or unset COSMOS_VIDEO_BACKEND",
)


def _play_time(index: PacketIndex, frame_index: int) -> float:
    """Return a time inside the frame's display interval, clear of float rounding at its start."""
    start = index.pts[frame_index]
    if frame_index + 1 < index.frame_count:
        end = index.pts[frame_index + 1]
    else:
        end = start + index.last_frame_ticks
    return float((start + (end - start) / 4) * index.time_base)


def decode_with_torchcodec(
    path: Path,
    facts: MediaFacts,
    index: PacketIndex,
    targets: tuple[int, ...],
    timeout_seconds: float | None,
) -> DecodeResult:
    """Decode ``targets`` by presentation time, so frame identity follows the shared index."""
    del timeout_seconds
    # The index describes the first video stream; TorchCodec would otherwise pick FFmpeg's
    # "best" stream, which in a multi-stream file can be another one.
    stream_index = next((number for number, kind, _ in facts.streams if kind == "video"), None)
    try:
        # torchcodec.decoders re-exports VideoDecoder without listing it in __all__.
        from torchcodec.decoders import VideoDecoder  # type: ignore[attr-defined]
    except (ImportError, OSError, RuntimeError):
        return Failure(MISSING)

    try:
        decoder = VideoDecoder(
            str(path), stream_index=stream_index, seek_mode="exact", dimension_order="NHWC"
        )
        batch = decoder.get_frames_played_at([_play_time(index, t) for t in targets])
    except (RuntimeError, ValueError, IndexError) as error:
        return Failure(
            DecodeFailed(path=str(path), message=f"TorchCodec failed to decode {path}: {error}")
        )

    decoded: dict[int, bytes] = {}
    for position, target in enumerate(targets):
        expected = float(index.pts[target] * index.time_base)
        returned = float(batch.pts_seconds[position])
        if abs(returned - expected) > float(index.time_base) / 2 + 1e-6:
            return Failure(
                DecodeFailed(
                    path=str(path),
                    message=f"TorchCodec returned the frame at {returned:.6f} s for index "
                    f"{target} of {path}, expected {expected:.6f} s",
                )
            )
        decoded[target] = batch.data[position].contiguous().numpy().tobytes()
    return Success(decoded)
