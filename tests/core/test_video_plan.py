"""Decode plans and the FFmpeg argv that carries them out, on a synthetic 30 fps frame index."""

from __future__ import annotations

import itertools
from fractions import Fraction
from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion

from cosmos.core.ffmpeg.extract import build_full_scan_argv, build_window_argv
from cosmos.core.ffmpeg.timeline import PacketIndex
from cosmos.core.video.plan import (
    MAX_SELECT_RUNS,
    DecodeWindow,
    count_runs,
    decoder_threads,
    plan_decode,
    split_for_parallel,
)

TICKS_PER_FRAME = 512  # 30 fps in a 1/15360 time base, as FFmpeg writes H.264 MP4


def _index(frames: int, gop: int) -> PacketIndex:
    return PacketIndex(
        time_base=Fraction(1, 15360),
        pts=tuple(k * TICKS_PER_FRAME for k in range(frames)),
        keyframe_positions=tuple(range(0, frames, gop)),
        last_frame_ticks=TICKS_PER_FRAME,
        format_start_seconds=0.0,
    )


INDEX_1080P = _index(1800, 60)
INDEX_4K = _index(600, 250)


def _decoded_frames(windows: tuple[DecodeWindow, ...]) -> int:
    return sum(window.decoded_frames for window in windows)


def _covered(windows: tuple[DecodeWindow, ...]) -> list[int]:
    return [target for window in windows for target in window.targets]


def test_sparse_targets_use_windows() -> None:
    plan = plan_decode((10, 900, 1750), INDEX_1080P)
    assert plan.mode == "windows"
    assert [w.start_index for w in plan.windows] == [0, 900, 1740]


def test_sparse_plan_unchanged_by_parallel() -> None:
    assert plan_decode((10, 900, 1750), INDEX_1080P, parallel=2) == plan_decode(
        (10, 900, 1750), INDEX_1080P
    )


def test_short_window_not_split() -> None:
    targets = tuple(range(600, 630))
    plan = plan_decode(targets, INDEX_1080P, parallel=2)
    assert plan.windows == (DecodeWindow(600, targets),)


def test_long_scan_split_across_cores() -> None:
    targets = tuple(range(100, 1800))
    serial = plan_decode(targets, INDEX_1080P)
    assert serial.windows == (DecodeWindow(60, targets),)
    parallel = plan_decode(targets, INDEX_1080P, parallel=2)
    assert [w.start_index for w in parallel.windows] == [60, 960]
    assert parallel.windows[0].targets[-1] == 959
    assert _covered(parallel.windows) == list(targets)
    assert _decoded_frames(parallel.windows) == _decoded_frames(serial.windows)


def test_windows_of_4k_case_kept() -> None:
    # Every target up to 487 shares keyframe 250 or 0 with the one before, so no split helps.
    targets = (120, 243, 265, 430, 434, 466, 487, 598)
    plan = plan_decode(targets, INDEX_4K, parallel=2)
    assert plan.windows == (
        DecodeWindow(0, (120, 243, 265, 430, 434, 466, 487)),
        DecodeWindow(500, (598,)),
    )
    assert decoder_threads(plan.windows, 2) == (2, 1)


@pytest.mark.parametrize(
    ("decoded", "cores", "expected"),
    [
        ((100,), 2, (None,)),
        ((900, 900), 2, (1, 1)),
        ((11, 1, 11), 2, (1, 1, 1)),
        ((300, 100, 100), 4, (2, 1, 1)),
        ((900, 900), 1, (None, None)),
    ],
)
def test_decoder_threads_follow_share(
    decoded: tuple[int, ...], cores: int, expected: tuple[int | None, ...]
) -> None:
    windows = tuple(DecodeWindow(0, (frames - 1,)) for frames in decoded)
    assert decoder_threads(windows, cores) == expected


def test_every_tenth_frame_split_in_two() -> None:
    targets = tuple(range(0, 1800, 10))
    plan = plan_decode(targets, INDEX_1080P, parallel=2)
    assert [w.start_index for w in plan.windows] == [0, 900]
    assert _covered(plan.windows) == list(targets)
    for window in plan.windows:
        assert count_runs(window.targets) <= MAX_SELECT_RUNS


@pytest.mark.parametrize("parallel", [2, 3, 4, 16])
def test_parallel_pieces_never_overlap(parallel: int) -> None:
    targets = tuple(range(5, 1800, 7))
    window = DecodeWindow(0, targets)
    pieces = split_for_parallel(window, INDEX_1080P, parallel)
    assert 2 <= len(pieces) <= parallel
    assert _covered(tuple(pieces)) == list(targets)
    for previous, piece in itertools.pairwise(pieces):
        assert piece.start_index in INDEX_1080P.keyframe_positions
        assert piece.start_index > previous.targets[-1]
        assert piece.start_index <= piece.targets[0]


def test_split_skips_keyframe_inside_previous_piece() -> None:
    # One 250-frame GOP: no keyframe lies between the targets, so the window stays whole.
    index = _index(250, 250)
    window = DecodeWindow(0, (10, 240, 249))
    assert split_for_parallel(window, index, 2) == [window]


def test_window_argv_with_threads(snapshot_txt: SnapshotAssertion) -> None:
    window = DecodeWindow(900, (900, 901, 902, 950))
    argv = build_window_argv("ffmpeg", Path("in.mp4"), window, INDEX_1080P, threads=1)
    assert "\n".join(argv) == snapshot_txt


def test_full_scan_argv_default_threads(snapshot_txt: SnapshotAssertion) -> None:
    argv = build_full_scan_argv("ffmpeg", Path("in.mp4"), (0, 10, 20, 21, 22))
    assert "-threads" not in argv
    assert "\n".join(argv) == snapshot_txt
