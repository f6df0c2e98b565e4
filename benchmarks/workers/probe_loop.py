"""Probe one unchanged file N times in one process and report the seconds the loop took.

Usage: ``probe_loop.py pyav|cosmos FILE N``. ``pyav`` opens the file with ``av.open`` and reads
the first video stream's width, height and duration; ``cosmos`` calls ``probe_video``. Imports
happen before the clock starts, so only the probes are timed.
"""

from __future__ import annotations

import json
import sys
import time


def probe_with_pyav(path: str, count: int) -> float:
    import av

    started = time.perf_counter()
    for _ in range(count):
        with av.open(path) as container:
            stream = container.streams.video[0]
            width, height = stream.width, stream.height
            duration = stream.duration
            if width <= 0 or height <= 0 or duration is None:
                raise SystemExit(f"PyAV read no size or duration from {path}")
    return time.perf_counter() - started


def probe_with_cosmos(path: str, count: int) -> float:
    from cosmos.sdk.video import probe_video

    started = time.perf_counter()
    for _ in range(count):
        probe = probe_video(path)
        if probe.width <= 0 or probe.height <= 0 or probe.duration_seconds is None:
            raise SystemExit(f"probe_video read no size or duration from {path}")
    return time.perf_counter() - started


def main() -> None:
    reader, path, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if reader == "pyav":
        seconds = probe_with_pyav(path, count)
    elif reader == "cosmos":
        seconds = probe_with_cosmos(path, count)
    else:
        raise SystemExit(f"invalid reader {reader!r}; pass pyav or cosmos")
    print(json.dumps({"seconds": seconds}))


if __name__ == "__main__":
    main()
