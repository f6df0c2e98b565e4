"""Execute an ingest: gather facts, let the core plan, run FFmpeg, write documents."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from returns.result import Failure, Result, Success

import cosmos
from cosmos.core.encode.policy import (
    SOFTWARE_ENCODER,
    encoder_candidates,
)
from cosmos.core.encode.profiles import choose_profile_name
from cosmos.core.errors import (
    CosmosFailure,
    InvalidInput,
    stderr_tail,
)
from cosmos.core.ffmpeg.progress import ProgressBlock, progress_line_handler
from cosmos.core.ingest.adapter import ClipSource, Finding, FolderListing
from cosmos.core.ingest.cosm.manifest import ManifestClip
from cosmos.core.ingest.detect import choose_adapter, select_clips
from cosmos.core.ingest.generic import GenericMediaAdapter
from cosmos.core.ingest.options import IngestOptions, ResolvedIngest, resolve_ingest_options
from cosmos.core.ingest.plan import ClipPlan, clip_file_names, clip_output_paths
from cosmos.core.media_checks import check_output_length
from cosmos.core.model.documents import (
    INTERRUPTED_REASON,
    ClipOutcome,
    EnvInfo,
    IngestRunDocument,
    encode_document,
)
from cosmos.core.names import TooLong, check_name_lengths, find_too_long, too_long_message
from cosmos.core.provenance.ids import make_run_id
from cosmos.core.provenance.ingest_documents import (
    DryRunClip,
    ProducedClip,
    RunContext,
    build_clip_document,
    build_dry_run_plan,
    build_run_document,
    finding_records,
)
from cosmos.shell import fs
from cosmos.shell.binaries import resolve_ffmpeg_and_ffprobe
from cosmos.shell.envinfo import current_platform, ffmpeg_info, system_info, utc_now
from cosmos.shell.ffmpeg_log import CommandLog
from cosmos.shell.hashing import sha256_file
from cosmos.shell.ingest_cosm import load_manifest, prepare_cosm_clips
from cosmos.shell.ingest_prepare import (
    PreparedClip,
    choose_hw_decode,
    prepare_generic_clip,
)
from cosmos.shell.probe import probe_media
from cosmos.shell.provenance import derived_warning

logger = logging.getLogger("cosmos.ingest")

RUN_DOCUMENT = "cosmos_ingest_run.v1.json"
DRY_RUN_DOCUMENT = "cosmos_ingest_dry_run.v1.json"
# The SDK's documented name for the same plan; both files hold the same bytes.
DRY_RUN_COPY = "cosmos_dry_run.json"


@dataclass(frozen=True, slots=True)
class IngestProgress:
    """A progress report of one clip's encode."""

    clip: str
    clip_number: int
    clip_total: int
    frame: int | None
    total_frames: int | None
    fps: float | None
    out_time_seconds: float | None
    total_seconds: float | None
    finished: bool


ProgressCallback = Callable[[IngestProgress], None]


@dataclass(frozen=True, slots=True)
class IngestRequest:
    input_dir: Path
    output_dir: Path
    manifest: Path | None
    options: IngestOptions
    command: str = "cosmos.sdk.ingest.ingest"


@dataclass(frozen=True, slots=True)
class IngestResult:
    """Result of a run: produced (or planned) paths, every clip's outcome, the documents."""

    run_id: str
    dry_run: bool
    produced: tuple[Path, ...]
    outcomes: tuple[ClipOutcome, ...]
    run_document: Path | None
    dry_run_plan: Path | None
    document: IngestRunDocument | None
    # Width and height of each planned clip, in ``produced`` order; empty for a real run,
    # whose clips can be probed.
    planned_sizes: tuple[tuple[int, int], ...] = ()


def _skipped(prepared: PreparedClip) -> ClipOutcome:
    reason = "; ".join(f.message for f in prepared.findings if f.blocking)
    return ClipOutcome(
        name=prepared.clip.name,
        status="skipped",
        inputs=[str(p) for p in prepared.clip.inputs],
        output=None,
        sidecar=None,
        sha256=None,
        encoder=None,
        reason=reason or "the clip did not pass validation",
        findings=finding_records(prepared.findings),
    )


