"""Choice of the decode backend from ``COSMOS_VIDEO_BACKEND``."""

from __future__ import annotations

from typing import Literal

from returns.result import Failure, Result, Success

from cosmos.core.errors import InvalidOption

BackendName = Literal["ffmpeg-cli", "pyav", "torchcodec"]
BackendSetting = Literal["ffmpeg-cli", "pyav", "torchcodec", "auto"]

_ALIASES: dict[str, BackendSetting] = {
    "": "ffmpeg-cli",
    "ffmpeg-cli": "ffmpeg-cli",
    "ffmpeg": "ffmpeg-cli",
    "pyav": "pyav",
    "av": "pyav",
    "torchcodec": "torchcodec",
    "tc": "torchcodec",
    "auto": "auto",
}
EXTRAS: dict[str, str] = {"pyav": "video-av", "torchcodec": "video-torchcodec"}


def parse_backend_setting(value: str | None) -> Result[BackendSetting, InvalidOption]:
    """Read the variable's value; unset or empty means ``ffmpeg-cli``."""
    setting = _ALIASES.get((value or "").strip().lower())
    if setting is None:
        accepted = "ffmpeg-cli (ffmpeg), pyav (av), torchcodec (tc), auto"
        return Failure(
            InvalidOption(
                field="COSMOS_VIDEO_BACKEND",
                value=str(value),
                message=f"invalid COSMOS_VIDEO_BACKEND {value!r}; supported values are {accepted}",
            )
        )
    return Success(setting)


def backends_to_try(setting: BackendSetting, platform: str) -> tuple[BackendName, ...]:
    """Return the backends in order; ``auto`` tries PyAV then FFmpeg CLI on macOS only."""
    if setting == "auto":
        return ("pyav", "ffmpeg-cli") if platform == "darwin" else ("ffmpeg-cli",)
    return (setting,)


def parse_timeout_seconds(value: str | None) -> float | None:
    """Read ``COSMOS_VIDEO_FFMPEG_TIMEOUT``: unset, empty, invalid or non-positive means none."""
    try:
        seconds = float(value) if value else 0.0
    except ValueError:
        return None
    return seconds if seconds > 0 and seconds != float("inf") else None
