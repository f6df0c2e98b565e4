"""The public Cosmos SDK.

Submodules: :mod:`cosmos.sdk.video` (probe), :mod:`cosmos.sdk.ingest`,
:mod:`cosmos.sdk.provenance`, :mod:`cosmos.sdk.profiles` and :mod:`cosmos.sdk.errors`.
Importing this package loads neither PyAV nor torch.
"""

from cosmos.sdk.errors import (
    CosmosError,
    CosmosVideoError,
    InvalidInputError,
    InvalidOptionError,
    ProcessingError,
    ToolNotFoundError,
    VideoDecodeError,
    VideoProbeError,
)
from cosmos.sdk.ingest import IngestOptions, ingest
from cosmos.sdk.profiles import DeterminismProfile, resolve_profile
from cosmos.sdk.provenance import sha256_file
from cosmos.sdk.video import VideoProbe, probe_video

# TODO: crop, CropJob, optimize, OptimizeOptions and the frame extraction functions join this
# list as those capabilities land.
__all__ = [
    "CosmosError",
    "CosmosVideoError",
    "DeterminismProfile",
    "IngestOptions",
    "InvalidInputError",
    "InvalidOptionError",
    "ProcessingError",
    "ToolNotFoundError",
    "VideoDecodeError",
    "VideoProbe",
    "VideoProbeError",
    "ingest",
    "probe_video",
    "resolve_profile",
    "sha256_file",
]
