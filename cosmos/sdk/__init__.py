"""The public Cosmos SDK.

Submodules: :mod:`cosmos.sdk.video` (probe and frame extraction), :mod:`cosmos.sdk.ingest`,
:mod:`cosmos.sdk.provenance`, :mod:`cosmos.sdk.profiles` and :mod:`cosmos.sdk.errors`.
Names below load on first use, so ``import cosmos.sdk`` stays fast and loads neither PyAV nor
torch.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cosmos.sdk.crop import CropJob, RectCropJob, crop
    from cosmos.sdk.errors import (
        BackendNotInstalledError,
        CosmosError,
        CosmosVideoError,
        InvalidInputError,
        InvalidOptionError,
        OutputExistsError,
        ProcessingError,
        ToolNotFoundError,
        VideoDecodeError,
        VideoFileNotFoundError,
        VideoProbeError,
    )
    from cosmos.sdk.ingest import IngestOptions, ingest
    from cosmos.sdk.optimize import OptimizeOptions, optimize
    from cosmos.sdk.profiles import DeterminismProfile, resolve_profile
    from cosmos.sdk.provenance import sha256_file
    from cosmos.sdk.video import (
        RgbFrame,
        VideoFrameTimeline,
        VideoProbe,
        extract_frames_at_indices,
        extract_frames_at_times,
        probe_video,
        probe_video_timeline,
    )

# The module of each public name.
_EXPORTS: dict[str, str] = {
    "BackendNotInstalledError": "cosmos.sdk.errors",
    "CosmosError": "cosmos.sdk.errors",
    "CosmosVideoError": "cosmos.sdk.errors",
    "CropJob": "cosmos.sdk.crop",
    "DeterminismProfile": "cosmos.sdk.profiles",
    "IngestOptions": "cosmos.sdk.ingest",
    "InvalidInputError": "cosmos.sdk.errors",
    "InvalidOptionError": "cosmos.sdk.errors",
    "OptimizeOptions": "cosmos.sdk.optimize",
    "OutputExistsError": "cosmos.sdk.errors",
    "ProcessingError": "cosmos.sdk.errors",
    "RectCropJob": "cosmos.sdk.crop",
    "RgbFrame": "cosmos.sdk.video",
    "ToolNotFoundError": "cosmos.sdk.errors",
    "VideoDecodeError": "cosmos.sdk.errors",
    "VideoFileNotFoundError": "cosmos.sdk.errors",
    "VideoFrameTimeline": "cosmos.sdk.video",
    "VideoProbe": "cosmos.sdk.video",
    "VideoProbeError": "cosmos.sdk.errors",
    "crop": "cosmos.sdk.crop",
    "extract_frames_at_indices": "cosmos.sdk.video",
    "extract_frames_at_times": "cosmos.sdk.video",
    "ingest": "cosmos.sdk.ingest",
    "optimize": "cosmos.sdk.optimize",
    "probe_video": "cosmos.sdk.video",
    "probe_video_timeline": "cosmos.sdk.video",
    "resolve_profile": "cosmos.sdk.profiles",
    "sha256_file": "cosmos.sdk.provenance",
}

__all__ = [
    "BackendNotInstalledError",
    "CosmosError",
    "CosmosVideoError",
    "CropJob",
    "DeterminismProfile",
    "IngestOptions",
    "InvalidInputError",
    "InvalidOptionError",
    "OptimizeOptions",
    "OutputExistsError",
    "ProcessingError",
    "RectCropJob",
    "RgbFrame",
    "ToolNotFoundError",
    "VideoDecodeError",
    "VideoFileNotFoundError",
    "VideoFrameTimeline",
    "VideoProbe",
    "VideoProbeError",
    "crop",
    "extract_frames_at_indices",
    "extract_frames_at_times",
    "ingest",
    "optimize",
    "probe_video",
    "probe_video_timeline",
    "resolve_profile",
    "sha256_file",
]


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'cosmos.sdk' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Namespace(types.ModuleType):
    """The ``cosmos.sdk`` module, keeping ``cosmos.sdk.ingest`` bound to the function.

    Importing the submodule ``cosmos.sdk.ingest`` makes Python set the package attribute of the
    same name to the submodule, which would make ``from cosmos.sdk import ingest`` return a
    module whenever the submodule was imported first. The function is bound instead.
    """

    def __setattr__(self, name: str, value: object) -> None:
        if isinstance(value, types.ModuleType) and _EXPORTS.get(name) == f"{__name__}.{name}":
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Namespace
