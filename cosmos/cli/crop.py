"""``cosmos crop``: cut square or rectangular views out of videos."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from cyclopts import App, Parameter

from cosmos.cli.output import (
    EXIT_OK,
    EXIT_PROCESSING,
    JsonFlag,
    PlainFlag,
    UsageError,
    command_line,
    dry_run_status,
    output_mode,
    print_json,
    print_plain,
    run_line,
    run_summary,
)
from cosmos.crop.curated_views import parse_curated_views
from cosmos.crop.jobs import parse_jobs_json
from cosmos.sdk.crop import CropJob, CropResult, RectCropJob, crop_pairs, crop_run
from cosmos.sdk.preview import PreviewRunResult, RenderOptions, preview_curated_views
from cosmos.sdk.preview import preview as preview_videos

app = App(name="crop", help="Cut square or rectangular views out of videos.")


def report(result: CropResult, mode: str) -> int:
    """Print a crop result in the chosen output mode and return the exit status."""
    if mode == "json":
        print_json({**run_summary(result), "jobs": result.jobs})
    elif mode == "plain":
        print_plain([[j.status, j.source, j.output, j.sha256 or ""] for j in result.jobs])
    else:
        for job in result.jobs:
            rect = f"{job.rect.w}x{job.rect.h}+{job.rect.x}+{job.rect.y}" if job.rect else ""
            detail = job.reason if job.status == "failed" else job.output
            print(f"{job.status:<9} {rect:<20} {detail}")
        print(run_line(result))
    status = EXIT_PROCESSING if any(j.status == "failed" for j in result.jobs) else EXIT_OK
    return dry_run_status(result, status)


@Parameter(name="*")
@dataclass(frozen=True, kw_only=True)
class PlacementFlags:
    """Placement flags of the inline job, shared by `crop run` and `crop preview`."""

    offset_x: Annotated[float | None, Parameter(name="--offset-x")] = None
    """Horizontal offset in the free margin, -1 (left) to 1 (right)."""

    offset_y: Annotated[float | None, Parameter(name="--offset-y")] = None
    """Vertical offset in the free margin, -1 (top) to 1 (bottom)."""

    center_x: Annotated[float | None, Parameter(name="--center-x")] = None
    """Horizontal centre as a fraction of the frame width."""

    center_y: Annotated[float | None, Parameter(name="--center-y")] = None
    """Vertical centre as a fraction of the frame height."""

    x0: Annotated[float | None, Parameter(name="--x0")] = None
    """Rect left edge."""

    y0: Annotated[float | None, Parameter(name="--y0")] = None
    """Rect top edge."""

    width: Annotated[float | None, Parameter(name="--width")] = None
    """Rect width."""

    height: Annotated[float | None, Parameter(name="--height")] = None
    """Rect height."""

    px: Annotated[bool, Parameter(name="--px", negative="")] = False
    """Rect values are pixels instead of fractions."""

    def given(self) -> bool:
        """Return True when the command line sets any placement flag."""
        offsets = (self.offset_x, self.offset_y, self.center_x, self.center_y)
        rect = (self.x0, self.y0, self.width, self.height)
        return any(value is not None for value in (*offsets, *rect)) or self.px


@Parameter(name="*")
@dataclass(frozen=True, kw_only=True)
class EncodeFlags:
    """Encoder flags shared by `crop run` and `crop curated-views`."""

    prefer_hevc_hw: Annotated[bool, Parameter(name="--prefer-hevc-hw", negative="")] = False
    """Try HEVC hardware encoders before the H.264 ones."""

    profile: Annotated[str | None, Parameter(name="--profile")] = None
    """Determinism profile: strict, balanced or throughput (default: $COSMOS_PROFILE, else none)."""

    dry_run: Annotated[bool, Parameter(name="--dry-run", negative="")] = False
    """Plan only: write cosmos_crop_dry_run.json, run no media processing."""

    force: Annotated[bool, Parameter(name="--force", negative="")] = False
    """Replace views and view sidecars already in the output folder; without it such a run
    stops before any encode."""

    skip_existing: Annotated[bool, Parameter(name="--skip-existing", negative="")] = False
    """Keep each view an earlier run made from the same source and job (checked by sha256),
    and make only the others: finishes a run that partly failed or was interrupted."""

    def options(self) -> dict[str, object]:
        return {
            "dry_run": self.dry_run,
            "prefer_hevc_hw": self.prefer_hevc_hw,
            "profile": self.profile,
            "force": self.force,
            "skip_existing": self.skip_existing,
        }


@Parameter(name="*")
@dataclass(frozen=True, kw_only=True)
class CuratedSpecFlags:
    """Spec flags shared by `crop curated-views` and `crop curated-views-preview`."""

    spec: Annotated[Path, Parameter(name="--spec")]
    """Curated view spec (JSON with a views list)."""

    source_root: Annotated[Path, Parameter(name="--source-root")]
    """Folder the clip pattern is relative to."""

    out: Annotated[Path, Parameter(name="--out")]
    """Output folder; created when missing."""

    clip_pattern: Annotated[str, Parameter(name="--clip-pattern")] = "{date}/8k/{clip}.mp4"
    """Path of a view's source under --source-root; {date} becomes e.g. Apr25, {clip} the clip."""

    def pairs(self) -> list[tuple[Path, RectCropJob]]:
        return parse_curated_views(self.spec, self.source_root, clip_pattern=self.clip_pattern)


