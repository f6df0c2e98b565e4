"""Curated view specs: named rectangles over dated source clips."""

from __future__ import annotations

import calendar
import re
from pathlib import Path
from typing import Any

import msgspec
from returns.result import Failure, Result, Success

from cosmos.core.crop.jobs import RectCropJob
from cosmos.core.errors import InvalidOption
from cosmos.core.names import stem_problem

DEFAULT_CLIP_PATTERN = "{date}/8k/{clip}.mp4"
# English month abbreviations, fixed so that file names do not depend on the locale.
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def date_folder(iso_date: str) -> str | None:
    """Render ``2024-04-25`` as ``Apr25``; ``None`` when the text is not an ISO date."""
    match = _ISO_DATE.match(iso_date)
    if match is None:
        return None
    year, month, day = (int(part) for part in match.groups())
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return f"{_MONTHS[month - 1]}{day}"


class _Source(msgspec.Struct):
    clip: str
    date: str


class _Trim(msgspec.Struct):
    start_s: float | None = None
    end_s: float | None = None


class _View(msgspec.Struct):
    id: str
    source: _Source
    crop_norm: list[float] | dict[str, float]
    trim: _Trim | None = None
    annotations: dict[str, Any] = {}


class _Spec(msgspec.Struct):
    views: list[_View]


def _invalid(spec: str, message: str) -> Failure[InvalidOption]:
    return Failure(
        InvalidOption(field="spec", value=spec, message=f"curated view spec {spec}: {message}")
    )


def parse_curated_spec(
    data: bytes, spec_name: str, source_root: Path, clip_pattern: str = DEFAULT_CLIP_PATTERN
) -> Result[list[tuple[Path, RectCropJob]], InvalidOption]:
    """Turn a spec into ``(source path, job)`` pairs; the shell checks that the sources exist."""
    try:
        spec = msgspec.json.decode(data, type=_Spec)
    except (msgspec.DecodeError, msgspec.ValidationError) as error:
        return _invalid(spec_name, f"not a valid spec ({error})")
    if not spec.views:
        return _invalid(spec_name, "its views list is empty")
    pairs: list[tuple[Path, RectCropJob]] = []
    seen: set[str] = set()
    for position, view in enumerate(spec.views):
        where = f"view {position} ({view.id!r})"
        if not view.id.strip() or view.id in seen:
            return _invalid(spec_name, f"{where} needs a unique, non-empty id")
        problem = stem_problem(view.id)
        if problem is not None:
            return _invalid(
                spec_name,
                f"{where} has an id that cannot name a file: {problem}; choose a plain "
                "file name such as 'left_feeder'",
            )
        seen.add(view.id)
        folder = date_folder(view.source.date)
        if folder is None:
            return _invalid(
                spec_name, f"{where} has source.date {view.source.date!r}; expected YYYY-MM-DD"
            )
        crop = view.crop_norm
        values = (
            [crop.get(k) for k in ("x0", "y0", "w", "h")] if isinstance(crop, dict) else list(crop)
        )
        if len(values) != 4 or any(v is None for v in values):
            return _invalid(spec_name, f"{where} has crop_norm {crop!r}; expected [x0, y0, w, h]")
        x0, y0, w, h = (float(v) for v in values if v is not None)
        try:
            relative = clip_pattern.format(date=folder, clip=view.source.clip)
        except (KeyError, IndexError, ValueError) as error:
            return _invalid(spec_name, f"clip pattern {clip_pattern!r} cannot be filled ({error})")
        trim = view.trim or _Trim()
        job = RectCropJob(
            x0=x0,
            y0=y0,
            w=w,
            h=h,
            normalized=True,
            start=trim.start_s,
            end=trim.end_s,
            view_id=view.id,
            annotations=dict(view.annotations),
        )
        pairs.append((source_root / relative, job))
    return Success(pairs)
