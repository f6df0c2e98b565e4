"""COSM ingest end to end on generated sessions: frame-exact trims, stitching, bad folders."""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

import msgspec
import pytest
from syrupy.assertion import SnapshotAssertion

from cosmos.core.model.documents import ClipDocument, IngestDryRunPlan, IngestRunDocument
from cosmos.sdk.errors import InvalidInputError
from cosmos.sdk.ingest import IngestOptions, ingest, ingest_run
from cosmos.sdk.video import extract_frames_at_indices, probe_video
from tests.helpers import CliRunner
from tools.cosm_session import (
    SessionClip,
    SessionSpec,
    generate_session,
    read_frame_index,
    render_scene_frame,
)

FPS = 30
SPEC = SessionSpec(
    fps=FPS,
    tile_width=192,
    tile_height=120,
    clips=(
        SessionClip("INSIDE", 45, 105),
        SessionClip("MINUTE", 1785, 1830),
        SessionClip("HOUR", 107985, 108030),
        SessionClip("OVERLAP1", 60, 100),
        SessionClip("OVERLAP2", 80, 120),
        SessionClip("MISSING", 300, 400),
        SessionClip("CORRUPT", 450, 520),
    ),
    skip_seconds=(11,),
    corrupt_meta_seconds=(16,),
)
SCENE_WIDTH, SCENE_HEIGHT = SPEC.stitched_size
GOOD_CLIPS = {
    "INSIDE": (45, 105),
    "MINUTE": (1785, 1830),
    "HOUR": (107985, 108030),
    "OVERLAP1": (60, 100),
    "OVERLAP2": (80, 120),
}
# Ingest at the stitched size with a low CRF so the picture can be compared with the scene.
EXACT = IngestOptions(width=SCENE_WIDTH, height=SCENE_HEIGHT, crf=10)


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cosm") / "Sessión 'quoted' folder"
    generate_session(root, SPEC)
    return root


