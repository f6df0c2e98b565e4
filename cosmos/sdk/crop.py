"""Crop square and rectangular views out of videos, with view sidecars and a run document."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from cosmos.core.crop.jobs import AnyCropJob, CropJob, RectCropJob
from cosmos.sdk._boundary import unwrap_or_raise
from cosmos.sdk.errors import InvalidOptionError
from cosmos.shell.crop import CropPair, CropResult, run_crop

FFMPEG_OPTION_KEYS = frozenset({"dry_run", "prefer_hevc_hw", "profile"})


def _options(ffmpeg_opts: Mapping[str, object] | None) -> tuple[bool, bool, str | None]:
    options = dict(ffmpeg_opts or {})
    unknown = sorted(set(options) - FFMPEG_OPTION_KEYS)
    if unknown:
        raise InvalidOptionError(
            f"invalid ffmpeg_opts key(s) {', '.join(unknown)}; supported keys are "
            f"{', '.join(sorted(FFMPEG_OPTION_KEYS))}"
        )
    dry_run, hevc, profile = (
        options.get("dry_run", False),
        options.get("prefer_hevc_hw", False),
        options.get("profile"),
    )
    if not isinstance(dry_run, bool) or not isinstance(hevc, bool):
        raise InvalidOptionError(
            "invalid ffmpeg_opts: dry_run and prefer_hevc_hw take True or False"
        )
    if profile is not None and not isinstance(profile, str):
        raise InvalidOptionError(
            f"invalid ffmpeg_opts profile {profile!r}; expected a name or None"
        )
    return dry_run, hevc, profile


def _run(
    pairs: Sequence[CropPair],
    out_dir: Path,
    options: tuple[bool, bool, str | None],
    command: str,
) -> CropResult:
    dry_run, hevc, profile = options
    result = run_crop(
        pairs,
        Path(out_dir),
        dry_run=dry_run,
        prefer_hevc_hw=hevc,
        profile=profile,
        command=command,
    )
    return unwrap_or_raise(result)


def check_jobs(jobs: Sequence[AnyCropJob]) -> list[AnyCropJob]:
    """Return the jobs to run: one default square job for an empty list (1080 px, or the
    frame's shorter side when smaller); mixing kinds raises."""
    if not jobs:
        return [CropJob()]
    kinds = {type(job) for job in jobs}
    if not kinds <= {CropJob, RectCropJob}:
        raise InvalidOptionError("invalid jobs: every job must be a CropJob or a RectCropJob")
    if len(kinds) > 1:
        raise InvalidOptionError("invalid jobs: a jobs list must be all CropJob or all RectCropJob")
    return list(jobs)


def crop_pairs(
    pairs: Sequence[tuple[Path, AnyCropJob]],
    out_dir: Path,
    *,
    ffmpeg_opts: Mapping[str, object] | None = None,
    command: str = "cosmos.sdk.crop.crop",
) -> CropResult:
    """Run one crop run over explicit (source, job) pairs and return every job's summary."""
    options = _options(ffmpeg_opts)
    sources = list(dict.fromkeys(Path(source).expanduser() for source, _ in pairs))
    numbered = [
        CropPair(Path(source).expanduser(), job, sources.index(Path(source).expanduser()), number)
        for number, (source, job) in enumerate(pairs)
    ]
    return _run(numbered, out_dir, options, command)


def crop_run(
    input_videos: Sequence[Path],
    jobs: Sequence[AnyCropJob],
    out_dir: Path,
    *,
    ffmpeg_opts: Mapping[str, object] | None = None,
    command: str = "cosmos.sdk.crop.crop",
) -> CropResult:
    """Apply every job to every input in one crop run; return every job's summary."""
    if not input_videos:
        raise InvalidOptionError("invalid input_videos: pass at least one video file")
    checked = check_jobs(jobs)
    options = _options(ffmpeg_opts)
    pairs = [
        CropPair(Path(video).expanduser(), job, input_number, job_number, fit_default=not jobs)
        for input_number, video in enumerate(input_videos)
        for job_number, job in enumerate(checked)
    ]
    return _run(pairs, out_dir, options, command)


def crop(
    input_videos: Sequence[Path],
    jobs: Sequence[AnyCropJob],
    out_dir: Path,
    *,
    ffmpeg_opts: Mapping[str, object] | None = None,
) -> list[Path]:
    """Crop every job out of every input and return the produced paths.

    An empty ``jobs`` list means one centred square of 1080 px, or of the frame's shorter side
    when the frame is smaller.

    ``ffmpeg_opts`` keys: ``dry_run`` (write ``cosmos_crop_dry_run.json`` only),
    ``prefer_hevc_hw`` (try HEVC hardware encoders first) and ``profile``. Every job's geometry
    is checked before any encode: a square larger than the frame, offsets mixed with centres, or
    values out of range raise ``ValueError``. Outputs are named ``crop_<input>_job<job>_t00_s<size>
    .mp4`` (square), ``<view_id>.mp4`` or ``crop_<input>_rect<job>.mp4`` (rect); names that
    would collide across inputs get the input's stem, and then its number, as well.
    """
    return list(crop_run(input_videos, jobs, out_dir, ffmpeg_opts=ffmpeg_opts).produced)


__all__ = ["CropJob", "CropResult", "RectCropJob", "crop", "crop_pairs", "crop_run"]
