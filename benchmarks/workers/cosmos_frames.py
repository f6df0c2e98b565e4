"""The Cosmos candidate: extract frames through ``cosmos.sdk.video``.

Usage: ``cosmos_frames.py FILE index|time VALUE...``. ``COSMOS_VIDEO_BACKEND`` picks the backend,
as it does for any caller. Prints the sorted unique resolved indices and the rgb24 byte count.
"""

from __future__ import annotations

import json
import sys

from cosmos.sdk.video import extract_frames_at_indices, extract_frames_at_times


def main() -> None:
    path, kind, *values = sys.argv[1:]
    if kind == "index":
        frames = extract_frames_at_indices(path, [int(value) for value in values])
    elif kind == "time":
        frames = extract_frames_at_times(path, [float(value) for value in values])
    else:
        raise SystemExit(f"invalid request kind {kind!r}; pass index or time")
    resolved = sorted(
        {frame.resolved_index for frame in frames if frame.resolved_index is not None}
    )
    total_bytes = sum(len(frame.rgb24) for frame in frames)
    print(json.dumps({"resolved": resolved, "bytes": total_bytes}))


if __name__ == "__main__":
    main()
