"""Crop jobs: square views (``CropJob``) and rectangles (``RectCropJob``), and jobs files."""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping, Sequence
from typing import Any

import msgspec
from returns.result import Failure, Result, Success

from cosmos.core.errors import InvalidOption
from cosmos.core.names import stem_problem

DEFAULT_SIZE = 1080


def default_square_size(width: int, height: int) -> int:
    """Return the side of the default square job on a ``width`` x ``height`` frame: 1080, or
    the frame's shorter side rounded down to even when that is smaller."""
    shorter = min(width, height)
    return min(DEFAULT_SIZE, shorter - shorter % 2)


class CropJob(msgspec.Struct, frozen=True, kw_only=True):
    """A square view of side ``size`` pixels.

    Place it with ``center_x``/``center_y`` (fractions of the frame, 0..1) or with
    ``offset_x``/``offset_y`` (-1 flush left or top, 0 centred, +1 flush right or bottom, relative
    to the free margin), not both. ``start`` and ``end`` trim the output in seconds.
    """

    center_x: float | None = None
    center_y: float | None = None
    offset_x: float | None = None
    offset_y: float | None = None
    size: int = DEFAULT_SIZE
    start: float | None = None
    end: float | None = None


class RectCropJob(msgspec.Struct, frozen=True, kw_only=True):
    """A rectangle ``x0, y0, w, h``: fractions of the frame when ``normalized``, else pixels.

    ``view_id`` names the output (``<view_id>.mp4``); ``annotations`` travel into the sidecar.
    """

    x0: float = 0.0
    y0: float = 0.0
    w: float = 1.0
    h: float = 1.0
    normalized: bool = True
    start: float | None = None
    end: float | None = None
    view_id: str | None = None
    annotations: dict[str, Any] = {}


AnyCropJob = CropJob | RectCropJob
RECT_KEYS = ("x0", "y0", "w", "h")


# Keys of a rect object that a square object never takes.
RECT_ONLY_KEYS = ("crop_norm", "crop_px")
# Keys a jobs file object is read for. Other keys are informational (``job_name``, notes), but
# one spelled close to a known key is most likely a typo that changes the output.
KNOWN_KEYS = (
    "crop_mode",
    "targets",
    "size",
    "offset_x",
    "offset_y",
    "center_x",
    "center_y",
    "trim_unit",
    "trim_start",
    "trim_end",
    "view_id",
    "id",
    "annotations",
    *RECT_ONLY_KEYS,
)


def check_placement(job: CropJob) -> Result[None, InvalidOption]:
    """Check the offsets and centres of a square job, which do not depend on the frame."""
    offsets = (job.offset_x, job.offset_y)
    centres = (job.center_x, job.center_y)
    if any(v is not None for v in offsets) and any(v is not None for v in centres):
        return _invalid_value("offset_x", job.offset_x, "give offsets or centres, not both")
    for field, value in (("offset_x", job.offset_x), ("offset_y", job.offset_y)):
        if value is not None and not -1 <= value <= 1:
            return _invalid_value(
                field, value, "expected a value from -1 (left/top) to 1 (right/bottom)"
            )
    for field, value in (("center_x", job.center_x), ("center_y", job.center_y)):
        if value is not None and not 0 <= value <= 1:
            return _invalid_value(field, value, "expected a fraction of the frame from 0 to 1")
    return Success(None)


def _invalid_value(field: str, value: object, expected: str) -> Failure[InvalidOption]:
    return Failure(
        InvalidOption(
            field=field, value=repr(value), message=f"invalid {field} {value!r}; {expected}"
        )
    )


