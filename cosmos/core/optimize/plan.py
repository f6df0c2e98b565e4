"""Optimize plans: output names and the FFmpeg argv of a remux or a transcode."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from returns.result import Failure, Result, Success

from cosmos.core.encode.policy import (
    AAC_BITRATE,
    MP4_AUDIO_COPY,
    bitexact_muxer_args,
    encoder_setup,
    video_codec_args,
)
from cosmos.core.errors import InvalidInput
from cosmos.core.ffmpeg.paths import command_path, file_url, log_path
from cosmos.core.model.media import MediaFacts
from cosmos.core.optimize.options import ResolvedOptimize

# Video codecs the MP4 muxer stores as they are.
MP4_VIDEO_COPY: frozenset[str] = frozenset({"h264", "hevc", "av1", "vp9", "mpeg4"})


def output_path(out_dir: Path, source: Path, suffix: str) -> Path:
    return out_dir / f"{source.stem}{suffix}.mp4"


def check_output_names(
    sources: list[Path], out_dir: Path, suffix: str
) -> Result[list[Path], InvalidInput]:
    """Map each input to its output; two inputs with one output, or an output that is an
    input, is an error."""
    outputs = [output_path(out_dir, source, suffix) for source in sources]
    # Compared without case, because a card formatted exFAT or FAT32 (or a macOS volume)
    # stores Cam.mp4 and cam.mp4 as one file.
    folded = [str(output).casefold() for output in outputs]
    counts = Counter(folded)
    for output, key in zip(outputs, folded, strict=True):
        count = counts[key]
        if count > 1:
            clashing = [str(s) for s, f in zip(sources, folded, strict=True) if f == key]
            if len(set(clashing)) == 1:
                return Failure(
                    InvalidInput(
                        value=clashing[0],
                        message=f"input {clashing[0]} is given {count} times; give each input once",
                    )
                )
            names = sorted({str(o) for o, f in zip(outputs, folded, strict=True) if f == key})
            written = (
                f"{names[0]}"
                if len(names) == 1
                else f"{' and '.join(names)}, names that differ only in letter case, which "
                "exFAT, FAT32 and macOS volumes store as one file"
            )
            return Failure(
                InvalidInput(
                    value=str(output),
                    message=f"inputs {', '.join(clashing)} would all be written to {written}; "
                    "rename one or optimize them into different folders",
                )
            )
    for source, output in zip(sources, outputs, strict=True):
        if output == source:
            return Failure(
                InvalidInput(
                    value=str(output),
                    message=f"output {output} would overwrite its input; choose another "
                    "out_dir (CLI: --out-dir) or a non-empty suffix (CLI: --suffix)",
                )
            )
    return Success(outputs)


@dataclass(frozen=True, slots=True)
class OptimizePlan:
    """One input's optimize: the argv, what was kept and dropped, and the encoder.

    FFmpeg writes ``temporary`` and the shell renames it to ``output``. ``cmd`` and ``log`` are
    the ``<output>.cmd.txt`` and ``<output>.log.txt`` files a real run writes beside it.
    ``reserved_moov_bytes`` is the ``-moov_size`` of a remux that writes the moov at the front in
    one pass, or ``None`` when the argv has ``-movflags +faststart`` or no fast start at all.
    """

    source: Path
    output: Path
    temporary: Path
    cmd: Path
    log: Path
    argv: tuple[str, ...]
    mode: str
    encoder: str | None
    filtergraph: str | None
    dropped_streams: tuple[str, ...]
    reserved_moov_bytes: int | None = None


def _stream_maps(facts: MediaFacts, copy_audio_only: bool) -> tuple[list[str], list[str], bool]:
    """Return ``-map`` args, descriptions of dropped streams, and whether audio is copied."""
    maps = ["-map", "0:v:0"]
    dropped: list[str] = []
    audio_copied = True
    first_video_seen = False
    for index, kind, codec in facts.streams:
        if kind == "video" and not first_video_seen:
            first_video_seen = True
            continue
        if kind == "audio" and (codec in MP4_AUDIO_COPY or not copy_audio_only):
            maps += ["-map", f"0:{index}"]
            if codec not in MP4_AUDIO_COPY:
                audio_copied = False
            continue
        dropped.append(f"stream {index} ({kind} {codec})")
    return maps, dropped, audio_copied


def build_remux_plan(
    *,
    ffmpeg: str,
    source: Path,
    output: Path,
    temporary: Path,
    facts: MediaFacts,
    options: ResolvedOptimize,
    moov_reservation: int | None = None,
) -> Result[OptimizePlan, InvalidInput]:
    """Copy the first video stream and the MP4-compatible audio into MP4.

    With ``options.faststart``, a ``moov_reservation`` (bytes) makes FFmpeg write the moov into
    space left at the front (``-moov_size``). Without one, FFmpeg moves the moov with a second
    pass over the file (``-movflags +faststart``).
    """
    codec = facts.probe.codec_name or "unknown"
    if codec not in MP4_VIDEO_COPY:
        return Failure(
            InvalidInput(
                value=str(source),
                message=f"{source} has {codec} video, which MP4 cannot hold as it is; use "
                "mode='transcode' (CLI: --mode transcode)",
            )
        )
    maps, dropped, _ = _stream_maps(facts, copy_audio_only=True)
    argv = [ffmpeg, "-hide_banner", "-nostdin", "-y", "-i", file_url(source), *maps, "-c", "copy"]
    if codec == "hevc":
        argv += ["-tag:v", "hvc1"]
    reserved = moov_reservation if options.faststart else None
    argv += _muxer_args(options, temporary, reserved)
    return Success(
        OptimizePlan(
            source=source,
            output=output,
            temporary=temporary,
            cmd=command_path(output),
            log=log_path(output),
            argv=tuple(argv),
            mode="remux",
            encoder=None,
            filtergraph=None,
            dropped_streams=tuple(dropped),
            reserved_moov_bytes=reserved,
        )
    )


def with_faststart_pass(plan: OptimizePlan) -> OptimizePlan:
    """Replace the ``-moov_size`` of ``plan`` with ``-movflags +faststart``, for a remux whose
    moov did not fit the space reserved for it."""
    if plan.reserved_moov_bytes is None:
        return plan
    argv = list(plan.argv)
    position = argv.index("-moov_size")
    argv[position : position + 2] = ["-movflags", "+faststart"]
    return replace(plan, argv=tuple(argv), reserved_moov_bytes=None)


def transcode_filtergraph(options: ResolvedOptimize, encoder: str) -> str:
    """Build the ``-vf`` graph: optional scale to the target height, optional fps, format."""
    scaler = "lanczos"
    if options.profile is not None and options.profile.scale_filter is not None:
        scaler = options.profile.scale_filter
    steps: list[str] = []
    if options.target_height is not None:
        steps.append(f"scale=-2:{options.target_height}:flags={scaler}")
    if options.fps is not None:
        steps.append(f"fps={options.fps:g}")
    steps.append(encoder_setup(encoder).filter_tail)
    return ",".join(steps)


def build_transcode_plan(
    *,
    ffmpeg: str,
    source: Path,
    output: Path,
    temporary: Path,
    facts: MediaFacts,
    options: ResolvedOptimize,
    encoder: str,
) -> OptimizePlan:
    """Re-encode the video with ``encoder``; copy MP4-compatible audio, re-encode other audio."""
    profile = options.profile
    maps, dropped, audio_copied = _stream_maps(facts, copy_audio_only=False)
    filtergraph = transcode_filtergraph(options, encoder)
    argv = [ffmpeg, "-hide_banner", "-nostdin", "-y", *encoder_setup(encoder).global_args]
    if profile is not None and profile.threads is not None:
        argv += ["-threads", str(profile.threads)]
    argv += ["-i", file_url(source), *maps, "-vf", filtergraph]
    argv += video_codec_args(encoder, options.crf, "balanced", profile)
    if facts.has_audio:
        if audio_copied:
            argv += ["-c:a", "copy"]
        else:
            argv += ["-c:a", "aac", "-b:a", AAC_BITRATE]
            if profile is not None and profile.bitexact:
                argv += ["-flags:a", "+bitexact"]
    argv += _muxer_args(options, temporary, None)
    return OptimizePlan(
        source=source,
        output=output,
        temporary=temporary,
        cmd=command_path(output),
        log=log_path(output),
        argv=tuple(argv),
        mode="transcode",
        encoder=encoder,
        filtergraph=filtergraph,
        dropped_streams=tuple(dropped),
    )


def _muxer_args(
    options: ResolvedOptimize, temporary: Path, moov_reservation: int | None
) -> list[str]:
    args: list[str] = []
    if moov_reservation is not None:
        args += ["-moov_size", str(moov_reservation)]
    elif options.faststart:
        args += ["-movflags", "+faststart"]
    args += bitexact_muxer_args(options.profile)
    args += ["-progress", "pipe:1", "-nostats", "-f", "mp4", file_url(temporary)]
    return args
