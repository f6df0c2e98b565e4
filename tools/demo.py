"""Ingest the real-footage corpus and a synthetic COSM session, and print what each clip became.

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
from cosmos.shell.ingest import IngestResult
from tools.cosm_session import DEMO_SPEC, generate_session
from tools.fetch_media import REPO, fetch, media_cache, real_footage_dir

DEFAULT_OUTPUT = REPO / "demo-output"


def _progress(event: object) -> None:
    clip = getattr(event, "clip", "")
    if getattr(event, "finished", False):
        print(f"encoded {clip}", file=sys.stderr)


def _print_table(title: str, result: IngestResult) -> None:
    print(f"\n{title}")
    print(f"{'clip':<20} {'size':>10} {'fps':>7} {'seconds':>8}  {'sha256 (join key)':<64}  output")
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


def _cosm_session() -> Path:
    root = media_cache() / "cosm-demo"
    if not (root / f"{DEMO_SPEC.session_name}.xml").is_file():
        print(f"generating a synthetic COSM session into {root}", file=sys.stderr)
        generate_session(root, DEMO_SPEC)
    return root


def main(argv: list[str]) -> int:
    output_dir = Path(argv[0]) if argv else DEFAULT_OUTPUT
    print(
        f"checking the real-footage corpus in {real_footage_dir()} (fetched when missing)",
        file=sys.stderr,
    )
    fetch(real_footage_dir())
    session = _cosm_session()
    runs = (
        # The demo folder is scratch space, so each demo run replaces the previous one's clips.
        (
            "real footage (generic media)",
            real_footage_dir(),
            output_dir / "real",
            IngestOptions(force=True),
        ),
        (
            "synthetic COSM session",
            session,
            output_dir / "cosm",
            IngestOptions(width=1280, height=720, force=True),
        ),
    )
    failed = 0
    for title, source, target, options in runs:
        print(f"ingesting {source} into {target}", file=sys.stderr)
        try:
            result = ingest_run(
                source, target, options=options, progress=_progress, command="just demo"
            )
        except CosmosError as error:
            print(f"error: {error.message}", file=sys.stderr)
            return 1
        _print_table(title, result)
        failed += sum(1 for o in result.outcomes if o.status != "produced")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
