"""Optimize planning: option rules and the argv of each mode and profile."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from returns.result import Failure, Success
from syrupy.assertion import SnapshotAssertion

from cosmos.core.model.documents import encode_document
from cosmos.core.model.media import MediaFacts, VideoProbe
from cosmos.core.optimize.options import OptimizeOptions, resolve_optimize_options
from cosmos.core.optimize.plan import (
    OptimizePlan,
    build_remux_plan,
    build_transcode_plan,
    check_output_names,
    with_faststart_pass,
)
from cosmos.core.provenance.optimize_documents import build_optimize_dry_run

SOURCE = Path("/media/field/clip.mov")
OUTPUT = Path("/web/clip_optimized.mp4")
TEMPORARY = Path("/web/.clip_optimized.mp4.token.partial")


def _facts(codec: str = "h264", audio: str | None = "aac") -> MediaFacts:
    streams = [(0, "video", codec)]
    if audio is not None:
        streams.append((1, "audio", audio))
    streams.append((2, "data", "bin_data"))
    return MediaFacts(
        probe=VideoProbe(SOURCE, 1920, 1080, 20.0, 30.0, 600, codec, None, "mov"),
        stored_width=1920,
        stored_height=1080,
        rotation_degrees=0,
        frame_rate=Fraction(30),
        time_base=Fraction(1, 15360),
        sample_aspect_ratio=Fraction(1),
        pix_fmt="yuv420p",
        color_space="bt709",
        audio_codec=audio,
        audio_stream_count=1 if audio else 0,
        streams=tuple(streams),
    )


@pytest.mark.parametrize(
    ("options", "mode"),
    [
        (OptimizeOptions(), "remux"),
        (OptimizeOptions(target_height=720), "transcode"),
        (OptimizeOptions(fps=15), "transcode"),
        (OptimizeOptions(crf=30), "transcode"),
        (OptimizeOptions(encoder="libx264"), "transcode"),
        (OptimizeOptions(mode="transcode"), "transcode"),
        (OptimizeOptions(profile="strict"), "remux"),
    ],
)
def test_auto_mode_choice(options: OptimizeOptions, mode: str) -> None:
    resolved = resolve_optimize_options(options, options.profile)
    assert isinstance(resolved, Success)
    assert resolved.unwrap().mode == mode


@pytest.mark.parametrize(
    ("options", "field"),
    [
        (OptimizeOptions(mode="fast"), "mode"),  # type: ignore[arg-type]
        (OptimizeOptions(crf=52), "crf"),
        (OptimizeOptions(fps=0), "fps"),
        (OptimizeOptions(fps=float("nan")), "fps"),
        (OptimizeOptions(target_height=-4), "target_height"),
        (OptimizeOptions(target_height=361), "target_height"),
        (OptimizeOptions(suffix="../x"), "suffix"),
        (OptimizeOptions(mode="remux", crf=20), "mode"),
    ],
)
def test_invalid_options(options: OptimizeOptions, field: str) -> None:
    resolved = resolve_optimize_options(options, None)
    assert isinstance(resolved, Failure)
    assert resolved.failure().field == field


def test_odd_height_suggests_even() -> None:
    resolved = resolve_optimize_options(OptimizeOptions(target_height=361), None)
    assert isinstance(resolved, Failure)
    assert "use 360 or 362" in resolved.failure().message


def test_unknown_profile() -> None:
    resolved = resolve_optimize_options(OptimizeOptions(), "fastest")
    assert isinstance(resolved, Failure)
    assert "strict" in resolved.failure().message


def test_output_name_clash() -> None:
    result = check_output_names([Path("/a/x.mp4"), Path("/b/x.mov")], Path("/out"), "_web")
    assert isinstance(result, Failure)
    assert "/out/x_web.mp4" in result.failure().message


def test_output_names_clash_without_case() -> None:
    result = check_output_names([Path("/a/Cam.mp4"), Path("/b/cam.mov")], Path("/out"), "_web")
    assert isinstance(result, Failure)
    message = result.failure().message
    assert "/out/Cam_web.mp4 and /out/cam_web.mp4, names that differ only in letter case" in message


def test_remux_argv(snapshot_txt: SnapshotAssertion) -> None:
    options = resolve_optimize_options(OptimizeOptions(), None).unwrap()
    plan = build_remux_plan(
        ffmpeg="ffmpeg",
        source=SOURCE,
        output=OUTPUT,
        temporary=TEMPORARY,
        facts=_facts(),
        options=options,
    ).unwrap()
    assert plan.dropped_streams == ("stream 2 (data bin_data)",)
    assert "\n".join(plan.argv) + "\n" == snapshot_txt


def test_remux_argv_with_moov_reservation(snapshot_txt: SnapshotAssertion) -> None:
    options = resolve_optimize_options(OptimizeOptions(), None).unwrap()
    plan = build_remux_plan(
        ffmpeg="ffmpeg",
        source=SOURCE,
        output=OUTPUT,
        temporary=TEMPORARY,
        facts=_facts(),
        options=options,
        moov_reservation=29830,
    ).unwrap()
    assert plan.reserved_moov_bytes == 29830
    assert "-movflags" not in plan.argv
    assert "\n".join(plan.argv) + "\n" == snapshot_txt


def test_remux_reservation_needs_faststart() -> None:
    options = resolve_optimize_options(OptimizeOptions(faststart=False), None).unwrap()
    plan = build_remux_plan(
        ffmpeg="ffmpeg",
        source=SOURCE,
        output=OUTPUT,
        temporary=TEMPORARY,
        facts=_facts(),
        options=options,
        moov_reservation=29830,
    ).unwrap()
    assert plan.reserved_moov_bytes is None
    assert "-moov_size" not in plan.argv
    assert "-movflags" not in plan.argv


def test_faststart_pass_replaces_reservation() -> None:
    options = resolve_optimize_options(OptimizeOptions(), None).unwrap()

    def remux(reservation: int | None) -> OptimizePlan:
        return build_remux_plan(
            ffmpeg="ffmpeg",
            source=SOURCE,
            output=OUTPUT,
            temporary=TEMPORARY,
            facts=_facts(),
            options=options,
            moov_reservation=reservation,
        ).unwrap()

    second_pass = remux(None)
    assert with_faststart_pass(remux(29830)) == second_pass
    assert with_faststart_pass(second_pass) == second_pass


def test_plan_names_cmd_and_log() -> None:
    options = resolve_optimize_options(OptimizeOptions(), None).unwrap()
    remux = build_remux_plan(
        ffmpeg="ffmpeg",
        source=SOURCE,
        output=OUTPUT,
        temporary=TEMPORARY,
        facts=_facts(),
        options=options,
        moov_reservation=29830,
    ).unwrap()
    transcode = build_transcode_plan(
        ffmpeg="ffmpeg",
        source=SOURCE,
        output=OUTPUT,
        temporary=TEMPORARY,
        facts=_facts(),
        options=options,
        encoder="libx264",
    )
    second_pass = with_faststart_pass(remux)
    for plan in (remux, transcode, second_pass):
        assert plan.cmd == Path("/web/clip_optimized.mp4.cmd.txt")
        assert plan.log == Path("/web/clip_optimized.mp4.log.txt")


def test_dry_run_document(snapshot_json: SnapshotAssertion) -> None:
    options = resolve_optimize_options(OptimizeOptions(), None).unwrap()
    plan = build_remux_plan(
        ffmpeg="ffmpeg",
        source=SOURCE,
        output=OUTPUT,
        temporary=TEMPORARY,
        facts=_facts(),
        options=options,
    ).unwrap()
    document = build_optimize_dry_run(
        command="cosmos.sdk.optimize.optimize",
        time="2026-01-02T03:04:05Z",
        plan_path=Path("/web/cosmos_optimize_dry_run.json"),
        plans=[(plan, _facts(), frozenset({plan.log}))],
        options=options,
    )
    outputs = {output.path: output for output in document.outputs}
    # An earlier log.txt is replaced, and only an existing output blocks the run.
    assert outputs["/web/clip_optimized.mp4.log.txt"].exists
    assert outputs["/web/clip_optimized.mp4.log.txt"].will_create_on_apply
    assert not outputs["/web/clip_optimized.mp4.cmd.txt"].exists
    assert [finding.code for finding in document.validation] == ["stream-dropped"]
    assert encode_document(document).decode() == snapshot_json


@pytest.mark.parametrize("force", [False, True])
def test_dry_run_existing_output(force: bool) -> None:
    options = resolve_optimize_options(OptimizeOptions(force=force), None).unwrap()
    plan = build_remux_plan(
        ffmpeg="ffmpeg",
        source=SOURCE,
        output=OUTPUT,
        temporary=TEMPORARY,
        facts=_facts(),
        options=options,
    ).unwrap()
    document = build_optimize_dry_run(
        command="cosmos.sdk.optimize.optimize",
        time="2026-01-02T03:04:05Z",
        plan_path=Path("/web/cosmos_optimize_dry_run.json"),
        plans=[(plan, _facts(), frozenset({plan.output, plan.cmd}))],
        options=options,
    )
    assert [(o.kind, o.exists) for o in document.outputs] == [
        ("video", True),
        ("command", True),
        ("log", False),
        ("optimized-sidecar", False),
    ]
    assert [o.will_create_on_apply for o in document.outputs] == [force] * 4
    codes = [finding.code for finding in document.validation]
    assert ("output-exists" in codes) is not force


def test_remux_rejects_prores() -> None:
    options = resolve_optimize_options(OptimizeOptions(), None).unwrap()
    plan = build_remux_plan(
        ffmpeg="ffmpeg",
        source=SOURCE,
        output=OUTPUT,
        temporary=TEMPORARY,
        facts=_facts(codec="prores"),
        options=options,
    )
    assert isinstance(plan, Failure)
    assert "mode='transcode'" in plan.failure().message


@pytest.mark.parametrize("profile", [None, "strict", "balanced", "throughput"])
def test_transcode_argv_by_profile(profile: str | None, snapshot_txt: SnapshotAssertion) -> None:
    options = resolve_optimize_options(
        OptimizeOptions(target_height=720, fps=15, crf=28, profile=profile), profile
    ).unwrap()
    plan = build_transcode_plan(
        ffmpeg="ffmpeg",
        source=SOURCE,
        output=OUTPUT,
        temporary=TEMPORARY,
        facts=_facts(audio="pcm_s24le"),
        options=options,
        encoder="libx264",
    )
    assert "\n".join(plan.argv) + "\n" == snapshot_txt


def test_balanced_and_throughput_differ() -> None:
    argvs = []
    for profile in ("balanced", "throughput"):
        options = resolve_optimize_options(
            OptimizeOptions(target_height=720, profile=profile), profile
        ).unwrap()
        plan = build_transcode_plan(
            ffmpeg="ffmpeg",
            source=SOURCE,
            output=OUTPUT,
            temporary=TEMPORARY,
            facts=_facts(),
            options=options,
            encoder="libx264",
        )
        argvs.append(plan.argv)
    assert argvs[0] != argvs[1]
    assert "veryfast" in argvs[1]
    assert "scale=-2:720:flags=bicubic,format=yuv420p" in argvs[1]
    assert "scale=-2:720:flags=lanczos,format=yuv420p" in argvs[0]
