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


def plan_decode(targets: tuple[int, ...], index: PacketIndex) -> DecodePlan:
    """Choose between one full scan and seek windows for sorted unique ``targets``.

    Either way, no window selects more than ``MAX_SELECT_RUNS`` runs of frames.
    """
    full_scan = DecodePlan("full-scan", (DecodeWindow(0, targets),))
    windows = DecodePlan("windows", group_windows(targets, index))
    chosen = full_scan
    if not (len(windows.windows) == 1 and windows.windows[0].start_index == 0):
        chosen = windows if windows.cost_frames < full_scan.cost_frames else full_scan
    pieces = tuple(piece for w in chosen.windows for piece in split_window(w, index))
    return DecodePlan(chosen.mode, pieces)
