"""Read crop jobs files."""

from __future__ import annotations

import logging
from pathlib import Path

from returns.result import Failure

from cosmos.core.crop.jobs import CropJob, RectCropJob, likely_typos, parse_jobs
from cosmos.sdk.errors import InvalidInputError

logger = logging.getLogger(__name__)


def parse_jobs_json(path: str | Path) -> list[CropJob] | list[RectCropJob]:
    """Parse a jobs file: a JSON object or a list of objects, all square or all rect.

    Square objects take ``targets`` (a size or a list, one job each; else ``size``; else 1080),
    ``offset_x``/``offset_y`` or ``center_x``/``center_y``, and trims (``trim_unit: "time"``,
    ``trim_start``, ``trim_end`` in seconds). Rect objects take ``"crop_mode": "rect"`` and one of
    ``crop_norm`` or ``crop_px``, ``view_id`` (or ``id``) and ``annotations``. A malformed object
    raises ``ValueError`` naming its position and key. Other keys are informational, and one
    spelled close to a known key (``trim_strat``) is logged as a warning.
    """
    source = Path(path).expanduser()
    try:
        data = source.read_bytes()
    except OSError as error:
        raise InvalidInputError(
            f"cannot read jobs file {source} ({error.strerror or error}); check the path"
        ) from None
    parsed = parse_jobs(data, str(source))
    if isinstance(parsed, Failure):
        # The file's content is input, like a manifest, so a bad one is invalid input (exit 3).
        raise InvalidInputError(parsed.failure().message)
    for warning in likely_typos(data, str(source)):
        logger.warning("%s", warning)
    return parsed.unwrap()


__all__ = ["CropJob", "RectCropJob", "parse_jobs_json"]
