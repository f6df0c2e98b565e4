"""Crop plans: output names and the FFmpeg argv of one (input, job) pair."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from cosmos.core.crop.geometry import CropGeometry
from cosmos.core.crop.jobs import AnyCropJob, CropJob
from cosmos.core.encode.policy import bitexact_muxer_args, encoder_setup, video_codec_args
from cosmos.core.encode.profiles import DeterminismProfile
from cosmos.core.ffmpeg.paths import command_path, file_url, log_path
from cosmos.core.ingest.plan import output_args

# Views are derived products that people study closely, so they are encoded near-transparently.
CROP_CRF = 18


def base_name(job: AnyCropJob, input_number: int, job_number: int) -> str:
    """Return the documented output name of a job, before any input prefix."""
    if isinstance(job, CropJob):
        return f"crop_{input_number:03d}_job{job_number:02d}_t00_s{job.size}"
    if job.view_id:
        return job.view_id
    return f"crop_{input_number:03d}_rect{job_number:02d}"


def output_names(pairs: list[tuple[Path, AnyCropJob, int, int]]) -> list[str]:
    """Name every output uniquely, so nothing is overwritten.

    Names that would collide (the same ``view_id`` on several inputs) get the input's stem as
    a prefix, and names still equal after that (inputs with the same stem) get the input
    number as well.
    """
    names = [base_name(job, input_number, job_number) for _, job, input_number, job_number in pairs]
    counts = Counter(names)
    names = [
        f"{source.stem}_{name}" if counts[name] > 1 else name
        for name, (source, _, _, _) in zip(names, pairs, strict=True)
    ]
    counts = Counter(names)
    return [
        f"{name}_{input_number:03d}" if counts[name] > 1 else name
        for name, (_, _, input_number, _) in zip(names, pairs, strict=True)
    ]


def clip_view_names(pairs: list[tuple[Path, AnyCropJob, int, int]]) -> list[str]:
    """Name every output after its input's stem, for views cut beside the clips they come from.

    ``cosmos process`` uses these names, so a view's name depends on its clip alone and not on
    which other clips a run made: a rerun for some clips meets no other clip's views. Squares
    are ``<clip>_job<NN>_t00_s<size>``, rects ``<clip>_<view_id>`` or ``<clip>_rect<NN>``.
    """
    names = []
    for source, job, _, job_number in pairs:
        if isinstance(job, CropJob):
            names.append(f"{source.stem}_job{job_number:02d}_t00_s{job.size}")
        elif job.view_id:
            names.append(f"{source.stem}_{job.view_id}")
        else:
            names.append(f"{source.stem}_rect{job_number:02d}")
    return names


@dataclass(frozen=True, slots=True)
class TrimWindow:
    """Start and length of a trimmed output: seek time and frame count (``None``: to the end)."""

    seek_seconds: float | None
    frame_count: int | None
    first_index: int


@dataclass(frozen=True, slots=True)
class CropPlan:
    """One (input, job) encode. FFmpeg writes ``temporary`` and the shell renames it to
    ``output``. ``cmd`` and ``log`` are the ``<output>.cmd.txt`` and ``<output>.log.txt`` files a
    real run writes beside it."""

    source: Path
    output: Path
    temporary: Path
    cmd: Path
    log: Path
    geometry: CropGeometry
    trim: TrimWindow
    encoder: str
    argv: tuple[str, ...]
    filtergraph: str


def build_crop_plan(
    *,
    ffmpeg: str,
    source: Path,
    output: Path,
    temporary: Path,
    geometry: CropGeometry,
    trim: TrimWindow,
    encoder: str,
    profile: DeterminismProfile | None,
) -> CropPlan:
    """Build one FFmpeg run: seek before the input, crop, stop after the trimmed frame count."""
    filtergraph = (
        f"crop={geometry.width}:{geometry.height}:{geometry.x}:{geometry.y},"
        f"{encoder_setup(encoder).filter_tail}"
    )
    argv = [ffmpeg, "-hide_banner", "-nostdin", "-y", *encoder_setup(encoder).global_args]
    if profile is not None and profile.threads is not None:
        argv += ["-threads", str(profile.threads)]
    if trim.seek_seconds is not None:
        argv += ["-ss", f"{trim.seek_seconds:.6f}"]
    argv += ["-i", file_url(source), "-map", "0:v:0", "-an", "-vf", filtergraph]
    if trim.frame_count is not None:
        argv += ["-frames:v", str(trim.frame_count)]
    argv += video_codec_args(encoder, CROP_CRF, "balanced", profile)
    argv += bitexact_muxer_args(profile)
    argv += output_args(temporary)
    return CropPlan(
        source=source,
        output=output,
        temporary=temporary,
        cmd=command_path(output),
        log=log_path(output),
        geometry=geometry,
        trim=trim,
        encoder=encoder,
        argv=tuple(argv),
        filtergraph=filtergraph,
    )
