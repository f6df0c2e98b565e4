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


def plan_decode(targets: tuple[int, ...], index: PacketIndex) -> DecodePlan:
    """Choose between one full scan and seek windows for sorted unique ``targets``."""
    full_scan = DecodePlan("full-scan", (DecodeWindow(0, targets),))
    windows = DecodePlan("windows", group_windows(targets, index))
    if len(windows.windows) == 1 and windows.windows[0].start_index == 0:
        return full_scan
    return windows if windows.cost_frames < full_scan.cost_frames else full_scan
