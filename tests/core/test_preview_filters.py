"""Filter text: escaping for both parser levels, single filters, view colours."""

from __future__ import annotations

import itertools
import math

import pytest

from cosmos.core.preview import filters
from cosmos.core.preview.filters import Filter

# (label, drawtext text option as it appears in the graph)
TEXT_CASES = [
    ("plain label", "plain label"),
    ("a:b", "a\\\\:b"),
    ("it's", "it\\\\\\'s"),
    ("back\\slash", "back\\\\\\\\slash"),
    ("100%", "100%"),
    ("%{pts}", "%{pts}"),
    ("a,b;c", "a\\,b\\;c"),
    ("[x]", "\\[x\\]"),
    ("x=1", "x=1"),
    ("line\nbreak", "line break"),
    ("  padded\t", "padded"),
]


@pytest.mark.parametrize(("label", "escaped"), TEXT_CASES)
def test_drawtext_escaping(label: str, escaped: str) -> None:
    rendered = filters.text(label, 4, 5, size=16, colour="FFFFFF", font_file=None).render()
    assert rendered == (
        f"drawtext=expansion=none:text={escaped}:x=4:y=5:fontsize=16:fontcolor=0xFFFFFF"
    )


def test_font_file_escaped() -> None:
    rendered = filters.text("a", 0, 0, size=13, colour="000000", font_file="C:/fonts/it's.ttf")
    assert rendered.render().startswith("drawtext=fontfile=C\\\\:/fonts/it\\\\\\'s.ttf:")


def test_expression_commas_escaped() -> None:
    rendered = filters.text(
        "7", "min(max(0,10-tw/2),W-tw)", 0, size=13, colour="000000", font_file=None
    )
    assert ":x=min(max(0\\,10-tw/2)\\,W-tw):" in rendered.render()


@pytest.mark.parametrize(
    ("value", "escaped"),
    [("a:b", "a\\:b"), ("'", "\\'"), ("\\", "\\\\"), ("a,b", "a,b"), ("%", "%")],
)
def test_option_value_escaping(value: str, escaped: str) -> None:
    assert filters.escape_option_value(value) == escaped


@pytest.mark.parametrize(
    ("text", "escaped"),
    [("a\\b", "a\\\\b"), ("'", "\\'"), ("[a]", "\\[a\\]"), ("a,b;c", "a\\,b\\;c"), (":", ":")],
)
def test_graph_escaping(text: str, escaped: str) -> None:
    assert filters.escape_graph_text(text) == escaped


def test_box_outline_and_fill() -> None:
    outline = filters.box(1, 2, 30, 40, colour="0xE69F00", thickness=2)
    fill = filters.box(1, 2, 30, 40, colour="0xE69F00@0.25")
    assert outline.render() == "drawbox=x=1:y=2:w=30:h=40:color=0xE69F00:t=2"
    assert fill.render() == "drawbox=x=1:y=2:w=30:h=40:color=0xE69F00@0.25:t=fill"


def test_grid_scale_pad() -> None:
    assert filters.grid(400, 2, "0xFFFFFF@0.35").render() == (
        "drawgrid=x=0:y=0:w=400:h=400:t=2:color=0xFFFFFF@0.35"
    )
    assert filters.scale(800, 450, upscale=False).render() == "scale=w=800:h=450:flags=area"
    assert filters.scale(352, 288, upscale=True).render() == "scale=w=352:h=288:flags=neighbor"
    assert filters.pad(900, 600, 40, 50).render() == "pad=w=900:h=600:x=40:y=50:color=0x1E1E1E"


def test_filter_without_options() -> None:
    assert Filter("null").render() == "null"
    assert filters.chain([Filter("null"), filters.RGB24]) == "null,\nformat=pix_fmts=rgb24"


@pytest.mark.parametrize(("alpha", "expected"), [(None, "0x56B4E9"), (0.25, "0x56B4E9@0.25")])
def test_ffmpeg_colour(alpha: float | None, expected: str) -> None:
    assert filters.ffmpeg_colour("56B4E9", alpha) == expected


def _rgb(hex_colour: str) -> tuple[int, ...]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))


def test_view_colours_distinct() -> None:
    colours = filters.VIEW_COLOURS
    assert len(set(colours)) == len(colours) == 12
    for first, second in itertools.combinations(colours, 2):
        assert math.dist(_rgb(first), _rgb(second)) >= 60, (first, second)


def test_view_colours_cycle() -> None:
    assert filters.view_colour(1) == "E69F00"
    assert filters.view_colour(13) == filters.view_colour(1)
    assert filters.view_colour(12) != filters.view_colour(1)


def test_view_colours_stand_out_from_background() -> None:
    background = _rgb(filters.BACKGROUND)
    for colour in filters.VIEW_COLOURS:
        assert math.dist(_rgb(colour), background) >= 100, colour
