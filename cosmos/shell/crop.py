"""Execute a crop run: geometry and trims for every (input, job) pair first, then encode each."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import msgspec
from returns.result import Failure, Result, Success

import cosmos
from cosmos.core.crop.geometry import CropGeometry, crop_geometry, crop_rect
from cosmos.core.crop.jobs import AnyCropJob, CropJob, default_square_size
from cosmos.core.crop.plan import (
    CROP_CRF,
    CropPlan,
    TrimWindow,
    build_crop_plan,
    clip_view_names,
    output_names,
)
from cosmos.core.encode.policy import SOFTWARE_ENCODER, EncoderChoice, encoder_candidates
from cosmos.core.encode.profiles import DeterminismProfile, choose_profile_name, lookup_profile
from cosmos.core.errors import (
    CosmosFailure,
    InvalidInput,
    InvalidOption,
    ProcessingFailed,
    stderr_tail,
)
from cosmos.core.ffmpeg.paths import command_path, log_path
from cosmos.core.ffmpeg.timeline import PacketIndex
from cosmos.core.media_checks import check_output_length, declared_window_seconds
from cosmos.core.model.documents import (
    DRY_RUN_SCHEMA,
    INTERRUPTED_REASON,
    SCHEMA_VERSION,
    ClipStatus,
    CropDryRunPlan,
    CropJobSummary,
    CropRunDocument,
    CropTrim,
    EncoderAttempt,
    EnvInfo,
    FindingRecord,
    JobRef,
    OutputRef,
    PlannedCommand,
    PlannedInput,
    PlannedOutput,
    RunSummary,
    SideEffects,
    SourceRef,
    ViewCrop,
    ViewDocument,
    ViewEncode,
    encode_document,
)
from cosmos.core.model.media import MediaFacts
from cosmos.core.names import (
    TooLong,
    check_name_lengths,
    find_too_long,
    stem_problem,
    temporary_name,
    with_temporaries,
)
from cosmos.core.provenance.ids import make_artifact_id, make_run_id
from cosmos.core.provenance.ingest_documents import video_facts
from cosmos.core.provenance.paths import relative_path
from cosmos.core.video.requests import indices_for_times
from cosmos.shell import fs
from cosmos.shell.binaries import ResolvedTool, resolve_ffmpeg_and_ffprobe
from cosmos.shell.encoders import select_encoder
from cosmos.shell.envinfo import current_platform, ffmpeg_info, system_info, utc_now
from cosmos.shell.ffmpeg_log import CommandLog
from cosmos.shell.hashing import sha256_file
from cosmos.shell.probe import probe_and_hash
from cosmos.shell.provenance import artifact_id_beside, derived_warning, read_record
from cosmos.shell.video_index import video_index

logger = logging.getLogger("cosmos.crop")

RUN_DOCUMENT = "cosmos_crop_run.v1.json"
DRY_RUN_DOCUMENT = "cosmos_crop_dry_run.json"
VIEW_SUFFIX = ".cosmos_view.v1.json"
HEVC_HARDWARE: dict[str, tuple[str, ...]] = {
    "darwin": ("hevc_videotoolbox",),
    "linux": ("hevc_nvenc", "hevc_qsv", "hevc_vaapi"),
    "win32": ("hevc_nvenc", "hevc_qsv", "hevc_amf"),
}
# Every view is encoded as 4:2:0 (yuv420p or nv12), whatever the source's chroma, so its
# rectangle is always snapped to even values.
EVEN_RECTANGLE = True


@dataclass(frozen=True, slots=True)
class CropPair:
    """One job applied to one input; numbers are positions in the caller's lists."""

    source: Path
    job: AnyCropJob
    input_number: int
    job_number: int
    # The default job of an empty jobs list: a centred square of 1080 px, or of the frame's
    # shorter side when the frame is smaller, so every source has a default view.
    fit_default: bool = False


@dataclass(frozen=True, slots=True)
class CropResult:
    run_id: str
    dry_run: bool
    produced: tuple[Path, ...]
    jobs: tuple[CropJobSummary, ...]
    run_document: Path | None
    dry_run_plan: Path | None


