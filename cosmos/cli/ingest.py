"""``cosmos ingest``: turn a folder of recordings into normalized MP4 clips."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from cyclopts import App, Parameter

from cosmos.cli.output import (
    EXIT_INVALID_INPUT,
    EXIT_OK,
    EXIT_PROCESSING,
    JsonFlag,
    PlainFlag,
    command_line,
    dry_run_status,
    output_mode,
    print_json,
    print_plain,
    run_line,
    run_summary,
)
from cosmos.cli.progress import ingest_progress
from cosmos.sdk.ingest import IngestOptions, IngestResult, ingest_run

app = App(name="ingest", help="Ingest recordings into normalized H.264 MP4 clips.")


def exit_status(result: IngestResult) -> int:
    statuses = [outcome.status for outcome in result.outcomes]
    if "failed" in statuses:
        return EXIT_PROCESSING
    if "skipped" in statuses or not result.produced:
        return EXIT_INVALID_INPUT
    return EXIT_OK


def report(result: IngestResult, mode: str) -> None:
    if mode == "json":
        print_json({**run_summary(result), "clips": result.outcomes})
        return
    if mode == "plain":
        print_plain([[o.status, o.name, o.output or "", o.sha256 or ""] for o in result.outcomes])
        return
    for outcome in result.outcomes:
        where = outcome.output or outcome.reason or ""
        print(f"{outcome.status:<9} {outcome.name}  {where}")
    if result.run_document is not None or result.dry_run_plan is not None:
        print(run_line(result))


@app.command
def run(
    *,
    input_dir: Annotated[Path, Parameter(name="--input-dir")],
    output_dir: Annotated[Path, Parameter(name="--output-dir")],
    manifest: Annotated[Path | None, Parameter(name="--manifest")] = None,
    adapter: Annotated[Literal["cosm", "generic-media"] | None, Parameter(name="--adapter")] = None,
    clip: Annotated[list[str] | None, Parameter(name="--clip", negative="")] = None,
    width: Annotated[int, Parameter(name="--width")] = 3840,
    height: Annotated[int, Parameter(name="--height")] = 2160,
    quality: Annotated[
        Literal["speed", "balanced", "quality"], Parameter(name="--quality")
    ] = "balanced",
    crf: Annotated[int | None, Parameter(name="--crf")] = None,
    low_memory: Annotated[bool, Parameter(name="--low-memory", negative="")] = False,
    scale_filter: Annotated[
        Literal["lanczos", "spline36", "bicubic", "bilinear"] | None,
        Parameter(name="--scale-filter"),
    ] = None,
    filter_threads: Annotated[int | None, Parameter(name="--filter-threads")] = None,
    fc_threads: Annotated[int | None, Parameter(name="--fc-threads")] = None,
    decode: Annotated[Literal["auto", "hw", "sw"], Parameter(name="--decode")] = "auto",
    window: Annotated[float | None, Parameter(name="--window")] = None,
    profile: Annotated[str | None, Parameter(name="--profile")] = None,
    upscale: Annotated[bool, Parameter(name="--upscale", negative="")] = False,
    allow_partial: Annotated[bool, Parameter(name="--allow-partial", negative="")] = False,
    force: Annotated[bool, Parameter(name="--force", negative="")] = False,
    dry_run: Annotated[bool, Parameter(name="--dry-run", negative="")] = False,
    json: JsonFlag = False,
    plain: PlainFlag = False,
) -> int:
    """Ingest a folder of recordings into normalized H.264 MP4 clips with sidecars.

    Each clip fits inside --width x --height pixels keeping its display aspect ratio and is
    never upscaled unless --upscale is given. Clips already in --output-dir are replaced only
    with --force. Exit status: 0 all clips produced, 2 bad option, 3 invalid input (a clip
    skipped, nothing to ingest, or outputs exist without --force), 4 FFmpeg missing, 5 a clip
    failed.

    Parameters
    ----------
    input_dir
        Folder holding the recordings (video files, or a COSM session with its XML manifest).
    output_dir
        Folder for clips, sidecars and the run document; created when missing.
    manifest
        COSM manifest XML to use when the folder contains several.
    adapter
        Source layout; detected from the folder when omitted.
    clip
        Ingest only this clip (case-insensitive); repeat for several.
    width
        Maximum output width in pixels.
    height
        Maximum output height in pixels.
    quality
        Quality mode; sets the default CRF (quality 18, balanced 23, speed 28) and x264 preset.
    crf
        Constant rate factor 0-51 (lower is better); overrides the quality mode's default.
    low_memory
        Use fewer filter and encoder threads.
    scale_filter
        Scaler; default lanczos for --quality quality, else bicubic.
    filter_threads
        FFmpeg -filter_threads (default: FFmpeg's choice, or 1 with --low-memory).
    fc_threads
        FFmpeg -filter_complex_threads (default: FFmpeg's choice, or 1 with --low-memory).
    decode
        Hardware decoding: auto uses it when a probe shows it works.
    window
        Process only the first N seconds of each clip.
    profile
        Determinism profile: strict, balanced or throughput (default: $COSMOS_PROFILE, else
        none).
    upscale
        Allow scaling a clip smaller than the box up to fill it.
    allow_partial
        Encode COSM clips whose second folders are partly missing or damaged, without those
        frames; by default such clips are skipped.
    force
        Replace clips and sidecars already in --output-dir; without it such a run stops before
        any work.
    dry_run
        Plan only: write cosmos_dry_run.json (also as cosmos_ingest_dry_run.v1.json), run no
        media processing.
    json
        Print the run result as one JSON document on stdout.
    plain
        Print one clip per line: status, name, output, sha256.
    """
    mode = output_mode(json, plain)
    options = IngestOptions(
        width=width,
        height=height,
        quality_mode=quality,
        low_memory=low_memory,
        crf=crf,
        dry_run=dry_run,
        clips=clip,
        scale_filter=scale_filter,
        filter_threads=filter_threads,
        filter_complex_threads=fc_threads,
        decode=decode,
        window_seconds=window,
        adapter=adapter,
        profile=profile,
        allow_upscale=upscale,
        allow_partial=allow_partial,
        force=force,
    )
    result = ingest_run(
        input_dir,
        output_dir,
        manifest=manifest,
        options=options,
        progress=ingest_progress(mode),
        command=command_line(),
    )
    report(result, mode)
    return dry_run_status(result, exit_status(result))
