"""Crop previews: each crop drawn on its source frames, before any encode.

For every clip, ``preview`` writes a folder ``preview_<stem>_<8 hex>`` under ``out_dir``, where
the hex digits start the sha256 of the clip's resolved path. The folder contains
``preview_plan.v1.json``, ``frames/`` (decoded source frames), ``sheets/`` (one contact sheet
per frame selector, every view in a cell) and ``stacked/`` (every view outlined on one frame per
stack time). ``out_dir/cosmos_crop_preview_run.v1.json`` describes the run.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from cosmos.core.crop.jobs import AnyCropJob, CropJob, RectCropJob
from cosmos.core.preview.options import RenderOptions
from cosmos.sdk._boundary import unwrap_or_raise
from cosmos.sdk.crop import check_jobs
from cosmos.sdk.errors import InvalidOptionError
from cosmos.shell.crop import CropPair
from cosmos.shell.preview import PreviewRunResult, run_preview


def _check_options(options: object) -> RenderOptions:
    if not isinstance(options, RenderOptions):
        raise InvalidOptionError(
            f"invalid options {options!r}; pass a cosmos.sdk.preview.RenderOptions"
        )
    return options


def preview(
    input_videos: Sequence[Path],
    jobs: Sequence[AnyCropJob],
    out_dir: Path,
    *,
    options: RenderOptions,
) -> PreviewRunResult:
    """Draw every job on every input at the selected frames, with the same geometry as a crop.

    An empty ``jobs`` list previews the default crop: a centred square of 1080 px, or of the
    frame's shorter side when the frame is smaller. An input given twice, even once relative
    and once absolute, is previewed once. Invalid render options or jobs raise ``ValueError``
    before any frame is decoded. A missing or empty input raises ``InvalidInputError`` (a
    ``ValueError``), a missing FFmpeg ``ToolNotFoundError``, and a failed render
    ``ProcessingError``.
    """
    checked_options = _check_options(options)
    if not input_videos:
        raise InvalidOptionError("invalid input_videos: pass at least one video file")
    checked = check_jobs(jobs)
    sources: dict[Path, Path] = {}
    for video in input_videos:
        path = Path(video).expanduser()
        sources.setdefault(path.resolve(), path)
    pairs = [
        CropPair(source, job, input_number, job_number, fit_default=not jobs)
        for input_number, source in enumerate(sources.values())
        for job_number, job in enumerate(checked)
    ]
    return unwrap_or_raise(run_preview(pairs, Path(out_dir), checked_options))


def preview_curated_views(
    pairs: Sequence[tuple[Path, RectCropJob]],
    out_dir: Path,
    *,
    options: RenderOptions,
) -> PreviewRunResult:
    """Preview the views of a curated spec (``parse_curated_views`` pairs), one run for all.

    Views of one source share its folder, sheets and stacked overlays; errors as
    :func:`preview`.
    """
    checked_options = _check_options(options)
    if not pairs:
        raise InvalidOptionError("invalid pairs: the curated view spec lists no views")
    sources = list(dict.fromkeys(Path(source).expanduser().resolve() for source, _ in pairs))
    numbered = [
        CropPair(
            Path(source).expanduser(),
            job,
            sources.index(Path(source).expanduser().resolve()),
            number,
        )
        for number, (source, job) in enumerate(pairs)
    ]
    return unwrap_or_raise(run_preview(numbered, Path(out_dir), checked_options))


__all__ = [
    "CropJob",
    "PreviewRunResult",
    "RectCropJob",
    "RenderOptions",
    "preview",
    "preview_curated_views",
]