@dataclass(frozen=True, slots=True)
class _Planned:
    pair: CropPair
    plan: CropPlan
    choice: EncoderChoice
    facts: MediaFacts


def resolve_trim(
    geometry: CropGeometry, facts: MediaFacts, index: PacketIndex, source: Path
) -> Result[TrimWindow, InvalidOption]:
    """Start at the frame displayed at ``start`` and keep ``round((end - start) * fps)`` frames.

    The input seek lands half a frame before the first frame's PTS, so FFmpeg's accurate seek
    keeps exactly that frame first.
    """
    start, end = geometry.start_seconds, geometry.end_seconds
    first = 0
    if start is not None:
        mapped = indices_for_times([start], index, str(source))
        if isinstance(mapped, Failure):
            return mapped
        first = mapped.unwrap()[0]
    fps = facts.probe.fps or (index.frame_count / index.duration_seconds)
    count: int | None = None
    if end is not None:
        count = max(1, round((end - (start or 0.0)) * fps))
        count = min(count, index.frame_count - first)
    seek: float | None = None
    if first > 0:
        previous = index.absolute_seconds(first - 1)
        seek = (previous + index.absolute_seconds(first)) / 2 - index.format_start_seconds
        seek = max(0.0, seek)
    return Success(TrimWindow(seek_seconds=seek, frame_count=count, first_index=first))


def _candidates(profile: DeterminismProfile | None, prefer_hevc_hw: bool) -> tuple[str, ...]:
    chain = encoder_candidates(current_platform(), profile, None)
    if prefer_hevc_hw and (profile is None or profile.pinned_encoder is None):
        return (*HEVC_HARDWARE.get(current_platform(), ()), *chain)
    return chain


def fit_default_job(pair: CropPair, facts: MediaFacts) -> CropPair:
    if not pair.fit_default:
        return pair
    size = default_square_size(facts.probe.width, facts.probe.height)
    return CropPair(pair.source, CropJob(size=size), pair.input_number, pair.job_number)


def _view_sidecar(output: Path) -> Path:
    return output.with_name(output.name + VIEW_SUFFIX)


def _check_view_ids(pairs: Sequence[CropPair]) -> Result[None, InvalidInput]:
    """Reject a view id that cannot name a file inside the output folder, before any work."""
    for pair in pairs:
        view_id = None if isinstance(pair.job, CropJob) else pair.job.view_id
        problem = None if view_id is None else stem_problem(view_id)
        if problem is not None:
            return Failure(
                InvalidInput(
                    value=str(view_id),
                    message=f"invalid view_id {view_id!r}: {problem}; choose a plain file name "
                    "such as 'left_feeder'",
                )
            )
    return Success(None)


KEPT_REASON = "made by an earlier run from the same source and job, and kept"


def _kept_views(planned: Sequence[_Planned]) -> dict[Path, CropJobSummary]:
    """Find the planned views that an earlier run made from the same source and job.

    A view counts when its sidecar decodes, the view still has the sha256 the sidecar records,
    the source has the recorded sha256, and the job matches: kind, view id, the requested
    geometry and the trim. The encoder and profile are not compared.
    """
    kept_by_output: dict[Path, CropJobSummary] = {}
    source_sha: dict[Path, str] = {}
    for item in planned:
        output, sidecar = item.plan.output, _view_sidecar(item.plan.output)
        if not (output.is_file() and sidecar.is_file()):
            continue
        try:
            document = msgspec.json.decode(sidecar.read_bytes(), type=ViewDocument)
        except (OSError, msgspec.DecodeError):
            continue
        job, geometry = item.pair.job, item.plan.geometry
        same_job = (
            document.job_ref.kind == ("square" if isinstance(job, CropJob) else "rect")
            and document.job_ref.view_id == (None if isinstance(job, CropJob) else job.view_id)
            and document.crop.requested == dict(geometry.requested)
            and document.crop.trim.start == geometry.start_seconds
            and document.crop.trim.end == geometry.end_seconds
        )
        if not same_job:
            continue
        if item.pair.source not in source_sha:
            source_sha[item.pair.source] = sha256_file(item.pair.source)
        if document.source.sha256 != source_sha[item.pair.source]:
            continue
        if sha256_file(output) != document.output.sha256:
            continue
        kept_by_output[output] = _summary(
            item, "kept", document.output.sha256, sidecar, KEPT_REASON
        )
    return kept_by_output


