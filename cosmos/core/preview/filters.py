"""FFmpeg filter text: escaping, single filters, and the colours of views.

A filter graph is parsed twice. First the graph parser splits chains at ``[``, ``]``, ``,`` and
``;`` and removes one level of backslashes and quotes. Then each filter splits its options at
``:`` and removes another level. An option value is therefore escaped for the filter first
(backslash, quote, colon) and the whole option string for the graph after that (backslash,
quote, brackets, comma, semicolon). ``drawtext`` runs with ``expansion=none``, so ``%`` and
``{`` in labels are printed as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

_FILTER_SPECIAL = "\\':"
_GRAPH_SPECIAL = "\\'[],;"

# The Okabe-Ito palette (chosen to stay distinct for colour-blind readers) without its black,
# then four more colours picked so that every pair lies at least 60 apart in RGB.
VIEW_COLOURS: tuple[str, ...] = (
    "E69F00",
    "56B4E9",
    "009E73",
    "F0E442",
    "D55E00",
    "CC79A7",
    "0072B2",
    "FFFFFF",
    "A6D854",
    "B39DDB",
    "FF00FF",
    "00FFFF",
)
BACKGROUND = "1E1E1E"
TEXT = "E8E8E8"
MUTED_TEXT = "A8A8A8"
WARNING_TEXT = "FFB000"
GRID = "FFFFFF@0.35"


def view_colour(number: int) -> str:
    """Return the RGB hex colour of view ``number`` (1-based); colours repeat after twelve."""
    return VIEW_COLOURS[(number - 1) % len(VIEW_COLOURS)]


def ffmpeg_colour(rgb_hex: str, alpha: float | None = None) -> str:
    """Write a colour the way FFmpeg options take it: ``0xRRGGBB`` or ``0xRRGGBB@alpha``."""
    return f"0x{rgb_hex}" if alpha is None else f"0x{rgb_hex}@{alpha:g}"


def escape_option_value(value: str) -> str:
    """Escape a value for a filter's own option parser (backslash, single quote, colon)."""
    return "".join(f"\\{c}" if c in _FILTER_SPECIAL else c for c in value)


def escape_graph_text(text: str) -> str:
    """Escape a filter's option string for the filter graph parser."""
    return "".join(f"\\{c}" if c in _GRAPH_SPECIAL else c for c in text)


def plain_text(text: str) -> str:
    """Make one line of label text: control characters become spaces, and the ends are trimmed.

    Both parsers drop unescaped spaces at the ends of a value, so labels never rely on them.
    """
    return "".join(" " if ord(c) < 32 or ord(c) == 127 else c for c in text).strip()


@dataclass(frozen=True, slots=True)
class Filter:
    """One filter with its options in order; values are raw text, escaped when rendered."""

    name: str
    options: tuple[tuple[str, str], ...] = ()

    def render(self) -> str:
        if not self.options:
            return self.name
        options = ":".join(f"{key}={escape_option_value(value)}" for key, value in self.options)
        return f"{self.name}={escape_graph_text(options)}"


def _options(**values: object) -> tuple[tuple[str, str], ...]:
    return tuple((key, str(value)) for key, value in values.items() if value is not None)


def box(
    x: int, y: int, width: int, height: int, *, colour: str, thickness: int | None = None
) -> Filter:
    """Draw a rectangle outline ``thickness`` pixels wide inside the box, or fill it (``None``)."""
    return Filter(
        "drawbox",
        _options(
            x=x,
            y=y,
            w=width,
            h=height,
            color=colour,
            t="fill" if thickness is None else thickness,
        ),
    )


def grid(step: int, thickness: int, colour: str) -> Filter:
    """Draw grid lines every ``step`` pixels from the top-left corner."""
    return Filter("drawgrid", _options(x=0, y=0, w=step, h=step, t=thickness, color=colour))


def text(
    label: str, x: str | int, y: str | int, *, size: int, colour: str, font_file: str | None
) -> Filter:
    """Draw one line of text; ``x`` and ``y`` may be drawtext expressions (``tw``, ``W``)."""
    return Filter(
        "drawtext",
        _options(
            fontfile=font_file,
            expansion="none",
            text=plain_text(label),
            x=x,
            y=y,
            fontsize=size,
            fontcolor=ffmpeg_colour(colour),
        ),
    )


def scale(width: int, height: int, upscale: bool) -> Filter:
    """Scale to ``width`` x ``height``: area averaging down, nearest neighbour up."""
    return Filter("scale", _options(w=width, h=height, flags="neighbor" if upscale else "area"))


def pad(width: int, height: int, x: int, y: int) -> Filter:
    """Place the picture at ``x``, ``y`` on a ``width`` x ``height`` dark background."""
    return Filter("pad", _options(w=width, h=height, x=x, y=y, color=ffmpeg_colour(BACKGROUND)))


RGB24 = Filter("format", (("pix_fmts", "rgb24"),))


def chain(filters: Sequence[Filter]) -> str:
    """Join filters into one chain, one filter per line."""
    return ",\n".join(f.render() for f in filters)
