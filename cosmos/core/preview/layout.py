"""Sizes and positions of preview panels: the scaled picture, rulers, legend and sheet grid.

All positions are whole pixels of the rendered image. Text widths are estimates for DejaVu Sans,
the font used where it is installed (as on Debian), whose average character is about 0.62 of the
font size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MIN_PICTURE_WIDTH = 480
MIN_PANEL_WIDTH = 420
MAX_SHEET_COLUMNS = 3
CHARACTER_WIDTH_EM = 0.62
MIN_GRID_SPACING_PX = 4


@dataclass(frozen=True, slots=True)
class PictureScale:
    """Mapping from source pixels to pixels of the scaled picture."""

    frame_width: int
    frame_height: int
    picture_width: int
    picture_height: int

    @property
    def factor(self) -> float:
        return self.picture_width / self.frame_width

    @property
    def upscale(self) -> bool:
        return self.picture_width > self.frame_width

    def x(self, source_x: float) -> int:
        return round(source_x * self.picture_width / self.frame_width)

    def y(self, source_y: float) -> int:
        return round(source_y * self.picture_height / self.frame_height)


def picture_scale(frame_width: int, frame_height: int, max_width: int) -> PictureScale:
    """Scale a frame to at most ``max_width`` pixels wide, keeping its aspect ratio.

    A frame at most half as wide as ``min(max_width, MIN_PICTURE_WIDTH)`` is enlarged by a whole
    factor, so a 176 px source still has readable marks. Wider frames are never enlarged.
    """
    if frame_width > max_width:
        width = max_width
    else:
        factor = max(1, min(max_width, MIN_PICTURE_WIDTH) // frame_width)
        width = frame_width * factor
    height = max(1, round(frame_height * width / frame_width))
    return PictureScale(frame_width, frame_height, width, height)


@dataclass(frozen=True, slots=True)
class TextMetrics:
    """Font size, line height and padding, in rendered pixels."""

    font_size: int
    line_height: int
    pad: int

    def text_width(self, characters: int) -> int:
        return math.ceil(characters * CHARACTER_WIDTH_EM * self.font_size)

    def characters_in(self, width: int) -> int:
        return max(12, int(width / (CHARACTER_WIDTH_EM * self.font_size)))


def text_metrics(picture_width: int) -> TextMetrics:
    """Size text to the picture: 16 px at 800 px wide, from 13 px up to 24 px."""
    font_size = min(24, max(13, round(picture_width / 50)))
    return TextMetrics(font_size, round(font_size * 1.45), max(6, font_size // 2))


@dataclass(frozen=True, slots=True)
class RulerMarks:
    """Source pixel positions that get a labelled tick, along the top and the left edge."""

    x_marks: tuple[int, ...]
    y_marks: tuple[int, ...]


def _nice_step(minimum: float) -> int:
    """Return the smallest 1, 2 or 5 times a power of ten at or above ``minimum``."""
    power = 1
    while True:
        for mantissa in (1, 2, 5):
            if mantissa * power >= minimum:
                return mantissa * power
        power *= 10


def ruler_marks(scale: PictureScale, metrics: TextMetrics, grid_step_px: int) -> RulerMarks:
    """Label grid lines (every line when labels fit, else every n-th), or a round step.

    Grid lines are labelled when at least two fit across the frame. Otherwise the step is the
    smallest 1, 2 or 5 times a power of ten whose labels do not overlap.
    """
    x_spacing = metrics.text_width(len(str(scale.frame_width))) + 2 * metrics.pad
    y_spacing = metrics.line_height
    on_grid = grid_step_px > 0 and scale.frame_width // grid_step_px >= 2
    marks: list[tuple[int, ...]] = []
    for spacing, length in ((x_spacing, scale.frame_width), (y_spacing, scale.frame_height)):
        if on_grid:
            every = max(1, math.ceil(spacing / (grid_step_px * scale.factor)))
            step = grid_step_px * every
        else:
            step = _nice_step(max(spacing, 4 * metrics.pad) / scale.factor)
        marks.append(tuple(range(0, length + 1, step)))
    return RulerMarks(x_marks=marks[0], y_marks=marks[1])


def grid_visible(scale: PictureScale, grid_step_px: int) -> bool:
    """Tell whether grid lines stay at least 4 px apart once scaled."""
    return grid_step_px > 0 and grid_step_px * scale.factor >= MIN_GRID_SPACING_PX


def grid_thickness(scale: PictureScale) -> int:
    """Return the line width in source pixels that stays about 1 px wide after scaling."""
    return max(1, round(1 / scale.factor))


@dataclass(frozen=True, slots=True)
class PanelLayout:
    """A picture with a title bar above, optional rulers, and legend lines below.

    The picture's top-left corner is at (``picture_x``, ``picture_y``) in the panel.
    """

    scale: PictureScale
    metrics: TextMetrics
    rulers: bool
    picture_x: int
    picture_y: int
    width: int
    legend_y: int
    height: int

    def x(self, source_x: float) -> int:
        return self.picture_x + self.scale.x(source_x)

    def y(self, source_y: float) -> int:
        return self.picture_y + self.scale.y(source_y)

    @property
    def header_height(self) -> int:
        return self.metrics.line_height + self.metrics.pad

    @property
    def legend_characters(self) -> int:
        """Characters that fit on a legend line beside a colour swatch."""
        metrics = self.metrics
        return metrics.characters_in(self.width - 3 * metrics.pad - metrics.font_size)


def panel_width(scale: PictureScale, metrics: TextMetrics, rulers: bool) -> tuple[int, int]:
    """Return the panel width and the picture's left edge, leaving room for ruler labels."""
    if not rulers:
        left, right = metrics.pad, metrics.pad
    else:
        left = metrics.text_width(len(str(scale.frame_height))) + 2 * metrics.pad
        right = metrics.pad + metrics.text_width(len(str(scale.frame_width))) // 2
    return max(left + scale.picture_width + right, MIN_PANEL_WIDTH), left


