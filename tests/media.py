"""Test media: small clips generated with FFmpeg's lavfi sources, and the real-footage corpus.

Generated clips use ``testsrc2`` (a moving pattern with a frame counter) and ``sine`` audio. They
are cached per test session, keyed by every field of :class:`GeneratedClip`, so a clip that many
tests need is encoded once.
"""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pytest

FFMPEG = shutil.which("ffmpeg") or "ffmpeg"
FFPROBE = shutil.which("ffprobe") or "ffprobe"
REPO_ROOT = Path(__file__).resolve().parent.parent

AudioKind = Literal["aac", "pcm"]
Container = Literal["mp4", "mov", "mkv"]


@dataclass(frozen=True, slots=True)
class GeneratedClip:
    """A ``testsrc2`` clip: stored size in pixels, length in seconds, optional audio.

    ``rotate_90`` writes a display matrix that rotates the stored picture 90 degrees clockwise
    for display (MP4 and MOV only), so the clip displays as ``height`` x ``width``.
    """

    width: int
    height: int
    seconds: float = 1.0
    fps: int = 25
    audio: AudioKind | None = None
    container: Container = "mp4"
    rotate_90: bool = False

    @property
    def file_name(self) -> str:
        audio = self.audio or "silent"
        rotation = "_rot90" if self.rotate_90 else ""
        return (
            f"testsrc2_{self.width}x{self.height}_{self.seconds:g}s_{self.fps}fps_{audio}"
            f"{rotation}.{self.container}"
        )


