"""The Cosmos candidate for one probe: ``cosmos.sdk.video.probe_video`` on one file."""

from __future__ import annotations

import json
import sys

from cosmos.sdk.video import probe_video


def main() -> None:
    probe = probe_video(sys.argv[1])
    print(json.dumps({"width": probe.width, "height": probe.height}))


if __name__ == "__main__":
    main()
