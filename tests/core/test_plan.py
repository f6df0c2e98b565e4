"""Plans of generic-media clips: output paths, filter graph and the exact FFmpeg argv."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion

from cosmos.core.encode.policy import EncoderChoice
from cosmos.core.ingest.adapter import ClipSource
from cosmos.core.ingest.generic import GenericMediaAdapter
from cosmos.core.ingest.options import IngestOptions, resolve_ingest_options
from cosmos.core.ingest.plan import (
    ClipPlan,
    build_generic_clip_plan,
    build_generic_filtergraph,
    clip_output_paths,
)
from cosmos.core.model.media import MediaFacts
from tests.core.test_geometry import make_facts

FFMPEG = "/usr/bin/ffmpeg"
OUTPUT_DIR = Path("/out")
TOKEN = "0123abcd"


def build_plan(
    facts: MediaFacts,
    options: IngestOptions | None = None,
    *,
    profile: str | None = None,
    encoder: str = "libx264",
    hw_decode: str | None = None,
    name: str = "clip",
) -> ClipPlan:
    """Plan clip ``name`` (read from ``/in/<name>.mp4``) into ``/out`` with fixed inputs."""
    resolved = resolve_ingest_options(options or IngestOptions(), profile).unwrap()
    clip = ClipSource(name=name, inputs=(Path(f"/in/{name}.mp4"),))
    return build_generic_clip_plan(
        ffmpeg=FFMPEG,
        clip=clip,
        facts=facts,
        input_args=GenericMediaAdapter().input_args(clip),
        options=resolved,
        choice=EncoderChoice(encoder=encoder, attempted=()),
        hw_decode=hw_decode,
        paths=clip_output_paths(OUTPUT_DIR, name, TOKEN),
    )


@dataclass(frozen=True)
class PlanCase:
    facts: MediaFacts
    options: IngestOptions = field(default_factory=IngestOptions)
    profile: str | None = None
    encoder: str = "libx264"
    hw_decode: str | None = None


HD_AAC = make_facts(1280, 720, audio_codec="aac")

PLAN_CASES: dict[str, PlanCase] = {
    "plain": PlanCase(HD_AAC),
    "downscale": PlanCase(
        make_facts(3840, 2160, audio_codec="aac"), IngestOptions(width=1920, height=1080)
    ),
    "audio-aac": PlanCase(make_facts(1280, 720, audio_codec="pcm_s16le")),
    "audio-none": PlanCase(make_facts(1280, 720)),
    "window": PlanCase(HD_AAC, IngestOptions(window_seconds=2.5)),
    "strict-profile": PlanCase(
        make_facts(3840, 2160, audio_codec="pcm_s16le"),
        IngestOptions(width=1920, height=1080),
        profile="strict",
    ),
    "rotation": PlanCase(
        make_facts(1920, 1080, rotation=90), IngestOptions(width=1280, height=720)
    ),
    "non-square-pixels": PlanCase(make_facts(176, 144, sar=Fraction(128, 117))),
    "upscale": PlanCase(
        make_facts(640, 360), IngestOptions(width=1920, height=1080, allow_upscale=True)
    ),
    "quality-mode": PlanCase(
        make_facts(3840, 2160), IngestOptions(width=1920, height=1080, quality_mode="quality")
    ),
    "low-memory": PlanCase(HD_AAC, IngestOptions(low_memory=True)),
    "threads": PlanCase(HD_AAC, IngestOptions(filter_threads=3, filter_complex_threads=2)),
    "nvenc-hw-decode": PlanCase(
        HD_AAC, profile="throughput", encoder="h264_nvenc", hw_decode="cuda"
    ),
    "vaapi": PlanCase(HD_AAC, encoder="h264_vaapi"),
}


def _plan(case: PlanCase) -> ClipPlan:
    return build_plan(
        case.facts,
        case.options,
        profile=case.profile,
        encoder=case.encoder,
        hw_decode=case.hw_decode,
    )


@pytest.mark.parametrize("case", list(PLAN_CASES))
def test_plan_argv(case: str, snapshot_txt: SnapshotAssertion) -> None:
    argv = _plan(PLAN_CASES[case]).argv
    assert "\n".join(argv) + "\n" == snapshot_txt


# (case, expected -vf graph)
FILTERGRAPHS = {
    "plain": "format=yuv420p",
    "downscale": "scale=1920:1080:flags=bicubic,setsar=1,format=yuv420p",
    "strict-profile": "scale=1920:1080:flags=lanczos,setsar=1,format=yuv420p",
    "rotation": "scale=404:720:flags=bicubic,setsar=1,format=yuv420p",
    "non-square-pixels": "scale=192:144:flags=bicubic,setsar=1,format=yuv420p",
    "upscale": "scale=1920:1080:flags=bicubic,setsar=1,format=yuv420p",
    "quality-mode": "scale=1920:1080:flags=lanczos,setsar=1,format=yuv420p",
    "vaapi": "format=nv12,hwupload",
}


@pytest.mark.parametrize(("case", "expected"), FILTERGRAPHS.items())
def test_plan_filtergraph(case: str, expected: str) -> None:
    plan = _plan(PLAN_CASES[case])
    assert plan.filtergraph == expected
    assert plan.argv[plan.argv.index("-vf") + 1] == expected


def test_filtergraph_rotated_not_scaled() -> None:
    graph = build_generic_filtergraph(
        make_facts(1920, 1080, rotation=90), 1080, 1920, "bicubic", "libx264"
    )
    assert graph == "format=yuv420p"


def test_plan_size_and_settings() -> None:
    plan = _plan(PLAN_CASES["downscale"])
    assert (plan.width, plan.height) == (1920, 1080)
    assert plan.crf == 23
    assert plan.preset == "medium"
    assert plan.encoder == "libx264"


def test_plan_rotated_size() -> None:
    plan = build_plan(make_facts(1920, 1080, rotation=90))
    assert (plan.width, plan.height) == (1080, 1920)


def test_plan_hardware_has_no_preset() -> None:
    assert _plan(PLAN_CASES["nvenc-hw-decode"]).preset is None


def test_plan_writes_temporary_mp4() -> None:
    plan = _plan(PLAN_CASES["plain"])
    assert plan.argv[-3:] == ("-f", "mp4", f"file:/out/.clip.mp4.{TOKEN}.partial")


def test_plan_moves_index_to_front() -> None:
    argv = _plan(PLAN_CASES["plain"]).argv
    assert argv[argv.index("-movflags") + 1] == "+faststart"


def test_plan_expected_frames_whole_clip() -> None:
    plan = _plan(PLAN_CASES["plain"])
    assert plan.expected_duration_seconds == 2.0
    assert plan.expected_frames == 50


def test_plan_window_longer_than_clip() -> None:
    plan = _plan(PLAN_CASES["window"])
    assert plan.expected_duration_seconds == 2.0
    assert plan.expected_frames == 50


def test_plan_window_shorter_than_clip() -> None:
    plan = build_plan(HD_AAC, IngestOptions(window_seconds=0.5))
    assert plan.expected_duration_seconds == 0.5
    assert plan.expected_frames == 13


def test_plan_unknown_duration_window() -> None:
    plan = build_plan(
        make_facts(64, 64, duration=None, frame_count=None), IngestOptions(window_seconds=1.0)
    )
    assert plan.expected_duration_seconds == 1.0
    assert plan.expected_frames == 25


def test_output_paths() -> None:
    paths = clip_output_paths(Path("/out"), "take 1", "feedbeef")
    assert paths.media == Path("/out/take 1.mp4")
    assert paths.temporary == Path("/out/.take 1.mp4.feedbeef.partial")
    assert paths.cmd == Path("/out/take 1.mp4.cmd.txt")
    assert paths.log == Path("/out/take 1.mp4.log.txt")
    assert paths.sidecar == Path("/out/take 1.mp4.cosmos_clip.v1.json")
