"""Preview layout: picture scale, text sizes, ruler marks, panels and sheet grids."""

from __future__ import annotations

import pytest

from cosmos.core.preview.layout import (
    grid_thickness,
    grid_visible,
    panel_layout,
    picture_scale,
    ruler_marks,
    sheet_layout,
    text_metrics,
)

# (frame size, render_max_width, expected picture size)
SCALES = [
    ((1280, 720), 800, (800, 450)),
    ((1280, 720), 1600, (1280, 720)),
    ((7680, 4320), 1600, (1600, 900)),
    ((320, 180), 1600, (320, 180)),
    ((320, 180), 200, (200, 112)),
    ((176, 144), 1600, (352, 288)),
    ((176, 144), 300, (176, 144)),
    ((100, 100), 1600, (400, 400)),
    ((1080, 1920), 800, (800, 1422)),
]


@pytest.mark.parametrize(("frame", "max_width", "picture"), SCALES)
def test_picture_scale(frame: tuple[int, int], max_width: int, picture: tuple[int, int]) -> None:
    scale = picture_scale(*frame, max_width)
    assert (scale.picture_width, scale.picture_height) == picture
    assert scale.picture_width <= max(max_width, frame[0])


def test_scale_maps_source_pixels() -> None:
    scale = picture_scale(1280, 720, 800)
    assert scale.factor == 0.625
    assert (scale.x(0), scale.x(640), scale.x(1280)) == (0, 400, 800)
    assert (scale.y(0), scale.y(360), scale.y(720)) == (0, 225, 450)
    assert not scale.upscale
    assert picture_scale(176, 144, 1600).upscale


@pytest.mark.parametrize(
    ("width", "font_size"), [(160, 13), (640, 13), (800, 16), (1200, 24), (1600, 24)]
)
def test_font_size(width: int, font_size: int) -> None:
    metrics = text_metrics(width)
    assert metrics.font_size == font_size
    assert metrics.line_height > metrics.font_size


# (frame size, max width, grid step, expected x marks, expected y marks)
RULERS = [
    ((1280, 720), 800, 400, (0, 400, 800, 1200), (0, 400)),
    ((7680, 4320), 1600, 400, tuple(range(0, 7681, 800)), tuple(range(0, 4321, 400))),
    ((1280, 720), 800, 0, tuple(range(0, 1281, 100)), tuple(range(0, 721, 100))),
    ((320, 180), 1600, 400, (0, 50, 100, 150, 200, 250, 300), (0, 50, 100, 150)),
    (
        (320, 180),
        1600,
        20,
        (0, 40, 80, 120, 160, 200, 240, 280, 320),
        (0, 20, 40, 60, 80, 100, 120, 140, 160, 180),
    ),
]


@pytest.mark.parametrize(("frame", "max_width", "step", "x_marks", "y_marks"), RULERS)
def test_ruler_marks(
    frame: tuple[int, int],
    max_width: int,
    step: int,
    x_marks: tuple[int, ...],
    y_marks: tuple[int, ...],
) -> None:
    scale = picture_scale(*frame, max_width)
    marks = ruler_marks(scale, text_metrics(scale.picture_width), step)
    assert marks.x_marks == x_marks
    assert marks.y_marks == y_marks


@pytest.mark.parametrize("frame", [(7680, 4320), (1280, 720), (320, 180), (176, 144)])
@pytest.mark.parametrize("step", [0, 1, 50, 400])
def test_ruler_labels_apart(frame: tuple[int, int], step: int) -> None:
    scale = picture_scale(*frame, 800)
    metrics = text_metrics(scale.picture_width)
    marks = ruler_marks(scale, metrics, step)
    label_width = metrics.text_width(len(str(frame[0])))
    for first, second in zip(marks.x_marks, marks.x_marks[1:], strict=False):
        assert scale.x(second) - scale.x(first) >= label_width + metrics.pad
    for first, second in zip(marks.y_marks, marks.y_marks[1:], strict=False):
        assert scale.y(second) - scale.y(first) >= metrics.line_height
    assert len(marks.x_marks) >= 2


def test_grid_visibility_and_thickness() -> None:
    scale = picture_scale(7680, 4320, 1600)
    assert grid_visible(scale, 400)
    assert not grid_visible(scale, 10)
    assert not grid_visible(scale, 0)
    assert grid_thickness(scale) == 5
    assert grid_thickness(picture_scale(176, 144, 1600)) == 1


def test_panel_layout() -> None:
    scale = picture_scale(1280, 720, 800)
    metrics = text_metrics(scale.picture_width)
    with_rulers = panel_layout(scale, metrics, rulers=True, legend_lines=5)
    plain = panel_layout(scale, metrics, rulers=False, legend_lines=5)
    assert with_rulers.picture_x > plain.picture_x == metrics.pad
    assert with_rulers.picture_y == plain.picture_y + metrics.line_height
    assert with_rulers.width >= with_rulers.picture_x + 800
    assert with_rulers.legend_y == with_rulers.picture_y + 450 + metrics.pad
    assert with_rulers.height == with_rulers.legend_y + 5 * metrics.line_height + metrics.pad
    assert (with_rulers.x(640), with_rulers.y(360)) == (
        with_rulers.picture_x + 400,
        with_rulers.picture_y + 225,
    )


def test_narrow_panel_keeps_legend_room() -> None:
    scale = picture_scale(176, 144, 160)
    layout = panel_layout(scale, text_metrics(scale.picture_width), rulers=False, legend_lines=1)
    assert layout.width == 420
    assert layout.legend_characters >= 40


@pytest.mark.parametrize(
    ("count", "columns", "rows"), [(1, 1, 1), (2, 2, 1), (3, 3, 1), (4, 3, 2), (7, 3, 3)]
)
def test_sheet_grid(count: int, columns: int, rows: int) -> None:
    metrics = text_metrics(800)
    sheet = sheet_layout(count, 900, 600, metrics)
    assert (sheet.columns, sheet.rows) == (columns, rows)
    assert sheet.width == metrics.pad + columns * (900 + metrics.pad)
    assert sheet.height == sheet.title_height + rows * (600 + metrics.pad)


def test_sheet_cell_origins() -> None:
    metrics = text_metrics(800)
    sheet = sheet_layout(4, 900, 600, metrics)
    gap, title = sheet.gap, sheet.title_height
    assert sheet.cell_origin(0) == (gap, title)
    assert sheet.cell_origin(2) == (gap + 2 * (900 + gap), title)
    assert sheet.cell_origin(3) == (gap, title + 600 + gap)
    assert sheet.stack_position(3) == (0, 600 + gap)
