"""Parser of FFmpeg's ``-progress`` output (``key=value`` lines, blocks ending in ``progress=``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ProgressBlock:
    """One progress report: frames written, encode speed and output time so far."""

    frame: int | None
    fps: float | None
    out_time_seconds: float | None
    finished: bool


class ProgressParser:
    """Collect ``key=value`` lines and return a block each time a ``progress=`` line ends one."""

    def __init__(self) -> None:
        self._fields: dict[str, str] = {}

    def feed(self, line: str) -> ProgressBlock | None:
        key, sep, value = line.strip().partition("=")
        if not sep:
            return None
        if key != "progress":
            self._fields[key] = value
            return None
        fields, self._fields = self._fields, {}
        return ProgressBlock(
            frame=_to_int(fields.get("frame")),
            fps=_to_float(fields.get("fps")),
            out_time_seconds=_out_time_seconds(fields),
            finished=value == "end",
        )


def progress_line_handler(on_block: Callable[[ProgressBlock], None]) -> Callable[[str], None]:
    """Return a handler of FFmpeg stdout lines that passes each complete block to ``on_block``."""
    parser = ProgressParser()

    def on_line(line: str) -> None:
        block = parser.feed(line)
        if block is not None:
            on_block(block)

    return on_line


def _to_int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def _to_float(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def _out_time_seconds(fields: dict[str, str]) -> float | None:
    # out_time_us is the documented key; FFmpeg 5.1 also prints out_time_ms in microseconds.
    micros = _to_int(fields.get("out_time_us"))
    if micros is None or micros < 0:
        return None
    return micros / 1_000_000