def _inline_job(
    crop_mode: str,
    *,
    size: int | None,
    placement: PlacementFlags,
    trims: tuple[float | None, float | None],
) -> CropJob | RectCropJob:
    start, end = trims
    square_flags = [
        flag
        for flag, value in (
            ("--size", size),
            ("--offset-x", placement.offset_x),
            ("--offset-y", placement.offset_y),
            ("--center-x", placement.center_x),
            ("--center-y", placement.center_y),
        )
        if value is not None
    ]
    rect = (placement.x0, placement.y0, placement.width, placement.height)
    rect_flags = [
        flag
        for flag, value in zip(("--x0", "--y0", "--width", "--height"), rect, strict=True)
        if value is not None
    ] + (["--px"] if placement.px else [])
    if crop_mode == "rect" and square_flags:
        raise UsageError(
            f"{', '.join(square_flags)} {'is' if len(square_flags) == 1 else 'are'} for square "
            "jobs, and --crop-mode rect takes --x0, --y0, --width and --height; drop "
            f"{'it' if len(square_flags) == 1 else 'them'} or use --crop-mode square"
        )
    if crop_mode == "square" and rect_flags:
        raise UsageError(
            f"{', '.join(rect_flags)} {'is' if len(rect_flags) == 1 else 'are'} for rect jobs; "
            "add --crop-mode rect, or use --size with --offset-x/-y or --center-x/-y for a square"
        )
    if crop_mode == "rect":
        if any(value is None for value in rect):
            raise UsageError("--crop-mode rect needs --x0, --y0, --width and --height")
        x0, y0, w, h = (float(v) for v in rect if v is not None)
        normalized = not placement.px
        return RectCropJob(x0=x0, y0=y0, w=w, h=h, normalized=normalized, start=start, end=end)
    return CropJob(
        size=size if size is not None else 1080,
        offset_x=placement.offset_x,
        offset_y=placement.offset_y,
        center_x=placement.center_x,
        center_y=placement.center_y,
        start=start,
        end=end,
    )


def _jobs(
    jobs_file: Path | None,
    crop_mode: str,
    *,
    size: int | None,
    placement: PlacementFlags,
    trims: tuple[float | None, float | None],
) -> list[CropJob] | list[RectCropJob] | list[CropJob | RectCropJob]:
    """Read the jobs of --jobs-file, or build the one job of the inline flags."""
    if jobs_file is not None:
        if placement.given() or any(v is not None for v in (size, *trims)):
            raise UsageError(
                "--jobs-file replaces the inline job flags (--size, placement and trims); "
                "put those values in the jobs file, or drop --jobs-file"
            )
        return parse_jobs_json(jobs_file)
    return [_inline_job(crop_mode, size=size, placement=placement, trims=trims)]


