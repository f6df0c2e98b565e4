"""Frame selectors: their grammar, the frame each one shows for a view, and their file names.

A selector is ``start``, ``mid`` or ``end`` with an optional signed offset in seconds
(``start+2``, ``end-0.5``), or a time in seconds from the first frame (``12.5``). Anchors lie in
a view's trim window: its first frame, the middle between its first and last frame, and its last
frame. ``end`` is the start of the last frame, so it always names a frame that exists. A time
before the first frame or after the end of the clip is clamped to the first or last frame, with
a warning.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from returns.result import Failure, Result, Success

from cosmos.core.crop.plan import TrimWindow
from cosmos.core.errors import InvalidOption
from cosmos.core.ffmpeg.timeline import PacketIndex
from cosmos.core.video.requests import indices_for_times

Anchor = Literal["start", "mid", "end"]

SELECTOR_GRAMMAR = (
    "expected start, mid or end with an optional signed offset in seconds (start+2, end-0.5), "
    "or a time in seconds from the first frame (12.5)"
)
_ANCHORS: dict[str, Anchor] = {"start": "start", "mid": "mid", "end": "end"}
_NUMBER = r"(?:\d+(?:\.\d*)?|\.\d+)"
_SELECTOR = re.compile(
    rf"(?P<anchor>start|mid|end)(?:(?P<sign>[+-])(?P<offset>{_NUMBER}))?|(?P<time>{_NUMBER})"
)
# Words that replace the punctuation of valid selectors in file names. Any other character that
# is not an ASCII letter or digit becomes its code point.
_FILE_NAME_WORDS = {"+": "plus", "-": "minus", ".": "dot"}


@dataclass(frozen=True, slots=True)
class FrameSelector:
    """A parsed selector: ``anchor`` plus ``offset_seconds``, or, without anchor, a time."""

    text: str
    anchor: Anchor | None
    offset_seconds: float


@dataclass(frozen=True, slots=True)
class TargetTime:
    """The time a selector or stack time requests, and the time shown after clamping."""

    requested_seconds: float
    clamped_seconds: float
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ResolvedTime:
    """The frame shown for a target: its index and its start in seconds from the first frame."""

    requested_seconds: float
    frame_index: int
    seconds: float
    warnings: tuple[str, ...]


def _invalid_selector(value: object, position: int) -> Failure[InvalidOption]:
    return Failure(
        InvalidOption(
            field="frame_selectors",
            value=repr(value),
            message=f"invalid frame selector {value!r} at position {position}; {SELECTOR_GRAMMAR}",
        )
    )


def parse_selector(value: object, position: int = 0) -> Result[FrameSelector, InvalidOption]:
    """Parse one selector; ``nan``, ``inf``, exponents and any other text are rejected."""
    if not isinstance(value, str):
        return _invalid_selector(value, position)
    text = value.strip()
    match = _SELECTOR.fullmatch(text)
    if match is None:
        return _invalid_selector(value, position)
    if match["time"] is not None:
        seconds = float(match["time"])
        if not math.isfinite(seconds):
            return _invalid_selector(value, position)
        return Success(FrameSelector(text=text, anchor=None, offset_seconds=seconds))
    offset = float(match["offset"]) if match["offset"] is not None else 0.0
    if not math.isfinite(offset):
        return _invalid_selector(value, position)
    return Success(
        FrameSelector(
            text=text,
            anchor=_ANCHORS[match["anchor"]],
            offset_seconds=-offset if match["sign"] == "-" else offset,
        )
    )


def selector_file_token(text: str) -> str:
    """Turn selector text into a file-name part, so distinct selectors get distinct names.

    Letters and digits stay. Every other character becomes a word between underscores
    (``end-0.5`` is ``end_minus_0_dot_5``), and an underscore always opens such a word, so the
    mapping can be reversed and two selectors never share a name.
    """
    parts: list[str] = []
    for character in text:
        if character.isascii() and character.isalnum():
            parts.append(character)
        else:
            word = _FILE_NAME_WORDS.get(character, f"u{ord(character):04x}")
            parts.append(f"_{word}_")
    return "".join(parts)


def time_file_token(seconds: float) -> str:
    """Name a frame time in files: ``t_0012.500`` (seconds, three decimals, zero padded)."""
    return f"t_{seconds:08.3f}"


@dataclass(frozen=True, slots=True)
class ViewWindow:
    """The first and last frame index a view's crop run keeps."""

    first_index: int
    last_index: int


