"""Frame selectors: grammar, resolution to frames, clamping, and file names."""

from __future__ import annotations

import itertools

import pytest
from returns.result import Failure

from cosmos.core.crop.plan import TrimWindow
from cosmos.core.preview.selectors import (
    SELECTOR_GRAMMAR,
    ViewWindow,
    clamp_time,
    parse_selector,
    resolve_targets,
    selector_file_token,
    selector_target,
    time_file_token,
    view_window,
    window_warning,
)
from tests.core.preview_fixtures import make_index

# (text, anchor, offset in seconds)
VALID = [
    ("start", "start", 0.0),
    ("mid", "mid", 0.0),
    ("end", "end", 0.0),
    ("start+2", "start", 2.0),
    ("end-0.5", "end", -0.5),
    ("mid+.25", "mid", 0.25),
    ("end-3.", "end", -3.0),
    ("12.5", None, 12.5),
    ("0", None, 0.0),
    (".5", None, 0.5),
    ("  mid-1  ", "mid", -1.0),
]

INVALID = [
    "nan",
    "inf",
    "-inf",
    "NaN",
    "",
    "   ",
    "START",
    "start+",
    "start+-1",
    "end--1",
    "mid*2",
    "middle",
    "1e3",
    "-1",
    "+1",
    "12.5s",
    "start + 2",
    "start+nan",
    "end-inf",
    "1" * 400,
    "start+" + "9" * 400,
]


@pytest.mark.parametrize(("text", "anchor", "offset"), VALID)
def test_selector_parses(text: str, anchor: str | None, offset: float) -> None:
    selector = parse_selector(text).unwrap()
    assert selector.anchor == anchor
    assert selector.offset_seconds == offset
    assert selector.text == text.strip()


@pytest.mark.parametrize("text", INVALID)
def test_selector_rejected(text: str) -> None:
    result = parse_selector(text, 3)
    assert isinstance(result, Failure)
    error = result.failure()
    assert error.field == "frame_selectors"
    assert f"invalid frame selector {text!r} at position 3" in error.message
    assert SELECTOR_GRAMMAR in error.message


@pytest.mark.parametrize("value", [None, 2.5, 3, b"start", ["start"]])
def test_selector_not_text(value: object) -> None:
    result = parse_selector(value)
    assert isinstance(result, Failure)
    assert SELECTOR_GRAMMAR in result.failure().message


WHOLE = ViewWindow(0, 49)
TRIMMED = ViewWindow(12, 36)  # trim 0.5 s to 1.5 s at 25 fps: frames 12 to 36

# (selector, window, expected frame index, expected warning fragment or None)
RESOLVE = [
    ("start", WHOLE, 0, None),
    ("mid", WHOLE, 24, None),
    ("end", WHOLE, 49, None),
    ("end-0.5", WHOLE, 36, None),
    ("start+1", WHOLE, 25, None),
    ("2.0", WHOLE, 49, None),
    ("1.99", WHOLE, 49, None),
    ("0.03", WHOLE, 0, None),
    ("0.04", WHOLE, 1, None),
    ("5", WHOLE, 49, "after the end of the clip (2.000 s); showing the last frame (1.960 s)"),
    ("end+1", WHOLE, 49, "after the end of the clip"),
    ("start-1", WHOLE, 0, "before the first frame; showing the first frame (0.000 s)"),
    ("start", TRIMMED, 12, None),
    ("mid", TRIMMED, 24, None),
    ("end", TRIMMED, 36, None),
    ("end-0.2", TRIMMED, 31, None),
    ("start-0.1", TRIMMED, 9, None),
    ("2.0", TRIMMED, 49, None),
]


@pytest.mark.parametrize(("text", "window", "frame", "warning"), RESOLVE)
def test_selector_resolves(text: str, window: ViewWindow, frame: int, warning: str | None) -> None:
    index = make_index()
    selector = parse_selector(text).unwrap()
    target = selector_target(selector, window, index, "v1")
    (resolved,) = resolve_targets([target], index, "clip.mp4")
    assert resolved.frame_index == frame
    assert resolved.seconds == pytest.approx(frame / 25)
    if warning is None:
        assert resolved.warnings == ()
    else:
        (message,) = resolved.warnings
        assert warning in message
        assert f"frame {text} of view v1" in message