@pytest.fixture(scope="module")
def produced(session: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cosm-out")
    ingest(session, out, options=EXACT)
    return out


def _psnr(left: bytes, right: bytes) -> float:
    assert len(left) == len(right)
    squared = sum((a - b) ** 2 for a, b in zip(left, right, strict=True))
    if squared == 0:
        return math.inf
    return 10 * math.log10(255**2 * len(left) / squared)


@pytest.mark.parametrize("name", sorted(GOOD_CLIPS))
def test_clip_frames_exact(produced: Path, name: str) -> None:
    in_index, out_index = GOOD_CLIPS[name]
    output = produced / f"{name}.mp4"
    probe = probe_video(output)
    assert probe.frame_count == out_index - in_index
    first, last = extract_frames_at_indices(output, [0, out_index - in_index - 1])
    assert read_frame_index(first.rgb24, first.width, first.height, SCENE_WIDTH) == in_index
    assert read_frame_index(last.rgb24, last.width, last.height, SCENE_WIDTH) == out_index - 1


@pytest.mark.parametrize("name", ["INSIDE", "HOUR"])
def test_stitch_matches_scene(produced: Path, name: str) -> None:
    in_index, _ = GOOD_CLIPS[name]
    (frame,) = extract_frames_at_indices(produced / f"{name}.mp4", [0])
    assert (frame.width, frame.height) == (SCENE_WIDTH, SCENE_HEIGHT)
    assert _psnr(frame.rgb24, render_scene_frame(SPEC, in_index)) >= 40.0


def test_sidecar_session_frames(produced: Path) -> None:
    sidecar = msgspec.json.decode(
        (produced / "MINUTE.mp4.cosmos_clip.v1.json").read_bytes(), type=ClipDocument
    )
    assert (sidecar.frames.start, sidecar.frames.end) == (1785, 1830)
    expected_t0 = round((SPEC.epoch_seconds + 1785 / FPS) * 1000)
    assert sidecar.time_ms.t0 == expected_t0
    assert sidecar.time_ms.t1 == expected_t0 + 1500
    assert sidecar.adapter == "cosm"
    assert sidecar.source.path.endswith("SESSION.xml")


def test_bad_folders_skipped(produced: Path) -> None:
    document = msgspec.json.decode(
        (produced / "cosmos_ingest_run.v1.json").read_bytes(), type=IngestRunDocument
    )
    outcomes = {clip.name: clip for clip in document.clips}
    assert outcomes["MISSING"].status == "skipped"
    assert "0H/0M/11S is missing" in (outcomes["MISSING"].reason or "")
    assert outcomes["CORRUPT"].status == "skipped"
    assert "0H/0M/16S has a damaged meta.json" in (outcomes["CORRUPT"].reason or "")
    assert not (produced / "MISSING.mp4").exists()
    assert not (produced / "CORRUPT.mp4").exists()
    assert document.summary.produced == len(GOOD_CLIPS)


def test_partial_clip_encodes_rest(session: Path, tmp_path: Path) -> None:
    options = IngestOptions(
        width=SCENE_WIDTH, height=SCENE_HEIGHT, clips=["missing"], allow_partial=True
    )
    result = ingest_run(session, tmp_path, options=options)
    assert [o.status for o in result.outcomes] == ["produced"]
    output = tmp_path / "MISSING.mp4"
    assert probe_video(output).frame_count == 70
    first, after_gap = extract_frames_at_indices(output, [0, 30])
    assert read_frame_index(first.rgb24, first.width, first.height, SCENE_WIDTH) == 300
    assert read_frame_index(after_gap.rgb24, after_gap.width, after_gap.height, SCENE_WIDTH) == 360
    findings = [f.code for f in result.outcomes[0].findings]
    assert "partial" in findings
    # The sidecar records it too, because its frames range is the clip's, not the output's.
    sidecar = msgspec.json.decode(
        (tmp_path / "MISSING.mp4.cosmos_clip.v1.json").read_bytes(), type=ClipDocument
    )
    assert "partial" in [f.code for f in sidecar.findings]


def test_clip_selection_case_insensitive(session: Path, tmp_path: Path) -> None:
    options = IngestOptions(width=SCENE_WIDTH, height=SCENE_HEIGHT, clips=["inside", "Hour"])
    outputs = ingest(session, tmp_path, options=options)
    assert sorted(path.name for path in outputs) == ["HOUR.mp4", "INSIDE.mp4"]


def test_unknown_clip_lists_known(session: Path, tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError) as raised:
        ingest(session, tmp_path / "out", options=IngestOptions(clips=["NOPE"]))
    assert "NOPE" in str(raised.value)
    assert "INSIDE" in str(raised.value)
    assert not (tmp_path / "out").exists()


def test_window_seconds(session: Path, tmp_path: Path) -> None:
    options = IngestOptions(
        width=SCENE_WIDTH, height=SCENE_HEIGHT, clips=["INSIDE"], window_seconds=0.5
    )
    (output,) = ingest(session, tmp_path, options=options)
    assert probe_video(output).frame_count == 15


def test_several_manifests_listed(session: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(session / "0H" / "0M" / "1S", copy / "0H" / "0M" / "1S")
    shutil.copy(session / "SESSION.xml", copy / "SESSION.xml")
    shutil.copy(session / "SESSION.xml", copy / "OTHER.xml")
    with pytest.raises(InvalidInputError) as raised:
        ingest(copy, tmp_path / "out")
    assert "OTHER.xml" in str(raised.value)
    assert "SESSION.xml" in str(raised.value)
    assert "manifest=" in str(raised.value)


def test_dry_run_plan(session: Path, tmp_path: Path, snapshot_json: SnapshotAssertion) -> None:
    options = IngestOptions(width=1280, height=720, clips=["MINUTE", "MISSING"], dry_run=True)
    planned = ingest(session, tmp_path, options=options)
    assert planned == [tmp_path / "MINUTE.mp4"]
    assert not (tmp_path / "MINUTE.mp4").exists()
    assert (tmp_path / "MINUTE.mp4.concat.txt").is_file()
    plan = msgspec.json.decode(
        (tmp_path / "cosmos_ingest_dry_run.v1.json").read_bytes(), type=IngestDryRunPlan
    )
    assert plan.side_effects.executes_media_processing is False
    assert [c.status for c in plan.clips] == ["planned", "skipped"]
    text = (tmp_path / "cosmos_ingest_dry_run.v1.json").read_text(encoding="utf-8")
    text = text.replace(str(tmp_path), "<out>").replace(str(session), "<session>")
    for volatile in (plan.created_at, plan.options.profile or "\0"):
        text = text.replace(volatile, "<volatile>")
    ffmpeg = shutil.which("ffmpeg") or "ffmpeg"
    text = text.replace(ffmpeg, "<ffmpeg>")
    assert _without_tokens(text) == snapshot_json


def _without_tokens(text: str) -> str:
    """Replace the random part of temporary names (``.MINUTE.mp4.<hex>.partial``)."""
    return re.sub(r"\.mp4\.[0-9a-f]{8}\.partial", ".mp4.<token>.partial", text)


def test_cli_cosm_json(session: Path, tmp_path: Path, cli: CliRunner) -> None:
    result = cli(
        "ingest",
        "run",
        "--input-dir",
        session,
        "--output-dir",
        tmp_path,
        "--clip",
        "OVERLAP2",
        "--width",
        "320",
        "--height",
        "176",
        "--json",
    )
    assert result.code == 0, result.stderr
    document = msgspec.json.decode(result.stdout)
    assert document["produced"] == [str(tmp_path / "OVERLAP2.mp4")]
