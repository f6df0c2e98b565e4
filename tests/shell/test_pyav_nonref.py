"""The PyAV backend's dropping of non-reference H.264 pictures, against a plain decode.

x264's medium preset with three B-frames uses B-pyramid: of three B-frames in a row, the middle
one is a reference and the outer two are non-reference pictures (``nal_ref_idc`` 0). Requests in
steps of 1 to 7 frames hit reference and non-reference pictures at every position. The reference
is a single-threaded decode of every frame with nothing skipped, converted with the backend's own
rgb24 conversion, so the frames must match byte for byte.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator, Set
from pathlib import Path
from typing import Any, Literal

import av
import pytest

from cosmos.core.ffmpeg.timeline import PacketIndex
from cosmos.core.video.plan import DecodeWindow
from cosmos.shell.decode import pyav as pyav_backend
from cosmos.shell.video_index import video_index

SOURCE = ["-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25", "-t", "12"]
X264_BFRAMES = ["-c:v", "libx264", "-preset", "medium", "-bf", "3", "-g", "50"]
CLIP_ARGS = {
    "mp4": [*SOURCE, *X264_BFRAMES, "-pix_fmt", "yuv420p"],
    "mpegts": [*SOURCE, *X264_BFRAMES, "-pix_fmt", "yuv420p", "-output_ts_offset", "10"],
    "mkv": [*SOURCE, *X264_BFRAMES, "-pix_fmt", "yuv420p"],
    # Interlaced coding with MBAFF frame pictures, which x264 writes for +ildct.
    "mbaff": [*SOURCE, *X264_BFRAMES, "-pix_fmt", "yuv420p", "-flags", "+ildct+ilme"],
}
SUFFIXES = {"mp4": ".mp4", "mpegts": ".ts", "mkv": ".mkv", "mbaff": ".mp4"}
CLIP_NAMES = (*CLIP_ARGS, "editlist")
FRAME_COUNT = 300


def _ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args], check=True)


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("nonref")
    paths: dict[str, Path] = {}
    for name, args in CLIP_ARGS.items():
        path = folder / f"{name}{SUFFIXES[name]}"
        _ffmpeg(*args, str(path))
        paths[name] = path
    # A stream copy from 1.3 s, between keyframes, keeps the packets from the keyframe before
    # and writes an edit list, so the decoder drops the pre-roll frames.
    edit_list = folder / "editlist.mp4"
    _ffmpeg("-ss", "1.3", "-i", str(paths["mp4"]), "-t", "8", "-c", "copy", str(edit_list))
    paths["editlist"] = edit_list
    return paths


def _decode_every_frame(
    path: Path, skip_frame: Literal["DEFAULT", "NONREF"] = "DEFAULT"
) -> list[Any]:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "NONE"
        stream.codec_context.skip_frame = skip_frame
        return list(container.decode(stream))


@pytest.fixture(scope="module")
def references(clips: dict[str, Path]) -> dict[str, dict[int, bytes]]:
    """Map each clip to rgb24 bytes by PTS, from a plain single-threaded decode."""
    plain: dict[str, dict[int, bytes]] = {}
    for name, path in clips.items():
        frames = _decode_every_frame(path)
        plain[name] = {frame.pts: pyav_backend._to_rgb24(frame, 0) for frame in frames}
    return plain


def _request_patterns(frame_count: int) -> Iterator[tuple[int, ...]]:
    yield tuple(range(frame_count))
    for step in range(2, 8):
        for offset in range(min(step, 4)):
            yield tuple(range(offset, frame_count, step))


def _assert_frames_match(
    decoded: dict[int, bytes], targets: tuple[int, ...], index: PacketIndex, plain: dict[int, bytes]
) -> None:
    missing = [t for t in targets if t not in decoded]
    assert not missing, f"no frame for indices {missing[:8]}"
    differing = [t for t in targets if decoded[t] != plain[index.pts[t]]]
    assert not differing, f"frames {differing[:8]} differ from the plain decode"


@pytest.mark.parametrize("name", CLIP_NAMES)
def test_clip_has_nonref_pictures(clips: dict[str, Path], name: str) -> None:
    _, index = video_index(clips[name]).unwrap()
    frames = _decode_every_frame(clips[name])
    reference_frames = _decode_every_frame(clips[name], skip_frame="NONREF")
    assert len(frames) == index.frame_count
    assert len(reference_frames) < len(frames) * 3 // 4
    assert len(reference_frames) > len(frames) // 4
    assert all(frame.interlaced_frame == (name == "mbaff") for frame in frames)


def test_editlist_clip_has_preroll(clips: dict[str, Path]) -> None:
    with av.open(str(clips["editlist"])) as container:
        packets = [packet for packet in container.demux(video=0) if packet.size]
    _, index = video_index(clips["editlist"]).unwrap()
    assert index.frame_count < len(packets)


@pytest.mark.parametrize("thread_count", [1, 2, 4, 8])
@pytest.mark.parametrize("name", CLIP_NAMES)
def test_window_steps_match_plain_decode(
    clips: dict[str, Path],
    references: dict[str, dict[int, bytes]],
    name: str,
    thread_count: int,
) -> None:
    # Two or more threads make FFmpeg decode H.264 with frame threads.
    path = clips[name]
    _, index = video_index(path).unwrap()
    for targets in _request_patterns(index.frame_count):
        decoded = pyav_backend._decode_in_container(
            path,
            index,
            DecodeWindow(0, targets),
            thread_count,
            rotation_degrees=0,
            skip_nonref=True,
        )
        _assert_frames_match(decoded, targets, index, references[name])


@pytest.mark.parametrize("cores", [1, 2, 8])
@pytest.mark.parametrize("name", CLIP_NAMES)
def test_backend_steps_match_plain_decode(
    clips: dict[str, Path],
    references: dict[str, dict[int, bytes]],
    name: str,
    cores: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # With 2 or 8 cores the plan splits the 300-frame clips into two windows that seek and run
    # side by side, with 1 or 4 decoder threads each. One core keeps FFmpeg's automatic thread
    # count.
    monkeypatch.setattr(pyav_backend, "usable_cores", lambda: cores)
    path = clips[name]
    facts, index = video_index(path).unwrap()
    for targets in _request_patterns(index.frame_count):
        decoded = pyav_backend.decode_with_pyav(path, facts, index, targets, None).unwrap()
        _assert_frames_match(decoded, targets, index, references[name])


def test_sparse_request_drops_pictures(
    clips: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    produced: list[int] = []
    frames = pyav_backend._frames

    def counting_frames(
        container: Any, stream: Any, target_pts: Set[int], skip_nonref: bool
    ) -> Iterator[Any]:
        for frame in frames(container, stream, target_pts, skip_nonref):
            produced.append(frame.pts)
            yield frame

    monkeypatch.setattr(pyav_backend, "usable_cores", lambda: 1)
    monkeypatch.setattr(pyav_backend, "_frames", counting_frames)
    path = clips["mp4"]
    facts, index = video_index(path).unwrap()
    targets = tuple(range(0, FRAME_COUNT, 10))
    pyav_backend.decode_with_pyav(path, facts, index, targets, None).unwrap()
    reference_count = len(_decode_every_frame(path, skip_frame="NONREF"))
    assert len(produced) <= reference_count + len(targets)
    assert len(produced) < FRAME_COUNT


def test_missed_target_decoded_without_skipping(
    clips: dict[str, Path],
    references: dict[str, dict[int, bytes]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Losing a frame in passes with skipping simulates a decoder that drops a picture.
    path = clips["mp4"]
    facts, index = video_index(path).unwrap()
    lost_pts = index.pts[137]
    passes: list[bool] = []
    frames = pyav_backend._frames

    def lossy_frames(
        container: Any, stream: Any, target_pts: Set[int], skip_nonref: bool
    ) -> Iterator[Any]:
        passes.append(skip_nonref)
        for frame in frames(container, stream, target_pts, skip_nonref):
            if skip_nonref and frame.pts == lost_pts:
                continue
            yield frame

    monkeypatch.setattr(pyav_backend, "usable_cores", lambda: 1)
    monkeypatch.setattr(pyav_backend, "_frames", lossy_frames)
    targets = (3, 137, 250)
    decoded = pyav_backend.decode_with_pyav(path, facts, index, targets, None).unwrap()
    _assert_frames_match(decoded, targets, index, references["mp4"])
    # Only the window of frame 137 is decoded again, and its first pass without skipping
    # finds the frame.
    assert passes.count(False) == 1
    assert passes[0] is True


def test_hevc_decoded_without_skipping(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "hevc.mp4"
    x265 = ["-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error:bframes=3"]
    _ffmpeg("-f", "lavfi", "-i", "testsrc2=size=192x108:rate=25", "-t", "2", *x265, str(path))
    passes: list[bool] = []
    frames = pyav_backend._frames

    def recording_frames(
        container: Any, stream: Any, target_pts: Set[int], skip_nonref: bool
    ) -> Iterator[Any]:
        passes.append(skip_nonref)
        yield from frames(container, stream, target_pts, skip_nonref)

    monkeypatch.setattr(pyav_backend, "usable_cores", lambda: 1)
    monkeypatch.setattr(pyav_backend, "_frames", recording_frames)
    facts, index = video_index(path).unwrap()
    targets = tuple(range(0, index.frame_count, 5))
    decoded = pyav_backend.decode_with_pyav(path, facts, index, targets, None).unwrap()
    assert sorted(decoded) == list(targets)
    assert passes
    assert not any(passes)
