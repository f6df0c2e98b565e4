"""A one-line progress display on stderr, shown only on a terminal."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # Types only: importing the ingest shell at run time would load the ingest planner into
    # `cosmos optimize`, which the start-up test forbids.
    from cosmos.shell.ingest import IngestProgress
    from cosmos.shell.optimize import OptimizeProgress


def _clock(seconds: float) -> str:
    whole = max(0, round(seconds))
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def _fraction(
    out_time_seconds: float | None,
    total_seconds: float | None,
    frame: int | None,
    total_frames: int | None,
) -> float | None:
    if total_seconds and out_time_seconds is not None:
        return min(1.0, out_time_seconds / total_seconds)
    if total_frames and frame is not None:
        return min(1.0, frame / total_frames)
    return None


class StderrProgress:
    """Redraw ``[clip n/N] name  42%  frame 120/250  87 fps  ETA 0:00:03`` on stderr.

    ``unit`` is the word in the brackets: ``clip`` for ingest, ``input`` for optimize.
    """

    def __init__(self, unit: str) -> None:
        self._unit = unit
        self._started: dict[int, float] = {}

    def show(
        self,
        *,
        name: str,
        number: int,
        total: int,
        fraction: float | None,
        frame: int | None,
        total_frames: int | None,
        fps: float | None,
        finished: bool,
    ) -> None:
        started = self._started.setdefault(number, time.monotonic())
        parts = [f"[{self._unit} {number}/{total}] {name}"]
        if fraction is not None:
            parts.append(f"{fraction:4.0%}")
        if frame is not None:
            of_total = f"/{total_frames}" if total_frames else ""
            parts.append(f"frame {frame}{of_total}")
        if fps:
            parts.append(f"{fps:.0f} fps")
        if fraction and 0 < fraction < 1:
            elapsed = time.monotonic() - started
            parts.append(f"ETA {_clock(elapsed / fraction - elapsed)}")
        line = "  ".join(parts)
        end = "\n" if finished else ""
        sys.stderr.write(f"\r\x1b[2K{line}{end}")
        sys.stderr.flush()


def _shows_progress(mode: str) -> bool:
    """Return whether a run shows progress: human output and stderr is a terminal."""
    return mode == "human" and sys.stderr.isatty()


def ingest_progress(mode: str) -> Callable[[IngestProgress], None] | None:
    """Return a progress display of ingest clips for human output on a terminal, else ``None``."""
    if not _shows_progress(mode):
        return None
    display = StderrProgress("clip")

    def on_event(event: IngestProgress) -> None:
        display.show(
            name=event.clip,
            number=event.clip_number,
            total=event.clip_total,
            fraction=_fraction(
                event.out_time_seconds, event.total_seconds, event.frame, event.total_frames
            ),
            frame=event.frame,
            total_frames=event.total_frames,
            fps=event.fps,
            finished=event.finished,
        )

    return on_event


def optimize_progress(mode: str) -> Callable[[OptimizeProgress], None] | None:
    """Return a progress display of optimize inputs for human output on a terminal, else
    ``None``."""
    if not _shows_progress(mode):
        return None
    display = StderrProgress("input")

    def on_event(event: OptimizeProgress) -> None:
        display.show(
            name=Path(event.source).name,
            number=event.number,
            total=event.total,
            fraction=_fraction(event.out_time_seconds, event.total_seconds, event.frame, None),
            frame=event.frame,
            total_frames=None,
            fps=event.fps,
            finished=event.finished,
        )

    return on_event
