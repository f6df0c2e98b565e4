"""Render options: defaults, validation messages, and repeated values kept once."""

from __future__ import annotations

import math

import msgspec
import pytest
from returns.result import Failure

from cosmos.core.preview.options import RenderOptions, resolve_render_options


def _options(**fields: object) -> RenderOptions:
    base = RenderOptions(frame_selectors=["start"], stack_times_sec=[0.0])
    return msgspec.structs.replace(base, **fields)


def test_defaults() -> None:
    options = RenderOptions(frame_selectors=["mid"], stack_times_sec=[])
    assert msgspec.structs.asdict(options) == {
        "frame_selectors": ["mid"],
        "stack_times_sec": [],
        "render_max_width": 1600,
        "grid_step_px": 400,
        "show_rulers": True,
        "show_crosshair": True,
        "alpha": 0.25,
        "dry_run": False,
        "include_source_sha": False,
    }


def test_selectors_and_times_required() -> None:
    with pytest.raises(TypeError, match="frame_selectors"):
        RenderOptions()  # type: ignore[call-arg]


# (field, value, expected fragment of the message)
INVALID = [
    ("render_max_width", 0, "expected whole pixels from 160 to 16384"),
    ("render_max_width", 159, "from 160 to 16384"),
    ("render_max_width", 16385, "from 160 to 16384"),
    ("render_max_width", 800.0, "whole pixels"),
    ("render_max_width", True, "whole pixels"),
    ("grid_step_px", -1, "or 0 to draw no grid"),
    ("grid_step_px", 1.5, "whole source pixels"),
    ("grid_step_px", False, "whole source pixels"),
    ("alpha", -0.01, "expected an opacity from 0 (no fill) to 1 (opaque)"),
    ("alpha", 1.01, "opacity from 0"),
    ("alpha", math.nan, "opacity from 0"),
    ("alpha", math.inf, "opacity from 0"),
    ("alpha", "0.5", "opacity from 0"),
    ("alpha", True, "opacity from 0"),
    ("show_rulers", "yes", "expected True or False"),
    ("show_crosshair", 1, "expected True or False"),
    ("dry_run", None, "expected True or False"),
    ("include_source_sha", 0, "expected True or False"),
    ("stack_times_sec", [math.nan], "must be a finite, non-negative number of seconds"),
    ("stack_times_sec", [math.inf], "finite, non-negative"),
    ("stack_times_sec", [1.0, -0.5], "stack time at position 1"),
    ("stack_times_sec", ["1"], "finite, non-negative"),
    ("stack_times_sec", [True], "finite, non-negative"),
    ("stack_times_sec", 1.0, "expected a list of times in seconds"),
    ("frame_selectors", "start", "expected a list of selector strings"),
    ("frame_selectors", ["start", "nan"], "invalid frame selector 'nan' at position 1"),
    ("frame_selectors", ["inf"], "start, mid or end with an optional signed offset"),
    ("frame_selectors", [2.0], "invalid frame selector 2.0 at position 0"),
]


@pytest.mark.parametrize(("field", "value", "expected"), INVALID)
def test_invalid_option(field: str, value: object, expected: str) -> None:
    result = resolve_render_options(_options(**{field: value}))
    assert isinstance(result, Failure)
    error = result.failure()
    assert error.field == field
    assert expected in error.message


def test_nothing_to_render() -> None:
    result = resolve_render_options(_options(frame_selectors=[], stack_times_sec=[]))
    assert isinstance(result, Failure)
    assert "pass at least one frame selector or stack time" in result.failure().message


def test_repeats_kept_once() -> None:
    options = _options(frame_selectors=["mid", " mid", "end", "mid"], stack_times_sec=[1, 0.5, 1.0])
    resolved = resolve_render_options(options).unwrap()
    assert [selector.text for selector in resolved.selectors] == ["mid", "end"]
    assert resolved.stack_times_seconds == (1.0, 0.5)


@pytest.mark.parametrize(("alpha", "width", "step"), [(0, 160, 0), (1, 16384, 1), (0.5, 800, 50)])
def test_limits_accepted(alpha: float, width: int, step: int) -> None:
    options = _options(alpha=alpha, render_max_width=width, grid_step_px=step)
    resolved = resolve_render_options(options).unwrap()
    assert resolved.alpha == alpha
    assert isinstance(resolved.alpha, float)
    assert resolved.render_max_width == width
    assert resolved.grid_step_px == step


def test_only_stack_times() -> None:
    resolved = resolve_render_options(_options(frame_selectors=[], stack_times_sec=[2])).unwrap()
    assert resolved.selectors == ()
    assert resolved.stack_times_seconds == (2.0,)
