"""Ingest documents built from fixed inputs: clip sidecar, run document, dry-run plan."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import msgspec
import pytest
from syrupy.assertion import SnapshotAssertion

from cosmos.core.encode.policy import EncoderChoice
from cosmos.core.ingest.adapter import Finding
from cosmos.core.ingest.options import IngestOptions, ResolvedIngest, resolve_ingest_options
from cosmos.core.model.documents import (
    ClipDocument,
    ClipOutcome,
    EnvInfo,
    FfmpegInfo,
    IngestDryRunPlan,
    IngestRunDocument,
    RunSummary,
    SystemInfo,
    encode_document,
)
from cosmos.core.provenance.ingest_documents import (
    DryRunClip,
    ProducedClip,
    RunContext,
    build_clip_document,
    build_dry_run_plan,
    build_run_document,
    summarize,
)
from tests.core.test_geometry import make_facts
from tests.core.test_plan import build_plan

RUN_ID = "ing_20260102T030405Z_a1b2c3"
OUTPUT_SHA = "0123abcd" + "e" * 56
SOURCE_SHA = "f" * 64
FFMPEG_INFO = FfmpegInfo(version="5.1.9", path="/usr/bin/ffmpeg", origin="path")
SYSTEM = SystemInfo(os="Linux 6.1", python="3.11.7", cpu_count=8, memory_gb=31.2)
ENV = EnvInfo(ffmpeg=FFMPEG_INFO, system=SYSTEM)


def _options(**fields: object) -> ResolvedIngest:
    options = msgspec.structs.replace(IngestOptions(width=1920, height=1080), **fields)
    return resolve_ingest_options(options, None).unwrap()


def _context(**fields: object) -> RunContext:
    context = RunContext(
        run_id=RUN_ID,
        time="2026-01-02T03:04:05Z",
        version="0.1.0",
        input_dir=Path("/in"),
        output_dir=Path("/out"),
        manifest=None,
        adapter="generic-media",
        options=_options(),
        encoders_preference=("h264_nvenc", "libx264"),
        encoder="libx264",
        ffmpeg=FFMPEG_INFO,
        system=SYSTEM,
    )
    return dataclasses.replace(context, **fields)  # type: ignore[arg-type]


def _produced(name: str = "clip", rotation: int = 0) -> ProducedClip:
    source_facts = make_facts(3840, 2160, rotation=rotation, audio_codec="aac")
    plan = build_plan(source_facts, IngestOptions(width=1920, height=1080), name=name)
    return ProducedClip(
        plan=plan,
        choice=EncoderChoice(
            encoder="libx264", attempted=(("h264_nvenc", "failed the one-frame runtime probe"),)
        ),
        source_facts=source_facts,
        source_sha256=SOURCE_SHA,
        source_bytes=123456,
        output_sha256=OUTPUT_SHA,
        output_bytes=65432,
        output_facts=make_facts(plan.width, plan.height, audio_codec="aac"),
    )


def _clip_document(produced: ProducedClip) -> ClipDocument:
    return build_clip_document(
        produced, run_id=RUN_ID, adapter="generic-media", profile_name=None, env=ENV
    )


def _outcome(name: str, status: str, reason: str | None = None) -> ClipOutcome:
    produced = status == "produced"
    return ClipOutcome(
        name=name,
        status=status,  # type: ignore[arg-type]
        inputs=[f"/in/{name}.mp4"],
        output=f"/out/{name}.mp4" if produced else None,
        sidecar=f"/out/{name}.mp4.cosmos_clip.v1.json" if produced else None,
        sha256=OUTPUT_SHA if produced else None,
        encoder="libx264" if status != "skipped" else None,
        reason=reason,
        findings=[],
    )


def test_clip_document(snapshot_json: SnapshotAssertion) -> None:
    document = _clip_document(_produced())
    assert encode_document(document).decode() == snapshot_json


def test_clip_document_ids() -> None:
    document = _clip_document(_produced(name="take 1"))
    assert document.clip_id == "clip-take_1-0123abcd"
    assert document.ingest_run_id == RUN_ID
    assert document.name == "take 1"


def test_clip_document_relative_paths() -> None:
    document = _clip_document(_produced())
    assert document.output.relpath == "clip.mp4"
    assert document.source.relpath == "../in/clip.mp4"


def test_clip_document_join_key() -> None:
    document = _clip_document(_produced())
    assert document.output.sha256 == OUTPUT_SHA
    assert document.source.sha256 == SOURCE_SHA


def test_clip_document_time_and_frames() -> None:
    document = _clip_document(_produced())
    assert (document.time_ms.t0, document.time_ms.t1) == (0, 2000)
    assert (document.frames.start, document.frames.end) == (0, 50)


def test_clip_document_records_rotation() -> None:
    document = _clip_document(_produced(rotation=90))
    assert document.source.rotation_degrees == 90
    assert (document.video.width, document.video.height) == (608, 1080)


def test_clip_document_encode_block() -> None:
    encode = _clip_document(_produced()).encode
    assert encode.filtergraph == "scale=1920:1080:flags=bicubic,setsar=1,format=yuv420p"
    assert encode.crf == 23
    assert encode.hardware_attempted
    assert [attempt.encoder for attempt in encode.attempts] == ["h264_nvenc"]


def test_run_document(snapshot_json: SnapshotAssertion) -> None:
    outcomes = [
        _outcome("a", "produced"),
        _outcome("b", "failed", "ffmpeg exited with 1"),
        _outcome("c", "skipped", "/in/c.mp4 is empty (0 bytes)"),
    ]
    document = build_run_document(_context(), outcomes)
    assert encode_document(document).decode() == snapshot_json


def test_run_document_summary() -> None:
    outcomes = [_outcome("a", "produced"), _outcome("b", "failed"), _outcome("c", "produced")]
    summary = build_run_document(_context(), outcomes).summary
    assert (summary.produced, summary.failed, summary.skipped, summary.planned) == (2, 1, 0, 0)


def test_run_document_options_block() -> None:
    options = build_run_document(_context(options=_options(crf=20)), []).options
    assert options.resolution == [1920, 1080]
    assert options.crf == 20
    assert options.adapter == "generic-media"


def test_summarize_empty() -> None:
    assert summarize([]) == RunSummary(produced=0, failed=0, skipped=0, planned=0)


EMPTY_FINDING = Finding(
    clip="empty", code="empty-file", message="/in/empty.mp4 is empty (0 bytes)", blocking=True
)
NO_DURATION = Finding(
    clip="live",
    code="unknown-duration",
    message="ffprobe reports no duration for /in/live.mp4; progress has no ETA",
    blocking=False,
)


def _dry_run_clips() -> list[DryRunClip]:
    good = build_plan(make_facts(1280, 720, audio_codec="aac"), name="good")
    live_facts = make_facts(640, 360, duration=None, frame_count=None)
    live = build_plan(live_facts, name="live")
    return [
        DryRunClip(
            name="empty",
            inputs=(Path("/in/empty.mp4"),),
            facts=None,
            findings=(EMPTY_FINDING,),
            plan=None,
            existing_outputs=frozenset(),
        ),
        DryRunClip(
            name="good",
            inputs=(Path("/in/good.mp4"),),
            facts=make_facts(1280, 720, audio_codec="aac"),
            findings=(),
            plan=good,
            existing_outputs=frozenset({good.paths.media}),
        ),
        DryRunClip(
            name="live",
            inputs=(Path("/in/live.mp4"),),
            facts=live_facts,
            findings=(NO_DURATION,),
            plan=live,
            existing_outputs=frozenset(),
        ),
    ]


def _dry_run_plan() -> IngestDryRunPlan:
    return build_dry_run_plan(
        _context(),
        _dry_run_clips(),
        Path("/out/cosmos_ingest_dry_run.v1.json"),
        "cosmos ingest run --input-dir /in --output-dir /out --width 1920 --height 1080 --dry-run",
    )


def test_dry_run_plan(snapshot_json: SnapshotAssertion) -> None:
    assert encode_document(_dry_run_plan()).decode() == snapshot_json


def test_dry_run_plan_side_effects() -> None:
    side_effects = _dry_run_plan().side_effects
    assert not side_effects.executes_media_processing
    assert not side_effects.creates_media_outputs
    assert side_effects.writes_metadata == ["/out/cosmos_ingest_dry_run.v1.json"]


def test_dry_run_plan_statuses() -> None:
    clips = _dry_run_plan().clips
    assert [(clip.name, clip.status) for clip in clips] == [
        ("empty", "skipped"),
        ("good", "planned"),
        ("live", "planned"),
    ]
    assert clips[0].reason == EMPTY_FINDING.message


def test_dry_run_plan_commands_match_plans() -> None:
    plan = _dry_run_plan()
    assert [command.name for command in plan.commands] == ["good", "live"]
    assert plan.commands[0].argv == list(_dry_run_clips()[1].plan.argv)  # type: ignore[union-attr]


def test_dry_run_plan_marks_existing_outputs() -> None:
    outputs = {output.path: output.exists for output in _dry_run_plan().outputs}
    assert outputs["/out/good.mp4"]
    assert not outputs["/out/good.mp4.cmd.txt"]
    assert not outputs["/out/live.mp4"]


def test_dry_run_plan_validation() -> None:
    codes = [finding.code for finding in _dry_run_plan().validation]
    assert codes == ["empty-file", "output-exists", "unknown-duration"]


def test_dry_run_plan_existing_output_blocks() -> None:
    plan = _dry_run_plan()
    (finding,) = [f for f in plan.validation if f.code == "output-exists"]
    assert finding.clip == "good"
    assert finding.blocking
    assert finding.message.startswith("/out/good.mp4 already exists;")
    assert not any(output.will_create_on_apply for output in plan.outputs)


def test_dry_run_plan_observed_facts() -> None:
    observed = [planned.observed for planned in _dry_run_plan().inputs]
    assert observed[0] is None
    assert observed[1] is not None
    assert (observed[1].width, observed[1].height) == (1280, 720)


def test_encode_document_format() -> None:
    data = encode_document(_clip_document(_produced(name="café")))
    assert data.endswith(b"}\n")
    assert data.startswith(b'{\n  "schema_version": "1.0.0",\n')
    assert "café".encode() in data


@pytest.mark.parametrize(
    ("document_type", "build"),
    [
        (ClipDocument, lambda: _clip_document(_produced())),
        (IngestRunDocument, lambda: build_run_document(_context(), [_outcome("a", "produced")])),
        (IngestDryRunPlan, _dry_run_plan),
    ],
    ids=["clip", "run", "dry-run"],
)
def test_document_round_trip(
    document_type: type[msgspec.Struct], build: Callable[[], msgspec.Struct]
) -> None:
    document = build()
    decoded = msgspec.json.decode(encode_document(document), type=document_type, strict=True)
    assert decoded == document