def generate_clip(clip: GeneratedClip, path: Path) -> None:
    """Encode ``clip`` to ``path`` with libx264 (ultrafast) and the requested audio."""
    if clip.rotate_90 and clip.container == "mkv":
        raise ValueError("a display rotation can only be written into MP4 or MOV files")
    if clip.audio == "pcm" and clip.container == "mp4":
        raise ValueError("PCM audio needs a MOV or MKV container; FFmpeg 5.1 rejects it in MP4")

    source = f"testsrc2=size={clip.width}x{clip.height}:rate={clip.fps}:duration={clip.seconds:g}"
    argv = [FFMPEG, "-hide_banner", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", source]
    if clip.audio is not None:
        tone = f"sine=frequency=440:sample_rate=48000:duration={clip.seconds:g}"
        argv += ["-f", "lavfi", "-i", tone]
    argv += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
    if clip.audio == "aac":
        argv += ["-c:a", "aac", "-b:a", "64k"]
    elif clip.audio == "pcm":
        argv += ["-c:a", "pcm_s16le"]
    argv += ["-t", f"{clip.seconds:g}", str(path)]
    subprocess.run(argv, check=True, capture_output=True)

    if clip.rotate_90:
        set_display_rotation_90(path)


class MediaCache:
    """Generated clips of one test session, each encoded on first use."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, clip: GeneratedClip) -> Path:
        """Return the cached file of ``clip``, generating it the first time."""
        path = self.folder / clip.file_name
        if not path.exists():
            partial = path.with_name(f".{path.name}.partial.{clip.container}")
            generate_clip(clip, partial)
            partial.replace(path)
        return path

    def copy(self, clip: GeneratedClip, folder: Path, name: str) -> Path:
        """Copy ``clip`` into ``folder`` as ``name`` (creating the folder) and return the copy."""
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / name
        shutil.copyfile(self.path(clip), target)
        return target


# MP4 boxes -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Box:
    """One ISO BMFF box: type, offset of its header in the file, total size in bytes."""

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


def write_truncated_mp4(
    path: Path, *, width: int, height: int, seconds: float = 7, keep: float = 0.3
) -> Path:
    """Write a fast-start H.264 MP4 of ``seconds``, then keep only its first ``keep`` share.

    The moov atom at the front still declares the whole length, and FFmpeg reads the part that
    is there and exits with status 0, as it does on a recording cut short by a full card.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    whole = path.with_name(f"{path.stem}.whole.mp4")
    scene = f"testsrc2=size={width}x{height}:rate=25"
    subprocess.run(
        [FFMPEG, "-v", "error", "-y", "-f", "lavfi", "-i", scene, "-t", f"{seconds:g}",
         "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
         "-movflags", "+faststart", str(whole)],
        check=True,
    )  # fmt: skip
    data = whole.read_bytes()
    whole.unlink()
    path.write_bytes(data[: int(len(data) * keep)])
    return path


def iter_boxes(data: bytes | bytearray, start: int = 0, end: int | None = None) -> Iterator[Box]:
    """Yield the boxes laid end to end in ``data[start:end]``.

    A 32-bit size of 1 means a 64-bit size follows the type; a size of 0 means the box runs to
    ``end``.
    """
    stop = len(data) if end is None else end
    offset = start
    while offset + 8 <= stop:
        size, kind = struct.unpack_from(">I4s", data, offset)
        header_size = 8
        if size == 1:
            (size,) = struct.unpack_from(">Q", data, offset + 8)
            header_size = 16
        elif size == 0:
            size = stop - offset
        if size < header_size or offset + size > stop:
            raise ValueError(f"damaged box {kind!r} at offset {offset} (size {size})")
        yield Box(kind.decode("latin-1"), offset, size, header_size)
        offset += size


def top_level_boxes(path: Path) -> list[str]:
    """Return the types of the top-level boxes of an MP4 file, in file order."""
    return [box.kind for box in iter_boxes(path.read_bytes())]


def _child(data: bytes | bytearray, parent: Box, kind: str) -> Box | None:
    return next(
        (box for box in iter_boxes(data, parent.body_start, parent.end) if box.kind == kind), None
    )


def _handler_type(data: bytes | bytearray, trak: Box) -> str | None:
    mdia = _child(data, trak, "mdia")
    hdlr = _child(data, mdia, "hdlr") if mdia is not None else None
    if hdlr is None:
        return None
    # hdlr body: version and flags (4 bytes), pre_defined (4 bytes), then the handler type.
    return data[hdlr.body_start + 8 : hdlr.body_start + 12].decode("latin-1")


# The display matrix of a 90 degree clockwise turn, as 16.16 and 2.30 fixed-point values.
ROTATE_90_MATRIX = (0, 0x10000, 0, 0xFFFF0000, 0, 0, 0, 0, 0x40000000)


def set_display_rotation_90(path: Path) -> None:
    """Write a 90 degree clockwise display rotation into the first video track of an MP4.

    FFmpeg 5.1 ignores ``-metadata rotate``, so this patches the ``tkhd`` matrix in place.
    ffprobe then reports side data ``rotation: -90`` and FFmpeg's automatic rotation outputs the
    stored picture turned clockwise (as ``transpose=clock`` would).
    """
    data = bytearray(path.read_bytes())
    moov = next((box for box in iter_boxes(data) if box.kind == "moov"), None)
    if moov is None:
        raise ValueError(f"{path} has no moov box")
    for trak in iter_boxes(data, moov.body_start, moov.end):
        if trak.kind != "trak" or _handler_type(data, trak) != "vide":
            continue
        tkhd = _child(data, trak, "tkhd")
        if tkhd is None:
            raise ValueError(f"{path}: the video track has no tkhd box")
        version = data[tkhd.body_start]
        # Fields before the matrix: 40 bytes in version 0, 52 with version 1's 64-bit times.
        matrix_offset = tkhd.body_start + (52 if version == 1 else 40)
        struct.pack_into(">9I", data, matrix_offset, *ROTATE_90_MATRIX)
        path.write_bytes(bytes(data))
        return
    raise ValueError(f"{path} has no video track")


# Decoded pictures ------------------------------------------------------------------------------


def decode_gray(
    path: Path,
    *,
    width: int,
    height: int,
    video_filter: str | None = None,
    autorotate: bool = True,
) -> bytes:
    """Decode the first frame of ``path`` as 8-bit gray, scaled to ``width`` x ``height``.

    ``video_filter`` runs before the scale; ``autorotate=False`` decodes the stored picture
    without applying its display rotation.
    """
    filters = [video_filter] if video_filter else []
    filters += [f"scale={width}:{height}:flags=area", "format=gray"]
    argv = [FFMPEG, "-hide_banner", "-nostdin", "-v", "error"]
    if not autorotate:
        argv.append("-noautorotate")
    argv += ["-i", str(path), "-vf", ",".join(filters), "-frames:v", "1"]
    argv += ["-f", "rawvideo", "-"]
    completed = subprocess.run(argv, check=True, capture_output=True)
    expected = width * height
    if len(completed.stdout) != expected:
        raise ValueError(f"decoded {len(completed.stdout)} bytes from {path}, expected {expected}")
    return completed.stdout


def mean_abs_diff(left: bytes, right: bytes) -> float:
    """Return the mean absolute difference of two equally long 8-bit pictures."""
    if len(left) != len(right):
        raise ValueError(f"pictures differ in size: {len(left)} and {len(right)} bytes")
    return sum(abs(a - b) for a, b in zip(left, right, strict=True)) / len(left)


@dataclass(frozen=True, slots=True)
class StreamFacts:
    """What ffprobe reports about one stream of a produced file."""

    codec_type: str
    codec_name: str
    width: int | None
    height: int | None
    pix_fmt: str | None
    rotation: int | None


def probe_streams(path: Path) -> list[StreamFacts]:
    """List the streams of ``path`` with an ffprobe call independent of Cosmos."""
    argv = [
        FFPROBE,
        "-v",
        "error",
        "-show_entries",
        "stream=codec_type,codec_name,width,height,pix_fmt:stream_side_data=rotation",
        "-of",
        "json",
        str(path),
    ]
    completed = subprocess.run(argv, check=True, capture_output=True)
    streams: list[dict[str, object]] = json.loads(completed.stdout)["streams"]
    facts: list[StreamFacts] = []
    for stream in streams:
        side_data = stream.get("side_data_list") or []
        assert isinstance(side_data, list)
        rotation = next((int(item["rotation"]) for item in side_data if "rotation" in item), None)
        width, height, pix_fmt = stream.get("width"), stream.get("height"), stream.get("pix_fmt")
        facts.append(
            StreamFacts(
                codec_type=str(stream["codec_type"]),
                codec_name=str(stream["codec_name"]),
                width=width if isinstance(width, int) else None,
                height=height if isinstance(height, int) else None,
                pix_fmt=pix_fmt if isinstance(pix_fmt, str) else None,
                rotation=rotation,
            )
        )
    return facts


# Real footage ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RealClip:
    """A file of the real-footage corpus and the facts the corpus documents for it."""

    file_name: str
    width: int
    height: int
    has_audio: bool


REAL_CLIPS: tuple[RealClip, ...] = (
    RealClip("bigbuckbunny.mp4", 1280, 720, has_audio=True),
    RealClip("bikes.mp4", 640, 272, has_audio=False),
    RealClip("carphone_pristine.mp4", 176, 144, has_audio=False),
    RealClip("carphone_distorted.mp4", 176, 144, has_audio=False),
)
REQUIRE_REAL_FOOTAGE = "COSMOS_REQUIRE_REAL_FOOTAGE"
MEDIA_CACHE = "COSMOS_MEDIA_CACHE"


def real_footage_folder(environ: Mapping[str, str]) -> Path:
    """Return the folder of the real-footage corpus: ``$COSMOS_MEDIA_CACHE/real``.

    Without the variable the cache is ``<repo>/.cache/media``. When a file is missing the
    calling test skips, or fails when ``COSMOS_REQUIRE_REAL_FOOTAGE=1`` (CI fetches the corpus
    first, so there a missing file is an error).
    """
    configured = environ.get(MEDIA_CACHE)
    cache = Path(configured).expanduser() if configured else REPO_ROOT / ".cache" / "media"
    folder = cache / "real"
    missing = [clip.file_name for clip in REAL_CLIPS if not (folder / clip.file_name).is_file()]
    if missing:
        reason = (
            f"real footage missing from {folder}: {', '.join(missing)}; fetch it with "
            f"`just media` (tools/fetch_media.py) or point {MEDIA_CACHE} at the folder that "
            "contains real/"
        )
        if environ.get(REQUIRE_REAL_FOOTAGE) == "1":
            pytest.fail(f"{reason} ({REQUIRE_REAL_FOOTAGE}=1 requires it)")
        pytest.skip(reason)
    return folder