def _invalid(position: int, key: str, value: object, expected: str) -> Failure[InvalidOption]:
    return Failure(
        InvalidOption(
            field=key,
            value=repr(value),
            message=f"jobs file object {position}: invalid {key} {value!r}; {expected}",
        )
    )


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def _trims(
    position: int, item: Mapping[str, object]
) -> Result[tuple[float | None, float | None], InvalidOption]:
    unit = item.get("trim_unit", "time")
    if unit != "time":
        return _invalid(position, "trim_unit", unit, 'the supported unit is "time" (seconds)')
    bounds: list[float | None] = []
    for key in ("trim_start", "trim_end"):
        raw = item.get(key)
        if raw is None or raw == "":
            bounds.append(None)
            continue
        number = _number(raw)
        if number is None or number < 0:
            return _invalid(position, key, raw, "expected a non-negative number of seconds")
        bounds.append(number)
    start, end = bounds
    if start is not None and end is not None and end <= start:
        return _invalid(position, "trim_end", end, f"expected a time after trim_start ({start:g})")
    return Success((start, end))


def _optional_float(
    position: int, item: Mapping[str, object], key: str
) -> Result[float | None, InvalidOption]:
    if key not in item or item[key] is None:
        return Success(None)
    number = _number(item[key])
    if number is None:
        return _invalid(position, key, item[key], "expected a number")
    return Success(number)


def _square_jobs(position: int, item: Mapping[str, object]) -> Result[list[CropJob], InvalidOption]:
    trims = _trims(position, item)
    if isinstance(trims, Failure):
        return trims
    start, end = trims.unwrap()
    raw_targets = item.get("targets", item.get("size", DEFAULT_SIZE))
    targets = raw_targets if isinstance(raw_targets, list) else [raw_targets]
    sizes: list[int] = []
    for target in targets:
        if isinstance(target, bool) or not isinstance(target, int) or target <= 0:
            return _invalid(
                position,
                "targets",
                raw_targets,
                "expected a positive whole size in pixels or a list of them",
            )
        sizes.append(target)
    if not sizes:
        return _invalid(position, "targets", raw_targets, "expected at least one size")
    placement: dict[str, float | None] = {}
    for key in ("center_x", "center_y", "offset_x", "offset_y"):
        parsed = _optional_float(position, item, key)
        if isinstance(parsed, Failure):
            return parsed
        placement[key] = parsed.unwrap()
    jobs = [CropJob(size=size, start=start, end=end, **placement) for size in sizes]
    placed = check_placement(jobs[0])
    if isinstance(placed, Failure):
        error = placed.failure()
        return Failure(
            InvalidOption(
                field=error.field,
                value=error.value,
                message=f"jobs file object {position}: {error.message}",
            )
        )
    return Success(jobs)


def _rect_values(
    position: int, item: Mapping[str, object]
) -> Result[tuple[tuple[float, float, float, float], bool], InvalidOption]:
    has_norm, has_px = "crop_norm" in item, "crop_px" in item
    if has_norm == has_px:
        return _invalid(
            position,
            "crop_norm",
            item.get("crop_norm"),
            "a rect object needs exactly one of crop_norm or crop_px",
        )
    key = "crop_norm" if has_norm else "crop_px"
    raw = item[key]
    values: list[object]
    if isinstance(raw, list) and len(raw) == 4:
        values = list(raw)
    elif isinstance(raw, dict) and set(raw) >= set(RECT_KEYS):
        values = [raw[k] for k in RECT_KEYS]
    else:
        return _invalid(
            position, key, raw, 'expected [x0, y0, w, h] or {"x0":..,"y0":..,"w":..,"h":..}'
        )
    numbers = [_number(v) for v in values]
    if any(n is None for n in numbers):
        return _invalid(position, key, raw, "every value must be a number")
    x0, y0, w, h = (float(n) for n in numbers if n is not None)
    return Success(((x0, y0, w, h), has_norm))


