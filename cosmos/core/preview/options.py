"""Render options of a crop preview: the public Struct and its validation."""

from __future__ import annotations

import math
from dataclasses import dataclass

import msgspec
from returns.result import Failure, Result, Success

from cosmos.core.errors import InvalidOption
from cosmos.core.preview.selectors import FrameSelector, parse_selector

DEFAULT_RENDER_MAX_WIDTH = 1600
DEFAULT_GRID_STEP_PX = 400
DEFAULT_ALPHA = 0.25
# Below 160 px labels no longer fit beside a frame. 16384 px is twice the width of 8K video;
# sheets too large for FFmpeg are rejected when planned (see check_image_sizes).
RENDER_WIDTH_RANGE = (160, 16384)


class RenderOptions(msgspec.Struct, frozen=True, kw_only=True):
    """Settings of a crop preview: the frames it shows and how it draws them.

    ``frame_selectors`` name the moments of the contact sheets: ``start``, ``mid``, ``end``,
    each with an optional signed offset in seconds such as ``end-0.5``, or a time in seconds
    such as ``12.5``. ``stack_times_sec`` are the times of the stacked overlays, in seconds from
    the first frame. Frames are scaled to at most ``render_max_width`` pixels wide.
    ``grid_step_px`` is the grid spacing in source pixels (0 disables the grid); ``alpha`` is the
    opacity of the crop fill, 0 to 1. ``dry_run`` writes the plans and no images;
    ``include_source_sha`` records each source's sha256 in its plan.
    """

    frame_selectors: list[str]
    stack_times_sec: list[float]
    render_max_width: int = DEFAULT_RENDER_MAX_WIDTH
    grid_step_px: int = DEFAULT_GRID_STEP_PX
    show_rulers: bool = True
    show_crosshair: bool = True
    alpha: float = DEFAULT_ALPHA
    dry_run: bool = False
    include_source_sha: bool = False


@dataclass(frozen=True, slots=True)
class ResolvedRender:
    """Validated render options: parsed selectors and stack times, each listed once."""

    selectors: tuple[FrameSelector, ...]
    stack_times_seconds: tuple[float, ...]
    render_max_width: int
    grid_step_px: int
    show_rulers: bool
    show_crosshair: bool
    alpha: float
    dry_run: bool
    include_source_sha: bool


def _invalid(field: str, value: object, expected: str) -> Failure[InvalidOption]:
    return Failure(
        InvalidOption(
            field=field, value=repr(value), message=f"invalid {field} {value!r}; {expected}"
        )
    )


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _selectors(values: object) -> Result[tuple[FrameSelector, ...], InvalidOption]:
    if isinstance(values, str) or not isinstance(values, list | tuple):
        return _invalid("frame_selectors", values, "expected a list of selector strings")
    parsed: dict[str, FrameSelector] = {}
    for position, value in enumerate(values):
        selector = parse_selector(value, position)
        if isinstance(selector, Failure):
            return selector
        parsed.setdefault(selector.unwrap().text, selector.unwrap())
    return Success(tuple(parsed.values()))


def _stack_times(values: object) -> Result[tuple[float, ...], InvalidOption]:
    if not isinstance(values, list | tuple):
        return _invalid("stack_times_sec", values, "expected a list of times in seconds")
    times: dict[float, None] = {}
    for position, value in enumerate(values):
        if not _is_number(value) or not math.isfinite(value) or value < 0:
            return _invalid(
                "stack_times_sec",
                value,
                f"stack time at position {position} must be a finite, non-negative number of "
                "seconds from the first frame",
            )
        times.setdefault(float(value), None)
    return Success(tuple(times))


def _check_scalars(options: RenderOptions) -> Result[None, InvalidOption]:
    low, high = RENDER_WIDTH_RANGE
    width = options.render_max_width
    if not _is_int(width) or not low <= width <= high:
        return _invalid("render_max_width", width, f"expected whole pixels from {low} to {high}")
    step = options.grid_step_px
    if not _is_int(step) or step < 0:
        return _invalid("grid_step_px", step, "expected whole source pixels, or 0 to draw no grid")
    alpha = options.alpha
    if not _is_number(alpha) or not 0 <= alpha <= 1:
        return _invalid("alpha", alpha, "expected an opacity from 0 (no fill) to 1 (opaque)")
    flags: dict[str, object] = {
        "show_rulers": options.show_rulers,
        "show_crosshair": options.show_crosshair,
        "dry_run": options.dry_run,
        "include_source_sha": options.include_source_sha,
    }
    for field, flag in flags.items():
        if not isinstance(flag, bool):
            return _invalid(field, flag, "expected True or False")
    return Success(None)


def resolve_render_options(options: RenderOptions) -> Result[ResolvedRender, InvalidOption]:
    """Validate ``options``; repeated selectors and stack times are kept once, in order."""
    selectors = _selectors(options.frame_selectors)
    if isinstance(selectors, Failure):
        return selectors
    stack_times = _stack_times(options.stack_times_sec)
    if isinstance(stack_times, Failure):
        return stack_times
    if not selectors.unwrap() and not stack_times.unwrap():
        return _invalid(
            "frame_selectors",
            options.frame_selectors,
            "pass at least one frame selector or stack time, or there is nothing to render",
        )
    scalars = _check_scalars(options)
    if isinstance(scalars, Failure):
        return scalars
    return Success(
        ResolvedRender(
            selectors=selectors.unwrap(),
            stack_times_seconds=stack_times.unwrap(),
            render_max_width=options.render_max_width,
            grid_step_px=options.grid_step_px,
            show_rulers=options.show_rulers,
            show_crosshair=options.show_crosshair,
            alpha=float(options.alpha),
            dry_run=options.dry_run,
            include_source_sha=options.include_source_sha,
        )
    )
