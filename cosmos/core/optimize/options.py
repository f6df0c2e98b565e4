"""Optimize options: the public Struct and its validation."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import msgspec
from returns.result import Failure, Result, Success

from cosmos.core.encode.profiles import DeterminismProfile, lookup_profile
from cosmos.core.errors import InvalidOption

OptimizeMode = Literal["auto", "remux", "transcode"]
MODES: tuple[str, ...] = ("auto", "remux", "transcode")
DEFAULT_CRF = 23


class OptimizeOptions(msgspec.Struct, frozen=True):
    """Settings of one optimize run.

    ``mode="auto"`` remuxes unless a transform is asked for (``target_height``, ``fps``, ``crf``
    or ``encoder``), then transcodes. ``target_height`` is in pixels (width follows the aspect
    ratio, rounded to even); ``fps`` in frames per second; ``crf`` 0..51 (default 23). An
    ``encoder`` named here is used as is and its failure is an error; without it, hardware
    encoders are probed and ``libx264`` is the fallback. Outputs are
    ``<out_dir>/<stem><suffix>.mp4``; an existing output is an error unless ``force``.
    """

    mode: OptimizeMode = "auto"
    target_height: int | None = None
    fps: float | None = None
    crf: int | None = None
    encoder: str | None = None
    faststart: bool = True
    suffix: str = "_optimized"
    force: bool = False
    dry_run: bool = False
    profile: str | None = None


@dataclass(frozen=True, slots=True)
class ResolvedOptimize:
    """Validated optimize settings; ``mode`` is ``remux`` or ``transcode``."""

    mode: Literal["remux", "transcode"]
    requested_mode: OptimizeMode
    target_height: int | None
    fps: float | None
    crf: int
    crf_given: bool
    encoder: str | None
    faststart: bool
    suffix: str
    force: bool
    dry_run: bool
    profile: DeterminismProfile | None


def _invalid(field: str, value: object, expected: str) -> Failure[InvalidOption]:
    flag = f"--{field.replace('_', '-')}"
    return Failure(
        InvalidOption(
            field=field,
            value=repr(value),
            message=f"invalid {field} (CLI: {flag}) {value!r}; {expected}",
        )
    )


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def resolve_optimize_options(
    options: OptimizeOptions, profile_name: str | None
) -> Result[ResolvedOptimize, InvalidOption]:
    """Validate ``options``, resolve ``auto`` and apply the profile."""
    if options.mode not in MODES:
        return _invalid("mode", options.mode, f"supported values are {', '.join(MODES)}")
    height = options.target_height
    if height is not None and (not _is_int(height) or not 16 <= height <= 8640):
        return _invalid(
            "target_height", height, "expected whole pixels from 16 to 8640, or leave it unset"
        )
    if height is not None and height % 2:
        return _invalid(
            "target_height",
            height,
            f"expected an even height, because the yuv420p output needs one; use {height - 1} "
            f"or {height + 1}",
        )
    fps: object = options.fps
    if fps is not None and (
        isinstance(fps, bool)
        or not isinstance(fps, int | float)
        or not math.isfinite(fps)
        or not 0 < fps <= 1000
    ):
        return _invalid(
            "fps", fps, "expected frames per second above 0 and up to 1000, or leave it unset"
        )
    crf: object = options.crf
    if crf is not None and (not _is_int(crf) or not 0 <= options.crf <= 51):  # type: ignore[operator]
        return _invalid("crf", crf, "expected a whole number from 0 to 51, or leave it unset")
    encoder: object = options.encoder
    if encoder is not None and (not isinstance(encoder, str) or not encoder.strip()):
        return _invalid("encoder", encoder, "expected an FFmpeg encoder name such as libx264")
    suffix: object = options.suffix
    if not isinstance(suffix, str) or "/" in suffix or "\\" in suffix or "\0" in suffix:
        return _invalid("suffix", suffix, "expected text without path separators")
    for flag in ("faststart", "force", "dry_run"):
        if not isinstance(getattr(options, flag), bool):
            return _invalid(flag, getattr(options, flag), "expected True or False")

    transform = [
        name
        for name in ("target_height", "fps", "crf", "encoder")
        if getattr(options, name) is not None
    ]
    if options.mode == "remux" and transform:
        named = ", ".join(f"{name} (CLI: --{name.replace('_', '-')})" for name in transform)
        return _invalid(
            "mode",
            "remux",
            f"remux copies streams, so {named} cannot apply; use mode='transcode' "
            "(CLI: --mode transcode) or mode='auto' (CLI: --mode auto)",
        )
    mode: Literal["remux", "transcode"] = "remux"
    if options.mode == "transcode" or (options.mode == "auto" and transform):
        mode = "transcode"

    profile: DeterminismProfile | None = None
    if profile_name is not None:
        looked_up = lookup_profile(profile_name)
        if isinstance(looked_up, Failure):
            return looked_up
        profile = looked_up.unwrap()

    return Success(
        ResolvedOptimize(
            mode=mode,
            requested_mode=options.mode,
            target_height=height,
            fps=float(options.fps) if options.fps is not None else None,
            crf=options.crf if options.crf is not None else DEFAULT_CRF,
            crf_given=options.crf is not None,
            encoder=options.encoder.strip() if options.encoder else None,
            faststart=options.faststart,
            suffix=options.suffix,
            force=options.force,
            dry_run=options.dry_run,
            profile=profile,
        )
    )
