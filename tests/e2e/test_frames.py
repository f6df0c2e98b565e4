"""Frame identity across backends and decode paths, on media that makes identity hard.

The reference is a plain sequential decode of every frame (``ffmpeg -f rawvideo``). The
ffmpeg-cli backend must return those exact bytes; PyAV and TorchCodec convert colours with their
own libraries, so their frames must be closest to the reference frame of the requested index.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from returns.result import Success

from cosmos.core.ffmpeg import extract
from cosmos.core.ffmpeg.timeline import PacketIndex
from cosmos.core.video.plan import DecodePlan, DecodeWindow
from cosmos.sdk.errors import BackendNotInstalledError, VideoDecodeError
from cosmos.sdk.video import (
    extract_frames_at_indices,
    extract_frames_at_times,
    probe_video,
    probe_video_timeline,
)
from cosmos.shell import runner
from cosmos.shell.decode import ffmpeg_cli
from cosmos.shell.decode import pyav as pyav_backend
from cosmos.shell.video_index import video_index
from tests.media import set_display_rotation_90, write_truncated_mp4

BACKENDS = ("ffmpeg-cli", "pyav", "torchcodec")


def _ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args], check=True)


@dataclass(frozen=True)
class Case:
    name: str
    path: Path


def _make_cases(folder: Path) -> dict[str, Path]:
    src = ["-f", "lavfi", "-i", "testsrc2=size=192x108:rate=25"]
    x264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
    paths: dict[str, Path] = {}

    full = folder / "bframes.mp4"
    _ffmpeg(*src, "-t", "4", *x264, "-bf", "3", "-g", "25", "-preset", "medium", str(full))
    paths["bframes"] = full

    cut = folder / "editlist.mp4"
    _ffmpeg("-ss", "1.3", "-i", str(full), "-c", "copy", "-t", "2", str(cut))
    paths["editlist"] = cut

    ts = folder / "offset.ts"
    _ffmpeg(*src, "-t", "3", *x264, "-g", "25", "-output_ts_offset", "10", "-f", "mpegts", str(ts))
    paths["mpegts"] = ts

    mkv = folder / "nocount.mkv"
    _ffmpeg(*src, "-t", "3", *x264, "-g", "30", str(mkv))
    paths["mkv"] = mkv

    ntsc = folder / "ntsc.mp4"
    _ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=192x108:rate=30000/1001",
        "-t",
        "3",
        *x264,
        "-g",
        "30",
        str(ntsc),
    )
    paths["ntsc"] = ntsc

    hevc = folder / "hevc10.mp4"
    _ffmpeg(
        *src,
        "-t",
        "2",
        "-c:v",
        "libx265",
        "-preset",
        "ultrafast",
        "-pix_fmt",
        "yuv420p10le",
        "-x265-params",
        "log-level=error:keyint=25",
        "-tag:v",
        "hvc1",
        str(hevc),
    )
    paths["hevc10"] = hevc

    rotated = folder / "rotated.mp4"
    _ffmpeg(*src, "-t", "2", *x264, str(rotated))
    set_display_rotation_90(rotated)
    paths["rotated"] = rotated
    return paths


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return _make_cases(tmp_path_factory.mktemp("frames"))


def _reference(path: Path) -> list[bytes]:
    probe = probe_video(path)
    size = probe.width * probe.height * 3
    argv = [
        "ffmpeg",
        "-v",
        "error",
        "-i",
        str(path),
        "-map",
        "0:v:0",
        "-fps_mode",
        "passthrough",
        "-f",
        "rawvideo",
        "-pix_fmt",
        "rgb24",
        "pipe:1",
    ]
    raw = subprocess.run(argv, capture_output=True, check=True).stdout
    return [raw[i : i + size] for i in range(0, len(raw), size)]


def _distance(left: bytes, right: bytes) -> float:
    step = 7  # a sparse sample keeps this fast; frames differ everywhere testsrc2 moves
    return sum(abs(a - b) for a, b in zip(left[::step], right[::step], strict=True))


@pytest.fixture
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    name: str = request.param
    module = {"pyav": "av", "torchcodec": "torchcodec"}.get(name)
    if module is not None and importlib.util.find_spec(module) is None:
        pytest.skip(
            f"the {name} backend is not installed (pip install 'polli-cosmos[video-"
            f"{'av' if name == 'pyav' else 'torchcodec'}]')"
        )
    monkeypatch.setenv("COSMOS_VIDEO_BACKEND", name)
    yield name


def _expect_identity(path: Path, indices: list[int], backend: str) -> None:
    reference = _reference(path)
    frames = extract_frames_at_indices(path, indices)
    assert [frame.resolved_index for frame in frames] == indices
    for index, frame in zip(indices, frames, strict=True):
        if backend == "ffmpeg-cli":
            assert frame.rgb24 == reference[index], f"frame {index} differs from the reference"
            continue
        neighbours = [k for k in (index - 1, index, index + 1) if 0 <= k < len(reference)]
        closest = min(neighbours, key=lambda k: _distance(frame.rgb24, reference[k]))
        assert closest == index, f"{backend} returned frame {closest} for index {index}"


CASE_NAMES = ("bframes", "editlist", "mpegts", "mkv", "ntsc", "hevc10", "rotated")


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
@pytest.mark.parametrize("case", CASE_NAMES)
def test_identity_across_backends(cases: dict[str, Path], case: str, backend: str) -> None:
    path = cases[case]
    count = probe_video_timeline(path).frame_count
    indices = sorted({0, 1, count // 3, count // 2, count - 2, count - 1})
    _expect_identity(path, indices, backend)


@pytest.mark.parametrize("case", CASE_NAMES)
def test_timeline_matches_decode(cases: dict[str, Path], case: str) -> None:
    path = cases[case]
    assert probe_video_timeline(path).frame_count == len(_reference(path))


@pytest.mark.parametrize("mode", ["full-scan", "windows"])
@pytest.mark.parametrize("case", ["bframes", "editlist", "mpegts", "ntsc"])
def test_both_decode_paths(
    cases: dict[str, Path], case: str, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def forced(targets: tuple[int, ...], index: PacketIndex, parallel: int = 1) -> DecodePlan:
        del parallel  # the forced plans run as they are
        if mode == "full-scan":
            return DecodePlan("full-scan", (DecodeWindow(0, targets),))
        windows = tuple(DecodeWindow(index.keyframe_at_or_before(t), (t,)) for t in targets)
        return DecodePlan("windows", windows)

    monkeypatch.setattr(ffmpeg_cli, "plan_decode", forced)
    path = cases[case]
    count = probe_video_timeline(path).frame_count
    _expect_identity(path, sorted({0, 7, count // 2, count - 1}), "ffmpeg-cli")


def _windows_per_target(
    targets: tuple[int, ...], index: PacketIndex, parallel: int = 1
) -> DecodePlan:
    """Plan one seek window per target, each from its keyframe, so windows overlap."""
    del parallel  # the forced plans run as they are
    windows = tuple(DecodeWindow(index.keyframe_at_or_before(t), (t,)) for t in targets)
    return DecodePlan("windows", windows)


@pytest.fixture(scope="module")
def gop_cases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Clips with a keyframe every 25 frames, in the containers and GOP structures that decide
    whether several seek windows may share one FFmpeg process."""
    folder = tmp_path_factory.mktemp("gop-frames")
    src = ["-f", "lavfi", "-i", "testsrc2=size=192x108:rate=25", "-t", "4"]
    x264 = ["-c:v", "libx264", "-preset", "medium", "-pix_fmt", "yuv420p", "-bf", "3", "-g", "25"]
    paths = {
        "open-gop": folder / "open-gop.mp4",
        "bframes-ts": folder / "bframes.ts",
        "hevc-cra": folder / "cra.mp4",
        "rotated-gops": folder / "rotated.mp4",
        "audio": folder / "audio.mp4",
    }

    _ffmpeg(*src, *x264, "-x264-params", "open-gop=1", str(paths["open-gop"]))
    _ffmpeg(*src, *x264, "-output_ts_offset", "10", "-f", "mpegts", str(paths["bframes-ts"]))

    _ffmpeg(
        *src,
        *("-c:v", "libx265", "-preset", "ultrafast", "-pix_fmt", "yuv420p"),
        *("-x265-params", "log-level=error:keyint=25:open-gop=1", "-tag:v", "hvc1"),
        str(paths["hevc-cra"]),
    )

    _ffmpeg(*src, *x264, str(paths["rotated-gops"]))
    set_display_rotation_90(paths["rotated-gops"])

    _ffmpeg(
        *src,
        *("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"),
        *x264,
        *("-c:a", "aac", "-shortest"),
        str(paths["audio"]),
    )
    return paths