def _failed(prepared: PreparedClip, reason: str) -> ClipOutcome:
    return ClipOutcome(
        name=prepared.clip.name,
        status="failed",
        inputs=[str(p) for p in prepared.clip.inputs],
        output=None,
        sidecar=None,
        sha256=None,
        encoder=prepared.plan.encoder if prepared.plan else None,
        reason=reason,
        findings=finding_records(prepared.findings),
    )


def _progress_sink(
    plan: ClipPlan, number: int, total: int, callback: ProgressCallback | None
) -> Callable[[str], None] | None:
    if callback is None:
        return None

    def on_block(block: ProgressBlock) -> None:
        callback(
            IngestProgress(
                clip=plan.clip.name,
                clip_number=number,
                clip_total=total,
                frame=block.frame,
                total_frames=plan.expected_frames,
                fps=block.fps,
                out_time_seconds=block.out_time_seconds,
                total_seconds=plan.expected_duration_seconds,
                finished=block.finished,
            )
        )

    return progress_line_handler(on_block)


def _attempt(
    plan: ClipPlan,
    command_log: CommandLog,
    number: int,
    total: int,
    progress: ProgressCallback | None,
) -> tuple[bool, str]:
    """Run one encode attempt; return success and a failure reason."""
    try:
        completed = command_log.run(
            plan.argv, on_stdout_line=_progress_sink(plan, number, total, progress)
        )
    except OSError as error:
        return False, f"cannot start {plan.argv[0]} ({error})"
    if not completed.ok:
        tail = stderr_tail(completed.stderr, 3) or "no stderr"
        return False, (
            f"ffmpeg exited with {completed.returncode} encoding {plan.clip.inputs[0]} with "
            f"{plan.encoder}: {tail} (full log: {plan.paths.log})"
        )
    return True, ""


def _encode_clip(
    prepared: PreparedClip,
    *,
    run_id: str,
    adapter_name: str,
    options: ResolvedIngest,
    env: EnvInfo,
    number: int,
    total: int,
    progress: ProgressCallback | None,
) -> tuple[ClipOutcome, Path | None]:
    plan, choice = prepared.plan, prepared.choice
    assert plan is not None and choice is not None
    # Both attempts write to the same files, because a retry keeps the clip's output name.
    command_log = CommandLog(cmd=plan.paths.cmd, log=plan.paths.log)
    if plan.concat_path is not None and plan.concat_text is not None:
        fs.atomic_write_text(plan.concat_path, plan.concat_text)
    try:
        ok, reason = _attempt(plan, command_log, number, total, progress)
        if not ok and plan.encoder != SOFTWARE_ENCODER and prepared.replan is not None:
            logger.warning(
                "clip %s failed with %s; retrying once with libx264", plan.clip.name, plan.encoder
            )
            choice = choice.software_retry(plan.encoder, reason)
            fs.remove_quietly(plan.paths.temporary)
            plan = prepared.replan(choice)
            ok, reason = _attempt(plan, command_log, number, total, progress)
        if not ok:
            return _failed(replace(prepared, plan=plan), reason), None

        checked = probe_media(plan.paths.temporary, cached=False)
        if isinstance(checked, Failure):
            return _failed(
                replace(prepared, plan=plan),
                f"ffmpeg finished but its output does not probe as video: "
                f"{checked.failure().message}",
            ), None
        output_facts = checked.unwrap()
        complete = check_output_length(
            str(plan.source_file or plan.clip.inputs[0]),
            plan.expected_duration_seconds,
            output_facts.probe.duration_seconds,
        )
        if isinstance(complete, Failure):
            return _failed(replace(prepared, plan=plan), complete.failure().message), None
        # The sidecar is written before the clip is renamed into place, so a failed write (a
        # full disk) leaves the earlier clip and sidecar, if any, as they were, and never a
        # finished-looking clip without its sidecar.
        output_sha = sha256_file(plan.paths.temporary)
        source = plan.source_file or plan.clip.inputs[0]
        produced = ProducedClip(
            plan=plan,
            choice=choice,
            source_facts=prepared.facts,
            source_sha256=sha256_file(source),
            source_bytes=source.stat().st_size,
            output_sha256=output_sha,
            output_bytes=plan.paths.temporary.stat().st_size,
            output_facts=output_facts,
            findings=tuple(prepared.findings),
        )
        document = build_clip_document(
            produced,
            run_id=run_id,
            adapter=adapter_name,
            profile_name=options.profile.name if options.profile else None,
            env=env,
        )
        try:
            fs.atomic_write_bytes(plan.paths.sidecar, encode_document(document))
            plan.paths.temporary.replace(plan.paths.media)
            command_log.commit()
        except OSError as error:
            return _failed(
                replace(prepared, plan=plan),
                f"cannot write {error.filename or plan.paths.sidecar}: "
                f"{error.strerror or error}; check the free space and permissions of "
                f"{plan.paths.media.parent}",
            ), None
    finally:
        if plan is not None:
            fs.remove_quietly(plan.paths.temporary)

    outcome = ClipOutcome(
        name=plan.clip.name,
        status="produced",
        inputs=[str(p) for p in plan.clip.inputs],
        output=str(plan.paths.media),
        sidecar=str(plan.paths.sidecar),
        sha256=output_sha,
        encoder=plan.encoder,
        reason=None,
        findings=finding_records(prepared.findings),
    )
    return outcome, plan.paths.media


