"""``cosmos process``: ingest a folder, then crop every produced clip."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import msgspec
from cyclopts import Parameter

from cosmos.cli.crop import report as report_crop
from cosmos.cli.ingest import exit_status as ingest_exit_status
from cosmos.cli.ingest import report as report_ingest
from cosmos.cli.output import (
    EXIT_INVALID_INPUT,
    EXIT_OK,
    EXIT_PROCESSING,
    JsonFlag,
    PlainFlag,
    UsageError,
    cli_wording,
    command_line,
    dry_run_status,
    exit_code_for,
    output_mode,
    print_error,
    print_json,
)
from cosmos.core.crop.jobs import AnyCropJob, CropJob, default_square_size
from cosmos.core.crop.plan import clip_view_names
from cosmos.core.model.documents import (
    DRY_RUN_SCHEMA,
    FindingRecord,
    IngestDryRunPlan,
    PlannedOutput,
    PlannedView,
    ProcessCropStage,
    ProcessDryRunPlan,
    SideEffects,
    encode_document,
)
from cosmos.core.provenance.paths import sidecar_path
from cosmos.crop.jobs import parse_jobs_json
from cosmos.sdk.crop import crop_beside_clips
from cosmos.sdk.errors import CosmosError
from cosmos.sdk.ingest import IngestOptions, IngestResult, ingest_run
from cosmos.shell.fs import atomic_write_bytes

PROCESS_DRY_RUN = "cosmos_process_dry_run.v1.json"


def _planned_views(
    clips: list[Path], jobs: list[AnyCropJob], sizes: tuple[tuple[int, int], ...]
) -> list[PlannedView]:
    """Name the views the crop stage would make.

    Without jobs, each clip gets one default square, sized from the clip's planned frame.
    """
    pairs = [
        (clip, job, i, j)
        for i, (clip, size) in enumerate(zip(clips, sizes, strict=True))
        for j, job in enumerate(jobs or [CropJob(size=default_square_size(*size))])
    ]
    return [
        PlannedView(
            clip=str(clip),
            job_index=j,
            kind="square" if isinstance(job, CropJob) else "rect",
            view_id=None if isinstance(job, CropJob) else job.view_id,
            output=str(clip.parent / f"{name}.mp4"),
        )
        for (clip, job, _, j), name in zip(pairs, clip_view_names(pairs), strict=True)
    ]


def _crop_findings(views: list[PlannedView], clips: list[Path], force: bool) -> list[FindingRecord]:
    """Find what would stop the crop stage after the ingest: a view that would replace a clip,
    two jobs writing one view, and views already there without force."""
    findings = []
    planned_clips = {str(path) for path in clips}
    outputs = [view.output for view in views]
    for view in views:
        name = Path(view.clip).stem
        if view.output in planned_clips:
            message = (
                f"view {view.output} would replace the clip of the same name; give the job "
                "another view_id, or rename the recording"
            )
            findings.append(FindingRecord(name, "view-replaces-clip", message, blocking=True))
        elif outputs.count(view.output) > 1:
            message = f"two jobs would both write {view.output}; give each rect job its own view_id"
            findings.append(FindingRecord(name, "view-name-repeated", message, blocking=True))
        elif Path(view.output).exists() and not force:
            message = (
                f"{view.output} already exists, so the crop stage stops after the ingest unless "
                "force=True (CLI: --force)"
            )
            findings.append(FindingRecord(name, "output-exists", message, blocking=True))
    return findings


def _dry_run(
    ingested: IngestResult,
    jobs: list[AnyCropJob],
    crop_config: Path | None,
    post_process: bool,
    mode: str,
) -> int:
    """Write the process plan (the ingest plan plus the views the crop stage would make)."""
    clips = list(ingested.produced)
    views = _planned_views(clips, jobs, ingested.planned_sizes) if post_process else []
    stage = ProcessCropStage(
        enabled=post_process,
        jobs_file=str(crop_config) if crop_config else None,
        default_job=not jobs,
        views=views,
    )

    assert ingested.dry_run_plan is not None
    ingest_plan = msgspec.json.decode(ingested.dry_run_plan.read_bytes(), type=IngestDryRunPlan)
    force = ingest_plan.options.force
    crop_findings = _crop_findings(views, clips, force)
    ingest_blocked = any(finding.blocking for finding in ingest_plan.validation)
    crop_blocked = ingest_blocked or any(finding.blocking for finding in crop_findings)

    view_outputs = [
        PlannedOutput(
            path=str(path),
            kind=kind,
            stage="crop",
            exists=path.exists(),
            will_create_on_apply=not crop_blocked,
        )
        for view in views
        for path, kind in (
            (Path(view.output), "video"),
            (Path(sidecar_path(Path(view.output), "view")), "view-sidecar"),
        )
    ]
    plan_path = Path(ingested.dry_run_plan).parent / PROCESS_DRY_RUN
    document = ProcessDryRunPlan(
        schema=DRY_RUN_SCHEMA,
        command=command_line(),
        created_at=ingest_plan.created_at,
        side_effects=SideEffects(
            executes_media_processing=False,
            creates_media_outputs=False,
            writes_metadata=[*ingest_plan.side_effects.writes_metadata, str(plan_path)],
        ),
        ingest=ingest_plan,
        crop=stage,
        inputs=ingest_plan.inputs,
        outputs=[*ingest_plan.outputs, *view_outputs],
        commands=ingest_plan.commands,
        validation=[*ingest_plan.validation, *crop_findings],
    )
    atomic_write_bytes(plan_path, encode_document(document))

    if mode == "json":
        print_json({"dry_run_plan": str(plan_path), "ingest": ingest_plan, "crop": stage})
    else:
        report_ingest(ingested, mode)
        if mode == "human":
            print(f"process plan: {plan_path}")
    # The real run would stop at the crop stage on any of these, after making every clip.
    if crop_findings:
        print_error(f"crop stage: {crop_findings[0].message}")
        return EXIT_INVALID_INPUT
    return dry_run_status(ingested, ingest_exit_status(ingested))


def process(
    input_dir: Path,
    output_dir: Path,
    /,
    *,
    post_process: Annotated[bool, Parameter(name="--post-process", negative="")] = False,
    crop_config: Annotated[Path | None, Parameter(name="--crop-config")] = None,
    clip: Annotated[list[str] | None, Parameter(name="--clip", negative="")] = None,
    profile: Annotated[str | None, Parameter(name="--profile")] = None,
    force: Annotated[bool, Parameter(name="--force", negative="")] = False,
    dry_run: Annotated[bool, Parameter(name="--dry-run", negative="")] = False,
    json: JsonFlag = False,
    plain: PlainFlag = False,
) -> int:
    """Ingest INPUT_DIR into OUTPUT_DIR, then (with --post-process) crop every produced clip.

    Crops use the jobs of --crop-config, or one centred square of 1080 px (smaller frames: their
    shorter side), and land in OUTPUT_DIR beside the clips. --dry-run plans both stages in
    cosmos_process_dry_run.v1.json. Exit status as cosmos ingest run and cosmos crop run.

    Parameters
    ----------
    input_dir
        Folder holding the recordings.
    output_dir
        Folder for clips, views and documents; created when missing.
    post_process
        Crop every produced clip after the ingest.
    crop_config
        Jobs file for the crop stage (see docs/crop.md).
    clip
        Ingest only this clip (case-insensitive); repeat for several.
    profile
        Determinism profile for both stages: strict, balanced or throughput.
    force
        Replace clips, views and their sidecars already in OUTPUT_DIR. Without it the ingest
        stops before any encode when a clip exists, and the crop stage, after the ingest, when a
        view exists.
    dry_run
        Plan both stages; run no media processing.
    json
        Print both stages' results as one JSON document on stdout.
    plain
        Print one line per clip and per view.
    """
    mode = output_mode(json, plain)
    if crop_config is not None and not post_process:
        raise UsageError("--crop-config needs --post-process")
    jobs: list[AnyCropJob] = list(parse_jobs_json(crop_config)) if crop_config else []
    options = IngestOptions(clips=clip, profile=profile, dry_run=dry_run, force=force)
    ingested = ingest_run(input_dir, output_dir, options=options, command=command_line())

    if dry_run:
        return _dry_run(ingested, jobs, crop_config if post_process else None, post_process, mode)

    status = ingest_exit_status(ingested)
    if not post_process or not ingested.produced:
        if mode == "json":
            print_json({"ingest": {"run_id": ingested.run_id, "clips": ingested.outcomes}})
        else:
            report_ingest(ingested, mode)
        return status
    try:
        cropped = crop_beside_clips(
            list(ingested.produced),
            jobs,
            output_dir,
            ffmpeg_opts={"profile": profile, "force": force},
            command=command_line(),
        )
    except CosmosError as error:
        # The clips are made and recorded by now, so report them before the crop stage's error.
        if mode == "json":
            print_json(
                {
                    "ingest": {"run_id": ingested.run_id, "clips": ingested.outcomes},
                    "crop": {"error": cli_wording(error.message)},
                }
            )
        else:
            report_ingest(ingested, mode)
        print_error(f"crop stage: {error.message}")
        return exit_code_for(error)
    if mode == "json":
        print_json(
            {
                "ingest": {"run_id": ingested.run_id, "clips": ingested.outcomes},
                "crop": {"run_id": cropped.run_id, "jobs": cropped.jobs},
            }
        )
        crop_ok = all(j.status == "produced" for j in cropped.jobs)
        crop_status = EXIT_OK if crop_ok else EXIT_PROCESSING
    else:
        report_ingest(ingested, mode)
        crop_status = report_crop(cropped, mode)
    return status if status != EXIT_OK else crop_status
