"""A minimal PNG encoder for packed rgb24 frames (8-bit truecolor, no interlace)."""

from __future__ import annotations

import struct
import zlib

_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def encode_png(width: int, height: int, rgb24: bytes, *, compression_level: int = 6) -> bytes:
    """Encode ``width`` x ``height`` packed RGB bytes as a PNG file.

    Every scanline uses filter type 0 (none); ``rgb24`` must hold exactly ``width*height*3``
    bytes, which a ``ValueError`` reports otherwise.
    """
    row_bytes = width * 3
    if width <= 0 or height <= 0 or len(rgb24) != row_bytes * height:
        raise ValueError(
            f"invalid rgb24 buffer: {len(rgb24)} bytes for {width}x{height} "
            f"(expected {row_bytes * height})"
        )
    scanlines = b"".join(
        b"\x00" + rgb24[row * row_bytes : (row + 1) * row_bytes] for row in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"".join(
        (
            _SIGNATURE,
            _chunk(b"IHDR", header),
            _chunk(b"IDAT", zlib.compress(scanlines, compression_level)),
            _chunk(b"IEND", b""),
        )
    )


def frame_file_name(index: int, time_seconds: float | None) -> str:
    """Name a frame image by its index and time: ``frame_000042_t001.400.png``."""
    time_part = f"_t{time_seconds:08.3f}" if time_seconds is not None else ""
    return f"frame_{index:06d}{time_part}.png"
