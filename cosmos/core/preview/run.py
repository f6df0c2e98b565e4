"""The run document of a crop preview, built from the plans of its clips."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from cosmos.core.model.documents import (
    SCHEMA_VERSION,
    FfmpegInfo,
    PreviewOptionsRecord,
    PreviewPlanDocument,
    PreviewRunDocument,
    PreviewSummary,
    SystemInfo,
)
from cosmos.core.preview.options import ResolvedRender

PREVIEW_TOOL = "cosmos-crop-preview"
RUN_DOCUMENT = "cosmos_crop_preview_run.v1.json"


def options_record(options: ResolvedRender) -> PreviewOptionsRecord:
    return PreviewOptionsRecord(
        frame_selectors=[selector.text for selector in options.selectors],
        stack_times_sec=list(options.stack_times_seconds),
        render_max_width=options.render_max_width,
        grid_step_px=options.grid_step_px,
        show_rulers=options.show_rulers,
        show_crosshair=options.show_crosshair,
        alpha=options.alpha,
        dry_run=options.dry_run,
        include_source_sha=options.include_source_sha,
    )


def build_run_document(
    *,
    run_id: str,
    time: str,
    version: str,
    output_dir: Path,
    options: ResolvedRender,
    font_file: str | None,
    ffmpeg: FfmpegInfo,
    system: SystemInfo,
    plans: Sequence[PreviewPlanDocument],
) -> PreviewRunDocument:
    """Build ``cosmos_crop_preview_run.v1.json``; a dry run counts the images it would write."""
    return PreviewRunDocument(
        schema_version=SCHEMA_VERSION,
        preview_run_id=run_id,
        tool=PREVIEW_TOOL,
        version=version,
        git=None,
        time=time,
        output_dir=str(output_dir),
        dry_run=options.dry_run,
        selectors=[selector.text for selector in options.selectors],
        stack_times_sec=list(options.stack_times_seconds),
        options=options_record(options),
        font_file=font_file,
        ffmpeg=ffmpeg,
        system=system,
        clips=list(plans),
        summary=PreviewSummary(
            clips=len(plans),
            views=sum(len(plan.views) for plan in plans),
            frames=sum(len(plan.frames) for plan in plans),
            sheets=sum(len(plan.sheets) for plan in plans),
            stacked=sum(len(plan.stacked) for plan in plans),
        ),
    )
