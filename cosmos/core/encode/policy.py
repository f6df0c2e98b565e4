"""Encoder policy: which H.264 encoders to try, in which order, with which quality settings."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Literal

from cosmos.core.encode.profiles import DeterminismProfile

SOFTWARE_ENCODER = "libx264"

# Audio codecs the MP4 muxer stores as they are; anything else is re-encoded to AAC.
MP4_AUDIO_COPY: frozenset[str] = frozenset({"aac", "mp3", "alac", "ac3", "eac3"})
AAC_BITRATE = "192k"
Platform = Literal["linux", "darwin", "win32"]
QualityMode = Literal["speed", "balanced", "quality"]

# FFmpeg names hardware encoders <codec>_<API>; software encoders such as libx265 do not end
# in one of these.
HARDWARE_API_SUFFIXES: frozenset[str] = frozenset(
    {"nvenc", "qsv", "vaapi", "videotoolbox", "amf", "v4l2m2m", "mf", "omx", "vulkan"}
)

_HARDWARE_BY_PLATFORM: dict[str, tuple[str, ...]] = {
    "darwin": ("h264_videotoolbox",),
    "linux": ("h264_nvenc", "h264_qsv", "h264_vaapi"),
    "win32": ("h264_nvenc", "h264_qsv", "h264_amf"),
}


def is_hardware_encoder(name: str) -> bool:
    """Tell whether ``name`` is an FFmpeg hardware encoder, such as ``h264_nvenc``."""
    return "_" in name and name.rsplit("_", 1)[1] in HARDWARE_API_SUFFIXES


def encoder_candidates(
    platform: str, profile: DeterminismProfile | None, explicit: str | None
) -> tuple[str, ...]:
    """Return the encoders to try, in order; the last one is the fallback.

    An explicit encoder is authoritative and has no fallback. A profile that pins an encoder
    pins it; otherwise the platform's hardware encoders come first, then ``libx264``.
    """
    if explicit:
        return (explicit,)
    if profile is not None and profile.pinned_encoder is not None:
        return (profile.pinned_encoder,)
    return (*_HARDWARE_BY_PLATFORM.get(platform, ()), SOFTWARE_ENCODER)


@dataclass(frozen=True, slots=True)
class EncoderChoice:
    """The encoder selected and every encoder tried before it, with the reason it was passed."""

    encoder: str
    attempted: tuple[tuple[str, str], ...]

    @property
    def hardware_attempted(self) -> bool:
        return is_hardware_encoder(self.encoder) or any(
            is_hardware_encoder(name) for name, _ in self.attempted
        )

    def software_retry(self, failed_encoder: str, reason: str) -> EncoderChoice:
        """Return the libx264 choice for a second attempt after ``failed_encoder`` failed
        mid-run, with that failure added to the encoders tried."""
        failure = (failed_encoder, f"failed mid-run: {reason}")
        return EncoderChoice(SOFTWARE_ENCODER, (*self.attempted, failure))


def pick_encoder(
    candidates: tuple[str, ...],
    listed: Collection[str],
    works: Callable[[str], bool],
) -> EncoderChoice | None:
    """Pick the first candidate FFmpeg lists and ``works`` accepts.

    ``works`` is the runtime probe (a one-frame encode), called only for listed candidates
    other than the software fallback. ``None`` means no candidate is usable.
    """
    attempted: list[tuple[str, str]] = []
    for name in candidates:
        if name not in listed:
            attempted.append((name, "not listed by ffmpeg -encoders"))
            continue
        if name == SOFTWARE_ENCODER or works(name):
            return EncoderChoice(encoder=name, attempted=tuple(attempted))
        attempted.append((name, "failed the one-frame runtime probe"))
    return None


def libx264_preset(quality_mode: QualityMode, profile: DeterminismProfile | None) -> str:
    """Return the x264 preset: slower for quality, veryfast under throughput, else medium."""
    if quality_mode == "quality":
        return "slower"
    if profile is not None and profile.encoder_policy == "prefer-hardware":
        return "veryfast"
    return "medium"


def quality_args(encoder: str, crf: int, quality_mode: QualityMode) -> tuple[str, ...]:
    """Return the argv that sets a CRF-like quality value the way ``encoder`` understands it."""
    if encoder == SOFTWARE_ENCODER:
        return ("-crf", str(crf))
    if encoder.endswith("_nvenc"):
        return (
            "-preset",
            "p7" if quality_mode == "quality" else "p4",
            "-rc",
            "constqp",
            "-qp",
            str(crf),
        )
    if encoder.endswith("_videotoolbox"):
        # VideoToolbox constant quality runs 1..100 with higher meaning better; map CRF 0..51 to it.
        return ("-q:v", str(max(1, min(100, round(100 - crf * 100 / 51)))))
    if encoder.endswith("_qsv"):
        return ("-global_quality", str(crf))
    if encoder.endswith("_amf"):
        return ("-rc", "cqp", "-qp_i", str(crf), "-qp_p", str(crf), "-qp_b", str(crf))
    if encoder.endswith("_vaapi"):
        return ("-rc_mode", "CQP", "-qp", str(crf))
    return ("-crf", str(crf))


@dataclass(frozen=True, slots=True)
class EncoderSetup:
    """Options an encoder needs around it: global options and the tail of the filter graph."""

    global_args: tuple[str, ...]
    filter_tail: str


def encoder_setup(encoder: str) -> EncoderSetup:
    """Return the device options and pixel-format filters ``encoder`` needs.

    VAAPI encodes from GPU surfaces, so frames are converted to NV12 and uploaded; QSV reads NV12
    from system memory; the others take ``yuv420p`` as is.
    """
    if encoder.endswith("_vaapi"):
        return EncoderSetup(("-vaapi_device", "/dev/dri/renderD128"), "format=nv12,hwupload")
    if encoder.endswith("_qsv"):
        return EncoderSetup((), "format=nv12")
    return EncoderSetup((), "format=yuv420p")


def build_encoder_probe_argv(
    ffmpeg: str, encoder: str, width: int, height: int, pix_fmt: str
) -> tuple[str, ...]:
    """Build a one-frame encode of a black ``width`` x ``height`` picture, written nowhere."""
    setup = encoder_setup(encoder)
    return (
        ffmpeg,
        "-hide_banner",
        "-nostdin",
        "-v",
        "error",
        *setup.global_args,
        "-f",
        "lavfi",
        "-i",
        f"color=c=black:s={width}x{height}:r=1,format={pix_fmt}",
        "-frames:v",
        "1",
        "-vf",
        setup.filter_tail,
        "-c:v",
        encoder,
        "-f",
        "null",
        "-",
    )


def parse_encoder_list(output: str) -> frozenset[str]:
    """Parse ``ffmpeg -encoders`` output into the set of video encoder names."""
    names: set[str] = set()
    for line in output.splitlines():
        parts = line.split()
        if len(parts) >= 2 and len(parts[0]) == 6 and parts[0].startswith("V") and parts[1] != "=":
            names.add(parts[1])
    return frozenset(names)


def video_codec_args(
    encoder: str,
    crf: int,
    quality_mode: QualityMode,
    profile: DeterminismProfile | None,
    *,
    low_memory: bool = False,
) -> list[str]:
    """Return the video encoder options shared by ingest, crop and optimize.

    The encoder (HEVC tagged ``hvc1``), the x264 preset, the quality value the way the encoder
    understands it, the profile's thread count (for x264 also its own ``threads``), and bitexact
    encoding.
    """
    args = ["-c:v", encoder]
    if encoder == "libx265" or encoder.startswith("hevc_"):
        # FFmpeg tags HEVC in MP4 as hev1 by default, and QuickTime Player on macOS plays only hvc1.
        args += ["-tag:v", "hvc1"]
    if encoder == SOFTWARE_ENCODER:
        args += ["-preset", libx264_preset(quality_mode, profile)]
    args += quality_args(encoder, crf, quality_mode)
    if profile is not None and profile.threads is not None:
        args += ["-threads", str(profile.threads)]
        if encoder == SOFTWARE_ENCODER:
            args += ["-x264-params", f"threads={profile.threads}"]
    elif low_memory:
        args += ["-threads", "2"]
    if profile is not None and profile.bitexact:
        args += ["-flags:v", "+bitexact"]
    return args


def bitexact_muxer_args(profile: DeterminismProfile | None) -> list[str]:
    """Return the muxer options of a bitexact profile: no version strings, no metadata."""
    if profile is None or not profile.bitexact:
        return []
    return ["-fflags", "+bitexact", "-map_metadata", "-1"]
