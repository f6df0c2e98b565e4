"""Read curated view specs: named rectangles over dated source clips."""

from __future__ import annotations

from pathlib import Path

from returns.result import Failure

from cosmos.core.crop.curated import DEFAULT_CLIP_PATTERN, parse_curated_spec
from cosmos.core.crop.jobs import RectCropJob
from cosmos.sdk.errors import InvalidInputError


def parse_curated_views(
    spec_path: str | Path,
    source_root: str | Path,
    *,
    clip_pattern: str = DEFAULT_CLIP_PATTERN,
) -> list[tuple[Path, RectCropJob]]:
    """Return ``(source clip, job)`` pairs for every view of the spec.

    ``clip_pattern`` is filled with ``{date}`` (``source.date`` as month abbreviation and day,
    e.g. ``Apr25``) and ``{clip}``, relative to ``source_root``. A missing source file raises
    ``ValueError`` naming the resolved path.
    """
    spec = Path(spec_path).expanduser()
    try:
        data = spec.read_bytes()
    except OSError as error:
        raise InvalidInputError(
            f"cannot read curated view spec {spec} ({error.strerror or error}); check the path"
        ) from None
    parsed = parse_curated_spec(data, str(spec), Path(source_root).expanduser(), clip_pattern)
    if isinstance(parsed, Failure):
        # The spec's content is input, like a jobs file, so a bad one is invalid input (exit 3).
        raise InvalidInputError(parsed.failure().message)
    pairs = parsed.unwrap()
    for source, job in pairs:
        if not source.is_file():
            raise InvalidInputError(
                f"view {job.view_id!r} of {spec}: source clip {source} does not exist; check "
                "--source-root and --clip-pattern"
            )
    return pairs


__all__ = ["parse_curated_views"]