def _write_run_document(output_dir: Path, document: IngestRunDocument) -> Path:
    data = encode_document(document)
    return fs.write_run_document(output_dir, RUN_DOCUMENT, document.ingest_run_id, data)


def _check_outputs_spare_inputs(
    clips: list[ClipSource], output_dir: Path
) -> Result[None, InvalidInput]:
    inputs = {path.resolve() for clip in clips for path in clip.inputs}
    for clip in clips:
        media = clip_output_paths(output_dir, clip.name, "x").media
        if media in inputs:
            return Failure(
                InvalidInput(
                    value=str(output_dir),
                    message=f"output {media} would overwrite the input file of the same name; "
                    "choose an output folder other than the input folder",
                )
            )
    return Success(None)


def _names_too_long(
    generic_clips: list[ClipSource],
    cosm_clips: list[ManifestClip],
    manifest: Path | None,
    output_dir: Path,
) -> dict[str, TooLong]:
    """Map each clip with a file name longer than the output folder takes to its longest name."""
    limit = fs.name_limit(output_dir)
    if limit is None:
        return {}
    named = [(clip.name, f"input {clip.inputs[0]}", False) for clip in generic_clips]
    named += [(clip.name, f"manifest {manifest}", True) for clip in cosm_clips]
    found: dict[str, TooLong] = {}
    for name, source, concat in named:
        names = clip_file_names(name, concat=concat)
        problem = find_too_long(source, name, "its clip name", names, limit)
        if problem is not None:
            found[name] = problem
    return found


def _rename(adapter_name: str) -> str:
    if adapter_name == "cosm":
        return "the clip (Name in the manifest)"
    return "the input file"


def _block_too_long(
    prepared: PreparedClip, too_long: dict[str, TooLong], output_dir: Path, adapter_name: str
) -> PreparedClip:
    problem = too_long.get(prepared.clip.name)
    if problem is None:
        return prepared
    finding = Finding(
        clip=prepared.clip.name,
        code="name-too-long",
        message=f"{too_long_message(problem, str(output_dir), _rename(adapter_name))}; the real "
        "run stops before any work",
        blocking=True,
    )
    return replace(prepared, findings=(*prepared.findings, finding), plan=None, choice=None)


def _select_generic_clips(
    listing: FolderListing, options: ResolvedIngest
) -> Result[list[ClipSource], InvalidInput]:
    discovered = GenericMediaAdapter().discover(listing)
    if isinstance(discovered, Failure):
        return discovered
    clips_by_name = {clip.name: clip for clip in discovered.unwrap()}
    selected = select_clips(list(clips_by_name), options.clips, listing.root)
    if isinstance(selected, Failure):
        return selected
    return Success([clips_by_name[name] for name in selected.unwrap()])


