"""Output size of a generic-media clip: fit inside a box, keep the display aspect ratio."""

from __future__ import annotations

import math
from fractions import Fraction

from cosmos.core.model.media import MediaFacts


def display_size(facts: MediaFacts) -> tuple[float, float]:
    """Return the displayed size in square pixels: rotation applied, sample aspect ratio too."""
    sar = facts.sample_aspect_ratio or Fraction(1)
    width = facts.stored_width * float(sar)
    height = float(facts.stored_height)
    if facts.rotation_degrees in (90, 270):
        width, height = height, width
    return width, height


def _floor_even(value: float) -> int:
    return max(2, math.floor(value / 2) * 2)


def fit_inside(
    display_width: float,
    display_height: float,
    box_width: int,
    box_height: int,
    *,
    allow_upscale: bool,
) -> tuple[int, int]:
    """Return the even output size that fits the box and keeps the display aspect ratio.

    A picture already inside the box keeps its size (rounded down to even) unless
    ``allow_upscale`` is set. Even sizes are what 4:2:0 chroma subsampling needs.
    """
    scale = min(box_width / display_width, box_height / display_height)
    if scale >= 1 and not allow_upscale:
        scale = 1.0
    width = _floor_even(min(display_width * scale + 0.5, box_width))
    height = _floor_even(min(display_height * scale + 0.5, box_height))
    return width, height