def _check_existing_outputs(
    planned: Sequence[_Planned], force: bool, dry_run: bool
) -> Result[None, CosmosFailure]:
    """Reject outputs that would replace an input, and, without ``force``, existing views."""
    sources = {item.pair.source.resolve() for item in planned}
    for item in planned:
        if item.plan.output.resolve() in sources:
            job = item.pair.job
            remedy = (
                "give the job another view_id, or choose another output folder"
                if not isinstance(job, CropJob) and job.view_id
                else "choose another output folder"
            )
            return Failure(
                InvalidInput(
                    value=str(item.plan.output),
                    message=f"output {item.plan.output} would replace the input of the same "
                    f"name; {remedy}",
                )
            )
    foreign = fs.check_replaceable(
        (item.plan.output for item in planned),
        "view",
        remedy="choose another output folder",
        force=force,
    )
    if isinstance(foreign, Failure):
        return foreign
    force_hint = 'ffmpeg_opts["force"]=True (CLI: --force)'
    remedy = f"pass {force_hint} to replace them, or choose another output folder"
    # With force the message is never shown, so the existing sidecars are not read.
    others = [] if force else _cut_from_other_sources(planned)
    if others:
        remedy = (
            f"{'; '.join(others)}, not from this run's input, because view names follow each "
            "input's position in a run; choose an output folder per source, or pass "
            f"{force_hint} to replace them anyway"
        )
    if force and planned:
        outputs = [item.plan.output for item in planned]
        warning = derived_warning(outputs, "view", outputs[0].parent)
        if warning is not None:
            logger.warning("%s", warning)
    return fs.check_existing_outputs(
        (path for item in planned for path in (item.plan.output, _view_sidecar(item.plan.output))),
        force=force,
        dry_run=dry_run,
        logger=logger,
        remedy=remedy,
    )


def _cut_from_other_sources(planned: Sequence[_Planned]) -> list[str]:
    """Name the existing views, up to three, whose sidecars record another source file than
    the one this run would cut them from."""
    others: list[str] = []
    for item in planned:
        sidecar = _view_sidecar(item.plan.output)
        record = read_record(str(sidecar.parent), sidecar.name, "view")
        if record is None or not record.source:
            continue
        source = Path(record.source).resolve()
        if source != item.pair.source.resolve():
            others.append(f"{item.plan.output.name} was cut from {source}")
            if len(others) == 3:
                break
    return others


def _check_names(
    pairs: Sequence[CropPair], names: Sequence[str], output_dir: Path
) -> Result[None, InvalidInput]:
    """Reject two jobs that would write the same view, and a view whose file names (temporary
    names included) are longer than the output folder takes, before any work."""
    # Compared without case, because a card formatted exFAT or FAT32 (or a macOS volume)
    # stores Left.mp4 and left.mp4 as one file.
    first: dict[str, CropPair] = {}
    for pair, name in zip(pairs, names, strict=True):
        other = first.setdefault(name.casefold(), pair)
        if other is not pair:
            other_name = names[pairs.index(other)]
            case = (
                ""
                if other_name == name
                else f" ({other_name}.mp4 and {name}.mp4 differ only in letter case, which exFAT, "
                "FAT32 and macOS volumes store as one file)"
            )
            return Failure(
                InvalidInput(
                    value=name,
                    message=f"job {other.job_number} on {other.source} and job "
                    f"{pair.job_number} on {pair.source} would both write {name}.mp4{case}; "
                    "give each rect job its own view_id",
                )
            )
    limit = fs.name_limit(output_dir)
    if limit is None:
        return Success(None)
    problems: list[TooLong] = []
    for pair, name in zip(pairs, names, strict=True):
        media = f"{name}.mp4"
        written = [media + VIEW_SUFFIX, command_path(Path(media)).name, log_path(Path(media)).name]
        every = (media, temporary_name(media), *with_temporaries(written))
        source = f"job {pair.job_number} on {pair.source}"
        problem = find_too_long(source, name, "its view name", every, limit)
        if problem is not None:
            problems.append(problem)
    return check_name_lengths(problems, str(output_dir), "the view_id or the input file")


