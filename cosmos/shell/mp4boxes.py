"""Read MP4 box headers from files: the source's moov for a remux reservation, and the
output's top-level layout."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from cosmos.core.optimize.moov import (
    BOX_HEADER_BYTES,
    Box,
    count_samples,
    has_front_moov,
    moov_reservation,
    parse_box_header,
)

# A regular MP4 has a handful of top-level boxes. A fragmented one has a moof and an mdat per
# fragment, and its moov comes first, so the walk can stop early without missing it.
MAX_TOP_LEVEL_BOXES = 256
# The largest moov read into memory to count its samples. A larger one gets no reservation.
MAX_MOOV_READ_BYTES = 256 * 1024 * 1024


def _walk_top_level(stream: BinaryIO, file_size: int) -> tuple[list[Box], bool]:
    """Return the top-level boxes in order, and whether they end exactly at ``file_size``."""
    boxes: list[Box] = []
    offset = 0
    while offset < file_size and len(boxes) < MAX_TOP_LEVEL_BOXES:
        stream.seek(offset)
        box = parse_box_header(stream.read(BOX_HEADER_BYTES), offset, file_size - offset)
        if box is None:
            return boxes, False
        boxes.append(box)
        offset = box.end
    return boxes, offset == file_size


def top_level_boxes(path: Path) -> tuple[list[Box], bool]:
    """Return the top-level boxes of ``path``, and whether they cover the whole file."""
    with path.open("rb") as stream:
        return _walk_top_level(stream, path.stat().st_size)


def front_moov_written(path: Path) -> bool:
    """Check that the MP4 at ``path`` has its one moov box before the media data.

    A file that cannot be read fails the check.
    """
    try:
        boxes, complete = top_level_boxes(path)
    except OSError:
        return False
    return has_front_moov(boxes, complete)


def remux_moov_reservation(source: Path) -> int | None:
    """Return the ``-moov_size`` that fits the moov of a remux of the MP4 or MOV ``source``.

    Returns ``None`` when the source has no readable moov box, is fragmented, or needs more than
    FFmpeg accepts. The remux then moves the moov with a second pass instead.
    """
    with source.open("rb") as stream:
        boxes, _ = _walk_top_level(stream, source.stat().st_size)
        moov = next((box for box in boxes if box.kind == "moov"), None)
        if moov is None or moov.size > MAX_MOOV_READ_BYTES:
            return None
        stream.seek(moov.offset)
        data = stream.read(moov.size)
    if len(data) != moov.size:
        return None
    samples = count_samples(data)
    if samples is None:
        return None
    return moov_reservation(moov.size, samples)