@app.command
def run(
    *,
    input: Annotated[list[Path], Parameter(name="--input", negative="", consume_multiple=True)],
    out_dir: Annotated[Path, Parameter(name="--out-dir")],
    jobs_file: Annotated[Path | None, Parameter(name="--jobs-file")] = None,
    crop_mode: Annotated[Literal["square", "rect"], Parameter(name="--crop-mode")] = "square",
    size: Annotated[int | None, Parameter(name="--size")] = None,
    placement: PlacementFlags = PlacementFlags(),
    trim_start: Annotated[float | None, Parameter(name="--trim-start")] = None,
    trim_end: Annotated[float | None, Parameter(name="--trim-end")] = None,
    encode: EncodeFlags = EncodeFlags(),
    json: JsonFlag = False,
    plain: PlainFlag = False,
) -> int:
    """Crop every job out of every input, with a view sidecar per output.

    Jobs come from --jobs-file, or from the inline flags (one job). Square: --size pixels
    (default 1080), placed by --offset-x/-y (-1..1, relative to the free margin) or
    --center-x/-y (0..1 of the frame). Without any job flag, one centred square of 1080 px, or
    of the frame's shorter side when smaller. Rect: --x0 --y0 --width --height as fractions
    of the frame, or pixels with --px. Trims are seconds. Views already in --out-dir are
    replaced only with --force. Exit status: 0 all produced, 2 bad option or inline job, 3
    invalid input (a bad jobs file too) or outputs exist without --force (a dry run too, since
    the real run would stop), 4 FFmpeg missing, 5 an encode failed.

    Parameters
    ----------
    input
        Video files: ``--input A B`` or ``--input A --input B``.
    out_dir
        Output folder; created when missing.
    jobs_file
        JSON jobs file (see docs/crop.md); replaces the inline job flags.
    crop_mode
        square or rect, for the inline job.
    size
        Side of the square in pixels.
    placement
        Placement flags, shared with `crop preview`.
    trim_start
        Start of the output in seconds (the frame displayed then comes first).
    trim_end
        End of the output in seconds.
    encode
        Encode flags, shared with `crop curated-views`.
    json
        Print the result as one JSON document on stdout.
    plain
        Print one job per line: status, source, output, sha256.
    """
    mode = output_mode(json, plain)
    inline_given = placement.given() or any(v is not None for v in (size, trim_start, trim_end))
    jobs: list[CropJob] | list[RectCropJob] | list[CropJob | RectCropJob] = []
    if jobs_file is not None or inline_given or crop_mode != "square":
        jobs = _jobs(
            jobs_file, crop_mode, size=size, placement=placement, trims=(trim_start, trim_end)
        )
    options = encode.options()
    result = crop_run(input, jobs, out_dir, ffmpeg_opts=options, command=command_line())
    return report(result, mode)


@app.command(name="curated-views")
def curated_views(
    *,
    curated: CuratedSpecFlags,
    encode: EncodeFlags = EncodeFlags(),
    json: JsonFlag = False,
    plain: PlainFlag = False,
) -> int:
    """Cut every view of a curated view spec, all in one crop run.

    Views already in --out are replaced only with --force. Exit status as cosmos crop run.

    Parameters
    ----------
    curated
        Curated view spec flags, shared with `crop curated-views-preview`.
    encode
        Encode flags, shared with `crop run`.
    json
        Print the result as one JSON document on stdout.
    plain
        Print one view per line: status, source, output, sha256.
    """
    mode = output_mode(json, plain)
    pairs = curated.pairs()
    result = crop_pairs(
        [(source, job) for source, job in pairs],
        curated.out,
        ffmpeg_opts=encode.options(),
        command=command_line(),
    )
    return report(result, mode)


DEFAULT_FRAMES = ("start", "mid", "end")
DEFAULT_STACK_TIMES = (0.0,)


def report_preview(result: PreviewRunResult, mode: str) -> int:
    """Print a preview result in the chosen output mode and return the exit status."""
    rows = [
        ("run", result.run_path),
        *(("plan", path) for path in result.clip_plan_paths),
        *(("frame", path) for path in result.frame_paths),
        *(("sheet", path) for path in result.sheet_paths),
        *(("stacked", path) for path in result.stacked_paths),
    ]
    if mode == "json":
        print_json(
            {
                "run_id": result.run_id,
                "dry_run": result.dry_run,
                "run_document": str(result.run_path),
                "clip_plans": [str(p) for p in result.clip_plan_paths],
                "frames": [str(p) for p in result.frame_paths],
                "sheets": [str(p) for p in result.sheet_paths],
                "stacked": [str(p) for p in result.stacked_paths],
            }
        )
    elif mode == "plain":
        print_plain([[kind, str(path)] for kind, path in rows])
    else:
        for kind, path in rows:
            if kind != "frame":
                print(f"{kind:<8} {path}")
        print(f"run {result.run_id}: {len(result.frame_paths)} frames decoded")
    return EXIT_OK


