"""Video probe (and, as the substrate grows, frame extraction) for SDK users.

``probe_video`` runs one ffprobe call and returns :class:`VideoProbe` for the first video stream,
with displayed width and height (a 90 or 270 degree display rotation swaps them).
"""

from __future__ import annotations

from pathlib import Path

from returns.result import Failure

from cosmos.core.errors import ToolUnavailable
from cosmos.core.model.media import VideoProbe
from cosmos.sdk._boundary import unwrap_or_raise
from cosmos.sdk.errors import CosmosVideoError, VideoDecodeError, VideoProbeError
from cosmos.shell.probe import probe_media


def probe_video(path: str | Path) -> VideoProbe:
    """Describe the first video stream of ``path``.

    Raises ``VideoProbeError`` when the file is missing, empty, not a regular file, has no video
    stream or ffprobe fails or times out; the message names the file and quotes ffprobe's stderr.
    A missing ffprobe is a ``VideoProbeError`` as well, naming the variable to set.
    """
    source = Path(path).expanduser()
    result = probe_media(source)
    if isinstance(result, Failure) and isinstance(result.failure(), ToolUnavailable):
        raise VideoProbeError(result.failure().message)
    return unwrap_or_raise(result).probe


__all__ = ["CosmosVideoError", "VideoDecodeError", "VideoProbe", "VideoProbeError", "probe_video"]