def _plan_pairs(
    pairs: Sequence[CropPair],
    output_dir: Path,
    ffmpeg: ResolvedTool,
    profile: DeterminismProfile | None,
    prefer_hevc_hw: bool,
    *,
    names_from_clips: bool,
) -> Result[list[_Planned], CosmosFailure]:
    indexed: dict[Path, tuple[MediaFacts, PacketIndex]] = {}
    for pair in pairs:
        if pair.source in indexed:
            continue
        checked = fs.input_file(pair.source, "input")
        if isinstance(checked, Failure):
            return checked
        result = video_index(pair.source)
        if isinstance(result, Failure):
            return result
        indexed[pair.source] = result.unwrap()

    pairs = [fit_default_job(pair, indexed[pair.source][0]) for pair in pairs]
    numbered = [(p.source, p.job, p.input_number, p.job_number) for p in pairs]
    names = clip_view_names(numbered) if names_from_clips else output_names(numbered)
    unique = _check_names(pairs, names, output_dir)
    if isinstance(unique, Failure):
        return unique
    planned: list[_Planned] = []
    for pair, name in zip(pairs, names, strict=True):
        facts, index = indexed[pair.source]
        geometry = crop_geometry(
            pair.job, facts.probe.width, facts.probe.height, chroma_420=EVEN_RECTANGLE
        )
        if isinstance(geometry, Failure):
            error = geometry.failure()
            return Failure(
                InvalidOption(
                    field=error.field,
                    value=error.value,
                    message=f"job {pair.job_number} on {pair.source}: {error.message}",
                )
            )
        trim = resolve_trim(geometry.unwrap(), facts, index, pair.source)
        if isinstance(trim, Failure):
            return trim
        size = (geometry.unwrap().width, geometry.unwrap().height)
        chosen = select_encoder(ffmpeg.path, _candidates(profile, prefer_hevc_hw), *size, "yuv420p")
        if isinstance(chosen, Failure):
            return chosen
        output = output_dir / f"{name}.mp4"
        plan = build_crop_plan(
            ffmpeg=str(ffmpeg.path),
            source=pair.source,
            output=output,
            temporary=output.with_name(temporary_name(output.name, fs.random_token())),
            geometry=geometry.unwrap(),
            trim=trim.unwrap(),
            encoder=chosen.unwrap().encoder,
            profile=profile,
        )
        planned.append(_Planned(pair, plan, chosen.unwrap(), facts))
    return Success(planned)


def _summary(
    item: _Planned, status: ClipStatus, sha256: str | None, sidecar: Path | None, reason: str | None
) -> CropJobSummary:
    job = item.pair.job
    return CropJobSummary(
        source=str(item.pair.source),
        job_index=item.pair.job_number,
        kind="square" if isinstance(job, CropJob) else "rect",
        view_id=None if isinstance(job, CropJob) else job.view_id,
        output=str(item.plan.output),
        status=status,
        rect=crop_rect(item.plan.geometry),
        sha256=sha256,
        sidecar=str(sidecar) if sidecar else None,
        reason=reason,
    )


