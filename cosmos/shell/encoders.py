"""Runtime checks of encoders and hardware decoders, cached for the process."""

from __future__ import annotations

import functools
from pathlib import Path

from returns.result import Failure, Result, Success

from cosmos.core.encode.policy import (
    EncoderChoice,
    build_encoder_probe_argv,
    parse_encoder_list,
    pick_encoder,
)
from cosmos.core.errors import ToolUnavailable
from cosmos.shell.runner import run
from cosmos.shell.toolcache import remembered

PROBE_TIMEOUT_SECONDS = 20.0
HW_DECODERS_BY_PLATFORM: dict[str, tuple[str, ...]] = {
    "darwin": ("videotoolbox",),
    "linux": ("cuda", "vaapi"),
    "win32": ("cuda", "d3d11va"),
}


def _list_encoders(ffmpeg: Path) -> list[str]:
    try:
        completed = run((str(ffmpeg), "-hide_banner", "-encoders"), timeout_seconds=30)
    except OSError:
        return []
    return sorted(parse_encoder_list(completed.stdout.decode("utf-8", "replace")))


@functools.cache
def listed_encoders(ffmpeg: Path) -> frozenset[str]:
    """Return the video encoders ``ffmpeg -encoders`` lists."""
    return frozenset(remembered(ffmpeg, "encoders", lambda: _list_encoders(ffmpeg), list))


@functools.cache
def encoder_works(ffmpeg: Path, encoder: str, width: int, height: int, pix_fmt: str) -> bool:
    """Encode one frame of the real size and pixel format; ``True`` when FFmpeg succeeds."""
    argv = build_encoder_probe_argv(str(ffmpeg), encoder, width, height, pix_fmt)

    def probe() -> bool:
        try:
            return run(argv, timeout_seconds=PROBE_TIMEOUT_SECONDS).ok
        except OSError:
            return False

    return remembered(ffmpeg, f"encoder-works|{encoder}|{width}x{height}|{pix_fmt}", probe, bool)


def select_encoder(
    ffmpeg: Path, candidates: tuple[str, ...], width: int, height: int, pix_fmt: str
) -> Result[EncoderChoice, ToolUnavailable]:
    """Pick the first usable candidate for this picture size and pixel format."""
    listed = listed_encoders(ffmpeg)
    choice = pick_encoder(
        candidates, listed, lambda name: encoder_works(ffmpeg, name, width, height, pix_fmt)
    )
    if choice is None:
        tried = ", ".join(candidates)
        return Failure(
            ToolUnavailable(
                tool=candidates[-1],
                message=f"no usable video encoder among {tried} in {ffmpeg} for "
                f"{width}x{height} {pix_fmt}; run `cosmos doctor` to see which encoders pass, "
                "or install an FFmpeg build with libx264",
            )
        )
    return Success(choice)


@functools.cache
def hw_decoder_works(ffmpeg: Path, name: str) -> bool:
    """Initialise the hardware device ``name`` once; ``True`` when FFmpeg can open it."""
    argv = (
        str(ffmpeg),
        "-hide_banner",
        "-nostdin",
        "-v",
        "error",
        "-init_hw_device",
        f"{name}=hw",
        "-f",
        "lavfi",
        "-i",
        "nullsrc=s=64x64",
        "-frames:v",
        "1",
        "-f",
        "null",
        "-",
    )

    def probe() -> bool:
        try:
            return run(argv, timeout_seconds=PROBE_TIMEOUT_SECONDS).ok
        except OSError:
            return False

    return remembered(ffmpeg, f"hw-decoder-works|{name}", probe, bool)


def usable_hw_decoders(ffmpeg: Path, platform: str) -> list[str]:
    return [
        name for name in HW_DECODERS_BY_PLATFORM.get(platform, ()) if hw_decoder_works(ffmpeg, name)
    ]
