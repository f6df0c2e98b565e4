"""Crop square and rectangular views out of videos, with view sidecars and a run document."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from cosmos.core.crop.jobs import AnyCropJob, CropJob, RectCropJob
from cosmos.sdk._boundary import unwrap_or_raise
from cosmos.sdk.errors import InvalidOptionError
from cosmos.shell.crop import CropPair, CropResult, run_crop

FFMPEG_OPTION_KEYS = frozenset({"dry_run", "force", "prefer_hevc_hw", "profile", "skip_existing"})


class _Options(NamedTuple):
    dry_run: bool
    prefer_hevc_hw: bool
    profile: str | None
    force: bool
    skip_existing: bool


def _flag(options: Mapping[str, object], key: str) -> bool:
    value = options.get(key, False)
    if not isinstance(value, bool):
        raise InvalidOptionError(f"invalid ffmpeg_opts {key} {value!r}; expected True or False")
    return value


def _options(ffmpeg_opts: Mapping[str, object] | None) -> _Options:
    options = dict(ffmpeg_opts or {})
    unknown = sorted(set(options) - FFMPEG_OPTION_KEYS)
    if unknown:
        raise InvalidOptionError(
            f"invalid ffmpeg_opts key(s) {', '.join(unknown)}; supported keys are "
            f"{', '.join(sorted(FFMPEG_OPTION_KEYS))}"
        )
    profile = options.get("profile")
    if profile is not None and not isinstance(profile, str):
        raise InvalidOptionError(
            f"invalid ffmpeg_opts profile {profile!r}; expected a name or None"
        )
    force, skip_existing = _flag(options, "force"), _flag(options, "skip_existing")
    if force and skip_existing:
        raise InvalidOptionError(
            "invalid ffmpeg_opts: force replaces existing views and skip_existing keeps them; "
            "choose one"
        )
    return _Options(
        dry_run=_flag(options, "dry_run"),
        prefer_hevc_hw=_flag(options, "prefer_hevc_hw"),
        profile=profile,
        force=force,
        skip_existing=skip_existing,
    )


def _run(
    pairs: Sequence[CropPair],
    out_dir: Path,
    options: _Options,
    command: str,
    *,
    names_from_clips: bool = False,
) -> CropResult:
    result = run_crop(
        pairs,
        Path(out_dir),
        dry_run=options.dry_run,
        prefer_hevc_hw=options.prefer_hevc_hw,
        profile=options.profile,
        force=options.force,
        command=command,
        names_from_clips=names_from_clips,
        skip_existing=options.skip_existing,
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
        raise InvalidOptionError(
            "invalid jobs: a jobs list must be all CropJob or all RectCropJob; run the square "
            "and the rect jobs as two crop calls"
        )
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


def _every_job_on_every_input(
    input_videos: Sequence[Path], jobs: Sequence[AnyCropJob], role: str
) -> list[CropPair]:
    if not input_videos:
        raise InvalidOptionError(f"invalid {role}: pass at least one video file")
    checked = check_jobs(jobs)
    return [
        CropPair(Path(video).expanduser(), job, input_number, job_number, fit_default=not jobs)
        for input_number, video in enumerate(input_videos)
        for job_number, job in enumerate(checked)
    ]


def crop_run(
    input_videos: Sequence[Path],
    jobs: Sequence[AnyCropJob],
    out_dir: Path,
    *,
    ffmpeg_opts: Mapping[str, object] | None = None,
    command: str = "cosmos.sdk.crop.crop",
) -> CropResult:
    """Apply every job to every input in one crop run; return every job's summary."""
    pairs = _every_job_on_every_input(input_videos, jobs, "input_videos")
    return _run(pairs, out_dir, _options(ffmpeg_opts), command)


def crop_beside_clips(
    clips: Sequence[Path],
    jobs: Sequence[AnyCropJob],
    out_dir: Path,
    *,
    ffmpeg_opts: Mapping[str, object] | None = None,
    command: str = "cosmos.sdk.crop.crop",
) -> CropResult:
    """Apply every job to every clip as :func:`crop_run` does, naming each view after its clip.

    ``cosmos process`` uses it for the views it cuts beside the clips it made: a view's name
    (``<clip>_job00_t00_s<size>.mp4``, ``<clip>_<view_id>.mp4``, ``<clip>_rect<NN>.mp4``) then
    depends on its clip alone, so a rerun for some clips meets no other clip's views.
    """
    pairs = _every_job_on_every_input(clips, jobs, "clips")
    return _run(pairs, out_dir, _options(ffmpeg_opts), command, names_from_clips=True)


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
    ``prefer_hevc_hw`` (try HEVC hardware encoders first), ``profile``, and ``force`` (replace
    views already in ``out_dir``; without it such a run raises ``FileExistsError``
    (``OutputExistsError``) before any encode), or ``skip_existing`` (keep each view an earlier
    run made from the same source and job, and make only the others). Every job's geometry
    is checked before any encode: a square larger than the frame, offsets mixed with centres, or
    values out of range raise ``ValueError``. Outputs are named ``crop_<input>_job<job>_t00_s<size>
    .mp4`` (square), ``<view_id>.mp4`` or ``crop_<input>_rect<job>.mp4`` (rect); names that
    would collide across inputs get the input's stem, and then its number, as well. A missing
    or empty input raises ``InvalidInputError`` (a ``ValueError``) before any encode.
    """
    return list(crop_run(input_videos, jobs, out_dir, ffmpeg_opts=ffmpeg_opts).produced)


__all__ = [
    "CropJob",
    "CropResult",
    "RectCropJob",
    "crop",
    "crop_beside_clips",
    "crop_pairs",
    "crop_run",
]
