"""The preview of one clip: the frame each selector shows, the images to render, the plan.

Sheets show every view at one selector, each view at its own resolved frame (anchors follow each
view's trim). Stacked overlays show every view on the frame of a stack time. Each frame any image
needs is decoded once and saved under ``frames/``; the images read it from there.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from returns.result import Failure, Result, Success

from cosmos.core.errors import InvalidOption
from cosmos.core.ffmpeg.timeline import PacketIndex
from cosmos.core.model.documents import (
    SCHEMA_VERSION,
    PreviewFrameRecord,
    PreviewImageRecord,
    PreviewPictureRecord,
    PreviewPlanDocument,
    PreviewSourceRecord,
    PreviewTimeline,
    PreviewTimeRecord,
)
from cosmos.core.model.media import MediaFacts
from cosmos.core.preview import filters, graphs, legend, overlay
from cosmos.core.preview.layout import (
    PanelLayout,
    PictureScale,
    TextMetrics,
    grid_visible,
    panel_layout,
    picture_scale,
    ruler_marks,
    sheet_layout,
    text_metrics,
)
from cosmos.core.preview.options import ResolvedRender
from cosmos.core.preview.overlay import LegendLine
from cosmos.core.preview.selectors import (
    FrameSelector,
    ResolvedTime,
    TargetTime,
    clamp_time,
    resolve_targets,
    selector_file_token,
    selector_target,
    time_file_token,
    window_warning,
)
from cosmos.core.preview.views import PreviewView, view_record
from cosmos.core.provenance.ingest_documents import video_facts
from cosmos.core.provenance.paths import relative_path

PLAN_DOCUMENT = "preview_plan.v1.json"
FRAMES_FOLDER = "frames"
SHEETS_FOLDER = "sheets"
STACKED_FOLDER = "stacked"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
# libavutil's av_image_check_size rejects a w x h picture when (w + 128) * (h + 128) reaches
# 2**28 (FFmpeg 5.1, libavutil/imgutils.c), so a sheet at least that large cannot be rendered.
FFMPEG_PICTURE_LIMIT = 2**28


@dataclass(frozen=True, slots=True)
class PreviewSource:
    """A probed and indexed clip: ``path`` as given, ``resolved`` absolute."""

    path: Path
    resolved: Path
    sha256: str | None
    size_bytes: int
    facts: MediaFacts
    index: PacketIndex


@dataclass(frozen=True, slots=True)
class FrameImage:
    """A source frame to decode and save as PNG at full size."""

    frame_index: int
    seconds: float
    path: Path


@dataclass(frozen=True, slots=True)
class RenderImage:
    """An image FFmpeg renders from saved frames with ``graph``."""

    path: Path
    inputs: tuple[Path, ...]
    graph: str


@dataclass(frozen=True, slots=True)
class ClipPreviewPlan:
    bundle_dir: Path
    plan_path: Path
    frames: tuple[FrameImage, ...]
    sheets: tuple[RenderImage, ...]
    stacked: tuple[RenderImage, ...]
    document: PreviewPlanDocument


def bundle_name(resolved: Path) -> str:
    """Name a clip's folder: ``preview_<stem>_<first 8 hex of sha256 of the resolved path>``.

    Because the hash covers the resolved path, a relative and an absolute path of one file share
    a folder, while two files with the same stem in different folders do not.
    """
    digest = hashlib.sha256(str(resolved).encode("utf-8", "surrogateescape")).hexdigest()
    stem = _UNSAFE.sub("_", resolved.stem).strip("_") or "source"
    return f"preview_{stem}_{digest[:8]}"


@dataclass(frozen=True, slots=True)
class _Clip:
    """State shared by the panels of one clip: views, scale, text sizes, options, frame files."""

    source: PreviewSource
    views: tuple[PreviewView, ...]
    options: ResolvedRender
    font_file: str | None
    bundle: Path
    frame_paths: dict[int, Path]
    scale: PictureScale
    metrics: TextMetrics

    def layout(self, lines: int) -> PanelLayout:
        rulers = self.options.show_rulers
        return panel_layout(self.scale, self.metrics, rulers=rulers, legend_lines=lines)

    def wrap(self, lines: Sequence[LegendLine]) -> list[LegendLine]:
        return legend.wrap_lines(lines, self.layout(0).legend_characters)

    def base(self, layout: PanelLayout) -> list[filters.Filter]:
        """Draw the picture with its grid and rulers."""
        drawn = overlay.picture_filters(layout, self.options.grid_step_px)
        if self.options.show_rulers:
            marks = ruler_marks(self.scale, self.metrics, self.options.grid_step_px)
            drawn += overlay.ruler_filters(layout, marks, self.font_file)
        return drawn


def _frame_names(times: Sequence[ResolvedTime], bundle: Path) -> dict[int, Path]:
    """Name each frame by its time; two frames under 1 ms apart add their index to the name."""
    paths: dict[int, Path] = {}
    used_names: set[str] = set()
    for resolved in sorted(times, key=lambda item: item.frame_index):
        if resolved.frame_index in paths:
            continue
        name = time_file_token(resolved.seconds)
        if name in used_names:
            name = f"{name}_f{resolved.frame_index}"
        used_names.add(name)
        paths[resolved.frame_index] = bundle / FRAMES_FOLDER / f"{name}.png"
    return paths


def _picture(
    layout: PanelLayout, origin: tuple[int, int], resolved: ResolvedTime, view_number: int | None
) -> PreviewPictureRecord:
    return PreviewPictureRecord(
        view_number=view_number,
        frame_index=resolved.frame_index,
        time_sec=resolved.seconds,
        x=origin[0] + layout.picture_x,
        y=origin[1] + layout.picture_y,
        width=layout.scale.picture_width,
        height=layout.scale.picture_height,
        scale=round(layout.scale.factor, 6),
    )


def _sheet(
    clip: _Clip, selector: FrameSelector, resolved: Sequence[tuple[ResolvedTime, list[str]]]
) -> tuple[RenderImage, PreviewImageRecord]:
    source, views, frame_paths, bundle = clip.source, clip.views, clip.frame_paths, clip.bundle
    index = source.index
    inputs = list(dict.fromkeys(frame_paths[time.frame_index] for time, _ in resolved))
    lines = [
        clip.wrap(
            legend.cell_lines(
                view,
                selector.text,
                time,
                warnings,
                index=index,
                pix_fmt=source.facts.pix_fmt,
            )
        )
        for view, (time, warnings) in zip(views, resolved, strict=True)
    ]
    layout = clip.layout(max(len(cell) for cell in lines))
    font = clip.font_file
    cells: list[graphs.PanelChain] = []
    for view, (time, _), cell_lines in zip(views, resolved, lines, strict=True):
        mark = view.mark()
        drawn = clip.base(layout)
        drawn += overlay.rect_filters(layout, mark, clip.options.alpha)
        if clip.options.show_crosshair:
            drawn += overlay.crosshair_filters(layout, mark)
        drawn += overlay.header_filters(layout, legend.cell_title(view), view.colour, font)
        drawn += overlay.legend_filters(layout, cell_lines, font)
        position = inputs.index(frame_paths[time.frame_index])
        cells.append(graphs.PanelChain(position, tuple(drawn)))

    sheet = sheet_layout(len(cells), layout.width, layout.height, clip.metrics)
    metrics = clip.metrics
    title = (
        f"{source.path.name} | selector {selector.text} | {len(views)} "
        f"{'view' if len(views) == 1 else 'views'} | "
        f"source {source.facts.probe.width}x{source.facts.probe.height}"
    )
    title_top = (sheet.title_height - metrics.font_size) // 2
    title_filter = filters.text(
        title, sheet.gap, title_top, size=metrics.font_size, colour=filters.TEXT, font_file=font
    )
    graph = graphs.sheet_graph(cells, sheet, [title_filter])
    path = bundle / SHEETS_FOLDER / f"sheet_frame_{selector_file_token(selector.text)}.png"
    record = PreviewImageRecord(
        kind="sheet",
        path=str(path),
        relpath=relative_path(path, bundle),
        selector=selector.text,
        stack_times_sec=[],
        width=sheet.width,
        height=sheet.height,
        columns=sheet.columns,
        rows=sheet.rows,
        pictures=[
            _picture(layout, sheet.cell_origin(position), time, view.number)
            for position, (view, (time, _)) in enumerate(zip(views, resolved, strict=True))
        ],
        inputs=[relative_path(p, bundle) for p in inputs],
        filter_graph=graph,
    )
    return RenderImage(path, tuple(inputs), graph), record


def _stacked(
    clip: _Clip, requested: Sequence[float], resolved: ResolvedTime, warnings: Sequence[str]
) -> tuple[RenderImage, PreviewImageRecord]:
    source, views, bundle = clip.source, clip.views, clip.bundle
    frame_path = clip.frame_paths[resolved.frame_index]
    lines = clip.wrap(legend.stacked_lines(views, requested, resolved, warnings, source.index))
    layout = clip.layout(len(lines))
    font = clip.font_file

    # Outlines only, no fill: overlapping fills would hide the frame under several colours.
    marks = [view.mark() for view in views]
    drawn = clip.base(layout)
    for mark in marks:
        drawn += overlay.rect_filters(layout, mark, 0)
    if clip.options.show_crosshair:
        for mark in marks:
            drawn += overlay.crosshair_filters(layout, mark)
    for mark in marks:
        drawn += overlay.badge_filters(layout, mark, font)
    title = f"{source.path.name} | stacked at {resolved.seconds:.3f} s"
    drawn += overlay.header_filters(layout, title, None, font)
    drawn += overlay.legend_filters(layout, lines, font)
    graph = graphs.single_graph(drawn)

    path = bundle / STACKED_FOLDER / f"stacked_{frame_path.stem}.png"
    record = PreviewImageRecord(
        kind="stacked",
        path=str(path),
        relpath=relative_path(path, bundle),
        selector=None,
        stack_times_sec=list(requested),
        width=layout.width,
        height=layout.height,
        columns=1,
        rows=1,
        pictures=[_picture(layout, (0, 0), resolved, None)],
        inputs=[relative_path(frame_path, bundle)],
        filter_graph=graph,
    )
    return RenderImage(path, (frame_path,), graph), record


def _selector_times(
    source: PreviewSource, views: Sequence[PreviewView], options: ResolvedRender
) -> tuple[list[list[tuple[ResolvedTime, list[str]]]], list[ResolvedTime]]:
    """Resolve every (selector, view) pair and every stack time in one pass over the index."""
    index = source.index
    targets: list[TargetTime] = [
        selector_target(selector, view.window(index), index, view.label)
        for selector in options.selectors
        for view in views
    ]
    targets += [
        clamp_time(seconds, index, f"stack time {seconds:g} s")
        for seconds in options.stack_times_seconds
    ]
    resolved = resolve_targets(targets, index, str(source.path))
    per_selector: list[list[tuple[ResolvedTime, list[str]]]] = []
    for number in range(len(options.selectors)):
        row: list[tuple[ResolvedTime, list[str]]] = []
        for position, view in enumerate(views):
            time = resolved[number * len(views) + position]
            outside = window_warning(time, view.window(index), index, view.label)
            row.append((time, [*time.warnings, *([outside] if outside else [])]))
        per_selector.append(row)
    return per_selector, list(resolved[len(options.selectors) * len(views) :])


def plan_clip_preview(
    source: PreviewSource,
    views: Sequence[PreviewView],
    options: ResolvedRender,
    *,
    out_dir: Path,
    run_id: str,
    font_file: str | None,
) -> ClipPreviewPlan:
    """Plan the frames, sheets and stacked overlays of one clip, and its plan document."""
    index = source.index
    bundle = out_dir / bundle_name(source.resolved)
    per_selector, stack_times = _selector_times(source, views, options)
    all_times = [time for row in per_selector for time, _ in row] + stack_times
    frame_paths = _frame_names(all_times, bundle)

    scale = picture_scale(
        source.facts.probe.width, source.facts.probe.height, options.render_max_width
    )
    clip = _Clip(
        source=source,
        views=tuple(views),
        options=options,
        font_file=font_file,
        bundle=bundle,
        frame_paths=frame_paths,
        scale=scale,
        metrics=text_metrics(scale.picture_width),
    )
    sheets = [
        _sheet(clip, selector, row)
        for selector, row in zip(options.selectors, per_selector, strict=True)
    ]
    by_frame: dict[int, list[tuple[float, ResolvedTime]]] = {}
    for seconds, time in zip(options.stack_times_seconds, stack_times, strict=True):
        by_frame.setdefault(time.frame_index, []).append((seconds, time))
    stacked = [
        _stacked(
            clip,
            [seconds for seconds, _ in group],
            group[0][1],
            [warning for _, time in group for warning in time.warnings],
        )
        for group in by_frame.values()
    ]

    warnings: list[str] = []
    for view in views:
        warnings += [f"view {view.label}: {warning}" for warning in view.geometry.warnings]
    warnings += [w for row in per_selector for _, time_warnings in row for w in time_warnings]
    warnings += [w for time in stack_times for w in time.warnings]
    if options.grid_step_px > 0 and not grid_visible(scale, options.grid_step_px):
        warnings.append(
            f"grid step {options.grid_step_px} px is under 4 px apart at this scale; no grid drawn"
        )

    time_records = [
        PreviewTimeRecord(
            kind="selector",
            selector=selector.text,
            stack_time_sec=None,
            view_number=view.number,
            requested_sec=round(time.requested_seconds, 6),
            frame_index=time.frame_index,
            time_sec=time.seconds,
            warnings=time_warnings,
            frame=relative_path(frame_paths[time.frame_index], bundle),
        )
        for selector, row in zip(options.selectors, per_selector, strict=True)
        for view, (time, time_warnings) in zip(views, row, strict=True)
    ]
    time_records += [
        PreviewTimeRecord(
            kind="stack",
            selector=None,
            stack_time_sec=seconds,
            view_number=None,
            requested_sec=round(time.requested_seconds, 6),
            frame_index=time.frame_index,
            time_sec=time.seconds,
            warnings=list(time.warnings),
            frame=relative_path(frame_paths[time.frame_index], bundle),
        )
        for seconds, time in zip(options.stack_times_seconds, stack_times, strict=True)
    ]
    frames = [
        FrameImage(frame_index, index.seconds_from_first(frame_index), path)
        for frame_index, path in sorted(frame_paths.items())
    ]
    document = PreviewPlanDocument(
        schema_version=SCHEMA_VERSION,
        preview_run_id=run_id,
        dry_run=options.dry_run,
        bundle_dir=str(bundle),
        source=PreviewSourceRecord(
            path=str(source.path),
            resolved_path=str(source.resolved),
            sha256=source.sha256,
            bytes=source.size_bytes,
        ),
        video=video_facts(source.facts),
        timeline=PreviewTimeline(
            frame_count=index.frame_count,
            last_frame_sec=index.seconds_from_first(index.frame_count - 1),
            duration_sec=index.duration_seconds,
        ),
        selectors=[selector.text for selector in options.selectors],
        stack_times_sec=list(options.stack_times_seconds),
        views=[view_record(view) for view in views],
        times=time_records,
        frames=[
            PreviewFrameRecord(
                path=str(frame.path),
                relpath=relative_path(frame.path, bundle),
                frame_index=frame.frame_index,
                time_sec=frame.seconds,
            )
            for frame in frames
        ],
        sheets=[record for _, record in sheets],
        stacked=[record for _, record in stacked],
        warnings=list(dict.fromkeys(warnings)),
    )
    return ClipPreviewPlan(
        bundle_dir=bundle,
        plan_path=bundle / PLAN_DOCUMENT,
        frames=tuple(frames),
        sheets=tuple(image for image, _ in sheets),
        stacked=tuple(image for image, _ in stacked),
        document=document,
    )


def check_image_sizes(plan: ClipPreviewPlan, render_max_width: int) -> Result[None, InvalidOption]:
    """Reject a plan whose sheets or overlays are too large for FFmpeg to render."""
    for image in (*plan.document.sheets, *plan.document.stacked):
        if (image.width + 128) * (image.height + 128) >= FFMPEG_PICTURE_LIMIT:
            return Failure(
                InvalidOption(
                    field="render_max_width",
                    value=str(render_max_width),
                    message=f"invalid render_max_width {render_max_width}: {image.relpath} of "
                    f"{plan.document.source.path} would be {image.width}x{image.height} px, "
                    "larger than FFmpeg renders in one picture; lower render_max_width or "
                    "preview fewer views at once",
                )
            )
    return Success(None)
