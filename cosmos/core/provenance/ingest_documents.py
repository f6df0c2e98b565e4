"""Builders of the ingest documents: clip sidecars, the run document and the dry-run plan."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cosmos.core.encode.policy import EncoderChoice
from cosmos.core.ingest.adapter import Finding
from cosmos.core.ingest.options import ResolvedIngest
from cosmos.core.ingest.plan import ClipPlan
from cosmos.core.model.documents import (
    DRY_RUN_SCHEMA,
    SCHEMA_VERSION,
    ClipDocument,
    ClipEncode,
    ClipOutcome,
    EncoderAttempt,
    EnvInfo,
    FfmpegInfo,
    FindingRecord,
    FrameRange,
    IngestDryRunPlan,
    IngestOptionsRecord,
    IngestRunDocument,
    OutputRef,
    PlannedCommand,
    PlannedInput,
    PlannedOutput,
    RunSummary,
    SideEffects,
    SourceRef,
    SystemInfo,
    TimeRangeMs,
    VideoFacts,
)
from cosmos.core.model.media import MediaFacts
from cosmos.core.provenance.ids import make_artifact_id
from cosmos.core.provenance.paths import relative_path

INGEST_TOOL = "cosmos-ingest"


def video_facts(facts: MediaFacts) -> VideoFacts:
    """Describe a probed file in the ``video`` block of a document."""
    probe = facts.probe
    return VideoFacts(
        width=probe.width,
        height=probe.height,
        width_px=facts.stored_width,
        height_px=facts.stored_height,
        fps=probe.fps,
        duration_sec=probe.duration_seconds,
        pix_fmt=facts.pix_fmt,
        color_space=facts.color_space,
        codec=probe.codec_name,
        frame_count=probe.frame_count,
    )


def options_record(options: ResolvedIngest, adapter: str | None) -> IngestOptionsRecord:
    """Record resolved ingest options in the legacy ``options`` block shape."""
    return IngestOptionsRecord(
        adapter=adapter,
        resolution=[options.width, options.height],
        quality_mode=options.quality_mode,
        low_memory=options.low_memory,
        crf=options.crf,
        scale_filter=options.scale_filter,
        filter_threads=options.filter_threads,
        filter_complex_threads=options.filter_complex_threads,
        decode=options.decode,
        window_seconds=options.window_seconds,
        profile=options.profile.name if options.profile is not None else None,
        allow_upscale=options.allow_upscale,
        allow_partial=options.allow_partial,
        clips=list(options.clips) if options.clips is not None else None,
        force=options.force,
    )


def finding_records(findings: Sequence[Finding]) -> list[FindingRecord]:
    return [
        FindingRecord(clip=f.clip, code=f.code, message=f.message, blocking=f.blocking)
        for f in findings
    ]


@dataclass(frozen=True, slots=True)
class ProducedClip:
    """Facts the shell gathered about one encoded clip: hashes, sizes and a probe of the output."""

    plan: ClipPlan
    choice: EncoderChoice
    source_facts: MediaFacts | None
    source_sha256: str
    source_bytes: int
    output_sha256: str
    output_bytes: int
    output_facts: MediaFacts
    findings: tuple[Finding, ...] = ()


def build_clip_document(
    produced: ProducedClip,
    *,
    run_id: str,
    adapter: str,
    profile_name: str | None,
    env: EnvInfo,
) -> ClipDocument:
    """Build ``<clip>.mp4.cosmos_clip.v1.json`` for a generic-media clip."""
    plan = produced.plan
    folder = plan.paths.sidecar.parent
    source_path = plan.source_file or plan.clip.inputs[0]
    output_facts = produced.output_facts
    duration = output_facts.probe.duration_seconds or plan.expected_duration_seconds or 0.0
    frame_count = output_facts.probe.frame_count or plan.expected_frames or 0
    frames = plan.session_frames or (0, frame_count)
    time_ms = plan.epoch_ms or (0, round(duration * 1000))
    rotation = produced.source_facts.rotation_degrees if produced.source_facts else 0
    return ClipDocument(
        schema_version=SCHEMA_VERSION,
        clip_id=make_artifact_id("clip", plan.paths.media.stem, produced.output_sha256),
        ingest_run_id=run_id,
        name=plan.clip.name,
        adapter=adapter,
        time_ms=TimeRangeMs(t0=time_ms[0], t1=time_ms[1]),
        frames=FrameRange(start=frames[0], end=frames[1]),
        source=SourceRef(
            path=str(source_path),
            relpath=relative_path(source_path, folder),
            sha256=produced.source_sha256,
            bytes=produced.source_bytes,
            rotation_degrees=rotation,
        ),
        output=OutputRef(
            path=str(plan.paths.media),
            relpath=relative_path(plan.paths.media, folder),
            sha256=produced.output_sha256,
            bytes=produced.output_bytes,
        ),
        video=video_facts(output_facts),
        encode=ClipEncode(
            impl=plan.encoder,
            filtergraph=plan.filtergraph,
            crf=plan.crf,
            preset=plan.preset,
            hardware_attempted=produced.choice.hardware_attempted,
            attempts=[EncoderAttempt(encoder=n, reason=r) for n, r in produced.choice.attempted],
            profile=profile_name,
        ),
        env=env,
        findings=finding_records(produced.findings),
    )


@dataclass(frozen=True, slots=True)
class RunContext:
    """Facts of one run that every document repeats."""

    run_id: str
    time: str
    version: str
    input_dir: Path
    output_dir: Path
    manifest: Path | None
    adapter: str
    options: ResolvedIngest
    encoders_preference: tuple[str, ...]
    encoder: str | None
    ffmpeg: FfmpegInfo
    system: SystemInfo


def summarize(outcomes: Sequence[ClipOutcome]) -> RunSummary:
    statuses = [o.status for o in outcomes]
    return RunSummary(
        produced=statuses.count("produced"),
        failed=statuses.count("failed"),
        skipped=statuses.count("skipped"),
        planned=statuses.count("planned"),
    )


def build_run_document(context: RunContext, outcomes: Sequence[ClipOutcome]) -> IngestRunDocument:
    """Build ``cosmos_ingest_run.v1.json``."""
    return IngestRunDocument(
        schema_version=SCHEMA_VERSION,
        ingest_run_id=context.run_id,
        tool=INGEST_TOOL,
        version=context.version,
        git=None,
        time=context.time,
        input_dir=str(context.input_dir),
        manifest=str(context.manifest) if context.manifest is not None else None,
        output_dir=str(context.output_dir),
        adapter=context.adapter,
        encoders_preference=list(context.encoders_preference),
        encoder=context.encoder,
        ffmpeg=context.ffmpeg,
        system=context.system,
        options=options_record(context.options, context.adapter),
        clips=list(outcomes),
        summary=summarize(outcomes),
    )


@dataclass(frozen=True, slots=True)
class DryRunClip:
    """A clip as a dry run plans it: its inputs, probe, findings and plan (if it has one)."""

    name: str
    inputs: tuple[Path, ...]
    facts: MediaFacts | None
    findings: tuple[Finding, ...]
    plan: ClipPlan | None
    existing_outputs: frozenset[Path]


def _input_kind(path: Path) -> str:
    """Name what an input is: a COSM manifest, a COSM chunk, or a video file."""
    suffix = path.suffix.lower()
    if suffix == ".xml":
        return "cosm-manifest"
    if suffix == ".ts" and path.parent.name.endswith("S"):
        return "cosm-chunk"
    return "video"


def _blocking_outputs(clips: Sequence[DryRunClip], force: bool) -> dict[str, list[Path]]:
    """Map each clip name to its existing clip and sidecar, which stop a real run without
    ``force``."""
    if force:
        return {}
    blocking = {
        clip.name: [
            path
            for path in (clip.plan.paths.media, clip.plan.paths.sidecar)
            if path in clip.existing_outputs
        ]
        for clip in clips
        if clip.plan is not None
    }
    return {name: paths for name, paths in blocking.items() if paths}


def build_dry_run_plan(
    context: RunContext,
    clips: Sequence[DryRunClip],
    plan_path: Path,
    command: str,
    *,
    copies: Sequence[Path] = (),
) -> IngestDryRunPlan:
    """Build ``cosmos_ingest_dry_run.v1.json``; ``copies`` are other files the same plan is
    written to."""
    inputs: list[PlannedInput] = []
    outputs: list[PlannedOutput] = []
    commands: list[PlannedCommand] = []
    validation: list[FindingRecord] = []
    outcomes: list[ClipOutcome] = []
    blocking_outputs = _blocking_outputs(clips, context.options.force)
    for clip in clips:
        for source in clip.inputs:
            kind = _input_kind(source)
            observed = clip.facts if kind == "video" else None
            inputs.append(
                PlannedInput(
                    path=str(source),
                    kind=kind,
                    stage="ingest",
                    observed=video_facts(observed) if observed is not None else None,
                )
            )
        validation += finding_records(clip.findings)
        validation += [
            FindingRecord(
                clip=clip.name,
                code="output-exists",
                message=f"{path} already exists; the real run stops before any encode unless "
                "force=True (CLI: --force)",
                blocking=True,
            )
            for path in blocking_outputs.get(clip.name, [])
        ]
        plan = clip.plan
        if plan is None:
            blocking = [f.message for f in clip.findings if f.blocking]
            outcomes.append(
                ClipOutcome(
                    name=clip.name,
                    status="skipped",
                    inputs=[str(p) for p in clip.inputs],
                    output=None,
                    sidecar=None,
                    sha256=None,
                    encoder=None,
                    reason="; ".join(blocking) or None,
                    findings=finding_records(clip.findings),
                )
            )
            continue
        planned_files = (
            (plan.paths.media, "video"),
            (plan.paths.cmd, "command"),
            (plan.paths.log, "log"),
            (plan.paths.sidecar, "clip-sidecar"),
        )
        for path, kind in planned_files:
            outputs.append(
                PlannedOutput(
                    path=str(path),
                    kind=kind,
                    stage="ingest",
                    exists=path in clip.existing_outputs,
                    # A real run writes nothing at all while any output blocks it.
                    will_create_on_apply=not blocking_outputs,
                )
            )
        commands.append(
            PlannedCommand(
                stage="ingest",
                name=clip.name,
                argv=list(plan.argv),
                inputs=[str(p) for p in clip.inputs],
                outputs=[str(plan.paths.media)],
            )
        )
        outcomes.append(
            ClipOutcome(
                name=clip.name,
                status="planned",
                inputs=[str(p) for p in clip.inputs],
                output=str(plan.paths.media),
                sidecar=str(plan.paths.sidecar),
                sha256=None,
                encoder=plan.encoder,
                reason=None,
                findings=finding_records(clip.findings),
            )
        )
    return IngestDryRunPlan(
        schema=DRY_RUN_SCHEMA,
        command=command,
        created_at=context.time,
        side_effects=SideEffects(
            executes_media_processing=False,
            creates_media_outputs=False,
            writes_metadata=[
                str(plan_path),
                *(str(path) for path in copies),
                *(str(c.plan.concat_path) for c in clips if c.plan and c.plan.concat_path),
            ],
        ),
        inputs=inputs,
        outputs=outputs,
        commands=commands,
        validation=validation,
        adapter=context.adapter,
        input_dir=str(context.input_dir),
        output_dir=str(context.output_dir),
        encoder=context.encoder,
        encoders_preference=list(context.encoders_preference),
        options=options_record(context.options, context.adapter),
        clips=outcomes,
    )
