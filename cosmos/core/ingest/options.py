"""Ingest options: the public Struct and its validation into resolved settings."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import msgspec
from returns.result import Failure, Result, Success

from cosmos.core.encode.policy import QualityMode
from cosmos.core.encode.profiles import DeterminismProfile, lookup_profile
from cosmos.core.errors import InvalidOption

ScaleFilter = Literal["lanczos", "spline36", "bicubic", "bilinear"]
DecodeMode = Literal["auto", "hw", "sw"]
AdapterName = Literal["cosm", "generic-media"]

QUALITY_MODES: tuple[str, ...] = ("speed", "balanced", "quality")
SCALE_FILTERS: tuple[str, ...] = ("lanczos", "spline36", "bicubic", "bilinear")
DECODE_MODES: tuple[str, ...] = ("auto", "hw", "sw")
ADAPTERS: tuple[str, ...] = ("cosm", "generic-media")
DEFAULT_CRF: dict[str, int] = {"quality": 18, "balanced": 23, "speed": 28}
MIN_DIMENSION = 16
MAX_DIMENSION = 16384


class IngestOptions(msgspec.Struct, frozen=True):
    """Settings of one ingest run.

    ``width`` and ``height`` (pixels) bound the output: each clip fits inside the box keeping its
    display aspect ratio, and a smaller source is not upscaled unless ``allow_upscale`` is set;
    a COSM clip is scaled to exactly ``width`` x ``height``.
    ``crf`` of ``None`` takes the quality mode's default (quality 18, balanced 23, speed 28);
    ``scale_filter`` of ``None`` takes lanczos for the quality mode, else bicubic (a profile's
    scaler wins over that default). ``window_seconds`` processes only the first N seconds of each
    clip. ``adapter`` of ``None`` detects the layout from the folder. ``profile`` names a
    determinism profile (``strict``, ``balanced``, ``throughput``); ``None`` falls back to the
    ``COSMOS_PROFILE`` environment variable. ``allow_partial`` encodes a COSM clip whose
    second folders are partly missing or damaged, leaving their frames out; without it such a
    clip is skipped with the findings in the run document. ``force`` replaces clips and
    sidecars that already exist in the output folder; without it a run that would replace one
    stops before any work.
    """

    width: int = 3840
    height: int = 2160
    quality_mode: QualityMode = "balanced"
    low_memory: bool = False
    crf: int | None = None
    dry_run: bool = False
    clips: list[str] | None = None
    scale_filter: ScaleFilter | None = None
    filter_threads: int | None = None
    filter_complex_threads: int | None = None
    decode: DecodeMode = "auto"
    window_seconds: float | None = None
    adapter: AdapterName | None = None
    profile: str | None = None
    allow_upscale: bool = False
    allow_partial: bool = False
    force: bool = False


@dataclass(frozen=True, slots=True)
class ResolvedIngest:
    """Validated ingest settings with every default and profile rule applied."""

    width: int
    height: int
    quality_mode: QualityMode
    low_memory: bool
    crf: int
    dry_run: bool
    clips: tuple[str, ...] | None
    scale_filter: str
    filter_threads: int | None
    filter_complex_threads: int | None
    decode: DecodeMode
    window_seconds: float | None
    adapter: AdapterName | None
    profile: DeterminismProfile | None
    allow_upscale: bool
    allow_partial: bool
    force: bool


# CLI flags whose names differ from the option's field; the others are --<field with dashes>.
CLI_FLAGS: dict[str, str] = {
    "quality_mode": "--quality",
    "filter_complex_threads": "--fc-threads",
    "window_seconds": "--window",
    "clips": "--clip",
    "allow_upscale": "--upscale",
}


def _invalid(field: str, value: object, expected: str) -> Failure[InvalidOption]:
    flag = CLI_FLAGS.get(field, f"--{field.replace('_', '-')}")
    return Failure(
        InvalidOption(
            field=field,
            value=repr(value),
            message=f"invalid {field} (CLI: {flag}) {value!r}; {expected}",
        )
    )


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _choice(field: str, value: object, choices: tuple[str, ...]) -> Failure[InvalidOption] | None:
    if value not in choices:
        return _invalid(field, value, f"supported values are {', '.join(choices)}")
    return None


def _optional_positive_int(field: str, value: object) -> Failure[InvalidOption] | None:
    if value is not None and (not _is_int(value) or value <= 0):  # type: ignore[operator]
        return _invalid(field, value, "expected a positive whole number, or leave it unset")
    return None


def _first_problem(options: IngestOptions) -> Failure[InvalidOption] | None:
    for field in ("width", "height"):
        value = getattr(options, field)
        if not _is_int(value) or not MIN_DIMENSION <= value <= MAX_DIMENSION:
            return _invalid(
                field,
                value,
                f"expected a whole number of pixels from {MIN_DIMENSION} to {MAX_DIMENSION}",
            )
    checks = (
        _choice("quality_mode", options.quality_mode, QUALITY_MODES),
        _choice("decode", options.decode, DECODE_MODES),
        _optional_positive_int("filter_threads", options.filter_threads),
        _optional_positive_int("filter_complex_threads", options.filter_complex_threads),
    )
    for problem in checks:
        if problem is not None:
            return problem
    if options.scale_filter is not None and options.scale_filter not in SCALE_FILTERS:
        return _invalid(
            "scale_filter", options.scale_filter, f"supported values are {', '.join(SCALE_FILTERS)}"
        )
    if options.adapter is not None and options.adapter not in ADAPTERS:
        return _invalid("adapter", options.adapter, f"supported values are {', '.join(ADAPTERS)}")
    if options.crf is not None and (not _is_int(options.crf) or not 0 <= options.crf <= 51):
        return _invalid("crf", options.crf, "expected a whole number from 0 to 51")
    window = options.window_seconds
    if window is not None and (
        isinstance(window, bool)
        or not isinstance(window, int | float)
        or not math.isfinite(window)
        or window <= 0
    ):
        return _invalid(
            "window_seconds", window, "expected a positive number of seconds, or leave it unset"
        )
    clips: object = options.clips
    if clips is not None:
        if isinstance(clips, str) or not isinstance(clips, list | tuple) or not clips:
            return _invalid(
                "clips", clips, "expected a non-empty list of clip names, or leave it unset"
            )
        for name in clips:
            if not isinstance(name, str) or not name.strip():
                return _invalid("clips", clips, "every clip name must be a non-empty string")
    for flag in ("low_memory", "dry_run", "allow_upscale", "allow_partial", "force"):
        if not isinstance(getattr(options, flag), bool):
            return _invalid(flag, getattr(options, flag), "expected True or False")
    return None


def resolve_ingest_options(
    options: IngestOptions, profile_name: str | None
) -> Result[ResolvedIngest, InvalidOption]:
    """Validate ``options`` and apply defaults; ``profile_name`` is the name already chosen
    between ``options.profile`` and the environment."""
    problem = _first_problem(options)
    if problem is not None:
        return problem

    profile: DeterminismProfile | None = None
    if profile_name is not None:
        looked_up = lookup_profile(profile_name)
        if isinstance(looked_up, Failure):
            return looked_up
        profile = looked_up.unwrap()

    scale_filter = options.scale_filter
    if scale_filter is None and profile is not None:
        scale_filter = profile.scale_filter  # type: ignore[assignment]
    if scale_filter is None:
        scale_filter = "lanczos" if options.quality_mode == "quality" else "bicubic"

    return Success(
        ResolvedIngest(
            width=options.width,
            height=options.height,
            quality_mode=options.quality_mode,
            low_memory=options.low_memory,
            crf=options.crf if options.crf is not None else DEFAULT_CRF[options.quality_mode],
            dry_run=options.dry_run,
            clips=tuple(options.clips) if options.clips is not None else None,
            scale_filter=scale_filter,
            filter_threads=options.filter_threads,
            filter_complex_threads=options.filter_complex_threads,
            decode=options.decode,
            window_seconds=float(options.window_seconds)
            if options.window_seconds is not None
            else None,
            adapter=options.adapter,
            profile=profile,
            allow_upscale=options.allow_upscale,
            allow_partial=options.allow_partial,
            force=options.force,
        )
    )
