"""The output length check: the declared window and the allowed shortfall."""

from __future__ import annotations

import pytest
from returns.result import Failure, Success

from cosmos.core.media_checks import check_output_length, declared_window_seconds


@pytest.mark.parametrize(
    ("duration", "start", "end", "expected"),
    [
        (7.0, None, None, 7.0),
        (7.0, 1.0, None, 6.0),
        (7.0, 1.0, 6.0, 5.0),
        (7.0, 2.0, 100.0, 5.0),
        (7.0, 9.0, None, 0.0),
        (None, 1.0, 3.0, 2.0),
        (None, 1.0, None, None),
    ],
)
def test_declared_window_seconds(
    duration: float | None, start: float | None, end: float | None, expected: float | None
) -> None:
    assert declared_window_seconds(duration, start, end) == expected


def test_short_output_fails_with_window() -> None:
    result = check_output_length("in.mp4", 5.0, 1.16, window="from 1.000 s to 6.000 s")
    assert isinstance(result, Failure)
    message = result.failure().message
    assert "in.mp4 declares 5.000 s of video from 1.000 s to 6.000 s:" in message
    assert "looks truncated" in message


@pytest.mark.parametrize(
    ("declared", "produced"), [(100.0, 98.0), (7.0, 5.95), (None, 1.0), (7.0, None)]
)
def test_small_shortfall_passes(declared: float | None, produced: float | None) -> None:
    assert check_output_length("in.mp4", declared, produced) == Success(None)


def test_shortfall_just_over_limit_fails() -> None:
    # 1 s plus 1% of 100 s is allowed, so 2.01 s short is not.
    assert isinstance(check_output_length("in.mp4", 100.0, 97.98), Failure)
