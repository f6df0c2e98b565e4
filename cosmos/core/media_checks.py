"""Checks of a finished output against what its source declares."""

from __future__ import annotations

from returns.result import Failure, Result, Success

from cosmos.core.errors import ProcessingFailed

# A source may declare a little more length than its video stream gives (audio that runs past
# the video, a container duration rounded up), so only a larger shortfall counts as missing.
ALLOWED_SHORTFALL_SECONDS = 1.0
ALLOWED_SHORTFALL_FRACTION = 0.01


def declared_window_seconds(
    duration_seconds: float | None, start_seconds: float | None, end_seconds: float | None
) -> float | None:
    """Return the length of the window ``[start, end)`` that a source of ``duration_seconds``
    declares.

    A bound of ``None`` means the start or the end of the source. The result is ``None`` when
    the source declares no duration and the window has no end.
    """
    start = start_seconds or 0.0
    if duration_seconds is None:
        return None if end_seconds is None else max(0.0, end_seconds - start)
    stop = duration_seconds if end_seconds is None else min(end_seconds, duration_seconds)
    return max(0.0, stop - start)


def check_output_length(
    source: str,
    declared_seconds: float | None,
    produced_seconds: float | None,
    *,
    window: str = "",
) -> Result[None, ProcessingFailed]:
    """Fail when the output is much shorter than the length its source declares.

    On a file whose index lists more media than the file contains, such as a truncated MP4 with
    its moov atom at the front, FFmpeg copies or encodes what it can read and exits with status
    0. A short output is then the only sign that the source is incomplete. ``source`` names the
    source in the message, and ``window`` (for example ``"from 1.000 s to 6.000 s"``) the part of
    it that the output covers, when that is not the whole source.
    """
    if declared_seconds is None or produced_seconds is None:
        return Success(None)
    allowed = ALLOWED_SHORTFALL_SECONDS + ALLOWED_SHORTFALL_FRACTION * declared_seconds
    if declared_seconds - produced_seconds <= allowed:
        return Success(None)
    return Failure(
        ProcessingFailed(
            value=source,
            message=(
                f"the output is {produced_seconds:.3f} s long, but {source} declares "
                f"{declared_seconds:.3f} s of video{' ' + window if window else ''}: the source "
                "looks truncated, because FFmpeg found only part of the media its index lists; "
                "check or copy the source again, then rerun"
            ),
        )
    )
