"""Builders of the optimize documents."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cosmos.core.encode.policy import EncoderChoice
from cosmos.core.model.documents import (
    DRY_RUN_SCHEMA,
    SCHEMA_VERSION,
    EncoderAttempt,
    EnvInfo,
    FfmpegInfo,
    FindingRecord,
    OptimizedDocument,
    OptimizeDryRunPlan,
    OptimizeEncode,
    OptimizeInputRecord,
    OptimizeOptionsRecord,
    OptimizeOutcome,
    OptimizeRunDocument,
    OptimizeSourceRef,
    OptimizeTransform,
    OutputRef,
    PlannedCommand,
    PlannedInput,
    PlannedOutput,
    RunSummary,
    SideEffects,
    SystemInfo,
)
from cosmos.core.model.media import MediaFacts
from cosmos.core.optimize.options import ResolvedOptimize
from cosmos.core.optimize.plan import OptimizePlan
from cosmos.core.provenance.ids import make_artifact_id
from cosmos.core.provenance.ingest_documents import video_facts
from cosmos.core.provenance.paths import relative_path, sidecar_path

OPTIMIZE_TOOL = "cosmos-optimize"


def optimize_options_record(options: ResolvedOptimize) -> OptimizeOptionsRecord:
    return OptimizeOptionsRecord(
        mode=options.requested_mode,
        target_height=options.target_height,
        fps=options.fps,
        crf=options.crf if options.crf_given else None,
        encoder=options.encoder,
        faststart=options.faststart,
        suffix=options.suffix,
        force=options.force,
        dry_run=options.dry_run,
        profile=options.profile.name if options.profile else None,
    )


@dataclass(frozen=True, slots=True)
class OptimizedFile:
    """Facts the shell gathered about one optimized output: hashes, sizes and probes."""

    plan: OptimizePlan
    choice: EncoderChoice | None
    source_facts: MediaFacts
    source_sha256: str
    source_bytes: int
    source_clip_id: str | None
    output_sha256: str
    output_bytes: int
    output_facts: MediaFacts


def build_optimized_document(
    produced: OptimizedFile, *, run_id: str, options: ResolvedOptimize, env: EnvInfo
) -> OptimizedDocument:
    plan = produced.plan
    folder = plan.output.parent
    transcoded = plan.mode == "transcode"
    choice = produced.choice
    return OptimizedDocument(
        schema_version=SCHEMA_VERSION,
        optimized_id=make_artifact_id("optimized", plan.output.stem, produced.output_sha256),
        optimize_run_id=run_id,
        mode=plan.mode,
        source=OptimizeSourceRef(
            path=str(plan.source),
            relpath=relative_path(plan.source, folder),
            sha256=produced.source_sha256,
            bytes=produced.source_bytes,
            video=video_facts(produced.source_facts),
            clip_id=produced.source_clip_id,
        ),
        output=OutputRef(
            path=str(plan.output),
            relpath=relative_path(plan.output, folder),
            sha256=produced.output_sha256,
            bytes=produced.output_bytes,
        ),
        video=video_facts(produced.output_facts),
        transform=OptimizeTransform(
            mode=plan.mode,
            faststart=options.faststart,
            target_height=options.target_height if transcoded else None,
            fps=options.fps if transcoded else None,
            crf=options.crf if transcoded else None,
        ),
        encode=OptimizeEncode(
            impl=plan.encoder or "copy",
            codec=produced.output_facts.probe.codec_name,
            crf=options.crf if transcoded else None,
            hardware_attempted=choice.hardware_attempted if choice else False,
            attempts=[EncoderAttempt(encoder=n, reason=r) for n, r in choice.attempted]
            if choice
            else [],
            profile=options.profile.name if options.profile else None,
        ),
        dropped_streams=list(plan.dropped_streams),
        env=env,
    )


def build_optimize_run_document(
    *,
    run_id: str,
    time: str,
    version: str,
    output_dir: Path,
    ffmpeg: FfmpegInfo,
    system: SystemInfo,
    options: ResolvedOptimize,
    inputs: Sequence[OptimizeInputRecord],
    outcomes: Sequence[OptimizeOutcome],
) -> OptimizeRunDocument:
    statuses = [o.status for o in outcomes]
    return OptimizeRunDocument(
        schema_version=SCHEMA_VERSION,
        optimize_run_id=run_id,
        tool=OPTIMIZE_TOOL,
        version=version,
        git=None,
        time=time,
        output_dir=str(output_dir),
        ffmpeg=ffmpeg,
        system=system,
        options=optimize_options_record(options),
        inputs=list(inputs),
        outputs=list(outcomes),
        summary=RunSummary(
            produced=statuses.count("produced"),
            failed=statuses.count("failed"),
            skipped=statuses.count("skipped"),
            planned=statuses.count("planned"),
        ),
    )


def build_optimize_dry_run(
    *,
    command: str,
    time: str,
    plan_path: Path,
    plans: Sequence[tuple[OptimizePlan, MediaFacts, frozenset[Path]]],
    options: ResolvedOptimize,
) -> OptimizeDryRunPlan:
    """Build ``cosmos_optimize_dry_run.json``.

    ``plans`` contains each plan, the source's probe, and which of the plan's output, cmd.txt,
    log.txt and sidecar exist already. Only an existing output stops a run without ``force``.
    """
    validation = [
        FindingRecord(
            clip=plan.source.name,
            code="stream-dropped",
            message=f"{plan.source}: {dropped} cannot go into MP4 and is left out",
            blocking=False,
        )
        for plan, _, _ in plans
        for dropped in plan.dropped_streams
    ]
    if not options.force:
        validation += [
            FindingRecord(
                clip=plan.source.name,
                code="output-exists",
                message=f"{plan.output} already exists, so a run stops before any work unless "
                "force=True (CLI: --force)",
                blocking=True,
            )
            for plan, _, existing in plans
            if plan.output in existing
        ]
    return OptimizeDryRunPlan(
        schema=DRY_RUN_SCHEMA,
        command=command,
        created_at=time,
        side_effects=SideEffects(
            executes_media_processing=False,
            creates_media_outputs=False,
            writes_metadata=[str(plan_path)],
        ),
        inputs=[
            PlannedInput(
                path=str(p.source), kind="video", stage="optimize", observed=video_facts(facts)
            )
            for p, facts, _ in plans
        ],
        outputs=[
            # A run that goes ahead writes cmd.txt, log.txt and the sidecar as well as the
            # output, so all four share the output's will_create_on_apply.
            PlannedOutput(
                path=str(path),
                kind=kind,
                stage="optimize",
                exists=path in existing,
                will_create_on_apply=options.force or p.output not in existing,
            )
            for p, _, existing in plans
            for path, kind in (
                (p.output, "video"),
                (p.cmd, "command"),
                (p.log, "log"),
                (sidecar_path(p.output, "optimized"), "optimized-sidecar"),
            )
        ],
        commands=[
            PlannedCommand(
                stage="optimize",
                name=p.source.name,
                argv=list(p.argv),
                inputs=[str(p.source)],
                outputs=[str(p.output)],
            )
            for p, _, _ in plans
        ],
        validation=validation,
        options=optimize_options_record(options),
    )
