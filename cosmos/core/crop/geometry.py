"""The pixel rectangle a crop job cuts from a frame, and the trim it applies.

One function serves crop runs and previews, so a preview never shows a rectangle the crop run
would not cut. Rectangles of 4:2:0 sources have even x, y, width and height, because chroma is
stored at half resolution; every adjustment is returned as a warning.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from returns.result import Failure, Result, Success

from cosmos.core.crop.jobs import AnyCropJob, CropJob, RectCropJob, check_placement
from cosmos.core.errors import InvalidOption
from cosmos.core.model.documents import CropRect


@dataclass(frozen=True, slots=True)
class CropGeometry:
    """The rectangle really cut, in pixels, with the request and every adjustment made."""

    x: int
    y: int
    width: int
    height: int
    frame_width: int
    frame_height: int
    requested: dict[str, float | int | bool | None]
    start_seconds: float | None
    end_seconds: float | None
    warnings: tuple[str, ...]

    @property
    def normalized(self) -> tuple[float, float, float, float]:
        return (
            self.x / self.frame_width,
            self.y / self.frame_height,
            self.width / self.frame_width,
            self.height / self.frame_height,
        )


def _invalid(field: str, value: object, expected: str) -> Failure[InvalidOption]:
    return Failure(
        InvalidOption(
            field=field, value=repr(value), message=f"invalid {field} {value!r}; {expected}"
        )
    )


def _even_down(value: int) -> int:
    return value - value % 2


def _snap(
    x: float,
    y: float,
    width: float,
    height: float,
    *,
    frame_width: int,
    frame_height: int,
    even: bool,
    warnings: list[str],
) -> tuple[int, int, int, int]:
    """Round to whole (and, for 4:2:0, even) pixels and clamp the rectangle into the frame."""
    ix, iy, iw, ih = round(x), round(y), round(width), round(height)
    if (ix, iy, iw, ih) != (x, y, width, height):
        warnings.append(f"rounded {x:g},{y:g} {width:g}x{height:g} to whole pixels")
    if even:
        snapped = (ix - ix % 2, iy - iy % 2, _even_down(iw), _even_down(ih))
        if snapped != (ix, iy, iw, ih):
            warnings.append(
                f"moved to even values for 4:2:0 chroma: {snapped[0]},{snapped[1]} "
                f"{snapped[2]}x{snapped[3]}"
            )
        ix, iy, iw, ih = snapped
    limit_w = _even_down(frame_width) if even else frame_width
    limit_h = _even_down(frame_height) if even else frame_height
    cw, ch = min(max(iw, 2 if even else 1), limit_w), min(max(ih, 2 if even else 1), limit_h)
    cx = min(max(ix, 0), limit_w - cw)
    cy = min(max(iy, 0), limit_h - ch)
    if even:
        cx, cy = cx - cx % 2, cy - cy % 2
    if (cx, cy, cw, ch) != (ix, iy, iw, ih):
        warnings.append(f"clamped into the {frame_width}x{frame_height} frame: {cx},{cy} {cw}x{ch}")
    return cx, cy, cw, ch


def _trim(job: AnyCropJob) -> Result[tuple[float | None, float | None], InvalidOption]:
    start, end = job.start, job.end
    for field, value in (("start", start), ("end", end)):
        if value is not None and (not math.isfinite(value) or value < 0):
            return _invalid(
                field, value, "expected a non-negative number of seconds, or leave it unset"
            )
    if start is not None and end is not None and end <= start:
        return _invalid("end", end, f"expected a time after start ({start:g} s)")
    return Success((start, end))


def _square(
    job: CropJob, frame_width: int, frame_height: int, even: bool, warnings: list[str]
) -> Result[tuple[float, float, float], InvalidOption]:
    size = job.size
    if isinstance(size, bool) or not isinstance(size, int) or size <= 0:
        return _invalid("size", size, "expected a positive whole number of pixels")
    if size > min(frame_width, frame_height):
        return _invalid(
            "size",
            size,
            f"a square of {size} px does not fit in the {frame_width}x{frame_height} frame; use "
            f"a size up to {min(frame_width, frame_height)}",
        )
    if even and size % 2:
        # Place the even square, so a view flush with an edge stays flush with it.
        warnings.append(f"size {size} is odd; using {size - 1} for 4:2:0 chroma")
        size -= 1
    placed = check_placement(job)
    if isinstance(placed, Failure):
        return placed
    if job.center_x is not None or job.center_y is not None:
        cx = 0.5 if job.center_x is None else job.center_x
        cy = 0.5 if job.center_y is None else job.center_y
        return Success((frame_width * cx - size / 2, frame_height * cy - size / 2, float(size)))
    ox = job.offset_x or 0.0
    oy = job.offset_y or 0.0
    return Success(
        ((frame_width - size) / 2 * (1 + ox), (frame_height - size) / 2 * (1 + oy), float(size))
    )


def _rect(
    job: RectCropJob, frame_width: int, frame_height: int
) -> Result[tuple[float, float, float, float], InvalidOption]:
    values = {"x0": job.x0, "y0": job.y0, "w": job.w, "h": job.h}
    for field, value in values.items():
        if not math.isfinite(value):
            return _invalid(field, value, "expected a finite number")
    if job.w <= 0 or job.h <= 0:
        return _invalid(
            "w" if job.w <= 0 else "h", job.w if job.w <= 0 else job.h, "expected a positive size"
        )
    if job.x0 < 0 or job.y0 < 0:
        return _invalid(
            "x0" if job.x0 < 0 else "y0", min(job.x0, job.y0), "expected a non-negative coordinate"
        )
    if job.normalized:
        for field, value in values.items():
            if value > 1:
                return _invalid(field, value, "normalized values lie in [0, 1]")
        if job.x0 + job.w > 1 + 1e-9 or job.y0 + job.h > 1 + 1e-9:
            return _invalid(
                "w",
                job.w,
                "a normalized rectangle must end inside the frame (x0 + w <= 1, y0 + h <= 1)",
            )
        return Success(
            (job.x0 * frame_width, job.y0 * frame_height, job.w * frame_width, job.h * frame_height)
        )
    return Success((job.x0, job.y0, job.w, job.h))


def crop_geometry(
    job: AnyCropJob, frame_width: int, frame_height: int, *, chroma_420: bool
) -> Result[CropGeometry, InvalidOption]:
    """Compute the rectangle ``job`` cuts from a ``frame_width`` x ``frame_height`` frame."""
    trim = _trim(job)
    if isinstance(trim, Failure):
        return trim
    start, end = trim.unwrap()
    warnings: list[str] = []
    if isinstance(job, CropJob):
        square = _square(job, frame_width, frame_height, chroma_420, warnings)
        if isinstance(square, Failure):
            return square
        x, y, side = square.unwrap()
        box = _snap(
            x,
            y,
            side,
            side,
            frame_width=frame_width,
            frame_height=frame_height,
            even=chroma_420,
            warnings=warnings,
        )
        requested: dict[str, float | int | bool | None] = {
            "size": job.size,
            "center_x": job.center_x,
            "center_y": job.center_y,
            "offset_x": job.offset_x,
            "offset_y": job.offset_y,
        }
    else:
        rect = _rect(job, frame_width, frame_height)
        if isinstance(rect, Failure):
            return rect
        box = _snap(
            *rect.unwrap(),
            frame_width=frame_width,
            frame_height=frame_height,
            even=chroma_420,
            warnings=warnings,
        )
        requested = {
            "x0": job.x0,
            "y0": job.y0,
            "w": job.w,
            "h": job.h,
            "normalized": job.normalized,
        }
    return Success(
        CropGeometry(
            x=box[0],
            y=box[1],
            width=box[2],
            height=box[3],
            frame_width=frame_width,
            frame_height=frame_height,
            requested=requested,
            start_seconds=start,
            end_seconds=end,
            warnings=tuple(warnings),
        )
    )


def crop_rect(geometry: CropGeometry) -> CropRect:
    """Describe the rectangle cut in pixels and, rounded to 6 decimals, as fractions."""
    x, y, w, h = geometry.normalized
    return CropRect(
        x=geometry.x,
        y=geometry.y,
        w=geometry.width,
        h=geometry.height,
        x_norm=round(x, 6),
        y_norm=round(y, 6),
        w_norm=round(w, 6),
        h_norm=round(h, 6),
    )
