"""Execute a crop preview: index each clip, plan it, decode its frames once, render the images.

Every job of every clip is checked (geometry and trim) before any frame is decoded, so an
invalid job fails the run before it writes anything.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from returns.result import Failure, Result, Success

import cosmos
from cosmos.core.crop.geometry import crop_geometry
from cosmos.core.errors import (
    CosmosFailure,
    InvalidInput,
    InvalidOption,
    ProcessingFailed,
    stderr_tail,
)
from cosmos.core.image.png import encode_png
from cosmos.core.model.documents import encode_document
from cosmos.core.preview.graphs import render_argv
from cosmos.core.preview.options import RenderOptions, ResolvedRender, resolve_render_options
from cosmos.core.preview.plan import (
    FRAMES_FOLDER,
    SHEETS_FOLDER,
    STACKED_FOLDER,
    ClipPreviewPlan,
    PreviewSource,
    RenderImage,
    check_image_sizes,
    plan_clip_preview,
)
from cosmos.core.preview.run import RUN_DOCUMENT, build_run_document
from cosmos.core.preview.views import PreviewView
from cosmos.core.provenance.ids import make_run_id
from cosmos.shell import fs
from cosmos.shell.binaries import resolve_tool
from cosmos.shell.crop import EVEN_RECTANGLE, CropPair, fit_default_job, resolve_trim
from cosmos.shell.envinfo import ffmpeg_info, system_info, utc_now
from cosmos.shell.extract import extract_at_indices
from cosmos.shell.hashing import sha256_file
from cosmos.shell.runner import run
from cosmos.shell.video_index import video_index, video_timeout_seconds

logger = logging.getLogger("cosmos.preview")

# Debian's ffmpeg package depends on DejaVu; elsewhere fontconfig picks a default font.
DEJAVU_SANS = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@dataclass(frozen=True, slots=True)
class PreviewRunResult:
    """Files a preview run wrote; a dry run writes only the run document and the plans."""

    run_id: str
    dry_run: bool
    run_path: Path
    clip_plan_paths: list[Path]
    frame_paths: list[Path]
    sheet_paths: list[Path]
    stacked_paths: list[Path]

    @property
    def outputs(self) -> list[Path]:
        """The run document, the clip plans, the sheets and the stacked overlays."""
        return [self.run_path, *self.clip_plan_paths, *self.sheet_paths, *self.stacked_paths]


def font_file() -> str | None:
    """Return the font drawtext should use, or ``None`` to let fontconfig choose."""
    return str(DEJAVU_SANS) if DEJAVU_SANS.is_file() else None


def _group_by_source(
    pairs: Sequence[CropPair],
) -> Result[dict[Path, tuple[Path, list[CropPair]]], InvalidInput]:
    """Group jobs by the resolved source path, keeping the first path given for each."""
    clips: dict[Path, tuple[Path, list[CropPair]]] = {}
    for pair in pairs:
        checked = fs.input_file(pair.source, "input")
        if isinstance(checked, Failure):
            return checked
        resolved = pair.source.resolve()
        clips.setdefault(resolved, (pair.source, []))[1].append(pair)
    return Success(clips)


def _plan_clip(
    source_path: Path,
    resolved: Path,
    pairs: Sequence[CropPair],
    options: ResolvedRender,
    *,
    output_dir: Path,
    run_id: str,
    font: str | None,
) -> Result[ClipPreviewPlan, CosmosFailure]:
    indexed = video_index(source_path)
    if isinstance(indexed, Failure):
        return indexed
    facts, index = indexed.unwrap()
    views: list[PreviewView] = []
    for number, pair in enumerate(pairs, start=1):
        job = fit_default_job(pair, facts).job
        geometry = crop_geometry(
            job, facts.probe.width, facts.probe.height, chroma_420=EVEN_RECTANGLE
        )
        if isinstance(geometry, Failure):
            error = geometry.failure()
            return Failure(
                InvalidOption(
                    field=error.field,
                    value=error.value,
                    message=f"job {pair.job_number} on {source_path}: {error.message}",
                )
            )
        trim = resolve_trim(geometry.unwrap(), facts, index, source_path)
        if isinstance(trim, Failure):
            return trim
        views.append(PreviewView(number, pair.job_number, job, geometry.unwrap(), trim.unwrap()))
    source = PreviewSource(
        path=source_path,
        resolved=resolved,
        sha256=sha256_file(resolved) if options.include_source_sha else None,
        size_bytes=resolved.stat().st_size,
        facts=facts,
        index=index,
    )
    plan = plan_clip_preview(
        source, views, options, out_dir=output_dir, run_id=run_id, font_file=font
    )
    checked = check_image_sizes(plan, options.render_max_width)
    if isinstance(checked, Failure):
        return checked
    return Success(plan)


def _render_image(ffmpeg: Path, image: RenderImage) -> Result[None, ProcessingFailed]:
    temporary = image.path.with_name(f".{image.path.name}.{fs.random_token()}.partial")
    argv = render_argv(str(ffmpeg), image.inputs, image.graph, temporary)
    try:
        try:
            completed = run(argv, timeout_seconds=video_timeout_seconds())
        except OSError as error:
            return Failure(
                ProcessingFailed(value=str(image.path), message=f"cannot start {argv[0]} ({error})")
            )
        if not completed.ok:
            outcome = "timed out" if completed.timed_out else f"exited with {completed.returncode}"
            return Failure(
                ProcessingFailed(
                    value=str(image.path),
                    message=f"ffmpeg {outcome} rendering {image.path}: "
                    f"{stderr_tail(completed.stderr) or 'no stderr'}",
                    stderr=completed.stderr,
                )
            )
        temporary.replace(image.path)
    finally:
        fs.remove_quietly(temporary)
    return Success(None)


def _render_clip(plan: ClipPreviewPlan, source: Path, ffmpeg: Path) -> Result[None, CosmosFailure]:
    """Decode every frame the clip's images need in one batch, save them, render the images."""
    for folder in (FRAMES_FOLDER, SHEETS_FOLDER, STACKED_FOLDER):
        (plan.bundle_dir / folder).mkdir(parents=True, exist_ok=True)
    # NOTE: the batch keeps every decoded frame of the clip in memory at once, width x height x 3
    # bytes each, so an 8K source with many selectors needs gigabytes.
    decoded = extract_at_indices(source, [frame.frame_index for frame in plan.frames])
    if isinstance(decoded, Failure):
        return decoded
    for frame, rgb in zip(plan.frames, decoded.unwrap(), strict=True):
        fs.atomic_write_bytes(frame.path, encode_png(rgb.width, rgb.height, rgb.rgb24))
    for image in (*plan.sheets, *plan.stacked):
        rendered = _render_image(ffmpeg, image)
        if isinstance(rendered, Failure):
            return rendered
    logger.info(
        "rendered %d sheets and %d stacked overlays of %s",
        len(plan.sheets),
        len(plan.stacked),
        source,
    )
    return Success(None)