def run_crop(
    pairs: Sequence[CropPair],
    out_dir: Path,
    *,
    dry_run: bool = False,
    prefer_hevc_hw: bool = False,
    profile: str | None = None,
    force: bool = False,
    command: str = "cosmos.sdk.crop.crop",
    names_from_clips: bool = False,
    skip_existing: bool = False,
) -> Result[CropResult, CosmosFailure]:
    """Plan every pair (any invalid job fails the run before an encode), then run each.

    Views and view sidecars already in ``out_dir`` are replaced only with ``force``; without
    it the run stops before any encode (a dry run warns). An output that would replace one of
    the inputs always stops the run. ``names_from_clips`` names views after their input
    (:func:`clip_view_names`) instead of by position. ``skip_existing`` keeps each view that an
    earlier run made from the same source and job, intact, so a run that partly failed can be
    finished without encoding its good views again (see :func:`_kept_views`).
    """
    profile_name = choose_profile_name(profile, os.environ.get("COSMOS_PROFILE"))
    resolved_profile: DeterminismProfile | None = None
    if profile_name is not None:
        looked_up = lookup_profile(profile_name)
        if isinstance(looked_up, Failure):
            return looked_up
        resolved_profile = looked_up.unwrap()
    named = _check_view_ids(pairs)
    if isinstance(named, Failure):
        return named
    folder = fs.folder_path(out_dir, "output folder")
    if isinstance(folder, Failure):
        return folder
    output_dir = folder.unwrap()
    tool = resolve_ffmpeg_and_ffprobe()
    if isinstance(tool, Failure):
        return tool
    ffmpeg = tool.unwrap()
    planned_result = _plan_pairs(
        pairs,
        output_dir,
        ffmpeg,
        resolved_profile,
        prefer_hevc_hw,
        names_from_clips=names_from_clips,
    )
    if isinstance(planned_result, Failure):
        return planned_result
    planned = planned_result.unwrap()
    kept_views = _kept_views(planned) if skip_existing and not force else {}
    to_make = [item for item in planned if item.plan.output not in kept_views]
    checked = _check_existing_outputs(to_make, force, dry_run)
    if isinstance(checked, Failure):
        return checked
    # Created only now, so that a run rejected above leaves no empty folder behind.
    created = fs.writable_folder(output_dir, "output folder")
    if isinstance(created, Failure):
        return created

    clock = utc_now()
    run_id = make_run_id("crop", clock.compact, fs.random_token()[:6])
    if dry_run:
        plan_path = output_dir / DRY_RUN_DOCUMENT
        document = _dry_run_document(
            planned, kept_views, plan_path, command=command, time=clock.iso, force=force
        )
        fs.atomic_write_bytes(plan_path, encode_document(document))
        return Success(
            CropResult(
                run_id,
                True,
                tuple(p.plan.output for p in planned),
                tuple(document.jobs),
                None,
                plan_path,
            )
        )

    env = EnvInfo(ffmpeg=ffmpeg_info(ffmpeg), system=system_info())
    # Each source is hashed once per run, on a second thread while the encodes run.
    hasher = ThreadPoolExecutor(max_workers=1)
    source_hashes = {
        source: hasher.submit(sha256_file, source)
        for source in dict.fromkeys(item.pair.source for item in to_make)
    }
    summaries: list[CropJobSummary] = []
    produced: list[Path] = []

    def write_run() -> Path:
        document = CropRunDocument(
            schema_version=SCHEMA_VERSION,
            crop_run_id=run_id,
            tool="cosmos-crop",
            version=cosmos.__version__,
            git=None,
            time=clock.iso,
            output_dir=str(output_dir),
            ffmpeg=env.ffmpeg,
            system=env.system,
            profile=resolved_profile.name if resolved_profile else None,
            prefer_hevc_hw=prefer_hevc_hw,
            jobs=summaries,
            summary=RunSummary(
                produced=sum(s.status == "produced" for s in summaries),
                failed=sum(s.status == "failed" for s in summaries),
                # Views kept from an earlier run: not made by this one.
                skipped=sum(s.status == "kept" for s in summaries),
                planned=0,
            ),
        )
        return fs.write_run_document(output_dir, RUN_DOCUMENT, run_id, encode_document(document))

    try:
        for item in planned:
            summary = kept_views.get(item.plan.output)
            if summary is None:
                summary = _crop_one(item, run_id, env, source_hashes, resolved_profile)
            summaries.append(summary)
            if summary.status in ("produced", "kept"):
                produced.append(item.plan.output)
            else:
                logger.error("crop of %s failed: %s", item.pair.source, summary.reason)
    except KeyboardInterrupt:
        hasher.shutdown(cancel_futures=True)
        # The run document lists the jobs left unfinished, as ingest's does.
        summaries += [
            _summary(item, "failed", None, None, INTERRUPTED_REASON)
            for item in planned[len(summaries) :]
        ]
        write_run()
        raise
    hasher.shutdown()
    run_path = write_run()
    return Success(CropResult(run_id, False, tuple(produced), tuple(summaries), run_path, None))


