"""Decode plans and the FFmpeg argv that carries them out, on a synthetic 30 fps frame index."""

from __future__ import annotations

import itertools
import re
from fractions import Fraction
from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion

from cosmos.core.ffmpeg.extract import (
    MICROSECOND,
    build_concat_argv,
    build_concat_script,
    build_full_scan_argv,
    build_window_argv,
    ffconcat_can_name,
    rescale_rounded,
)
from cosmos.core.ffmpeg.timeline import PacketIndex
from cosmos.core.video.keyframes import nal_unit_type, resets_decoder
from cosmos.core.video.plan import (
    MAX_SELECT_RUNS,
    DecodeWindow,
    count_runs,
    decoder_threads,
    group_for_processes,
    plan_decode,
    process_threads,
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


def test_sparse_windows_share_one_process() -> None:
    windows = plan_decode((10, 900, 1750), INDEX_1080P, parallel=2).windows
    groups = group_for_processes(windows, 2)
    assert groups == (windows,)
    assert process_threads(groups, 2) == (None,)


def test_4k_windows_keep_two_processes() -> None:
    windows = plan_decode((120, 243, 265, 430, 434, 466, 487, 598), INDEX_4K, parallel=2).windows
    groups = group_for_processes(windows, 2)
    assert groups == ((windows[0],), (windows[1],))
    assert process_threads(groups, 2) == (2, 1)


def test_long_scan_pieces_keep_two_processes() -> None:
    windows = plan_decode(tuple(range(0, 1800, 10)), INDEX_1080P, parallel=2).windows
    assert group_for_processes(windows, 2) == ((windows[0],), (windows[1],))


def test_groups_cover_windows_in_order() -> None:
    windows = tuple(DecodeWindow(start, (start + 5,)) for start in range(0, 1800, 60))
    for cores in (1, 2, 3, 4):
        groups = group_for_processes(windows, cores)
        assert [window for group in groups for window in group] == list(windows)
        assert len(groups) <= cores


def test_groups_split_at_select_run_limit() -> None:
    windows = tuple(DecodeWindow(start, (start, start + 2)) for start in range(0, 1800, 10))
    groups = group_for_processes(windows, 1)
    assert len(groups) > 1
    for group in groups:
        assert sum(count_runs(window.targets) for window in group) <= MAX_SELECT_RUNS


@pytest.mark.parametrize(
    ("value", "source", "target", "expected"),
    [
        (1, MICROSECOND, Fraction(1, 15360), 0),  # 0.01536 ticks
        (32553, MICROSECOND, Fraction(1, 15360), 500),  # 499.99... ticks
        (-32553, MICROSECOND, Fraction(1, 15360), -500),
        (1, Fraction(1, 2), Fraction(1, 1), 1),  # half rounds away from zero
        (-1, Fraction(1, 2), Fraction(1, 1), -1),
        (3, Fraction(1, 4), Fraction(1, 1), 1),
    ],
)
def test_rescale_rounds_like_ffmpeg(
    value: int, source: Fraction, target: Fraction, expected: int
) -> None:
    assert rescale_rounded(value, source, target) == expected


def test_concat_script_sparse(snapshot_txt: SnapshotAssertion) -> None:
    windows = plan_decode((10, 900, 1750), INDEX_1080P).windows
    script = build_concat_script(Path("in.mp4"), windows, INDEX_1080P)
    assert script.text == snapshot_txt(name="text")
    assert script.expression == snapshot_txt(name="expression")


def test_concat_segments_never_share_timestamps() -> None:
    # Two windows that decode the same frames: each target's timestamp appears once.
    windows = (DecodeWindow(0, (3, 4)), DecodeWindow(0, (4, 30)), DecodeWindow(60, (61,)))
    script = build_concat_script(Path("in.mp4"), windows, INDEX_1080P)
    values = [int(value) for value in re.findall(r"-?\d+", script.expression)]
    assert len(values) == 5
    assert len(set(values)) == len(values)
    length_ticks = INDEX_1080P.pts[-1] + TICKS_PER_FRAME
    assert min(values[2:4]) - max(values[:2]) > length_ticks
    assert values[4] - max(values[2:4]) > length_ticks


def test_concat_script_quotes_path() -> None:
    window = DecodeWindow(0, (1,))
    script = build_concat_script(Path("it's here.mp4"), (window, window), INDEX_1080P)
    assert "file 'file:it'\\''s here.mp4'" in script.text
    assert not ffconcat_can_name(Path("two\nlines.mp4"))
    with pytest.raises(ValueError, match="line break"):
        build_concat_script(Path("two\nlines.mp4"), (window, window), INDEX_1080P)


def test_concat_argv(snapshot_txt: SnapshotAssertion) -> None:
    windows = (DecodeWindow(0, (10,)), DecodeWindow(900, (900, 901)))
    argv = build_concat_argv("ffmpeg", Path("in.mp4"), windows, INDEX_1080P, threads=2)
    assert argv[argv.index("-frames:v") + 1] == "3"
    assert "\n".join(argv) == snapshot_txt


def test_keyframe_location_only_for_keyframes() -> None:
    index = PacketIndex(
        time_base=Fraction(1, 25),
        pts=tuple(range(50)),
        keyframe_positions=(0, 25),
        last_frame_ticks=1,
        format_start_seconds=0.0,
        keyframe_locations=((48, 900), (5000, 800)),
    )
    assert index.keyframe_location(25) == (5000, 800)
    assert index.keyframe_location(24) is None
    assert INDEX_1080P.keyframe_location(60) is None


@pytest.mark.parametrize(
    ("codec", "headers", "expected"),
    [
        ("h264", [0x09, 0x06, 0x67, 0x68, 0x65], True),  # AUD, SEI, SPS, PPS, IDR slice
        ("h264", [0x06, 0x41], False),  # SEI, non-IDR slice (an open-GOP I picture)
        ("h264", [0x67, 0x68], False),  # no slice at all
        ("h264", [0x65, 0x41], False),
        ("hevc", [0x40, 0x42, 0x44, 0x26], True),  # VPS, SPS, PPS, IDR_W_RADL
        ("hevc", [0x28], True),  # IDR_N_LP
        ("hevc", [0x2A], False),  # CRA
        ("vp9", [0x65], False),
    ],
)
def test_resets_decoder_on_idr_only(codec: str, headers: list[int], expected: bool) -> None:
    types = [nal_unit_type(codec, header) for header in headers]
    assert resets_decoder(codec, types) is expected
