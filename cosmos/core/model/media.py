"""Facts about a media file as ffprobe reports them."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path


@dataclass(frozen=True, slots=True)
class VideoProbe:
    """Metadata of the first video stream of a file.

    ``width`` and ``height`` are the displayed size: a 90 or 270 degree display rotation swaps the
    stored dimensions. Values ffprobe does not report (or reports as zero, ``N/A`` or not finite)
    are ``None``, never a guess.
    """

    source_path: Path
    width: int
    height: int
    duration_seconds: float | None = None
    fps: float | None = None
    frame_count: int | None = None
    codec_name: str | None = None
    codec_long_name: str | None = None
    format_name: str | None = None


@dataclass(frozen=True, slots=True)
class MediaFacts:
    """Everything Cosmos reads from one ffprobe call, beyond the public :class:`VideoProbe`.

    ``rotation_degrees`` is the clockwise rotation a player applies for display (0, 90, 180 or
    270). ``stored_width`` and ``stored_height`` are the coded picture size before that rotation.
    """

    probe: VideoProbe
    stored_width: int
    stored_height: int
    rotation_degrees: int
    frame_rate: Fraction | None
    time_base: Fraction | None
    sample_aspect_ratio: Fraction | None
    pix_fmt: str | None
    color_space: str | None
    audio_codec: str | None
    audio_stream_count: int
    video_stream_count: int = 1
    # (stream index, codec_type, codec_name) of every stream, in file order.
    streams: tuple[tuple[int, str, str], ...] = ()

    @property
    def has_audio(self) -> bool:
        return self.audio_stream_count > 0

    @property
    def display_width(self) -> int:
        return self.probe.width

    @property
    def display_height(self) -> int:
        return self.probe.height
