"""Ingest a folder of recordings into normalized H.264 MP4 clips with provenance sidecars."""

from __future__ import annotations

from pathlib import Path

from cosmos.core.ingest.options import IngestOptions
from cosmos.sdk._boundary import unwrap_or_raise
from cosmos.shell.ingest import IngestRequest, IngestResult, ProgressCallback, run_ingest


def ingest_run(
    input_dir: Path,
    output_dir: Path,
    *,
    manifest: Path | None = None,
    options: IngestOptions | None = None,
    progress: ProgressCallback | None = None,
    command: str = "cosmos.sdk.ingest.ingest",
) -> IngestResult:
    """Run an ingest and return every clip's outcome and the documents written.

    This is :func:`ingest` for callers that need more than the produced paths (the CLI, reports);
    ``progress`` receives FFmpeg progress of each clip.
    """
    request = IngestRequest(
        input_dir=Path(input_dir),
        output_dir=Path(output_dir),
        manifest=Path(manifest) if manifest is not None else None,
        options=options if options is not None else IngestOptions(),
        command=command,
    )
    return unwrap_or_raise(run_ingest(request, progress))


def ingest(
    input_dir: Path,
    output_dir: Path,
    *,
    manifest: Path | None = None,
    options: IngestOptions = IngestOptions(),  # noqa: B008 - frozen, so sharing it is safe
) -> list[Path]:
    """Ingest ``input_dir`` into ``output_dir`` and return the paths of the clips produced.

    A dry run (``options.dry_run``) writes ``cosmos_dry_run.json`` (and the same plan as
    ``cosmos_ingest_dry_run.v1.json``) and returns the planned paths. Invalid options raise
    ``ValueError`` (``InvalidOptionError``); a missing or unusable input raises ``ValueError``
    (``InvalidInputError``); a missing FFmpeg raises ``FileNotFoundError``
    (``ToolNotFoundError``). A clip that fails is logged at ERROR and
    recorded in ``cosmos_ingest_run.v1.json``, and is absent from the returned list.
    """
    result = ingest_run(input_dir, output_dir, manifest=manifest, options=options)
    return list(result.produced)


__all__ = ["IngestOptions", "IngestResult", "ingest", "ingest_run"]
