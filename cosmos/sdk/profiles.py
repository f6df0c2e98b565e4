"""Determinism profiles: ``strict``, ``balanced`` and ``throughput``."""

from __future__ import annotations

import os

from cosmos.core.encode.profiles import (
    BALANCED,
    PROFILES,
    STRICT,
    THROUGHPUT,
    DeterminismProfile,
    choose_profile_name,
    lookup_profile,
)
from cosmos.sdk._boundary import unwrap_or_raise


def resolve_profile(name: str | None = None) -> DeterminismProfile | None:
    """Return the profile in force: ``name``, else ``COSMOS_PROFILE``, else ``None``.

    An empty ``COSMOS_PROFILE`` means unset. An unknown name raises ``ValueError`` listing the
    valid ones.
    """
    chosen = choose_profile_name(name, os.environ.get("COSMOS_PROFILE"))
    if chosen is None:
        return None
    return unwrap_or_raise(lookup_profile(chosen))


__all__ = [
    "BALANCED",
    "PROFILES",
    "STRICT",
    "THROUGHPUT",
    "DeterminismProfile",
    "resolve_profile",
]
