"""Determinism profiles: named bundles of encoder, thread and scaler settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from returns.result import Failure, Result, Success

from cosmos.core.errors import InvalidOption

EncoderPolicy = Literal["pinned-software", "auto-with-fallback", "prefer-hardware"]


@dataclass(frozen=True, slots=True)
class DeterminismProfile:
    """Settings that trade reproducibility against speed, applied across ingest, crop, optimize.

    ``threads`` of ``None`` leaves FFmpeg's automatic choice; ``scale_filter`` of ``None`` keeps
    the operation's default.
    """

    name: str
    encoder_policy: EncoderPolicy
    pinned_encoder: str | None
    threads: int | None
    scale_filter: str | None
    bitexact: bool
    description: str


STRICT = DeterminismProfile(
    name="strict",
    encoder_policy="pinned-software",
    pinned_encoder="libx264",
    threads=4,
    scale_filter="lanczos",
    bitexact=True,
    description="libx264 with 4 threads, lanczos scaling and bitexact flags: byte-identical "
    "output for the same FFmpeg build on any host",
)
BALANCED = DeterminismProfile(
    name="balanced",
    encoder_policy="auto-with-fallback",
    pinned_encoder=None,
    threads=None,
    scale_filter=None,
    bitexact=False,
    description="runtime-probed hardware encoder with libx264 fallback and default settings",
)
THROUGHPUT = DeterminismProfile(
    name="throughput",
    encoder_policy="prefer-hardware",
    pinned_encoder=None,
    threads=None,
    scale_filter="bicubic",
    bitexact=False,
    description="hardware encoders first, faster presets and bicubic scaling",
)
PROFILES: dict[str, DeterminismProfile] = {p.name: p for p in (STRICT, BALANCED, THROUGHPUT)}


def lookup_profile(name: str) -> Result[DeterminismProfile, InvalidOption]:
    """Find a profile by name (case-insensitive)."""
    profile = PROFILES.get(name.strip().lower())
    if profile is None:
        return Failure(
            InvalidOption(
                field="profile",
                value=name,
                message=f"invalid profile {name!r}; supported values are "
                f"{', '.join(sorted(PROFILES))}",
            )
        )
    return Success(profile)


def choose_profile_name(explicit: str | None, environment_value: str | None) -> str | None:
    """Apply the precedence explicit name, then ``COSMOS_PROFILE``; empty strings mean unset."""
    if explicit:
        return explicit
    if environment_value and environment_value.strip():
        return environment_value
    return None
