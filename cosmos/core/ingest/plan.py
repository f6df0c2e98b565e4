"""Plans of generic-media ingest: output paths, filter graph and the exact FFmpeg argv."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from cosmos.core.encode.policy import (
    AAC_BITRATE,
    MP4_AUDIO_COPY,
    SOFTWARE_ENCODER,
    EncoderChoice,
    bitexact_muxer_args,
    encoder_setup,
    libx264_preset,
    video_codec_args,
)
from cosmos.core.ffmpeg.paths import file_url
from cosmos.core.ingest.adapter import ClipSource
from cosmos.core.ingest.geometry import display_size, fit_inside
from cosmos.core.ingest.options import ResolvedIngest
from cosmos.core.model.media import MediaFacts
from cosmos.core.names import TOKEN_LENGTH, temporary_name, with_temporaries


@dataclass(frozen=True, slots=True)
class OutputPaths:
    """Paths of one clip's files. FFmpeg writes ``temporary`` and the shell renames it."""

    media: Path
    temporary: Path
    cmd: Path
    log: Path
    sidecar: Path


def clip_output_paths(output_dir: Path, clip_name: str, token: str) -> OutputPaths:
    """Name the files of clip ``clip_name``; ``token`` makes the temporary name unique."""
    media = output_dir / f"{clip_name}.mp4"
    return OutputPaths(
        media=media,
        temporary=output_dir / temporary_name(media.name, token),
        cmd=output_dir / f"{clip_name}.mp4.cmd.txt",
        log=output_dir / f"{clip_name}.mp4.log.txt",
        sidecar=output_dir / f"{clip_name}.mp4.cosmos_clip.v1.json",
    )


def concat_list_name(clip_name: str) -> str:
    """Name the concat list of a COSM clip, written beside the clip."""
    return f"{clip_name}.mp4.concat.txt"


def clip_file_names(clip_name: str, *, concat: bool) -> tuple[str, ...]:
    """Return every name a run creates in the output folder for clip ``clip_name``.

    FFmpeg writes the clip under its temporary name, and the command, log, sidecar and concat
    list are each written under a temporary name of their own and renamed.
    """
    paths = clip_output_paths(Path(), clip_name, "0" * TOKEN_LENGTH)
    written = [paths.cmd.name, paths.log.name, paths.sidecar.name]
    if concat:
        written.append(concat_list_name(clip_name))
    return (paths.media.name, paths.temporary.name, *with_temporaries(written))


@dataclass(frozen=True, slots=True)
class ClipPlan:
    """Everything needed to encode one clip and describe the result."""

    clip: ClipSource
    paths: OutputPaths
    argv: tuple[str, ...]
    filtergraph: str
    encoder: str
    crf: int
    preset: str | None
    width: int
    height: int
    expected_duration_seconds: float | None
    expected_frames: int | None
    # Set by adapters that know the clip's place in a session (COSM): half-open session frame
    # range, epoch milliseconds, the concat list the argv reads, and the file hashed as source.
    session_frames: tuple[int, int] | None = None
    epoch_ms: tuple[int, int] | None = None
    concat_path: Path | None = None
    concat_text: str | None = None
    source_file: Path | None = None


def global_args(encoder: str, options: ResolvedIngest, hw_decode: str | None) -> list[str]:
    """Return the options that precede the inputs: devices, filter threads, decoder threads."""
    profile = options.profile
    args: list[str] = [*encoder_setup(encoder).global_args]
    if options.filter_threads is not None:
        args += ["-filter_threads", str(options.filter_threads)]
    elif options.low_memory:
        args += ["-filter_threads", "1"]
    if options.filter_complex_threads is not None:
        args += ["-filter_complex_threads", str(options.filter_complex_threads)]
    elif options.low_memory:
        args += ["-filter_complex_threads", "1"]
    if profile is not None and profile.threads is not None:
        args += ["-threads", str(profile.threads)]
    if hw_decode is not None:
        args += ["-hwaccel", hw_decode]
    return args


