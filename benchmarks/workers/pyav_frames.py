"""The raw PyAV reference: decode frames by index to rgb24 arrays, with no Cosmos code.

Usage: ``pyav_frames.py FILE [--one-pass] INDEX...``. Index ``k`` is mapped to the PTS
``start + k / fps``, which holds for the constant-rate benchmark clips. For each target, in
ascending order, the script seeks backward to the keyframe before it (``container.seek(pts,
stream=..., backward=True)``), decodes up to it and converts it with
``frame.to_ndarray(format="rgb24")``. It skips the seek and decodes forward instead when the
target is at most one second after the last decoded frame, as a caller reading nearby frames
would. ``--one-pass`` never seeks again after the first target and decodes forward through all
of them. The arrays are kept until the end, as a caller of a batch API keeps what it returns.
The stream uses frame threading (``thread_type = "AUTO"``), the usual setting for fast PyAV
decoding and the one the Cosmos PyAV backend uses.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

import av
import numpy
from av.video.frame import VideoFrame


def main() -> None:
    path, *values = sys.argv[1:]
    one_pass = bool(values) and values[0] == "--one-pass"
    targets = sorted({int(value) for value in (values[1:] if one_pass else values)})
    resolved: list[int] = []
    arrays: list[numpy.ndarray[Any, Any]] = []
    with av.open(path) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        assert stream.average_rate is not None and stream.time_base is not None
        ticks_per_frame = 1 / (Fraction(stream.average_rate) * stream.time_base)
        start = stream.start_time or 0
        forward_limit = float("inf") if one_pass else float(stream.average_rate) * ticks_per_frame
        frames: Iterator[VideoFrame] | None = None
        last_pts: int | None = None
        for target in targets:
            target_pts = start + round(target * ticks_per_frame)
            if frames is None or last_pts is None or target_pts - last_pts > forward_limit:
                container.seek(target_pts, stream=stream, backward=True)
                frames = container.decode(stream)
            for frame in frames:
                assert frame.pts is not None
                last_pts = frame.pts
                if frame.pts >= target_pts:
                    break
            if last_pts != target_pts:
                raise SystemExit(f"no frame at PTS {target_pts} (index {target}) in {path}")
            arrays.append(frame.to_ndarray(format="rgb24"))
            resolved.append(round((last_pts - start) / ticks_per_frame))
    total_bytes = sum(array.nbytes for array in arrays)
    print(json.dumps({"resolved": resolved, "bytes": total_bytes}))


if __name__ == "__main__":
    main()