def _rect_job(position: int, item: Mapping[str, object]) -> Result[RectCropJob, InvalidOption]:
    values = _rect_values(position, item)
    if isinstance(values, Failure):
        return values
    (x0, y0, w, h), normalized = values.unwrap()
    trims = _trims(position, item)
    if isinstance(trims, Failure):
        return trims
    start, end = trims.unwrap()
    view_id = item.get("view_id", item.get("id"))
    if view_id is not None and (not isinstance(view_id, str) or not view_id.strip()):
        return _invalid(position, "view_id", view_id, "expected a non-empty string")
    problem = stem_problem(view_id.strip()) if isinstance(view_id, str) else None
    if problem is not None:
        return _invalid(
            position, "view_id", view_id, f"{problem}; choose a plain file name such as 'left'"
        )
    annotations = item.get("annotations", {})
    if not isinstance(annotations, dict):
        return _invalid(position, "annotations", annotations, "expected a JSON object")
    return Success(
        RectCropJob(
            x0=x0,
            y0=y0,
            w=w,
            h=h,
            normalized=normalized,
            start=start,
            end=end,
            view_id=view_id.strip() if isinstance(view_id, str) else None,
            annotations=annotations,
        )
    )


def parse_jobs(
    data: bytes, source: str
) -> Result[list[CropJob] | list[RectCropJob], InvalidOption]:
    """Parse a jobs file: one object or a list; every object declares its own mode."""
    try:
        document = msgspec.json.decode(data)
    except msgspec.DecodeError as error:
        return Failure(
            InvalidOption(
                field="jobs",
                value=source,
                message=f"jobs file {source} is not valid JSON ({error})",
            )
        )
    items: Sequence[object] = document if isinstance(document, list) else [document]
    if not items:
        return Failure(
            InvalidOption(field="jobs", value=source, message=f"jobs file {source} lists no jobs")
        )
    squares: list[CropJob] = []
    rects: list[RectCropJob] = []
    for position, item in enumerate(items):
        if not isinstance(item, dict):
            return _invalid(position, "object", item, "expected a JSON object")
        mode = item.get("crop_mode", "square")
        if mode == "rect":
            rect = _rect_job(position, item)
            if isinstance(rect, Failure):
                return rect
            rects.append(rect.unwrap())
        elif mode == "square":
            rect_keys = [key for key in RECT_ONLY_KEYS if key in item]
            if rect_keys:
                # A rect object that lost its crop_mode would otherwise become a default square.
                stated = "is square" if "crop_mode" in item else "is missing, so it is square"
                return Failure(
                    InvalidOption(
                        field="crop_mode",
                        value=repr(mode),
                        message=f"jobs file object {position}: crop_mode {stated}, but the "
                        f"object has {', '.join(rect_keys)}, which only rect jobs take; add "
                        '"crop_mode": "rect", or remove them for a square job',
                    )
                )
            square = _square_jobs(position, item)
            if isinstance(square, Failure):
                return square
            squares += square.unwrap()
        else:
            return _invalid(position, "crop_mode", mode, 'supported values are "square" and "rect"')
        if squares and rects:
            return _invalid(
                position,
                "crop_mode",
                mode,
                "a jobs file must be all square or all rect; put the square and the rect jobs "
                "in two jobs files",
            )
    return Success(rects if rects else squares)


def likely_typos(data: bytes, source: str) -> list[str]:
    """Return a warning for each key of a jobs file that is not read but is spelled close to a
    key that is, such as ``trim_strat`` for ``trim_start``.

    Parse the file with :func:`parse_jobs` first; content it rejects yields no warnings here.
    """
    try:
        document = msgspec.json.decode(data)
    except msgspec.DecodeError:
        return []
    items: Sequence[object] = document if isinstance(document, list) else [document]
    warnings = []
    for position, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        for key in item:
            if key in KNOWN_KEYS:
                continue
            close = difflib.get_close_matches(key, KNOWN_KEYS, n=1, cutoff=0.8)
            if close:
                warnings.append(
                    f"jobs file {source} object {position}: key {key!r} is not read, so it "
                    f"changes nothing; did you mean {close[0]!r}?"
                )
    return warnings
