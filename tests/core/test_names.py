"""Which view ids can name files inside an output folder."""

from __future__ import annotations

import pytest

from cosmos.core.names import MAX_STEM_BYTES, stem_problem


@pytest.mark.parametrize("stem", ["left", "site A cam 1", "vue-été", "a.b", "x" * MAX_STEM_BYTES])
def test_plain_names_pass(stem: str) -> None:
    assert stem_problem(stem) is None


@pytest.mark.parametrize(
    ("stem", "reason"),
    [
        ("", "empty"),
        ("  ", "empty"),
        ("../a", "contains '/'"),
        ("a/b", "contains '/'"),
        ("a\\b", "contains '\\'"),
        ("/tmp/a", "contains '/'"),
        ("..", "is '..'"),
        (".hidden", "starts with '.'"),
        ("a\0b", "NUL"),
        ("é" * 101, "202 bytes long"),
    ],
)
def test_unsafe_names_rejected(stem: str, reason: str) -> None:
    problem = stem_problem(stem)
    assert problem is not None
    assert reason in problem