def run_ingest(
    request: IngestRequest, progress: ProgressCallback | None = None
) -> Result[IngestResult, CosmosFailure]:
    """Run (or plan, for a dry run) one ingest and write its documents.

    Errors that stop the whole run come back as a ``Failure`` before anything is written. A
    clip that fails or is skipped is recorded in the run document, and the others go on.
    """
    profile_name = choose_profile_name(request.options.profile, os.environ.get("COSMOS_PROFILE"))
    resolved = resolve_ingest_options(request.options, profile_name)
    if isinstance(resolved, Failure):
        return resolved
    options = resolved.unwrap()

    input_checked = fs.existing_folder(request.input_dir, "input folder")
    if isinstance(input_checked, Failure):
        return input_checked
    input_dir = input_checked.unwrap()
    manifest = request.manifest.expanduser().resolve() if request.manifest else None
    if manifest is not None and not manifest.is_file():
        return Failure(
            InvalidInput(
                value=str(request.manifest),
                message=f"manifest {request.manifest} does not exist or is not a file; check "
                "the path, or omit manifest= (CLI: --manifest) to use the one XML file in the "
                "input folder",
            )
        )

    listing = fs.list_folder(input_dir)
    adapter_chosen = choose_adapter(listing, options.adapter, manifest)
    if isinstance(adapter_chosen, Failure):
        return adapter_chosen
    adapter_name = adapter_chosen.unwrap()

    generic_clips: list[ClipSource] = []
    cosm_clips: list[ManifestClip] = []
    if adapter_name == "cosm":
        loaded = load_manifest(listing, manifest, options.clips)
        if isinstance(loaded, Failure):
            return loaded
        manifest, cosm_clips = loaded.unwrap()
    else:
        selected = _select_generic_clips(listing, options)
        if isinstance(selected, Failure):
            return selected
        generic_clips = selected.unwrap()

    output_checked = fs.folder_path(request.output_dir, "output folder")
    if isinstance(output_checked, Failure):
        return output_checked
    output_dir = output_checked.unwrap()
    spared = _check_outputs_spare_inputs(generic_clips, output_dir)
    if isinstance(spared, Failure):
        return spared
    too_long = _names_too_long(generic_clips, cosm_clips, manifest, output_dir)
    if not options.dry_run:
        # Checked before any probe or encode, so no clip is made by a run that cannot finish.
        fitting = check_name_lengths(
            list(too_long.values()), str(output_dir), _rename(adapter_name)
        )
        if isinstance(fitting, Failure):
            return fitting

    tool = resolve_ffmpeg_and_ffprobe()
    if isinstance(tool, Failure):
        return tool
    ffmpeg = tool.unwrap()
    hw = choose_hw_decode(ffmpeg, options)
    if isinstance(hw, Failure):
        return hw
    hw_decode = hw.unwrap()
    candidates = encoder_candidates(current_platform(), options.profile, None)

    prepared: list[PreparedClip] = []
    if adapter_name == "cosm":
        assert manifest is not None
        cosm_prepared = prepare_cosm_clips(
            root=input_dir,
            manifest=manifest,
            clips=cosm_clips,
            options=options,
            ffmpeg=ffmpeg,
            candidates=candidates,
            hw_decode=hw_decode,
            output_dir=output_dir,
            allow_partial=options.allow_partial,
        )
        if isinstance(cosm_prepared, Failure):
            return cosm_prepared
        prepared = cosm_prepared.unwrap()
    for clip in generic_clips:
        result = prepare_generic_clip(
            clip,
            ffmpeg=ffmpeg,
            options=options,
            candidates=candidates,
            hw_decode=hw_decode,
            output_dir=output_dir,
        )
        if isinstance(result, Failure):
            return result
        prepared.append(result.unwrap())
    # A dry run shows each such clip as skipped, with the reason, and writes its plan.
    prepared = [_block_too_long(p, too_long, output_dir, adapter_name) for p in prepared]
    foreign = fs.check_replaceable(
        (p.plan.paths.media for p in prepared if p.plan),
        "clip",
        remedy="choose another output folder",
        force=options.force,
    )
    if isinstance(foreign, Failure):
        return foreign
    existing = fs.check_existing_outputs(
        (path for p in prepared if p.plan for path in (p.plan.paths.media, p.plan.paths.sidecar)),
        force=options.force,
        dry_run=options.dry_run,
        logger=logger,
        remedy="pass force=True (CLI: --force) to replace them, choose another output folder, "
        "or name only the clips still to make with clips (CLI: --clip)",
    )
    if isinstance(existing, Failure):
        return existing
    if options.force:
        clips = [p.plan.paths.media for p in prepared if p.plan]
        warning = derived_warning(clips, "clip", output_dir)
        if warning is not None:
            logger.warning("%s", warning)
    # Created only now, so that a run rejected above leaves no empty folder behind.
    created = fs.writable_folder(output_dir, "output folder")
    if isinstance(created, Failure):
        return created

    clock = utc_now()
    run_id = make_run_id("ing", clock.compact, fs.random_token()[:6])
    encoders_in_use = sorted({p.plan.encoder for p in prepared if p.plan is not None})
    context = RunContext(
        run_id=run_id,
        time=clock.iso,
        version=cosmos.__version__,
        input_dir=input_dir,
        output_dir=output_dir,
        manifest=manifest,
        adapter=adapter_name,
        options=options,
        encoders_preference=candidates,
        encoder=", ".join(encoders_in_use) or None,
        ffmpeg=ffmpeg_info(ffmpeg),
        system=system_info(),
    )

    if options.dry_run:
        return Success(_write_dry_run(request, context, prepared))
    return Success(_execute(context, prepared, progress))


