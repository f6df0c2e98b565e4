"""Exceptions of the public SDK.

    Exception
     +-- CosmosError
          +-- InvalidOptionError (also ValueError)       an option outside its accepted values
          +-- InvalidInputError (also ValueError)        a missing, empty or unusable input path
          +-- ToolNotFoundError (also FileNotFoundError) ffmpeg, ffprobe or an encoder unusable
          +-- OutputExistsError (also FileExistsError)   an output exists and force is off
          +-- ProcessingError (also RuntimeError)        a media job ran and failed
          +-- CosmosVideoError (also RuntimeError)
               +-- VideoProbeError                        ffprobe could not describe a file
               |    +-- VideoFileNotFoundError (also ValueError)  the path is missing
               |    +-- VideoToolNotFoundError (also ToolNotFoundError)  ffprobe or FFmpeg missing
               +-- VideoDecodeError                       FFmpeg could not decode frames
                    +-- BackendNotInstalledError          the chosen backend's extra is missing

Every message names the value that failed and what to do next; errors from a tool carry its
stderr in ``stderr``.
"""

from __future__ import annotations


class CosmosError(Exception):
    """Base class of every error Cosmos raises on purpose."""

    def __init__(self, message: str, *, stderr: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.stderr = stderr


class InvalidOptionError(CosmosError, ValueError):
    """An option value outside its accepted range or set."""


class InvalidInputError(CosmosError, ValueError):
    """An input path or file that cannot be used."""


class ToolNotFoundError(CosmosError, FileNotFoundError):
    """FFmpeg, ffprobe or a requested encoder is missing or does not work."""


class OutputExistsError(CosmosError, FileExistsError):
    """Outputs already exist and replacing them was not allowed."""


class ProcessingError(CosmosError, RuntimeError):
    """A media job ran and failed."""


class CosmosVideoError(CosmosError, RuntimeError):
    """Base class of probe and decode errors."""


class VideoProbeError(CosmosVideoError):
    """ffprobe could not describe a file as video."""


class VideoDecodeError(CosmosVideoError):
    """FFmpeg could not decode the requested frames."""


class VideoFileNotFoundError(VideoProbeError, ValueError):
    """A video path that does not exist or is not a regular file."""


class VideoToolNotFoundError(VideoProbeError, ToolNotFoundError):
    """ffprobe or FFmpeg is missing or cannot run, so no file could be probed or decoded (CLI
    exit 4, not 3)."""


class BackendNotInstalledError(VideoDecodeError):
    """The decode backend chosen in ``COSMOS_VIDEO_BACKEND`` is not installed."""


__all__ = [
    "BackendNotInstalledError",
    "CosmosError",
    "CosmosVideoError",
    "InvalidInputError",
    "InvalidOptionError",
    "OutputExistsError",
    "ProcessingError",
    "ToolNotFoundError",
    "VideoDecodeError",
    "VideoFileNotFoundError",
    "VideoProbeError",
    "VideoToolNotFoundError",
]
