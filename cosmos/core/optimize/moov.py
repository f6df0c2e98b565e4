"""MP4 box headers: size the moov reservation of a remux, and check where the moov landed.

A remux with ``-moov_size N`` makes FFmpeg's mov muxer leave ``N`` bytes after the ``ftyp`` box
and write the media data after them in one pass. At the end it writes the moov into that space
and a ``free`` box over the rest. ``-movflags +faststart`` instead writes the moov last and then
rewrites the whole file to move it to the front, a second pass over every byte.

When the moov does not fit, FFmpeg 5.1 logs "reserved_moov_size is too small", writes the moov
over the start of the media data and still exits with status 0. So the output's box layout is
the only reliable check, and :func:`has_front_moov` makes it.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

# Enough bytes to parse any box header: size (4), type (4), 64-bit size (8).
BOX_HEADER_BYTES = 16

# A remux copies the same samples, so the sample tables that depend only on the samples (stts,
# ctts, stsz, stss) keep their size. The chunk tables can grow, because FFmpeg chunks and
# interleaves the samples its own way. A sample-to-chunk (stsc) entry of 12 bytes is needed only
# where the number of samples per chunk changes, so the worst case is chunks of 1 and 2 samples
# alternating: 2 chunks per 3 samples, each with a stsc entry and an 8-byte co64 offset, about
# 13.4 bytes per sample. 16 also covers a 1-byte sdtp entry per sample.
SAMPLE_ALLOWANCE_BYTES = 16
# Boxes that do not grow with the samples but may differ from the source's: FFmpeg's encoder
# tag, handler names, edit lists.
FIXED_ALLOWANCE_BYTES = 4096
# The largest value FFmpeg accepts for -moov_size (a C int).
MAX_MOOV_RESERVATION = 2**31 - 1

# Top-level boxes FFmpeg's mov muxer writes into an MP4 whose moov is at the front.
FRONT_LAYOUT_KINDS = frozenset({"ftyp", "moov", "free", "skip", "wide", "mdat", "uuid", "meta"})


@dataclass(frozen=True, slots=True)
class Box:
    """An MP4 box: its four-character type, where it starts and its size, header included."""

    kind: str
    offset: int
    size: int
    header_size: int

    @property
    def body_start(self) -> int:
        return self.offset + self.header_size

    @property
    def end(self) -> int:
        return self.offset + self.size


def parse_box_header(header: bytes, offset: int, remaining: int) -> Box | None:
    """Parse the box header ``header`` read at ``offset``.

    ``remaining`` is the number of bytes from ``offset`` to the end of the enclosing range. A size
    of 0 means the box extends to that end. Returns ``None`` for a header that is cut short, or a
    size smaller than the header or larger than ``remaining``.
    """
    if len(header) < 8:
        return None
    size, kind = struct.unpack_from(">I4s", header)
    header_size = 8
    if size == 1:
        if len(header) < 16:
            return None
        (size,) = struct.unpack_from(">Q", header, 8)
        header_size = 16
    elif size == 0:
        size = remaining
    if size < header_size or size > remaining:
        return None
    return Box(kind.decode("latin-1"), offset, size, header_size)


def iter_boxes(data: bytes, start: int, end: int) -> Iterator[Box]:
    """Yield the boxes in ``data[start:end]`` in order, stopping at the first malformed one."""
    offset = start
    while offset < end:
        box = parse_box_header(data[offset : offset + BOX_HEADER_BYTES], offset, end - offset)
        if box is None:
            return
        yield box
        offset = box.end


def _child(data: bytes, parent: Box, kind: str) -> Box | None:
    return next(
        (box for box in iter_boxes(data, parent.body_start, parent.end) if box.kind == kind), None
    )


def count_samples(moov: bytes) -> int | None:
    """Sum the sample counts of every track in the moov box ``moov`` (header included).

    Returns ``None`` for a fragmented file (an ``mvex`` box), whose samples the moov does not
    list, and for a track without a readable ``stsz`` or ``stz2`` box.
    """
    top = parse_box_header(moov[:BOX_HEADER_BYTES], 0, len(moov))
    if top is None or top.kind != "moov":
        return None
    total = 0
    for box in iter_boxes(moov, top.body_start, top.end):
        if box.kind == "mvex":
            return None
        if box.kind != "trak":
            continue
        sizes = _sample_size_box(moov, box)
        # stsz and stz2 bodies both start with version and flags (4 bytes) and a 4-byte field,
        # then the 32-bit sample count.
        if sizes is None or sizes.size < sizes.header_size + 12:
            return None
        (count,) = struct.unpack_from(">I", moov, sizes.body_start + 8)
        total += count
    return total


def _sample_size_box(moov: bytes, trak: Box) -> Box | None:
    parent: Box | None = trak
    for kind in ("mdia", "minf", "stbl"):
        if parent is None:
            return None
        parent = _child(moov, parent, kind)
    if parent is None:
        return None
    return _child(moov, parent, "stsz") or _child(moov, parent, "stz2")


def moov_reservation(moov_size: int, sample_count: int) -> int | None:
    """Return the ``-moov_size`` for a remux of a source whose moov box has ``moov_size`` bytes
    and lists ``sample_count`` samples, or ``None`` when it exceeds what FFmpeg accepts.

    The bound is an estimate built from the source: see ``SAMPLE_ALLOWANCE_BYTES``. The unused
    part stays in the output as a ``free`` box between the moov and the media data.
    """
    reservation = moov_size + SAMPLE_ALLOWANCE_BYTES * sample_count + FIXED_ALLOWANCE_BYTES
    return reservation if reservation <= MAX_MOOV_RESERVATION else None


def has_front_moov(boxes: Sequence[Box], complete: bool) -> bool:
    """Check an MP4's top-level ``boxes``: one moov, before the first mdat.

    ``complete`` is true when the boxes cover the whole file with no bytes left over. A moov that
    overflowed its reservation leaves media bytes where the next box header should be, which
    shows as an incomplete walk or a box type outside ``FRONT_LAYOUT_KINDS``.
    """
    if not complete or any(box.kind not in FRONT_LAYOUT_KINDS for box in boxes):
        return False
    kinds = [box.kind for box in boxes]
    if kinds.count("moov") != 1 or "mdat" not in kinds:
        return False
    return kinds.index("moov") < kinds.index("mdat")