def test_end_is_last_frame_start() -> None:
    # The last frame lasts 0.2 s, so the duration (2.16 s) lies well past its start (1.96 s).
    index = make_index(last_frame_ticks=2560)
    target = selector_target(parse_selector("end").unwrap(), WHOLE, index, "v1")
    assert target.clamped_seconds == pytest.approx(1.96)
    (resolved,) = resolve_targets([target], index, "clip.mp4")
    assert resolved.frame_index == 49
    assert resolved.warnings == ()


def test_selector_outside_trim_warns() -> None:
    index = make_index()
    target = selector_target(parse_selector("start-0.1").unwrap(), TRIMMED, index, "v1")
    (resolved,) = resolve_targets([target], index, "clip.mp4")
    warning = window_warning(resolved, TRIMMED, index, "v1")
    assert warning is not None
    assert "outside the trim of view v1 (0.480 s to 1.440 s)" in warning
    inside = resolve_targets(
        [selector_target(parse_selector("mid").unwrap(), TRIMMED, index, "v1")], index, "c"
    )
    assert window_warning(inside[0], TRIMMED, index, "v1") is None


def test_stack_time_clamped() -> None:
    index = make_index()
    target = clamp_time(9.0, index, "stack time 9 s")
    assert target.clamped_seconds == pytest.approx(1.96)
    assert target.requested_seconds == 9.0
    assert target.warnings[0].startswith("stack time 9 s is 9.000 s, after the end of the clip")


# (trim, frame count, expected window)
WINDOWS = [
    (TrimWindow(None, None, 0), 50, ViewWindow(0, 49)),
    (TrimWindow(0.46, 25, 12), 50, ViewWindow(12, 36)),
    (TrimWindow(1.9, 40, 48), 50, ViewWindow(48, 49)),
    (TrimWindow(None, 10, 0), 50, ViewWindow(0, 9)),
    (TrimWindow(None, None, 60), 50, ViewWindow(49, 49)),
]


@pytest.mark.parametrize(("trim", "frame_count", "expected"), WINDOWS)
def test_view_window(trim: TrimWindow, frame_count: int, expected: ViewWindow) -> None:
    assert view_window(trim, frame_count) == expected


FILE_TOKENS = [
    ("start", "start"),
    ("mid", "mid"),
    ("end-0.5", "end_minus_0_dot_5"),
    ("end+0.5", "end_plus_0_dot_5"),
    ("start+2", "start_plus_2"),
    ("12.5", "12_dot_5"),
    ("125", "125"),
    (".5", "_dot_5"),
    ("a_b", "a_u005f_b"),
    ("a/b", "a_u002f_b"),
]


@pytest.mark.parametrize(("text", "token"), FILE_TOKENS)
def test_selector_file_token(text: str, token: str) -> None:
    assert selector_file_token(text) == token


def test_punctuation_gives_distinct_names() -> None:
    texts = [
        "end-0.5",
        "end+0.5",
        "end-05",
        "end+05",
        "end-0.05",
        "12.5",
        "125",
        "1.25",
        "12.",
        ".125",
    ]
    tokens = [selector_file_token(text) for text in texts]
    assert len(set(tokens)) == len(texts)


def test_file_tokens_injective() -> None:
    alphabet = "ab1_+-./"
    texts = ["".join(chars) for n in range(1, 5) for chars in itertools.product(alphabet, repeat=n)]
    tokens = {selector_file_token(text) for text in texts}
    assert len(tokens) == len(texts)


@pytest.mark.parametrize(
    ("seconds", "token"),
    [(0.0, "t_0000.000"), (2.5, "t_0002.500"), (12.04, "t_0012.040"), (3725.1234, "t_3725.123")],
)
def test_time_file_token(seconds: float, token: str) -> None:
    assert time_file_token(seconds) == token
