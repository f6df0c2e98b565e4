"""Validation and planning of the clips of an ingest, before anything runs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from returns.result import Failure, Result, Success

from cosmos.core.encode.policy import SOFTWARE_ENCODER, EncoderChoice
from cosmos.core.errors import ProbeFailed, ToolUnavailable
from cosmos.core.ingest.adapter import ClipSource, Finding
from cosmos.core.ingest.generic import GenericMediaAdapter
from cosmos.core.ingest.options import ResolvedIngest
from cosmos.core.ingest.plan import ClipPlan, build_generic_clip_plan, clip_output_paths
from cosmos.core.model.media import MediaFacts
from cosmos.shell import fs
from cosmos.shell.binaries import ResolvedTool
from cosmos.shell.encoders import select_encoder, usable_hw_decoders
from cosmos.shell.envinfo import current_platform
from cosmos.shell.probe import probe_media


@dataclass(frozen=True, slots=True)
class PreparedClip:
    """A clip after validation: its findings and, when it can be encoded, its plan."""

    clip: ClipSource
    facts: MediaFacts | None
    size_bytes: int
    findings: tuple[Finding, ...]
    plan: ClipPlan | None
    choice: EncoderChoice | None
    replan: Callable[[EncoderChoice], ClipPlan] | None = None


def _input_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def choose_hw_decode(
    ffmpeg: ResolvedTool, options: ResolvedIngest
) -> Result[str | None, ToolUnavailable]:
    if options.decode == "sw":
        return Success(None)
    usable = usable_hw_decoders(ffmpeg.path, current_platform())
    if usable:
        return Success(usable[0])
    if options.decode == "hw":
        return Failure(
            ToolUnavailable(
                tool="hwaccel",
                message=f"decode='hw' (CLI: --decode hw) was requested but {ffmpeg.path} cannot "
                "open a hardware decoder on this machine; use decode='auto' (CLI: --decode auto) "
                "or decode='sw' (CLI: --decode sw)",
            )
        )
    return Success(None)


def prepare_generic_clip(
    clip: ClipSource,
    *,
    ffmpeg: ResolvedTool,
    options: ResolvedIngest,
    candidates: tuple[str, ...],
    hw_decode: str | None,
    output_dir: Path,
) -> Result[PreparedClip, ToolUnavailable]:
    adapter = GenericMediaAdapter()
    source = clip.inputs[0]
    size_bytes = _input_size(source)
    probed = probe_media(source) if size_bytes > 0 else None
    if isinstance(probed, Failure) and isinstance(probed.failure(), ToolUnavailable):
        return Failure(probed.failure())
    facts_or_error: MediaFacts | ProbeFailed
    if probed is None:
        facts_or_error = ProbeFailed(path=str(source), message=f"{source} is empty")
    elif isinstance(probed, Failure):
        facts_or_error = probed.failure()
    else:
        facts_or_error = probed.unwrap()
    findings = adapter.validate(clip, facts_or_error, size_bytes)
    facts = facts_or_error if isinstance(facts_or_error, MediaFacts) else None
    if facts is None or any(f.blocking for f in findings):
        return Success(PreparedClip(clip, facts, size_bytes, findings, None, None))

    paths = clip_output_paths(output_dir, clip.name, fs.random_token())

    def plan_with(choice: EncoderChoice) -> ClipPlan:
        return build_generic_clip_plan(
            ffmpeg=str(ffmpeg.path),
            clip=clip,
            facts=facts,
            input_args=adapter.input_args(clip),
            options=options,
            choice=choice,
            hw_decode=hw_decode,
            paths=paths,
        )

    # The size decides which hardware encoders work, so plan once to learn it.
    sized = plan_with(EncoderChoice(encoder=SOFTWARE_ENCODER, attempted=()))
    chosen = select_encoder(ffmpeg.path, candidates, sized.width, sized.height, "yuv420p")
    if isinstance(chosen, Failure):
        return chosen
    choice = chosen.unwrap()
    return Success(
        PreparedClip(clip, facts, size_bytes, findings, plan_with(choice), choice, plan_with)
    )