def video_encode_args(encoder: str, options: ResolvedIngest) -> list[str]:
    """Return the video encoder, its quality, thread and bitexact options."""
    return [
        *video_codec_args(
            encoder,
            options.crf,
            options.quality_mode,
            options.profile,
            low_memory=options.low_memory,
        ),
        *bitexact_muxer_args(options.profile),
    ]


def output_args(temporary: Path) -> list[str]:
    """Return the muxer options: moov atom first, progress on stdout, MP4 at the temporary name.

    ``-fps_mode passthrough`` keeps every decoded frame with its timestamp: no frame is
    duplicated or dropped to force a constant rate.
    """
    return [
        "-fps_mode",
        "passthrough",
        "-movflags",
        "+faststart",
        "-progress",
        "pipe:1",
        "-nostats",
        "-f",
        "mp4",
        file_url(temporary),
    ]


def build_generic_filtergraph(
    facts: MediaFacts, width: int, height: int, scale_filter: str, encoder: str
) -> str:
    """Build the ``-vf`` graph: scale when the size or pixel shape changes, then pixel format.

    Display rotation is not in the graph because FFmpeg's automatic rotation runs before it and
    drops the display matrix from the output, so the picture comes out the right way up.
    """
    display_width, display_height = display_size(facts)
    square_pixels = facts.sample_aspect_ratio in (None, 1)
    filters: list[str] = []
    if (width, height) != (round(display_width), round(display_height)) or not square_pixels:
        filters.append(f"scale={width}:{height}:flags={scale_filter}")
        filters.append("setsar=1")
    filters.append(encoder_setup(encoder).filter_tail)
    return ",".join(filters)


def _expected_duration(facts: MediaFacts, window_seconds: float | None) -> float | None:
    duration = facts.probe.duration_seconds
    if window_seconds is None:
        return duration
    return window_seconds if duration is None else min(duration, window_seconds)


def _expected_frames(facts: MediaFacts, duration: float | None) -> int | None:
    if facts.probe.frame_count is not None and duration == facts.probe.duration_seconds:
        return facts.probe.frame_count
    if duration is None or facts.probe.fps is None:
        return None
    return max(1, math.ceil(duration * facts.probe.fps - 1e-6))


def build_generic_clip_plan(
    *,
    ffmpeg: str,
    clip: ClipSource,
    facts: MediaFacts,
    input_args: tuple[str, ...],
    options: ResolvedIngest,
    choice: EncoderChoice,
    hw_decode: str | None,
    paths: OutputPaths,
) -> ClipPlan:
    """Build the plan of one generic-media clip."""
    display_width, display_height = display_size(facts)
    width, height = fit_inside(
        display_width,
        display_height,
        options.width,
        options.height,
        allow_upscale=options.allow_upscale,
    )
    encoder = choice.encoder
    filtergraph = build_generic_filtergraph(facts, width, height, options.scale_filter, encoder)
    preset = (
        libx264_preset(options.quality_mode, options.profile)
        if encoder == SOFTWARE_ENCODER
        else None
    )
    profile = options.profile

    argv: list[str] = [ffmpeg, "-hide_banner", "-nostdin", "-y"]
    argv += global_args(encoder, options, hw_decode)
    argv += input_args
    if options.window_seconds is not None:
        argv += ["-t", f"{options.window_seconds:g}"]
    argv += ["-map", "0:v:0"]
    if facts.has_audio:
        argv += ["-map", "0:a:0"]
    argv += ["-vf", filtergraph]
    argv += video_encode_args(encoder, options)
    if facts.has_audio:
        if facts.audio_codec in MP4_AUDIO_COPY:
            argv += ["-c:a", "copy"]
        else:
            argv += ["-c:a", "aac", "-b:a", AAC_BITRATE]
            if profile is not None and profile.bitexact:
                argv += ["-flags:a", "+bitexact"]
    argv += output_args(paths.temporary)

    duration = _expected_duration(facts, options.window_seconds)
    return ClipPlan(
        clip=clip,
        paths=paths,
        argv=tuple(argv),
        filtergraph=filtergraph,
        encoder=encoder,
        crf=options.crf,
        preset=preset,
        width=width,
        height=height,
        expected_duration_seconds=duration,
        expected_frames=_expected_frames(facts, duration),
    )
