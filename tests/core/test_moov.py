"""MP4 box headers, the moov reservation of a remux and the front-moov layout check."""

from __future__ import annotations

import struct

import pytest

from cosmos.core.optimize.moov import (
    FIXED_ALLOWANCE_BYTES,
    MAX_MOOV_RESERVATION,
    SAMPLE_ALLOWANCE_BYTES,
    Box,
    count_samples,
    has_front_moov,
    moov_reservation,
    parse_box_header,
)


def _box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", 8 + len(body)) + kind + body


def _sample_sizes(kind: bytes, count: int) -> bytes:
    # Version and flags, then the sample size (stsz) or reserved bytes and field size (stz2).
    return _box(kind, struct.pack(">II", 0, 0) + struct.pack(">I", count))


def _trak(table: bytes) -> bytes:
    stbl = _box(b"stbl", _box(b"stsd", b"\0" * 8) + table)
    return _box(b"trak", _box(b"tkhd", b"\0" * 84) + _box(b"mdia", _box(b"minf", stbl)))


def _moov(*children: bytes) -> bytes:
    return _box(b"moov", _box(b"mvhd", b"\0" * 100) + b"".join(children))


def test_header_32_bit_size() -> None:
    box = parse_box_header(struct.pack(">I4s", 24, b"ftyp"), 0, 100)
    assert box == Box("ftyp", 0, 24, 8)
    assert (box.body_start, box.end) == (8, 24)


def test_header_64_bit_size() -> None:
    box = parse_box_header(struct.pack(">I4sQ", 1, b"mdat", 5_000_000_000), 40, 5_000_000_000)
    assert box == Box("mdat", 40, 5_000_000_000, 16)


def test_header_size_zero_runs_to_end() -> None:
    box = parse_box_header(struct.pack(">I4s", 0, b"mdat"), 32, 968)
    assert box is not None
    assert box.size == 968


@pytest.mark.parametrize(
    ("header", "remaining"),
    [
        (b"\0\0\0\x10moo", 100),  # cut short
        (struct.pack(">I4s", 1, b"mdat") + b"\0\0", 100),  # 64-bit size cut short
        (struct.pack(">I4s", 4, b"free"), 100),  # smaller than its header
        (struct.pack(">I4s", 200, b"moov"), 100),  # larger than what remains
    ],
    ids=["short", "short-64", "too-small", "too-large"],
)
def test_header_malformed(header: bytes, remaining: int) -> None:
    assert parse_box_header(header, 0, remaining) is None


def test_count_samples_of_all_tracks() -> None:
    moov = _moov(_trak(_sample_sizes(b"stsz", 1200)), _trak(_sample_sizes(b"stz2", 940)))
    assert count_samples(moov) == 2140


def test_count_samples_fragmented() -> None:
    moov = _moov(_trak(_sample_sizes(b"stsz", 0)), _box(b"mvex", _box(b"trex", b"\0" * 24)))
    assert count_samples(moov) is None


def test_count_samples_without_table() -> None:
    assert count_samples(_moov(_trak(b""))) is None


def test_count_samples_not_moov() -> None:
    assert count_samples(_box(b"free", b"\0" * 16)) is None


def test_reservation_grows_with_samples() -> None:
    expected = 6534 + SAMPLE_ALLOWANCE_BYTES * 1200 + FIXED_ALLOWANCE_BYTES
    assert moov_reservation(6534, 1200) == expected


def test_reservation_beyond_ffmpeg_limit() -> None:
    assert moov_reservation(MAX_MOOV_RESERVATION, 1) is None


def _layout(*kinds: str) -> list[Box]:
    return [Box(kind, 100 * index, 100, 8) for index, kind in enumerate(kinds)]


def test_front_layout_with_free_space() -> None:
    assert has_front_moov(_layout("ftyp", "moov", "free", "free", "mdat"), complete=True)


@pytest.mark.parametrize(
    ("kinds", "complete"),
    [
        (("ftyp", "free", "mdat", "moov"), True),  # moov at the end
        (("ftyp", "moov", "free", "mdat"), False),  # bytes left over or a damaged box
        (("ftyp", "moov", "\x9a\x00\x02\x10"), True),  # media bytes where a box should start
        (("ftyp", "moov", "moov", "mdat"), True),  # two moov boxes
        (("ftyp", "moov", "free"), True),  # no media data
    ],
    ids=["moov-last", "incomplete", "unknown-type", "two-moov", "no-mdat"],
)
def test_front_layout_rejected(kinds: tuple[str, ...], complete: bool) -> None:
    assert not has_front_moov(_layout(*kinds), complete=complete)