# Whether several windows share one process: only MP4 whose keyframes are IDR pictures.
SHARED_PROCESS = {
    "bframes": True,
    "editlist": True,
    "ntsc": True,
    "rotated-gops": True,
    "audio": True,
    "mpegts": False,
    "bframes-ts": False,
    "open-gop": False,
    "hevc-cra": False,
    "mkv": False,
}


@pytest.mark.parametrize("case", list(SHARED_PROCESS))
def test_windows_share_process_when_safe(
    cases: dict[str, Path],
    gop_cases: dict[str, Path],
    case: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    processes: list[tuple[str, ...]] = []
    real_run_reading = runner.run_reading

    def counting_run_reading(argv: tuple[str, ...], *args: Any, **kwargs: Any) -> Any:
        processes.append(tuple(argv))
        return real_run_reading(argv, *args, **kwargs)

    monkeypatch.setattr(ffmpeg_cli, "plan_decode", _windows_per_target)
    monkeypatch.setattr(ffmpeg_cli, "usable_cores", lambda: 1)
    monkeypatch.setattr(ffmpeg_cli, "run_reading", counting_run_reading)
    path = {**cases, **gop_cases}[case]
    indexed = video_index(path)
    assert isinstance(indexed, Success), indexed
    index = indexed.unwrap()[1]
    keyframes = [k for k in index.keyframe_positions if k > 0]
    assert len(keyframes) >= 2
    first, second = keyframes[:2]
    count = index.frame_count
    # Windows that start at the same keyframe, a target just before the next keyframe (an
    # open-GOP leading picture, decoded after that keyframe), and the last frame.
    indices = sorted({0, first, first + 1, first + 7, second - 1, second, second + 2, count - 1})
    _expect_identity(path, indices, "ffmpeg-cli")

    shared = [argv for argv in processes if "concat" in argv]
    if SHARED_PROCESS[case]:
        assert len(processes) == 1
        assert len(shared) == 1
    else:
        assert shared == []
        assert len(processes) >= len(indices) - 1


def test_sparse_request_one_process(
    cases: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    processes: list[tuple[str, ...]] = []
    real_run_reading = runner.run_reading

    def counting_run_reading(argv: tuple[str, ...], *args: Any, **kwargs: Any) -> Any:
        processes.append(tuple(argv))
        return real_run_reading(argv, *args, **kwargs)

    monkeypatch.setattr(ffmpeg_cli, "usable_cores", lambda: 2)
    monkeypatch.setattr(ffmpeg_cli, "run_reading", counting_run_reading)
    _expect_identity(cases["bframes"], [3, 50, 97], "ffmpeg-cli")
    assert len(processes) == 1
    assert "concat" in processes[0]


def test_short_shared_process_retried_per_window(
    cases: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    real_build = extract.build_concat_argv

    def one_frame_short(*args: Any, **kwargs: Any) -> tuple[str, ...]:
        argv = list(real_build(*args, **kwargs))
        position = argv.index("-frames:v") + 1
        argv[position] = str(int(argv[position]) - 1)
        return tuple(argv)

    monkeypatch.setattr(ffmpeg_cli, "plan_decode", _windows_per_target)
    monkeypatch.setattr(ffmpeg_cli, "build_concat_argv", one_frame_short)
    _expect_identity(cases["editlist"], [0, 20, 30, 45, 49], "ffmpeg-cli")


@pytest.fixture(scope="module")
def long_cases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Clips long enough (300 frames) for the ffmpeg-cli plan to split work across cores."""
    folder = tmp_path_factory.mktemp("long-frames")
    src = ["-f", "lavfi", "-i", "testsrc2=size=192x108:rate=25", "-t", "12"]
    x264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "25"]
    mp4 = folder / "long.mp4"
    _ffmpeg(*src, *x264, "-bf", "3", str(mp4))
    ts = folder / "long.ts"
    _ffmpeg(*src, *x264, "-output_ts_offset", "10", "-f", "mpegts", str(ts))
    return {"bframes": mp4, "mpegts": ts}


@pytest.fixture(scope="module")
def two_streams(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An MP4 whose second video stream is larger and marked default, so FFmpeg rates it the
    "best" stream."""
    path = tmp_path_factory.mktemp("two-streams") / "two.mp4"
    _ffmpeg(
        *("-f", "lavfi", "-i", "testsrc2=size=192x108:rate=25:duration=2"),
        *("-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=2"),
        *("-map", "0:v", "-map", "1:v", "-c:v", "libx264", "-preset", "ultrafast"),
        *("-pix_fmt", "yuv420p", "-g", "25"),
        *("-disposition:v:0", "0", "-disposition:v:1", "default", str(path)),
    )
    return path


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
def test_first_video_stream_decoded(two_streams: Path, backend: str) -> None:
    assert (probe_video(two_streams).width, probe_video(two_streams).height) == (192, 108)
    _expect_identity(two_streams, [0, 13, 49], backend)


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
def test_long_mpegts_every_frame(
    long_cases: dict[str, Path], backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two cores make the ffmpeg-cli and PyAV plans split the request into two pieces.
    monkeypatch.setattr(ffmpeg_cli, "usable_cores", lambda: 2)
    monkeypatch.setattr(pyav_backend, "usable_cores", lambda: 2)
    path = long_cases["mpegts"]
    _expect_identity(path, list(range(0, 300, 3)), backend)


@pytest.mark.parametrize("cores", [2, 3])
@pytest.mark.parametrize("case", ["bframes", "mpegts"])
def test_parallel_pieces_identity(
    long_cases: dict[str, Path], case: str, cores: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ffmpeg_cli, "usable_cores", lambda: cores)
    path = long_cases[case]
    count = probe_video_timeline(path).frame_count
    assert count == 300
    _expect_identity(path, list(range(count)), "ffmpeg-cli")
    _expect_identity(path, list(range(3, count, 4)), "ffmpeg-cli")


def test_duplicates_and_order(cases: dict[str, Path]) -> None:
    path = cases["bframes"]
    frames = extract_frames_at_indices(path, [50, 3, 50, 0])
    assert [f.requested_index for f in frames] == [50, 3, 50, 0]
    assert frames[0].rgb24 == frames[2].rgb24
    assert frames[0].rgb24 != frames[1].rgb24


def test_numpy_indices(cases: dict[str, Path]) -> None:
    numpy = pytest.importorskip("numpy")
    frames = extract_frames_at_indices(cases["bframes"], [numpy.int64(2), numpy.int32(4)])
    assert [f.resolved_index for f in frames] == [2, 4]


def test_empty_request_runs_nothing(tmp_path: Path) -> None:
    assert extract_frames_at_indices(tmp_path / "absent.mp4", []) == []
    assert extract_frames_at_times(tmp_path / "absent.mp4", []) == []


@pytest.mark.parametrize("bad", [-1, 1.5, True, "3", None])
def test_invalid_index_rejected(cases: dict[str, Path], bad: object) -> None:
    with pytest.raises(ValueError, match="invalid frame index"):
        extract_frames_at_indices(cases["bframes"], [0, bad])  # type: ignore[list-item]


@pytest.mark.parametrize("case", ["bframes", "mkv"])
def test_index_out_of_range(cases: dict[str, Path], case: str) -> None:
    count = probe_video_timeline(cases[case]).frame_count
    with pytest.raises(ValueError, match=f"valid indices are 0 to {count - 1}"):
        extract_frames_at_indices(cases[case], [count])


@pytest.mark.parametrize("bad", [-0.5, float("nan"), float("inf"), True])
def test_invalid_time_rejected(cases: dict[str, Path], bad: float) -> None:
    with pytest.raises(ValueError, match="invalid time"):
        extract_frames_at_times(cases["bframes"], [bad])


def test_time_out_of_range(cases: dict[str, Path]) -> None:
    with pytest.raises(ValueError, match="valid times are 0 to 4"):
        extract_frames_at_times(cases["bframes"], [4.5])


@pytest.mark.parametrize(
    ("seconds", "index"),
    [(0.0, 0), (0.04, 1), (0.0399, 0), (1.0, 25), (3.97, 99), (4.0, 99)],
    ids=["zero", "boundary", "before-boundary", "one-second", "last-interval", "duration"],
)
def test_time_displayed_at(cases: dict[str, Path], seconds: float, index: int) -> None:
    (frame,) = extract_frames_at_times(cases["bframes"], [seconds])
    assert frame.resolved_index == index
    assert frame.requested_time_seconds == seconds
    assert frame.resolved_time_seconds == pytest.approx(index / 25)


def test_time_uses_real_pts(cases: dict[str, Path]) -> None:
    path = cases["ntsc"]
    (frame,) = extract_frames_at_times(path, [2.0])
    assert frame.resolved_index == 59
    assert frame.resolved_time_seconds == pytest.approx(59 * 1001 / 30000)


def test_rotated_frames_displayed_size(cases: dict[str, Path]) -> None:
    (frame,) = extract_frames_at_indices(cases["rotated"], [0])
    assert (frame.width, frame.height) == (108, 192)
    assert len(frame.rgb24) == 108 * 192 * 3


def test_truncated_file_decode_error(cases: dict[str, Path], tmp_path: Path) -> None:
    broken = tmp_path / "truncated.mkv"
    data = cases["mkv"].read_bytes()
    broken.write_bytes(data[: len(data) // 2])
    count = probe_video_timeline(broken).frame_count
    frames = extract_frames_at_indices(broken, [count - 1])
    assert frames[0].resolved_index == count - 1
    with pytest.raises(ValueError, match="out of range"):
        extract_frames_at_indices(broken, [74])


def test_corrupt_file_probe_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(os.urandom(4096))
    with pytest.raises((VideoDecodeError, ValueError, RuntimeError)) as raised:
        extract_frames_at_indices(junk, [0])
    assert str(junk) in str(raised.value)


def test_unknown_backend_lists_values(
    cases: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COSMOS_VIDEO_BACKEND", "gpu")
    with pytest.raises(ValueError, match="ffmpeg-cli") as raised:
        extract_frames_at_indices(cases["bframes"], [0])
    assert "'gpu'" in str(raised.value)


def test_missing_backend_names_extra(
    cases: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import builtins

    real_import = builtins.__import__

    def reject_av_import(name: str, *args: object, **kwargs: object) -> object:
        if name == "av":
            raise ImportError("no av")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setenv("COSMOS_VIDEO_BACKEND", "pyav")
    monkeypatch.setattr(builtins, "__import__", reject_av_import)
    with pytest.raises(BackendNotInstalledError, match=r"polli-cosmos\[video-av\]"):
        extract_frames_at_indices(cases["bframes"], [0])


def test_timeout_kills_ffmpeg(cases: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    # A slow "ffmpeg" that sleeps plays the part of a decode that hangs.
    monkeypatch.setenv("COSMOS_VIDEO_FFMPEG_TIMEOUT", "0.5")
    script = cases["bframes"].parent / "slow-ffmpeg"
    script.write_text("#!/bin/sh\nexec sleep 30\n", encoding="utf-8")
    script.chmod(0o755)
    probe_video_timeline(cases["bframes"])  # index the file with the real ffprobe first
    monkeypatch.setenv("COSMOS_FFMPEG", str(script))
    with pytest.raises(VideoDecodeError, match="timed out"):
        extract_frames_at_indices(cases["bframes"], [0])
    leftover = subprocess.run(
        ["pgrep", "-f", str(script)],
        capture_output=True,
        check=False,
    )
    assert leftover.stdout == b""


def test_many_separated_frames(tmp_path: Path) -> None:
    # 125 separated frames: more than one FFmpeg select expression can hold (100 terms).
    path = tmp_path / "long.mp4"
    _ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=64x48:rate=25",
        "-t",
        "10",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-pix_fmt",
        "yuv420p",
        str(path),
    )
    reference = _reference(path)
    indices = list(range(0, 250, 2))
    frames = extract_frames_at_indices(path, indices)
    assert [f.resolved_index for f in frames] == indices
    assert all(f.rgb24 == reference[i] for f, i in zip(frames, indices, strict=True))


def test_many_separated_frames_windows(
    cases: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("cosmos.core.video.plan.MAX_SELECT_RUNS", 3)
    path = cases["bframes"]
    reference = _reference(path)
    indices = [1, 5, 9, 13, 30, 31, 32, 40, 60, 70, 80, 90, 99]
    frames = extract_frames_at_indices(path, indices)
    assert all(f.rgb24 == reference[i] for f, i in zip(frames, indices, strict=True))


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
def test_truncated_last_frame_decodes(backend: str, tmp_path: Path) -> None:
    cut = write_truncated_mp4(tmp_path / "cut.mp4", width=320, height=240, seconds=4, keep=0.4)

    count = probe_video_timeline(cut).frame_count
    (last,) = extract_frames_at_indices(cut, [count - 1])

    assert 0 < count < 100
    assert (last.width, last.height) == (320, 240)