def panel_layout(
    scale: PictureScale, metrics: TextMetrics, *, rulers: bool, legend_lines: int
) -> PanelLayout:
    """Lay out one panel with ``legend_lines`` lines of legend under the picture."""
    width, picture_x = panel_width(scale, metrics, rulers)
    picture_y = metrics.line_height + metrics.pad + (metrics.line_height if rulers else 0)
    legend_y = picture_y + scale.picture_height + metrics.pad
    height = legend_y + legend_lines * metrics.line_height + metrics.pad
    return PanelLayout(scale, metrics, rulers, picture_x, picture_y, width, legend_y, height)


@dataclass(frozen=True, slots=True)
class SheetLayout:
    """Equal cells in rows of up to three, under a title bar, with gaps between them."""

    count: int
    columns: int
    rows: int
    cell_width: int
    cell_height: int
    gap: int
    title_height: int

    @property
    def width(self) -> int:
        return self.gap + self.columns * (self.cell_width + self.gap)

    @property
    def height(self) -> int:
        return self.title_height + self.rows * (self.cell_height + self.gap)

    def stack_position(self, position: int) -> tuple[int, int]:
        """Return cell ``position``'s corner in the stacked cells, before the margins."""
        row, column = divmod(position, self.columns)
        return column * (self.cell_width + self.gap), row * (self.cell_height + self.gap)

    def cell_origin(self, position: int) -> tuple[int, int]:
        """Return cell ``position``'s top-left corner in the sheet."""
        x, y = self.stack_position(position)
        return self.gap + x, self.title_height + y


def sheet_layout(
    count: int, cell_width: int, cell_height: int, metrics: TextMetrics
) -> SheetLayout:
    """Arrange ``count`` cells in up to three columns."""
    columns = min(MAX_SHEET_COLUMNS, max(1, count))
    rows = math.ceil(count / columns)
    title_height = metrics.line_height + 2 * metrics.pad
    return SheetLayout(count, columns, rows, cell_width, cell_height, metrics.pad, title_height)