def view_window(trim: TrimWindow, frame_count: int) -> ViewWindow:
    """Return the frames a trim keeps; without an end it runs to the last frame of the clip."""
    first = min(trim.first_index, frame_count - 1)
    if trim.frame_count is None:
        return ViewWindow(first, frame_count - 1)
    return ViewWindow(first, min(frame_count - 1, first + max(1, trim.frame_count) - 1))


def _anchor_seconds(anchor: Anchor, window: ViewWindow, index: PacketIndex) -> float:
    # ``end`` is the last frame's start, never the duration, so the frame it names exists.
    start = index.seconds_from_first(window.first_index)
    end = index.seconds_from_first(window.last_index)
    if anchor == "start":
        return start
    if anchor == "end":
        return end
    return (start + end) / 2


def clamp_time(seconds: float, index: PacketIndex, subject: str) -> TargetTime:
    """Clamp ``seconds`` into the clip, with a warning naming ``subject`` when it moves."""
    last = index.seconds_from_first(index.frame_count - 1)
    if seconds < 0:
        warning = (
            f"{subject} is {seconds:.3f} s, before the first frame; showing the first frame "
            "(0.000 s)"
        )
        return TargetTime(seconds, 0.0, (warning,))
    if seconds > index.duration_seconds + 1e-9:
        warning = (
            f"{subject} is {seconds:.3f} s, after the end of the clip "
            f"({index.duration_seconds:.3f} s); showing the last frame ({last:.3f} s)"
        )
        return TargetTime(seconds, last, (warning,))
    return TargetTime(seconds, seconds, ())


def selector_target(
    selector: FrameSelector, window: ViewWindow, index: PacketIndex, view_label: str
) -> TargetTime:
    """Compute the time ``selector`` requests in the view's window, clamped into the clip."""
    if selector.anchor is None:
        seconds = selector.offset_seconds
    else:
        seconds = _anchor_seconds(selector.anchor, window, index) + selector.offset_seconds
    return clamp_time(seconds, index, f"frame {selector.text} of view {view_label}")


def resolve_targets(
    targets: Sequence[TargetTime], index: PacketIndex, source: str
) -> tuple[ResolvedTime, ...]:
    """Map each clamped target to the frame displayed at it, in one pass over the index."""
    mapped = indices_for_times([target.clamped_seconds for target in targets], index, source)
    # clamp_time keeps every time at or before the duration, so the mapping cannot fail and the
    # fallback only satisfies the type.
    frames = mapped.value_or(tuple(index.frame_count - 1 for _ in targets))
    return tuple(
        ResolvedTime(
            requested_seconds=target.requested_seconds,
            frame_index=frame,
            seconds=index.seconds_from_first(frame),
            warnings=target.warnings,
        )
        for target, frame in zip(targets, frames, strict=True)
    )


def window_warning(
    resolved: ResolvedTime, window: ViewWindow, index: PacketIndex, view_label: str
) -> str | None:
    """Warn when a frame lies outside the frames the view's crop run keeps."""
    if window.first_index <= resolved.frame_index <= window.last_index:
        return None
    first = index.seconds_from_first(window.first_index)
    last = index.seconds_from_first(window.last_index)
    return (
        f"frame {resolved.frame_index} ({resolved.seconds:.3f} s) lies outside the trim of view "
        f"{view_label} ({first:.3f} s to {last:.3f} s); the crop run does not keep it"
    )