def _image_paths(plan: ClipPreviewPlan) -> list[Path]:
    frames = [frame.path for frame in plan.frames]
    return [*frames, *(image.path for image in (*plan.sheets, *plan.stacked))]


def _discard_partial_render(plan: ClipPreviewPlan, new_bundle: bool, earlier: set[Path]) -> None:
    """Remove what a failed or interrupted render of ``plan`` left.

    A bundle this run started contains only part of the clip's images and no plan, so it is
    removed rather than left to look like a finished preview. In an earlier bundle, the images
    this run added are removed and those in ``earlier`` (there before the run) stay.
    """
    if new_bundle:
        shutil.rmtree(plan.bundle_dir, ignore_errors=True)
        return
    for path in _image_paths(plan):
        if path not in earlier:
            fs.remove_quietly(path)


def run_preview(
    pairs: Sequence[CropPair], out_dir: Path, options: RenderOptions
) -> Result[PreviewRunResult, CosmosFailure]:
    """Plan every clip (any invalid option or job fails the run first), then render each."""
    resolved_options = resolve_render_options(options)
    if isinstance(resolved_options, Failure):
        return resolved_options
    render = resolved_options.unwrap()
    folder = fs.folder_path(out_dir, "output folder")
    if isinstance(folder, Failure):
        return folder
    output_dir = folder.unwrap()
    tool = resolve_tool("ffmpeg")
    if isinstance(tool, Failure):
        return tool
    ffmpeg = tool.unwrap()
    grouped = _group_by_source(pairs)
    if isinstance(grouped, Failure):
        return grouped

    clock = utc_now()
    run_id = make_run_id("preview", clock.compact, fs.random_token()[:6])
    font = font_file()
    plans: list[tuple[Path, ClipPreviewPlan]] = []
    for resolved, (source_path, clip_pairs) in grouped.unwrap().items():
        planned = _plan_clip(
            source_path,
            resolved,
            clip_pairs,
            render,
            output_dir=output_dir,
            run_id=run_id,
            font=font,
        )
        if isinstance(planned, Failure):
            return planned
        plans.append((source_path, planned.unwrap()))
        # Clamped times and adjusted rectangles are in the plan, and on stderr as well.
        for warning in planned.unwrap().document.warnings:
            logger.warning("%s: %s", source_path, warning)
    # Created only now, so that a run rejected above leaves no empty folder behind.
    created = fs.writable_folder(output_dir, "output folder")
    if isinstance(created, Failure):
        return created

    for source_path, plan in plans:
        new_bundle = not plan.bundle_dir.exists()
        earlier = {path for path in _image_paths(plan) if path.exists()}
        plan.bundle_dir.mkdir(parents=True, exist_ok=True)
        if not render.dry_run:
            try:
                rendered = _render_clip(plan, source_path, ffmpeg.path)
            except BaseException:
                # Ctrl-C or SIGTERM mid-render: clean up as for a failed render, then stop.
                _discard_partial_render(plan, new_bundle, earlier)
                raise
            if isinstance(rendered, Failure):
                _discard_partial_render(plan, new_bundle, earlier)
                return rendered
        fs.atomic_write_bytes(plan.plan_path, encode_document(plan.document))

    document = build_run_document(
        run_id=run_id,
        time=clock.iso,
        version=cosmos.__version__,
        output_dir=output_dir,
        options=render,
        font_file=font,
        ffmpeg=ffmpeg_info(ffmpeg),
        system=system_info(),
        plans=[plan.document for _, plan in plans],
    )
    run_path = fs.write_run_document(output_dir, RUN_DOCUMENT, run_id, encode_document(document))
    written = [plan for _, plan in plans] if not render.dry_run else []
    return Success(
        PreviewRunResult(
            run_id=run_id,
            dry_run=render.dry_run,
            run_path=run_path,
            clip_plan_paths=[plan.plan_path for _, plan in plans],
            frame_paths=[frame.path for plan in written for frame in plan.frames],
            sheet_paths=[image.path for plan in written for image in plan.sheets],
            stacked_paths=[image.path for plan in written for image in plan.stacked],
        )
    )
