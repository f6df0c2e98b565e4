"""The test-media helpers: box parsing, the rotation patch, the real-footage fixture."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from tests.media import (
    REAL_CLIPS,
    GeneratedClip,
    MediaCache,
    iter_boxes,
    probe_streams,
    real_footage_folder,
    set_display_rotation_90,
)


def _box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", 8 + len(body)) + kind + body


def test_iter_boxes_sizes() -> None:
    data = _box(b"ftyp", b"isom") + _box(b"free", b"") + _box(b"mdat", b"x" * 10)
    assert [(box.kind, box.offset, box.size) for box in iter_boxes(data)] == [
        ("ftyp", 0, 12),
        ("free", 12, 8),
        ("mdat", 20, 18),
    ]


def test_iter_boxes_large_size() -> None:
    data = struct.pack(">I4sQ", 1, b"mdat", 20) + b"abcd"
    (box,) = iter_boxes(data)
    assert (box.kind, box.size, box.header_size) == ("mdat", 20, 16)


def test_iter_boxes_to_end() -> None:
    data = _box(b"moov", b"") + struct.pack(">I4s", 0, b"mdat") + b"rest"
    assert [box.size for box in iter_boxes(data)] == [8, 12]


def test_iter_boxes_damaged() -> None:
    with pytest.raises(ValueError, match="damaged box"):
        list(iter_boxes(struct.pack(">I4s", 100, b"moov")))


def test_rotation_patch_version_1(media: MediaCache, tmp_path: Path) -> None:
    """A tkhd of version 1 (64-bit times) has its matrix 12 bytes further on."""
    clip = media.copy(GeneratedClip(64, 48, seconds=0.2), tmp_path, "v1.mp4")
    data = bytearray(clip.read_bytes())
    moov = next(box for box in iter_boxes(data) if box.kind == "moov")
    trak = next(box for box in iter_boxes(data, moov.body_start, moov.end) if box.kind == "trak")
    tkhd = next(box for box in iter_boxes(data, trak.body_start, trak.end)).body_start - 4
    assert data[tkhd + 4] == 0
    # Rebuild the box as version 1: widen creation, modification and duration to 64 bits.
    size = struct.unpack_from(">I", data, tkhd - 4)[0]
    body = bytes(data[tkhd + 4 : tkhd - 4 + size])
    created, modified, track, reserved, duration = struct.unpack_from(">5I", body, 4)
    widened = (
        b"\x01" + body[1:4] + struct.pack(">QQIIQ", created, modified, track, reserved, duration)
    ) + body[24:]
    new_box = struct.pack(">I", 8 + len(widened)) + b"tkhd" + widened
    grown = len(new_box) - size
    data[tkhd - 4 : tkhd - 4 + size] = new_box
    for parent in (moov, trak):
        struct.pack_into(">I", data, parent.offset, parent.size + grown)
    clip.write_bytes(bytes(data))
    assert probe_streams(clip)[0].rotation is None

    set_display_rotation_90(clip)
    assert probe_streams(clip)[0].rotation == -90


def test_rotation_patch_needs_video(tmp_path: Path) -> None:
    path = tmp_path / "empty.mp4"
    path.write_bytes(_box(b"ftyp", b"isom"))
    with pytest.raises(ValueError, match="no moov box"):
        set_display_rotation_90(path)


def test_real_footage_skips_when_missing(tmp_path: Path) -> None:
    with pytest.raises(pytest.skip.Exception, match="real footage missing"):
        real_footage_folder({"COSMOS_MEDIA_CACHE": str(tmp_path)})


def test_real_footage_fails_when_required(tmp_path: Path) -> None:
    environ = {"COSMOS_MEDIA_CACHE": str(tmp_path), "COSMOS_REQUIRE_REAL_FOOTAGE": "1"}
    with pytest.raises(pytest.fail.Exception, match=r"bikes\.mp4"):
        real_footage_folder(environ)


def test_real_footage_found(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    for clip in REAL_CLIPS:
        (tmp_path / "real" / clip.file_name).write_bytes(b"x")
    environ = {"COSMOS_MEDIA_CACHE": str(tmp_path), "COSMOS_REQUIRE_REAL_FOOTAGE": "1"}
    assert real_footage_folder(environ) == tmp_path / "real"