def _write_dry_run(
    request: IngestRequest, context: RunContext, prepared: list[PreparedClip]
) -> IngestResult:
    plan_path = context.output_dir / DRY_RUN_DOCUMENT
    clips = [
        DryRunClip(
            name=p.clip.name,
            inputs=p.clip.inputs,
            facts=p.facts,
            findings=p.findings,
            plan=p.plan,
            existing_outputs=frozenset(
                path
                for path in (
                    (p.plan.paths.media, p.plan.paths.cmd, p.plan.paths.log, p.plan.paths.sidecar)
                    if p.plan
                    else ()
                )
                if path.exists()
            ),
        )
        for p in prepared
    ]
    copy_path = context.output_dir / DRY_RUN_COPY
    document = build_dry_run_plan(context, clips, plan_path, request.command, copies=(copy_path,))
    for p in prepared:
        # Concat lists stay beside the plan so its argv can be run by hand.
        if p.plan is not None and p.plan.concat_path and p.plan.concat_text is not None:
            fs.atomic_write_text(p.plan.concat_path, p.plan.concat_text)
    data = encode_document(document)
    fs.atomic_write_bytes(plan_path, data)
    fs.atomic_write_bytes(copy_path, data)
    for p in prepared:
        if p.plan is None:
            logger.error("clip %s would be skipped: %s", p.clip.name, _skipped(p).reason)
    return IngestResult(
        run_id=context.run_id,
        dry_run=True,
        produced=tuple(p.plan.paths.media for p in prepared if p.plan is not None),
        outcomes=tuple(document.clips),
        run_document=None,
        dry_run_plan=plan_path,
        document=None,
        planned_sizes=tuple((p.plan.width, p.plan.height) for p in prepared if p.plan is not None),
    )


def _execute(
    context: RunContext, prepared: list[PreparedClip], progress: ProgressCallback | None
) -> IngestResult:
    env = EnvInfo(ffmpeg=context.ffmpeg, system=context.system)
    outcomes: list[ClipOutcome] = []
    produced: list[Path] = []
    total = len(prepared)
    try:
        for number, item in enumerate(prepared, start=1):
            if item.plan is None:
                outcome = _skipped(item)
                logger.error("clip %s skipped: %s", item.clip.name, outcome.reason)
                outcomes.append(outcome)
                continue
            outcome, path = _encode_clip(
                item,
                run_id=context.run_id,
                adapter_name=context.adapter,
                options=context.options,
                env=env,
                number=number,
                total=total,
                progress=progress,
            )
            if path is None:
                logger.error("clip %s failed: %s", item.clip.name, outcome.reason)
            else:
                produced.append(path)
            outcomes.append(outcome)
    except KeyboardInterrupt:
        done = {outcome.name for outcome in outcomes}
        outcomes += [
            _failed(item, INTERRUPTED_REASON) for item in prepared if item.clip.name not in done
        ]
        _write_run_document(context.output_dir, build_run_document(context, outcomes))
        raise

    document = build_run_document(context, outcomes)
    run_path = _write_run_document(context.output_dir, document)
    return IngestResult(
        run_id=context.run_id,
        dry_run=False,
        produced=tuple(produced),
        outcomes=tuple(outcomes),
        run_document=run_path,
        dry_run_plan=None,
        document=document,
    )