@Parameter(name="*")
@dataclass(frozen=True, kw_only=True)
class RenderFlags:
    """Flags shared by both preview commands."""

    frame: Annotated[list[str] | None, Parameter(name="--frame", negative="")] = None
    """Frame selector of a contact sheet; repeat for several (default: start, mid, end).
    start, mid or end with an optional signed offset in seconds (end-0.5), or a time in
    seconds (12.5)."""

    stack_time: Annotated[list[float] | None, Parameter(name="--stack-time", negative="")] = None
    """Time in seconds of a stacked overlay; repeat for several (default: 0)."""

    render_max_width: Annotated[int, Parameter(name="--render-max-width")] = 1600
    """Largest width of a drawn frame in pixels, 160 to 16384."""

    grid_step_px: Annotated[int, Parameter(name="--grid-step-px")] = 400
    """Grid spacing in source pixels; 0 draws no grid."""

    rulers: Annotated[bool, Parameter(name="--rulers")] = True
    """Label the frame edges in source pixels."""

    crosshair: Annotated[bool, Parameter(name="--crosshair")] = True
    """Mark the centre of each crop."""

    alpha: Annotated[float, Parameter(name="--alpha")] = 0.25
    """Opacity of the crop fill, 0 to 1."""

    source_sha: Annotated[bool, Parameter(name="--source-sha", negative="")] = False
    """Record the sha256 of each source in its plan (reads the whole file)."""

    dry_run: Annotated[bool, Parameter(name="--dry-run", negative="")] = False
    """Plan only: write the run document and the plans, decode and draw nothing."""

    def options(self) -> RenderOptions:
        frames = self.frame if self.frame is not None else DEFAULT_FRAMES
        stack_times = self.stack_time if self.stack_time is not None else DEFAULT_STACK_TIMES
        return RenderOptions(
            frame_selectors=list(frames),
            stack_times_sec=list(stack_times),
            render_max_width=self.render_max_width,
            grid_step_px=self.grid_step_px,
            show_rulers=self.rulers,
            show_crosshair=self.crosshair,
            alpha=self.alpha,
            dry_run=self.dry_run,
            include_source_sha=self.source_sha,
        )


@app.command
def preview(
    *,
    input: Annotated[list[Path], Parameter(name="--input", negative="", consume_multiple=True)],
    out: Annotated[Path, Parameter(name="--out")],
    jobs_file: Annotated[Path | None, Parameter(name="--jobs-file")] = None,
    crop_mode: Annotated[Literal["square", "rect"] | None, Parameter(name="--crop-mode")] = None,
    size: Annotated[int | None, Parameter(name="--size")] = None,
    placement: PlacementFlags = PlacementFlags(),
    trim_start: Annotated[float | None, Parameter(name="--trim-start")] = None,
    trim_end: Annotated[float | None, Parameter(name="--trim-end")] = None,
    render: RenderFlags = RenderFlags(),
    json: JsonFlag = False,
    plain: PlainFlag = False,
) -> int:
    """Draw crop jobs on their source frames: contact sheets and stacked overlays, no encode.

    Jobs are given as for `cosmos crop run`. Without job flags the default crop is previewed: a
    centred square of 1080 px, or of the frame's shorter side when smaller. Each input gets a
    folder `preview_<stem>_<8 hex>` under --out with preview_plan.v1.json, frames/, sheets/ (one
    sheet per --frame, every view) and stacked/ (every view on one frame per --stack-time).
    Exit status: 0 written, 2 bad job or option, 3 invalid input, 4 FFmpeg missing, 5 a render
    failed.

    Parameters
    ----------
    input
        Video files: ``--input A B`` or ``--input A --input B``.
    out
        Output folder; created when missing.
    jobs_file
        JSON jobs file (see docs/crop.md); replaces the inline job flags.
    crop_mode
        square or rect, for the inline job (default square).
    size
        Side of the square in pixels (default 1080).
    placement
        Placement flags, shared with `crop run`.
    trim_start
        Start of the view in seconds; the start, mid and end selectors follow the trim.
    trim_end
        End of the view in seconds.
    render
        Render flags, shared with the other preview command.
    json
        Print the written files as one JSON document on stdout.
    plain
        Print one file per line: kind, path.
    """
    mode = output_mode(json, plain)
    inline_given = placement.given() or any(
        value is not None for value in (size, trim_start, trim_end, crop_mode)
    )
    jobs: list[CropJob] | list[RectCropJob] | list[CropJob | RectCropJob] = []
    if jobs_file is not None or inline_given:
        jobs = _jobs(
            jobs_file,
            crop_mode or "square",
            size=size,
            placement=placement,
            trims=(trim_start, trim_end),
        )
    return report_preview(preview_videos(input, jobs, out, options=render.options()), mode)


@app.command(name="curated-views-preview")
def curated_views_preview(
    *,
    curated: CuratedSpecFlags,
    render: RenderFlags = RenderFlags(),
    json: JsonFlag = False,
    plain: PlainFlag = False,
) -> int:
    """Preview every view of a curated view spec, all in one preview run.

    Views of one source clip share its folder under --out, as in `cosmos crop preview`.

    Parameters
    ----------
    curated
        Curated view spec flags, shared with `crop curated-views`.
    render
        Render flags, shared with the other preview command.
    json
        Print the written files as one JSON document on stdout.
    plain
        Print one file per line: kind, path.
    """
    mode = output_mode(json, plain)
    result = preview_curated_views(curated.pairs(), curated.out, options=render.options())
    return report_preview(result, mode)
