"""Validation of ingest options and the defaults applied to them."""

from __future__ import annotations

import math

import msgspec
import pytest
from returns.pipeline import is_successful

from cosmos.core.encode.profiles import choose_profile_name, lookup_profile
from cosmos.core.errors import InvalidOption
from cosmos.core.ingest.options import IngestOptions, ResolvedIngest, resolve_ingest_options


def _resolve(options: IngestOptions, profile: str | None = None) -> ResolvedIngest:
    result = resolve_ingest_options(options, profile)
    assert is_successful(result), result
    return result.unwrap()


def _invalid(options: IngestOptions, profile: str | None = None) -> InvalidOption:
    result = resolve_ingest_options(options, profile)
    assert not is_successful(result), result
    return result.failure()


# (field, invalid value). Each is set alone on otherwise default options.
INVALID_FIELDS: list[tuple[str, object]] = [
    ("width", 8),
    ("width", 16385),
    ("width", True),
    ("width", 1920.0),
    ("height", 0),
    ("height", "1080"),
    ("quality_mode", "fast"),
    ("decode", "gpu"),
    ("filter_threads", 0),
    ("filter_threads", 2.5),
    ("filter_complex_threads", -1),
    ("scale_filter", "nearest"),
    ("adapter", "cosm2"),
    ("crf", 52),
    ("crf", -1),
    ("crf", False),
    ("window_seconds", 0),
    ("window_seconds", -2.0),
    ("window_seconds", math.nan),
    ("window_seconds", math.inf),
    ("window_seconds", True),
    ("window_seconds", "10"),
    ("clips", []),
    ("clips", "CLIP1"),
    ("clips", [""]),
    ("clips", ["ok", 3]),
    ("low_memory", "yes"),
    ("dry_run", 1),
    ("allow_upscale", None),
]


@pytest.mark.parametrize(
    ("field", "value"), INVALID_FIELDS, ids=[f"{f}={v!r}" for f, v in INVALID_FIELDS]
)
def test_invalid_field(field: str, value: object) -> None:
    options = msgspec.structs.replace(IngestOptions(), **{field: value})
    error = _invalid(options)
    assert error.field == field
    assert error.value == repr(value)
    assert field in error.message
    assert repr(value) in error.message


@pytest.mark.parametrize(
    ("field", "accepted"),
    [
        ("quality_mode", "speed, balanced, quality"),
        ("decode", "auto, hw, sw"),
        ("scale_filter", "lanczos, spline36, bicubic, bilinear"),
        ("adapter", "cosm, generic-media"),
    ],
)
def test_invalid_choice_lists_accepted(field: str, accepted: str) -> None:
    error = _invalid(msgspec.structs.replace(IngestOptions(), **{field: "bogus"}))
    assert accepted in error.message


def test_invalid_profile() -> None:
    error = _invalid(IngestOptions(), "fastest")
    assert error.field == "profile"
    assert "'fastest'" in error.message
    assert "balanced, strict, throughput" in error.message


def test_first_invalid_field_reported() -> None:
    error = _invalid(IngestOptions(width=1, crf=99))
    assert error.field == "width"


def test_defaults_resolved() -> None:
    resolved = _resolve(IngestOptions())
    assert (resolved.width, resolved.height) == (3840, 2160)
    assert resolved.crf == 23
    assert resolved.scale_filter == "bicubic"
    assert resolved.decode == "auto"
    assert resolved.profile is None
    assert resolved.clips is None
    assert not resolved.allow_upscale


@pytest.mark.parametrize(("mode", "crf"), [("quality", 18), ("balanced", 23), ("speed", 28)])
def test_default_crf_by_mode(mode: str, crf: int) -> None:
    options = msgspec.structs.replace(IngestOptions(), quality_mode=mode)
    assert _resolve(options).crf == crf


def test_explicit_crf_wins() -> None:
    assert _resolve(IngestOptions(quality_mode="quality", crf=30)).crf == 30


def test_crf_zero_accepted() -> None:
    assert _resolve(IngestOptions(crf=0)).crf == 0


@pytest.mark.parametrize(
    ("mode", "scale_filter"),
    [("quality", "lanczos"), ("balanced", "bicubic"), ("speed", "bicubic")],
)
def test_default_scaler_by_mode(mode: str, scale_filter: str) -> None:
    options = msgspec.structs.replace(IngestOptions(), quality_mode=mode)
    assert _resolve(options).scale_filter == scale_filter


@pytest.mark.parametrize(
    ("profile", "mode", "scale_filter"),
    [
        ("strict", "balanced", "lanczos"),
        ("throughput", "quality", "bicubic"),
        ("balanced", "quality", "lanczos"),
        ("balanced", "speed", "bicubic"),
    ],
)
def test_profile_scaler(profile: str, mode: str, scale_filter: str) -> None:
    options = msgspec.structs.replace(IngestOptions(), quality_mode=mode)
    assert _resolve(options, profile).scale_filter == scale_filter


def test_explicit_scaler_beats_profile() -> None:
    resolved = _resolve(IngestOptions(scale_filter="spline36"), "strict")
    assert resolved.scale_filter == "spline36"


def test_profile_name_case_insensitive() -> None:
    resolved = _resolve(IngestOptions(), " Strict ")
    assert resolved.profile is not None
    assert resolved.profile.name == "strict"


def test_clips_kept_in_order() -> None:
    assert _resolve(IngestOptions(clips=["b", "A"])).clips == ("b", "A")


def test_window_becomes_float() -> None:
    window = _resolve(msgspec.structs.replace(IngestOptions(), window_seconds=3)).window_seconds
    assert isinstance(window, float)
    assert window == 3.0


@pytest.mark.parametrize(
    ("explicit", "environment", "expected"),
    [
        ("strict", "throughput", "strict"),
        (None, "throughput", "throughput"),
        ("", "throughput", "throughput"),
        (None, "", None),
        (None, "   ", None),
        (None, None, None),
    ],
)
def test_choose_profile_name(
    explicit: str | None, environment: str | None, expected: str | None
) -> None:
    assert choose_profile_name(explicit, environment) == expected


def test_lookup_profile_strict() -> None:
    profile = lookup_profile("strict").unwrap()
    assert profile.pinned_encoder == "libx264"
    assert profile.threads == 4
    assert profile.bitexact
