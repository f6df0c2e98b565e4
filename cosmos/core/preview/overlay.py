"""Overlay filters of one preview panel: grid, rulers, crop rectangles, badges, text.

Each builder returns filters in drawing order. The grid is drawn on the source frame before it
is scaled, so its lines sit exactly on multiples of the step in source pixels. Everything else is
drawn on the scaled picture, so outlines and text keep their size whatever the scale.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cosmos.core.preview import filters
from cosmos.core.preview.filters import Filter
from cosmos.core.preview.layout import (
    PanelLayout,
    RulerMarks,
    grid_thickness,
    grid_visible,
)


@dataclass(frozen=True, slots=True)
class ViewMark:
    """A crop rectangle to draw, in source pixels, with its number, name and colour."""

    number: int
    label: str
    colour: str
    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class LegendLine:
    """One line of legend text; ``swatch`` puts a box of that colour before it."""

    text: str
    colour: str = filters.TEXT
    swatch: str | None = None


def picture_filters(layout: PanelLayout, grid_step_px: int) -> list[Filter]:
    """Convert to rgb24, draw the grid in source pixels, scale, and place the picture."""
    scale = layout.scale
    drawn: list[Filter] = [filters.RGB24]
    if grid_visible(scale, grid_step_px):
        drawn.append(
            filters.grid(grid_step_px, grid_thickness(scale), filters.ffmpeg_colour(filters.GRID))
        )
    if scale.picture_width != scale.frame_width or scale.picture_height != scale.frame_height:
        drawn.append(filters.scale(scale.picture_width, scale.picture_height, scale.upscale))
    drawn.append(filters.pad(layout.width, layout.height, layout.picture_x, layout.picture_y))
    return drawn


def ruler_filters(layout: PanelLayout, marks: RulerMarks, font_file: str | None) -> list[Filter]:
    """Draw ticks and source-pixel labels along the top and left edges of the picture."""
    metrics = layout.metrics
    tick = max(3, metrics.pad // 2)
    colour = filters.ffmpeg_colour(filters.MUTED_TEXT)
    label_top = (
        layout.picture_y - metrics.line_height + (metrics.line_height - metrics.font_size) // 2
    )
    drawn: list[Filter] = []
    for value in marks.x_marks:
        x = min(layout.x(value), layout.picture_x + layout.scale.picture_width - 1)
        drawn.append(filters.box(x, layout.picture_y - tick, 1, tick, colour=colour))
        drawn.append(
            filters.text(
                str(value),
                f"min(max(0,{x}-tw/2),W-tw)",
                label_top,
                size=metrics.font_size,
                colour=filters.MUTED_TEXT,
                font_file=font_file,
            )
        )
    for value in marks.y_marks:
        y = min(layout.y(value), layout.picture_y + layout.scale.picture_height - 1)
        drawn.append(filters.box(layout.picture_x - tick, y, tick, 1, colour=colour))
        drawn.append(
            filters.text(
                str(value),
                f"{layout.picture_x - tick - 2}-tw",
                f"max(0,{y}-th/2)",
                size=metrics.font_size,
                colour=filters.MUTED_TEXT,
                font_file=font_file,
            )
        )
    return drawn


def _picture_box(layout: PanelLayout, mark: ViewMark) -> tuple[int, int, int, int]:
    left, top = layout.x(mark.x), layout.y(mark.y)
    right, bottom = layout.x(mark.x + mark.width), layout.y(mark.y + mark.height)
    return left, top, max(1, right - left), max(1, bottom - top)


def outline_thickness(layout: PanelLayout) -> int:
    return 2 if layout.scale.picture_width <= 1000 else 3


def rect_filters(layout: PanelLayout, mark: ViewMark, alpha: float) -> list[Filter]:
    """Fill the crop rectangle at ``alpha`` and draw its opaque outline inside its edges."""
    x, y, width, height = _picture_box(layout, mark)
    drawn: list[Filter] = []
    if alpha > 0:
        drawn.append(
            filters.box(x, y, width, height, colour=filters.ffmpeg_colour(mark.colour, alpha))
        )
    thickness = outline_thickness(layout)
    drawn.append(
        filters.box(
            x, y, width, height, colour=filters.ffmpeg_colour(mark.colour), thickness=thickness
        )
    )
    return drawn


def crosshair_filters(layout: PanelLayout, mark: ViewMark) -> list[Filter]:
    """Draw a crosshair at the rectangle's centre: 2 px lines in its colour, edged in black."""
    x, y, width, height = _picture_box(layout, mark)
    centre_x, centre_y = x + width // 2, y + height // 2
    arm = max(4, min(40, min(width, height) // 4))
    dark = filters.ffmpeg_colour("000000")
    colour = filters.ffmpeg_colour(mark.colour)
    return [
        filters.box(centre_x - arm - 1, centre_y - 2, 2 * arm + 4, 4, colour=dark),
        filters.box(centre_x - 2, centre_y - arm - 1, 4, 2 * arm + 4, colour=dark),
        filters.box(centre_x - arm, centre_y - 1, 2 * arm + 2, 2, colour=colour),
        filters.box(centre_x - 1, centre_y - arm, 2, 2 * arm + 2, colour=colour),
    ]


def _text_colour_on(rgb_hex: str) -> str:
    """Pick black or white text for a background colour, by its relative luminance."""
    red, green, blue = (int(rgb_hex[i : i + 2], 16) for i in (0, 2, 4))
    return "000000" if 0.2126 * red + 0.7152 * green + 0.0722 * blue > 110 else "FFFFFF"


def badge_filters(layout: PanelLayout, mark: ViewMark, font_file: str | None) -> list[Filter]:
    """Draw the view's number on a square of its colour inside the rectangle's top-left corner."""
    x, y, _, _ = _picture_box(layout, mark)
    thickness = outline_thickness(layout)
    side = layout.metrics.line_height
    left, top = x + thickness, y + thickness
    return [
        filters.box(left, top, side, side, colour=filters.ffmpeg_colour(mark.colour)),
        filters.text(
            str(mark.number),
            f"{left}+({side}-tw)/2",
            f"{top}+({side}-th)/2",
            size=layout.metrics.font_size,
            colour=_text_colour_on(mark.colour),
            font_file=font_file,
        ),
    ]


def header_filters(
    layout: PanelLayout, title: str, swatch: str | None, font_file: str | None
) -> list[Filter]:
    """Draw the panel's title in the bar above the rulers, after a swatch of the view's colour."""
    metrics = layout.metrics
    top = (layout.header_height - metrics.font_size) // 2
    x = metrics.pad
    drawn: list[Filter] = []
    if swatch is not None:
        colour = filters.ffmpeg_colour(swatch)
        drawn.append(filters.box(x, top, metrics.font_size, metrics.font_size, colour=colour))
        x += metrics.font_size + metrics.pad
    drawn.append(
        filters.text(
            title, x, top, size=metrics.font_size, colour=filters.TEXT, font_file=font_file
        )
    )
    return drawn


def legend_filters(
    layout: PanelLayout, lines: Sequence[LegendLine], font_file: str | None
) -> list[Filter]:
    """Draw legend lines under the picture, each after its swatch, if it has one."""
    metrics = layout.metrics
    text_x = 2 * metrics.pad + metrics.font_size
    drawn: list[Filter] = []
    for number, line in enumerate(lines):
        top = layout.legend_y + number * metrics.line_height
        text_top = top + (metrics.line_height - metrics.font_size) // 2
        if line.swatch is not None:
            colour = filters.ffmpeg_colour(line.swatch)
            size = metrics.font_size
            drawn.append(filters.box(metrics.pad, text_top, size, size, colour=colour))
        drawn.append(
            filters.text(
                line.text,
                text_x,
                text_top,
                size=metrics.font_size,
                colour=line.colour,
                font_file=font_file,
            )
        )
    return drawn