def _check_length(item: _Planned, output: MediaFacts) -> Result[None, ProcessingFailed]:
    """Fail when the output is much shorter than the trim window its source declares."""
    start, end = item.plan.geometry.start_seconds, item.plan.geometry.end_seconds
    window = ""
    if start is not None or end is not None:
        stop = "the end" if end is None else f"{end:.3f} s"
        window = f"from {start or 0.0:.3f} s to {stop}"
    return check_output_length(
        str(item.plan.source),
        declared_window_seconds(item.facts.probe.duration_seconds, start, end),
        output.probe.duration_seconds,
        window=window,
    )


def _crop_one(
    item: _Planned,
    run_id: str,
    env: EnvInfo,
    source_hashes: dict[Path, Future[str]],
    profile: DeterminismProfile | None,
) -> CropJobSummary:
    plan = item.plan
    try:
        try:
            command_log = CommandLog(cmd=plan.cmd, log=plan.log)
            completed = command_log.run(plan.argv)
        except OSError as error:
            return _summary(item, "failed", None, None, f"cannot start {plan.argv[0]} ({error})")
        if not completed.ok:
            reason = (
                f"ffmpeg exited with {completed.returncode} cropping {plan.source}: "
                f"{stderr_tail(completed.stderr) or 'no stderr'} (full log: {plan.log})"
            )
            return _summary(item, "failed", None, None, reason)
        checked, output_sha = probe_and_hash(plan.temporary)
        if isinstance(checked, Failure):
            reason = f"the cropped output does not probe as video: {checked.failure().message}"
            return _summary(item, "failed", None, None, reason)
        complete = _check_length(item, checked.unwrap())
        if isinstance(complete, Failure):
            return _summary(item, "failed", None, None, complete.failure().message)
        # The sidecar is written before the view is renamed into place, so a failed write (a
        # full disk) leaves an earlier view and sidecar as they were, and never a view
        # without its sidecar.
        sidecar = _view_sidecar(plan.output)
        document = _view_document(
            item,
            run_id=run_id,
            env=env,
            output_sha=output_sha,
            source_sha=source_hashes[plan.source].result(),
            output_facts=checked.unwrap(),
            profile=profile,
        )
        try:
            fs.atomic_write_bytes(sidecar, encode_document(document))
            plan.temporary.replace(plan.output)
            command_log.commit()
        except OSError as error:
            reason = (
                f"cannot write {error.filename or sidecar}: {error.strerror or error}; check the "
                f"free space and permissions of {plan.output.parent}"
            )
            return _summary(item, "failed", None, None, reason)
    finally:
        fs.remove_quietly(plan.temporary)
    return _summary(item, "produced", output_sha, sidecar, None)


