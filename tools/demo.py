"""Ingest the real-footage corpus and print what each clip became.

Run through ``./dev demo`` (or ``just demo``). Prints, per clip, the output path, its size, frame
rate and duration, and its sha256 join key; progress goes to stderr.
"""

from __future__ import annotations

import sys
from pathlib import Path

import msgspec

from cosmos.core.model.documents import ClipDocument
from cosmos.sdk.errors import CosmosError
from cosmos.sdk.ingest import IngestOptions, ingest_run
from tools.fetch_media import REPO, fetch, real_footage_dir

DEFAULT_OUTPUT = REPO / "demo-output"


def _progress(event: object) -> None:
    clip = getattr(event, "clip", "")
    if getattr(event, "finished", False):
        print(f"encoded {clip}", file=sys.stderr)


def main(argv: list[str]) -> int:
    output_dir = Path(argv[0]) if argv else DEFAULT_OUTPUT
    print(f"fetching the real-footage corpus into {real_footage_dir()}", file=sys.stderr)
    fetch(real_footage_dir())
    print(f"ingesting {real_footage_dir()} into {output_dir}", file=sys.stderr)
    try:
        result = ingest_run(
            real_footage_dir(),
            output_dir,
            options=IngestOptions(),
            progress=_progress,
            command="just demo",
        )
    except CosmosError as error:
        print(f"error: {error.message}", file=sys.stderr)
        return 1

    print(f"{'clip':<20} {'size':>10} {'fps':>7} {'seconds':>8}  sha256 (join key)  output")
    for outcome in result.outcomes:
        if outcome.sidecar is None:
            print(f"{outcome.name:<20} {outcome.status}: {outcome.reason}")
            continue
        sidecar = msgspec.json.decode(Path(outcome.sidecar).read_bytes(), type=ClipDocument)
        video = sidecar.video
        fps = f"{video.fps:.3f}" if video.fps else "-"
        seconds = f"{video.duration_sec:.2f}" if video.duration_sec else "-"
        print(
            f"{outcome.name:<20} {f'{video.width}x{video.height}':>10} {fps:>7} {seconds:>8}  "
            f"{sidecar.output.sha256}  {sidecar.output.path}"
        )
    print(f"run document: {result.run_document}")
    failed = [o for o in result.outcomes if o.status != "produced"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
