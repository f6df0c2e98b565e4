"""A one-line progress display on stderr, shown only on a terminal."""

from __future__ import annotations

import sys
import time

from cosmos.shell.ingest import IngestProgress


def _clock(seconds: float) -> str:
    whole = max(0, round(seconds))
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


class StderrProgress:
    """Redraw ``[clip n/N] name  42% frame 120/250  87 fps  ETA 0:00:03`` on stderr."""

    def __init__(self) -> None:
        self._started: dict[str, float] = {}

    def __call__(self, event: IngestProgress) -> None:
        started = self._started.setdefault(event.clip, time.monotonic())
        fraction: float | None = None
        if event.total_seconds and event.out_time_seconds is not None:
            fraction = min(1.0, event.out_time_seconds / event.total_seconds)
        elif event.total_frames and event.frame is not None:
            fraction = min(1.0, event.frame / event.total_frames)
        parts = [f"[clip {event.clip_number}/{event.clip_total}] {event.clip}"]
        if fraction is not None:
            parts.append(f"{fraction:4.0%}")
        if event.frame is not None:
            total = f"/{event.total_frames}" if event.total_frames else ""
            parts.append(f"frame {event.frame}{total}")
        if event.fps:
            parts.append(f"{event.fps:.0f} fps")
        if fraction and 0 < fraction < 1:
            elapsed = time.monotonic() - started
            parts.append(f"ETA {_clock(elapsed / fraction - elapsed)}")
        line = "  ".join(parts)
        end = "\n" if event.finished else ""
        sys.stderr.write(f"\r\x1b[2K{line}{end}")
        sys.stderr.flush()


def progress_for(mode: str) -> StderrProgress | None:
    """Return a progress display for human output on a terminal, else ``None``."""
    if mode != "human" or not sys.stderr.isatty():
        return None
    return StderrProgress()