def _view_document(
    item: _Planned,
    *,
    run_id: str,
    env: EnvInfo,
    output_sha: str,
    source_sha: str,
    output_facts: MediaFacts,
    profile: DeterminismProfile | None,
) -> ViewDocument:
    plan, job = item.plan, item.pair.job
    folder = plan.output.parent.resolve()
    geometry = plan.geometry
    return ViewDocument(
        schema_version=SCHEMA_VERSION,
        view_id=make_artifact_id("view", plan.output.stem, output_sha),
        crop_run_id=run_id,
        job_ref=JobRef(
            index=item.pair.job_number,
            kind="square" if isinstance(job, CropJob) else "rect",
            view_id=None if isinstance(job, CropJob) else job.view_id,
            annotations={} if isinstance(job, CropJob) else dict(job.annotations),
        ),
        input_clip_id=artifact_id_beside(plan.source, ("clip",)),
        source=SourceRef(
            path=str(plan.source),
            relpath=relative_path(plan.source.resolve(), folder),
            sha256=source_sha,
            bytes=plan.source.stat().st_size,
            rotation_degrees=item.facts.rotation_degrees,
        ),
        output=OutputRef(
            path=str(plan.output),
            relpath=relative_path(plan.output.resolve(), folder),
            sha256=output_sha,
            # Called before the rename, so the bytes are counted on the temporary file.
            bytes=plan.temporary.stat().st_size,
        ),
        video=video_facts(output_facts),
        crop=ViewCrop(
            kind="square" if isinstance(job, CropJob) else "rect",
            rect=crop_rect(geometry),
            requested=dict(geometry.requested),
            source_size=[geometry.frame_width, geometry.frame_height],
            trim=CropTrim(
                start=geometry.start_seconds,
                end=geometry.end_seconds,
                first_frame=plan.trim.first_index,
                frame_count=plan.trim.frame_count,
            ),
            warnings=list(geometry.warnings),
        ),
        encode=ViewEncode(
            codec=output_facts.probe.codec_name or "unknown",
            impl=plan.encoder,
            crf=CROP_CRF,
            hardware_attempted=item.choice.hardware_attempted,
            hardware_used=plan.encoder != SOFTWARE_ENCODER,
            attempts=[EncoderAttempt(encoder=n, reason=r) for n, r in item.choice.attempted],
            profile=profile.name if profile else None,
        ),
        env=env,
    )


def _dry_run_document(
    planned: list[_Planned],
    kept_views: dict[Path, CropJobSummary],
    plan_path: Path,
    *,
    command: str,
    time: str,
    force: bool,
) -> CropDryRunPlan:
    sources = list(dict.fromkeys(p.pair.source for p in planned))
    facts = {p.pair.source: p.facts for p in planned}
    blocking = (
        []
        if force
        else [
            (p, path)
            for p in planned
            if p.plan.output not in kept_views
            for path in (p.plan.output, _view_sidecar(p.plan.output))
            if path.exists()
        ]
    )
    return CropDryRunPlan(
        schema=DRY_RUN_SCHEMA,
        command=command,
        created_at=time,
        side_effects=SideEffects(
            executes_media_processing=False,
            creates_media_outputs=False,
            writes_metadata=[str(plan_path)],
        ),
        inputs=[
            PlannedInput(path=str(s), kind="video", stage="crop", observed=video_facts(facts[s]))
            for s in sources
        ],
        outputs=[
            PlannedOutput(
                path=str(path),
                kind=kind,
                stage="crop",
                exists=path.exists(),
                # A real run writes nothing at all while any output blocks it, and leaves a
                # kept view as it is.
                will_create_on_apply=not blocking and p.plan.output not in kept_views,
            )
            for p in planned
            for path, kind in (
                (p.plan.output, "video"),
                (p.plan.cmd, "command"),
                (p.plan.log, "log"),
                (_view_sidecar(p.plan.output), "view-sidecar"),
            )
        ],
        commands=[
            PlannedCommand(
                stage="crop",
                name=p.plan.output.stem,
                argv=list(p.plan.argv),
                inputs=[str(p.pair.source)],
                outputs=[str(p.plan.output)],
            )
            for p in planned
        ],
        validation=[
            FindingRecord(
                clip=p.plan.output.stem, code="geometry-adjusted", message=w, blocking=False
            )
            for p in planned
            for w in p.plan.geometry.warnings
        ]
        + [
            FindingRecord(
                clip=p.plan.output.stem,
                code="output-exists",
                message=f"{path} already exists; the real run stops before any encode unless "
                'ffmpeg_opts["force"]=True (CLI: --force)',
                blocking=True,
            )
            for p, path in blocking
        ],
        jobs=[
            kept_views.get(p.plan.output) or _summary(p, "planned", None, None, None)
            for p in planned
        ],
    )
