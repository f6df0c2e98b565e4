"""The decode plan: one full scan from the start, or seek windows that start at keyframes.

The choice is a pure cost function of the request, measured in decoded frames. Starting an
FFmpeg process with input seeking costs about as much as decoding ``WINDOW_STARTUP_FRAMES``
frames (an estimate from 1080p H.264 on two cores), so windows win for late or widely separated
requests and a full scan wins for dense early ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from cosmos.core.ffmpeg.timeline import PacketIndex

WINDOW_STARTUP_FRAMES = 12
# FFmpeg 5.1 rejects a select expression of more than 100 terms (measured: 100 parse, 101 fail),
# so one process selects at most this many runs of consecutive frames.
MAX_SELECT_RUNS = 90
# Parallel decoding splits a window only into pieces of at least this many frames, because each
# extra FFmpeg process costs about WINDOW_STARTUP_FRAMES frames to start.
MIN_PARALLEL_PIECE_FRAMES = 120


@dataclass(frozen=True, slots=True)
class DecodeWindow:
    """Decode from keyframe ``start_index`` through the last of ``targets`` (sorted, unique)."""

    start_index: int
    targets: tuple[int, ...]

    @property
    def decoded_frames(self) -> int:
        return self.targets[-1] - self.start_index + 1


@dataclass(frozen=True, slots=True)
class DecodePlan:
    mode: Literal["full-scan", "windows"]
    windows: tuple[DecodeWindow, ...]

    @property
    def cost_frames(self) -> int:
        return sum(window.decoded_frames + WINDOW_STARTUP_FRAMES for window in self.windows)


def group_windows(targets: tuple[int, ...], index: PacketIndex) -> tuple[DecodeWindow, ...]:
    """Group sorted unique targets into windows; a target whose keyframe is already decoded
    by the previous window joins it."""
    windows: list[DecodeWindow] = []
    for target in targets:
        keyframe = index.keyframe_at_or_before(target)
        if windows:
            last = windows[-1]
            restart_cost = (target - keyframe + 1) + WINDOW_STARTUP_FRAMES
            continue_cost = target - last.targets[-1]
            if keyframe <= last.targets[-1] or continue_cost <= restart_cost:
                windows[-1] = DecodeWindow(last.start_index, (*last.targets, target))
                continue
        windows.append(DecodeWindow(keyframe, (target,)))
    return tuple(windows)


def count_runs(targets: tuple[int, ...]) -> int:
    """Count the runs of consecutive values in sorted unique ``targets``."""
    return sum(1 for i, t in enumerate(targets) if i == 0 or t != targets[i - 1] + 1)


def split_window(window: DecodeWindow, index: PacketIndex) -> list[DecodeWindow]:
    """Split a window whose targets form more than ``MAX_SELECT_RUNS`` runs; every later
    piece starts at the keyframe before its first target."""
    pieces: list[DecodeWindow] = []
    current: list[int] = []
    runs = 0
    for target in window.targets:
        starts_run = not current or target != current[-1] + 1
        if starts_run and runs == MAX_SELECT_RUNS:
            start = window.start_index if not pieces else index.keyframe_at_or_before(current[0])
            pieces.append(DecodeWindow(start, tuple(current)))
            current, runs = [], 0
        if not current or target != current[-1] + 1:
            runs += 1
        current.append(target)
    start = window.start_index if not pieces else index.keyframe_at_or_before(current[0])
    pieces.append(DecodeWindow(start, tuple(current)))
    return pieces


def split_for_parallel(
    window: DecodeWindow, index: PacketIndex, parallel: int
) -> list[DecodeWindow]:
    """Split a long window at keyframes into up to ``parallel`` pieces of similar length.

    A piece starts at the keyframe at or before its first target, and only past the previous
    piece's last target, so no frame is decoded twice.
    """
    count = min(parallel, window.decoded_frames // MIN_PARALLEL_PIECE_FRAMES)
    if count < 2:
        return [window]
    share = window.decoded_frames / count
    pieces: list[DecodeWindow] = []
    start = window.start_index
    current: list[int] = []
    for target in window.targets:
        boundary = window.start_index + share * (len(pieces) + 1)
        if current and len(pieces) < count - 1 and target >= boundary:
            keyframe = index.keyframe_at_or_before(target)
            if keyframe > current[-1]:
                pieces.append(DecodeWindow(start, tuple(current)))
                start, current = keyframe, []
        current.append(target)
    pieces.append(DecodeWindow(start, tuple(current)))
    return pieces


def decoder_threads(windows: tuple[DecodeWindow, ...], cores: int) -> tuple[int | None, ...]:
    """Give each window decoder threads in proportion to its share of the decoded frames.

    A lone window keeps FFmpeg's automatic choice (``None``). Windows that run side by side get
    at least one thread each, so a long window next to a short one keeps more of the cores.
    """
    return _threads_by_share([window.decoded_frames for window in windows], cores)


def process_threads(
    groups: tuple[tuple[DecodeWindow, ...], ...], cores: int
) -> tuple[int | None, ...]:
    """Give each group of windows decoder threads as :func:`decoder_threads` gives windows."""
    frames = [sum(window.decoded_frames for window in group) for group in groups]
    return _threads_by_share(frames, cores)


def _threads_by_share(decoded_frames: list[int], cores: int) -> tuple[int | None, ...]:
    if len(decoded_frames) < 2 or cores < 2:
        return tuple(None for _ in decoded_frames)
    total = sum(decoded_frames)
    return tuple(max(1, round(cores * frames / total)) for frames in decoded_frames)


def group_for_processes(
    windows: tuple[DecodeWindow, ...], cores: int
) -> tuple[tuple[DecodeWindow, ...], ...]:
    """Group consecutive windows so that one FFmpeg process decodes each group in sequence.

    Each FFmpeg process costs about 47 MiB of RSS even for ``ffmpeg -version`` (measured with
    Debian's FFmpeg 5.1, which links 215 shared libraries). So windows share one process unless
    the work is large enough for parallel processes to pay. There is one process per
    ``MIN_PARALLEL_PIECE_FRAMES`` decoded frames, at most ``cores``. Groups take similar shares
    of the decoded frames, and no group selects more than ``MAX_SELECT_RUNS`` runs, which can make
    more groups than ``cores``.
    """
    total = sum(window.decoded_frames for window in windows)
    count = max(1, min(cores, len(windows), total // MIN_PARALLEL_PIECE_FRAMES))
    groups: list[tuple[DecodeWindow, ...]] = []
    current: list[DecodeWindow] = []
    current_runs = 0
    done = 0
    for window in windows:
        runs = count_runs(window.targets)
        share_reached = len(groups) < count - 1 and done >= total * (len(groups) + 1) / count
        if current and (share_reached or current_runs + runs > MAX_SELECT_RUNS):
            groups.append(tuple(current))
            current, current_runs = [], 0
        current.append(window)
        current_runs += runs
        done += window.decoded_frames
    groups.append(tuple(current))
    return tuple(groups)


def plan_decode(targets: tuple[int, ...], index: PacketIndex, parallel: int = 1) -> DecodePlan:
    """Choose between one full scan and seek windows for sorted unique ``targets``.

    Either way, no window selects more than ``MAX_SELECT_RUNS`` runs of frames. With
    ``parallel`` above 1 (the processes the caller runs at once), fewer windows than that are
    split further with :func:`split_for_parallel`.
    """
    full_scan = DecodePlan("full-scan", (DecodeWindow(0, targets),))
    windows = DecodePlan("windows", group_windows(targets, index))
    chosen = full_scan
    if not (len(windows.windows) == 1 and windows.windows[0].start_index == 0):
        chosen = windows if windows.cost_frames < full_scan.cost_frames else full_scan
    pieces = [piece for w in chosen.windows for piece in split_window(w, index)]
    if parallel > 1 and len(pieces) < parallel:
        pieces = [part for piece in pieces for part in split_for_parallel(piece, index, parallel)]
    return DecodePlan(chosen.mode, tuple(pieces))
