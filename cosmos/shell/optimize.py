"""Execute an optimize: check every input and output first, then remux or transcode each."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from returns.result import Failure, Result, Success

from cosmos.core.encode.policy import (
    SOFTWARE_ENCODER,
    EncoderChoice,
    encoder_candidates,
)
from cosmos.core.encode.profiles import choose_profile_name
from cosmos.core.errors import (
    CosmosFailure,
    InvalidInput,
    ToolUnavailable,
    stderr_tail,
)
from cosmos.core.ffmpeg.paths import command_path, log_path
from cosmos.core.ffmpeg.progress import ProgressBlock, progress_line_handler
from cosmos.core.media_checks import check_output_length
from cosmos.core.model.documents import (
    INTERRUPTED_REASON,
    EnvInfo,
    OptimizeInputRecord,
    OptimizeOutcome,
)
from cosmos.core.model.media import MediaFacts
from cosmos.core.names import (
    TooLong,
    check_name_lengths,
    find_too_long,
    temporary_name,
    with_temporaries,
)
from cosmos.core.optimize.options import OptimizeOptions, ResolvedOptimize, resolve_optimize_options
from cosmos.core.optimize.plan import (
    OptimizePlan,
    build_remux_plan,
    build_transcode_plan,
    check_output_names,
    with_faststart_pass,
)
from cosmos.core.provenance.ids import make_run_id
from cosmos.core.provenance.paths import SIDECAR_KINDS, sidecar_path
from cosmos.shell import fs
from cosmos.shell.binaries import ResolvedTool, resolve_ffmpeg_and_ffprobe
from cosmos.shell.envinfo import current_platform, ffmpeg_info, system_info, utc_now
from cosmos.shell.ffmpeg_log import CommandLog
from cosmos.shell.hashing import sha256_file
from cosmos.shell.mp4boxes import front_moov_written, remux_moov_reservation
from cosmos.shell.probe import probe_and_hash, probe_media

# The document builders and the sidecar reader (cosmos.shell.optimize_records) are imported on
# first use, inside a worker thread while FFmpeg runs; see _optimize_one.

logger = logging.getLogger("cosmos.optimize")


@dataclass(frozen=True, slots=True)
class OptimizeProgress:
    """A progress report of one input's remux or transcode, from FFmpeg's ``-progress``."""

    source: str
    number: int
    total: int
    frame: int | None
    fps: float | None
    out_time_seconds: float | None
    total_seconds: float | None
    finished: bool


OptimizeProgressCallback = Callable[[OptimizeProgress], None]


@dataclass(frozen=True, slots=True)
class OptimizeResult:
    run_id: str
    dry_run: bool
    produced: tuple[Path, ...]
    outcomes: tuple[OptimizeOutcome, ...]
    run_document: Path | None
    dry_run_plan: Path | None


@dataclass(frozen=True, slots=True)
class _Item:
    plan: OptimizePlan
    facts: MediaFacts
    choice: EncoderChoice | None


def _output_size(facts: MediaFacts, options: ResolvedOptimize) -> tuple[int, int]:
    if options.target_height is None:
        return (
            facts.probe.width - facts.probe.width % 2,
            facts.probe.height - facts.probe.height % 2,
        )
    width = round(facts.probe.width * options.target_height / facts.probe.height / 2) * 2
    return max(2, width), options.target_height


def _choose_encoder(
    ffmpeg: ResolvedTool, options: ResolvedOptimize, size: tuple[int, int]
) -> Result[EncoderChoice, ToolUnavailable]:
    # Only a transcode chooses an encoder, so a remux never loads the encoder probes.
    from cosmos.shell.encoders import encoder_works, listed_encoders, select_encoder

    if options.encoder is not None:
        # A named encoder is authoritative: check it, never replace it.
        name = options.encoder
        if name not in listed_encoders(ffmpeg.path):
            return Failure(
                ToolUnavailable(
                    tool=name,
                    message=f"encoder {name} is not built into {ffmpeg.path}; run `cosmos "
                    "doctor` to list the encoders that work, or omit encoder (CLI: --encoder)",
                )
            )
        if name != SOFTWARE_ENCODER and not encoder_works(ffmpeg.path, name, *size, "yuv420p"):
            return Failure(
                ToolUnavailable(
                    tool=name,
                    message=f"encoder {name} is listed by {ffmpeg.path} but failed a one-frame "
                    f"test encode at {size[0]}x{size[1]} on this machine (no device or driver); "
                    "omit encoder (CLI: --encoder) to fall back to libx264",
                )
            )
        return Success(EncoderChoice(encoder=name, attempted=()))
    candidates = encoder_candidates(current_platform(), options.profile, None)
    return select_encoder(ffmpeg.path, candidates, *size, "yuv420p")


def _plan_all(
    sources: list[Path], outputs: list[Path], options: ResolvedOptimize, ffmpeg: ResolvedTool
) -> Result[list[_Item], CosmosFailure]:
    items: list[_Item] = []
    for source, output in zip(sources, outputs, strict=True):
        probed = probe_media(source)
        if isinstance(probed, Failure):
            return probed
        facts = probed.unwrap()
        temporary = output.with_name(f".{output.name}.{fs.random_token()}.partial")
        if options.mode == "remux":
            remux = build_remux_plan(
                ffmpeg=str(ffmpeg.path),
                source=source,
                output=output,
                temporary=temporary,
                facts=facts,
                options=options,
                moov_reservation=_moov_reservation(source, facts, options),
            )
            if isinstance(remux, Failure):
                return remux
            items.append(_Item(remux.unwrap(), facts, None))
            continue
        chosen = _choose_encoder(ffmpeg, options, _output_size(facts, options))
        if isinstance(chosen, Failure):
            return chosen
        choice = chosen.unwrap()
        plan = build_transcode_plan(
            ffmpeg=str(ffmpeg.path),
            source=source,
            output=output,
            temporary=temporary,
            facts=facts,
            options=options,
            encoder=choice.encoder,
        )
        items.append(_Item(plan, facts, choice))
    return Success(items)


def _moov_reservation(source: Path, facts: MediaFacts, options: ResolvedOptimize) -> int | None:
    """Size the front moov space of a fast-start remux from the source's own moov.

    Only an MP4 or MOV source has one. Other containers get ``None``, so FFmpeg moves the moov
    with a second pass over the output.
    """
    # NOTE: a Matroska or MPEG-TS source could be sized from its packet count, but counting
    # needs an ffprobe pass over the whole file. Such a source takes the second pass instead.
    if not options.faststart or "mov" not in (facts.probe.format_name or "").split(","):
        return None
    try:
        return remux_moov_reservation(source)
    except OSError as error:
        logger.info(
            "cannot read the moov box of %s (%s); using -movflags +faststart", source, error
        )
        return None


def _check_inputs(videos: list[Path]) -> Result[list[Path], InvalidInput]:
    if not videos:
        return Failure(
            InvalidInput(value="[]", message="no input videos given; pass at least one file")
        )
    sources: list[Path] = []
    for video in videos:
        checked = fs.input_file(Path(video).expanduser(), "input")
        if isinstance(checked, Failure):
            return checked
        # Absolute but not resolved, so an input given through a symlink names its output
        # after the link, as ingest and crop name theirs.
        sources.append(Path(os.path.abspath(checked.unwrap())))  # noqa: PTH100
    return Success(sources)


def _check_outputs_spare_inputs(
    sources: list[Path], outputs: list[Path]
) -> Result[None, InvalidInput]:
    """Reject an output that is one of the inputs reached another way (through a symlink)."""
    for source, output in zip(sources, outputs, strict=True):
        if output.resolve() == source.resolve():
            return Failure(
                InvalidInput(
                    value=str(output),
                    message=f"output {output} would overwrite its input {source}; choose "
                    "another out_dir (CLI: --out-dir) or a non-empty suffix (CLI: --suffix)",
                )
            )
    return Success(None)


def _check_name_lengths(
    sources: list[Path], outputs: list[Path], output_dir: Path
) -> Result[None, InvalidInput]:
    """Reject, before any work, an input whose output, temporary, sidecar, cmd.txt or log.txt
    name would be longer than the output folder takes."""
    limit = fs.name_limit(output_dir)
    if limit is None:
        return Success(None)
    sidecar = next(suffix for suffix, kind in SIDECAR_KINDS.items() if kind == "optimized")
    problems: list[TooLong] = []
    for source, output in zip(sources, outputs, strict=True):
        written = [command_path(output).name, log_path(output).name, output.name + sidecar]
        names = (output.name, temporary_name(output.name), *with_temporaries(written))
        label = "its name without the extension"
        problem = find_too_long(f"input {source}", source.stem, label, names, limit)
        if problem is not None:
            problems.append(problem)
    return check_name_lengths(problems, str(output_dir), "the input file")


def run_optimize(
    videos: list[Path],
    out_dir: Path,
    options: OptimizeOptions,
    *,
    progress: OptimizeProgressCallback | None = None,
    command: str = "cosmos.sdk.optimize.optimize",
) -> Result[OptimizeResult, CosmosFailure]:
    """Plan every input, refuse existing outputs, then run (or write the dry-run plan)."""
    profile_name = choose_profile_name(options.profile, os.environ.get("COSMOS_PROFILE"))
    resolved = resolve_optimize_options(options, profile_name)
    if isinstance(resolved, Failure):
        return resolved
    settings = resolved.unwrap()

    checked = _check_inputs(videos)
    if isinstance(checked, Failure):
        return checked
    sources = checked.unwrap()
    folder = fs.folder_path(out_dir, "output folder")
    if isinstance(folder, Failure):
        return folder
    output_dir = folder.unwrap()
    named = check_output_names(sources, output_dir, settings.suffix)
    if isinstance(named, Failure):
        return named
    outputs = named.unwrap()
    spared = _check_outputs_spare_inputs(sources, outputs)
    if isinstance(spared, Failure):
        return spared
    fitting = _check_name_lengths(sources, outputs, output_dir)
    if isinstance(fitting, Failure):
        return fitting
    foreign = fs.check_replaceable(
        outputs,
        "optimized",
        remedy="choose another out_dir (CLI: --out-dir) or suffix (CLI: --suffix)",
        force=settings.force,
    )
    if isinstance(foreign, Failure):
        return foreign
    existing = fs.check_existing_outputs(
        outputs,
        force=settings.force,
        dry_run=settings.dry_run,
        logger=logger,
        remedy="pass force=True (CLI: --force) to replace them, or choose another out_dir (CLI: "
        "--out-dir) or suffix (CLI: --suffix)",
    )
    if isinstance(existing, Failure):
        return existing

    tool = resolve_ffmpeg_and_ffprobe()
    if isinstance(tool, Failure):
        return tool
    ffmpeg = tool.unwrap()
    planned = _plan_all(sources, outputs, settings, ffmpeg)
    if isinstance(planned, Failure):
        return planned
    items = planned.unwrap()
    for item in items:
        for dropped in item.plan.dropped_streams:
            logger.warning("%s: %s cannot go into MP4 and is left out", item.plan.source, dropped)
    # Created only now, so that a run rejected above leaves no empty folder behind.
    created = fs.writable_folder(output_dir, "output folder")
    if isinstance(created, Failure):
        return created

    clock = utc_now()
    run_id = make_run_id("opt", clock.compact, fs.random_token()[:6])
    if settings.dry_run:
        from cosmos.shell import optimize_records

        plan_path = optimize_records.write_dry_run_plan(
            output_dir=output_dir,
            command=command,
            time=clock.iso,
            plans=[(i.plan, i.facts, _existing_files(i.plan)) for i in items],
            options=settings,
        )
        outcomes = tuple(optimize_records.planned_outcome(i.plan) for i in items)
        return Success(
            OptimizeResult(
                run_id, True, tuple(i.plan.output for i in items), outcomes, None, plan_path
            )
        )

    env = EnvInfo(ffmpeg=ffmpeg_info(ffmpeg), system=system_info())
    records: list[OptimizeInputRecord] = []
    outcomes_list: list[OptimizeOutcome] = []
    produced: list[Path] = []

    def write_run() -> Path:
        from cosmos.shell import optimize_records

        return optimize_records.write_run_document(
            output_dir=output_dir,
            run_id=run_id,
            time=clock.iso,
            env=env,
            options=settings,
            inputs=records,
            outcomes=outcomes_list,
        )

    try:
        for number, item in enumerate(items, start=1):
            outcome, record = _optimize_one(
                item,
                ffmpeg=ffmpeg,
                settings=settings,
                env=env,
                run_id=run_id,
                number=number,
                total=len(items),
                progress=progress,
            )
            records.append(record)
            outcomes_list.append(outcome)
            if outcome.status == "produced":
                produced.append(item.plan.output)
            else:
                logger.error("optimize of %s failed: %s", item.plan.source, outcome.reason)
    except KeyboardInterrupt:
        from cosmos.shell import optimize_records

        # The run document lists the inputs left unfinished, as ingest's does.
        outcomes_list += [
            optimize_records.failed_outcome(item.plan, INTERRUPTED_REASON)
            for item in items[len(outcomes_list) :]
        ]
        write_run()
        raise
    run_path = write_run()
    return Success(
        OptimizeResult(run_id, False, tuple(produced), tuple(outcomes_list), run_path, None)
    )


def _progress_sink(
    item: _Item, number: int, total: int, callback: OptimizeProgressCallback | None
) -> Callable[[str], None] | None:
    if callback is None:
        return None

    def on_block(block: ProgressBlock) -> None:
        callback(
            OptimizeProgress(
                source=str(item.plan.source),
                number=number,
                total=total,
                frame=block.frame,
                fps=block.fps,
                out_time_seconds=block.out_time_seconds,
                total_seconds=item.facts.probe.duration_seconds,
                finished=block.finished,
            )
        )

    return progress_line_handler(on_block)


def _run_plan(
    item: _Item,
    command_log: CommandLog,
    number: int,
    total: int,
    progress: OptimizeProgressCallback | None,
) -> str | None:
    """Run one plan and record it in its cmd.txt and log.txt.

    Returns a failure reason, or ``None`` on success.
    """
    try:
        completed = command_log.run(
            item.plan.argv, on_stdout_line=_progress_sink(item, number, total, progress)
        )
    except OSError as error:
        return f"cannot start {item.plan.argv[0]} ({error})"
    if not completed.ok:
        return (
            f"ffmpeg exited with {completed.returncode} on {item.plan.source}: "
            f"{stderr_tail(completed.stderr) or 'no stderr'} (full log: {item.plan.log})"
        )
    return None


def _run_with_retries(
    item: _Item,
    *,
    ffmpeg: ResolvedTool,
    settings: ResolvedOptimize,
    number: int,
    total: int,
    progress: OptimizeProgressCallback | None,
) -> tuple[_Item, str | None, CommandLog]:
    """Run one plan, and run it again where a second try can succeed.

    An automatically chosen hardware encoder that fails is replaced by libx264. A remux whose
    moov did not fit its reserved space is run again with ``-movflags +faststart``. Every try
    is appended to the output's log.txt. Returns the item that ran last, its failure reason or
    ``None`` on success, and the log, whose ``cmd.txt`` the caller commits with the output.
    """
    plan = item.plan
    command_log = CommandLog(cmd=plan.cmd, log=plan.log)
    reason = _run_plan(item, command_log, number, total, progress)
    auto_hardware = (
        reason is not None
        and settings.encoder is None
        and item.choice is not None
        and item.choice.encoder != SOFTWARE_ENCODER
    )
    # auto_hardware already implies the repeated checks, which narrow the types for mypy.
    if auto_hardware and item.choice is not None and reason is not None:
        logger.warning("%s failed on %s; retrying once with libx264", plan.encoder, plan.source)
        choice = item.choice.software_retry(item.choice.encoder, reason)
        fs.remove_quietly(plan.temporary)
        plan = build_transcode_plan(
            ffmpeg=str(ffmpeg.path),
            source=plan.source,
            output=plan.output,
            temporary=plan.temporary,
            facts=item.facts,
            options=settings,
            encoder=SOFTWARE_ENCODER,
        )
        item = _Item(plan, item.facts, choice)
        reason = _run_plan(item, command_log, number, total, progress)
    overflowed = (
        reason is None
        and plan.reserved_moov_bytes is not None
        and not front_moov_written(plan.temporary)
    )
    if overflowed:
        logger.warning(
            "the moov box of %s did not fit the %s bytes reserved for it; remuxing again with "
            "-movflags +faststart, which moves it with a second pass",
            plan.source,
            plan.reserved_moov_bytes,
        )
        fs.remove_quietly(plan.temporary)
        item = _Item(with_faststart_pass(plan), item.facts, item.choice)
        reason = _run_plan(item, command_log, number, total, progress)
    return item, reason, command_log


def _optimize_one(
    item: _Item,
    *,
    ffmpeg: ResolvedTool,
    settings: ResolvedOptimize,
    env: EnvInfo,
    run_id: str,
    number: int,
    total: int,
    progress: OptimizeProgressCallback | None,
) -> tuple[OptimizeOutcome, OptimizeInputRecord]:
    plan = item.plan
    source_bytes = plan.source.stat().st_size
    output_facts: MediaFacts | None = None
    output_sha = ""
    # While FFmpeg runs, a worker hashes the source (so the two passes over it overlap), then
    # imports the document builders and reads the sidecar beside the source. One worker, not
    # two: a second thread that starts importing holds the GIL and delayed the FFmpeg start by
    # up to the 5 ms switch interval.
    with ThreadPoolExecutor(max_workers=1) as pool:
        source_hash = pool.submit(sha256_file, plan.source)
        source_clip_id = pool.submit(_source_artifact_id, plan.source)
        try:
            item, reason, command_log = _run_with_retries(
                item,
                ffmpeg=ffmpeg,
                settings=settings,
                number=number,
                total=total,
                progress=progress,
            )
            plan = item.plan
            if reason is None:
                checked, output_sha = probe_and_hash(plan.temporary)
                if isinstance(checked, Failure):
                    reason = (
                        "ffmpeg finished but its output does not probe as video: "
                        f"{checked.failure().message}"
                    )
                else:
                    complete = check_output_length(
                        str(plan.source),
                        item.facts.probe.duration_seconds,
                        checked.unwrap().probe.duration_seconds,
                    )
                    if isinstance(complete, Failure):
                        reason = complete.failure().message
                    else:
                        output_facts = checked.unwrap()
            source_sha = source_hash.result()
            clip_id = source_clip_id.result()

            from cosmos.shell import optimize_records as records

            record = records.input_record(plan.source, source_sha, item.facts)
            if output_facts is None:
                return records.failed_outcome(plan, reason), record
            produced = records.OptimizedFile(
                plan=plan,
                choice=item.choice,
                source_facts=item.facts,
                source_sha256=source_sha,
                source_bytes=source_bytes,
                source_clip_id=clip_id,
                output_sha256=output_sha,
                output_bytes=plan.temporary.stat().st_size,
                output_facts=output_facts,
            )
            # The sidecar is written before the output is renamed into place, so a failed
            # write (a full disk) leaves an earlier output and sidecar as they were.
            try:
                outcome = records.write_sidecar(produced, run_id=run_id, options=settings, env=env)
                plan.temporary.replace(plan.output)
                command_log.commit()
            except OSError as error:
                sidecar = plan.output.with_name(plan.output.name + records.SIDECAR_SUFFIX)
                reason = (
                    f"cannot write {error.filename or sidecar}: {error.strerror or error}; "
                    f"check the free space and permissions of {plan.output.parent}"
                )
                return records.failed_outcome(plan, reason), record
            return outcome, record
        finally:
            fs.remove_quietly(plan.temporary)


def _existing_files(plan: OptimizePlan) -> frozenset[Path]:
    sidecar = Path(sidecar_path(plan.output, "optimized"))
    return frozenset(path for path in (plan.output, plan.cmd, plan.log, sidecar) if path.exists())


def _source_artifact_id(source: Path) -> str | None:
    from cosmos.shell import optimize_records

    return optimize_records.source_artifact_id(source)
