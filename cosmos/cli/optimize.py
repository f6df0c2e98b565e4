"""``cosmos optimize``: fast-start MP4 for the web."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from cyclopts import App, Parameter

from cosmos.cli.output import (
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
from cosmos.cli.progress import optimize_progress
from cosmos.sdk.optimize import OptimizeOptions, optimize_run

app = App(name="optimize", help="Remux or transcode videos to fast-start MP4.")


@app.command
def run(
    *,
    input: Annotated[list[Path], Parameter(name="--input", negative="", consume_multiple=True)],
    out_dir: Annotated[Path, Parameter(name="--out-dir")],
    mode: Annotated[Literal["auto", "remux", "transcode"], Parameter(name="--mode")] = "auto",
    target_height: Annotated[int | None, Parameter(name="--target-height")] = None,
    fps: Annotated[float | None, Parameter(name="--fps")] = None,
    crf: Annotated[int | None, Parameter(name="--crf")] = None,
    encoder: Annotated[str | None, Parameter(name="--encoder")] = None,
    faststart: Annotated[bool, Parameter(name="--faststart", negative="--no-faststart")] = True,
    suffix: Annotated[str, Parameter(name="--suffix")] = "_optimized",
    force: Annotated[bool, Parameter(name="--force", negative="")] = False,
    profile: Annotated[str | None, Parameter(name="--profile")] = None,
    dry_run: Annotated[bool, Parameter(name="--dry-run", negative="")] = False,
    json: JsonFlag = False,
    plain: PlainFlag = False,
) -> int:
    """Write ``<out-dir>/<stem><suffix>.mp4`` for each input, with a provenance sidecar.

    auto remuxes (stream copy, moov atom first) unless --target-height, --fps, --crf or
    --encoder requests a transcode. Exit status: 0 all produced, 2 bad option, 3 invalid input
    or an existing output without --force, 4 encoder or FFmpeg unusable, 5 an encode failed.

    Parameters
    ----------
    input
        Video files: ``--input A B`` or ``--input A --input B``.
    out_dir
        Output folder; created when missing.
    mode
        auto, remux (stream copy) or transcode.
    target_height
        Output height in pixels; width follows the aspect ratio (transcode; default: the
        source's height).
    fps
        Output frame rate in frames per second (transcode; default: the source's rate).
    crf
        Quality 0-51, lower is better; default 23 (transcode).
    encoder
        FFmpeg encoder to use as is, e.g. libx264; default: probed hardware, else libx264.
    faststart
        Move the moov atom to the front so playback starts before the download ends.
    suffix
        Appended to the input's stem to name the output.
    force
        Replace outputs that exist.
    profile
        Determinism profile: strict, balanced or throughput (default: $COSMOS_PROFILE, else
        none).
    dry_run
        Plan only: write cosmos_optimize_dry_run.json, run no media processing.
    json
        Print the result as one JSON document on stdout.
    plain
        Print one input per line: status, source, output, sha256.
    """
    mode_out = output_mode(json, plain)
    options = OptimizeOptions(
        mode=mode,
        target_height=target_height,
        fps=fps,
        crf=crf,
        encoder=encoder,
        faststart=faststart,
        suffix=suffix,
        force=force,
        dry_run=dry_run,
        profile=profile,
    )
    result = optimize_run(
        input,
        out_dir,
        options=options,
        progress=optimize_progress(mode_out),
        command=command_line(),
    )
    if mode_out == "json":
        print_json({**run_summary(result), "outputs": result.outcomes})
    elif mode_out == "plain":
        print_plain([[o.status, o.source, o.output, o.sha256 or ""] for o in result.outcomes])
    else:
        for outcome in result.outcomes:
            detail = outcome.reason if outcome.status == "failed" else outcome.output
            print(f"{outcome.status:<9} {outcome.mode:<9} {outcome.source}  {detail}")
        print(run_line(result))
    failed = any(o.status == "failed" for o in result.outcomes)
    return dry_run_status(result, EXIT_PROCESSING if failed else EXIT_OK)
