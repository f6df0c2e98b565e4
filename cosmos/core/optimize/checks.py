"""Checks of a finished optimize output against its source."""

from __future__ import annotations

from returns.result import Failure, Result, Success

from cosmos.core.errors import ProcessingFailed
from cosmos.core.model.media import MediaFacts

# A source may declare a little more length than its video stream gives (audio that runs past
# the video, a container duration rounded up), so only a larger shortfall counts as missing.
ALLOWED_SHORTFALL_SECONDS = 1.0
ALLOWED_SHORTFALL_FRACTION = 0.01


def check_output_length(source: MediaFacts, output: MediaFacts) -> Result[None, ProcessingFailed]:
    """Fail when the output is much shorter than the length the source declares.

    On a file whose index lists more media than the file contains, such as a truncated MP4 with
    its moov atom at the front, FFmpeg copies or encodes what it can read and exits with status
    0. A short output is then the only sign that the source is incomplete.
    """
    declared = source.probe.duration_seconds
    produced = output.probe.duration_seconds
    if declared is None or produced is None:
        return Success(None)
    allowed = ALLOWED_SHORTFALL_SECONDS + ALLOWED_SHORTFALL_FRACTION * declared
    if declared - produced <= allowed:
        return Success(None)
    path = str(source.probe.source_path)
    return Failure(
        ProcessingFailed(
            value=path,
            message=(
                f"the output is {produced:.3f} s long, but {path} declares {declared:.3f} s of "
                "video: the source looks truncated, because FFmpeg found only part of the "
                "media its index lists; check or copy the source again, then rerun"
            ),
        )
    )
