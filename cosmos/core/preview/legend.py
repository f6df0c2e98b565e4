"""Text of preview panels: titles and legend lines, wrapped to the panel width."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from cosmos.core.ffmpeg.timeline import PacketIndex
from cosmos.core.preview import filters
from cosmos.core.preview.overlay import LegendLine
from cosmos.core.preview.selectors import ResolvedTime
from cosmos.core.preview.views import PreviewView


def crop_text(view: PreviewView) -> str:
    geometry = view.geometry
    return f"crop {geometry.x},{geometry.y} {geometry.width}x{geometry.height} px"


def normalized_text(view: PreviewView) -> str:
    x, y, w, h = view.geometry.normalized
    return f"normalized {x:.4f},{y:.4f} {w:.4f}x{h:.4f}"


def trim_text(view: PreviewView, index: PacketIndex) -> str:
    window = view.window(index)
    frames = f"frames {window.first_index} to {window.last_index}"
    start, end = view.geometry.start_seconds, view.geometry.end_seconds
    if start is None and end is None:
        return f"trim none: whole clip, {frames}"
    end_text = "end" if end is None else f"{end:g} s"
    return f"trim {start or 0:g} s to {end_text}: {frames}"


def warning_lines(warnings: Sequence[str]) -> list[LegendLine]:
    return [LegendLine(f"warning: {warning}", filters.WARNING_TEXT) for warning in warnings]


def cell_title(view: PreviewView) -> str:
    return f"{view.number}: {view.label} ({view.kind})"


def cell_lines(
    view: PreviewView,
    selector_text: str,
    resolved: ResolvedTime,
    warnings: Sequence[str],
    *,
    index: PacketIndex,
    pix_fmt: str | None,
) -> list[LegendLine]:
    """Legend of one sheet cell: selector and time, crop, source size, trim, warnings."""
    geometry = view.geometry
    source = f"source {geometry.frame_width}x{geometry.frame_height}"
    return [
        LegendLine(
            f"selector {selector_text}: {resolved.seconds:.3f} s, frame {resolved.frame_index} "
            f"of {index.frame_count}"
        ),
        LegendLine(crop_text(view)),
        LegendLine(normalized_text(view)),
        LegendLine(f"{source}, {pix_fmt}" if pix_fmt else source, filters.MUTED_TEXT),
        LegendLine(trim_text(view, index), filters.MUTED_TEXT),
        *warning_lines([*geometry.warnings, *warnings]),
    ]


def stacked_lines(
    views: Sequence[PreviewView],
    requested_seconds: Sequence[float],
    resolved: ResolvedTime,
    warnings: Sequence[str],
    index: PacketIndex,
) -> list[LegendLine]:
    """Legend of a stacked overlay: the time, then one line per view after its swatch."""
    frame_width, frame_height = views[0].geometry.frame_width, views[0].geometry.frame_height
    requested = ", ".join(f"{seconds:g}" for seconds in requested_seconds)
    lines = [
        LegendLine(
            f"stack time {requested} s: frame {resolved.frame_index} of {index.frame_count} at "
            f"{resolved.seconds:.3f} s, source {frame_width}x{frame_height}"
        )
    ]
    for view in views:
        lines.append(
            LegendLine(
                f"{view.number}: {view.label} ({view.kind}), {crop_text(view)}, "
                f"{normalized_text(view)}, {trim_text(view, index)}",
                swatch=view.colour,
            )
        )
    view_warnings = [f"view {v.label}: {w}" for v in views for w in v.geometry.warnings]
    return [*lines, *warning_lines([*warnings, *view_warnings])]


def wrap_lines(lines: Sequence[LegendLine], characters: int) -> list[LegendLine]:
    """Wrap each line to ``characters``; continuation lines keep the colour, not the swatch."""
    wrapped: list[LegendLine] = []
    for line in lines:
        parts = textwrap.wrap(line.text, width=characters, break_on_hyphens=False) or [""]
        wrapped.append(LegendLine(parts[0], line.colour, line.swatch))
        wrapped += [LegendLine(part, line.colour) for part in parts[1:]]
    return wrapped
