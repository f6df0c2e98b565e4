"""``cosmos process``: ingest then crop, with views that join their clips by sha256."""

from __future__ import annotations

import json
from pathlib import Path

import msgspec
import pytest

from cosmos.core.model.documents import ClipDocument, ProcessDryRunPlan, ViewDocument
from tests.helpers import CliRunner
from tests.media import GeneratedClip, MediaCache


@pytest.fixture
def recordings(media: MediaCache, tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    media.copy(GeneratedClip(320, 240, audio="aac"), folder, "alpha.mp4")
    media.copy(GeneratedClip(256, 144), folder, "beta.mov")
    return folder


@pytest.fixture
def jobs_file(tmp_path: Path) -> Path:
    path = tmp_path / "jobs.json"
    path.write_text(
        json.dumps(
            [
                {"crop_mode": "rect", "crop_norm": [0, 0, 0.5, 0.5], "view_id": "corner"},
                {"crop_mode": "rect", "crop_px": [32, 32, 64, 64]},
            ]
        ),
        encoding="utf-8",
    )
    return path


def test_process_views_join_clips(
    recordings: Path, jobs_file: Path, tmp_path: Path, cli: CliRunner
) -> None:
    out = tmp_path / "out"
    result = cli("process", recordings, out, "--post-process", "--crop-config", jobs_file)
    assert result.code == 0, result.stderr
    clips = {
        doc.output.sha256: doc
        for doc in (
            msgspec.json.decode(p.read_bytes(), type=ClipDocument)
            for p in out.glob("*.cosmos_clip.v1.json")
        )
    }
    views = [
        msgspec.json.decode(p.read_bytes(), type=ViewDocument)
        for p in out.glob("*.cosmos_view.v1.json")
    ]
    assert len(clips) == 2
    assert len(views) == 4
    for view in views:
        clip = clips[view.source.sha256 or ""]
        assert view.input_clip_id == clip.clip_id


def test_process_dry_run_one_plan(
    recordings: Path, jobs_file: Path, tmp_path: Path, cli: CliRunner
) -> None:
    out = tmp_path / "out"
    result = cli(
        "process",
        recordings,
        out,
        "--post-process",
        "--crop-config",
        jobs_file,
        "--dry-run",
        "--json",
    )
    assert result.code == 0, result.stderr
    plan = msgspec.json.decode(
        (out / "cosmos_process_dry_run.v1.json").read_bytes(), type=ProcessDryRunPlan
    )
    assert [c.status for c in plan.ingest.clips] == ["planned", "planned"]
    assert [Path(v.output).name for v in plan.crop.views] == [
        "alpha_corner.mp4",
        "alpha_rect01.mp4",
        "beta_corner.mp4",
        "beta_rect01.mp4",
    ]
    # The top-level lists cover both stages, as in every dry-run plan.
    assert plan.inputs == plan.ingest.inputs
    assert plan.commands == plan.ingest.commands
    crop_outputs = [(Path(o.path).name, o.kind) for o in plan.outputs if o.stage == "crop"]
    assert crop_outputs[:2] == [
        ("alpha_corner.mp4", "video"),
        ("alpha_corner.mp4.cosmos_view.v1.json", "view-sidecar"),
    ]
    assert len(crop_outputs) == 8
    assert all(o.will_create_on_apply for o in plan.outputs)
    assert plan.validation == []
    assert list(out.glob("*.mp4")) == []


def test_dry_run_default_view_fits_clip(recordings: Path, tmp_path: Path, cli: CliRunner) -> None:
    out = tmp_path / "out"
    result = cli("process", recordings, out, "--post-process", "--dry-run")
    assert result.code == 0, result.stderr
    plan = msgspec.json.decode(
        (out / "cosmos_process_dry_run.v1.json").read_bytes(), type=ProcessDryRunPlan
    )
    assert [Path(v.output).name for v in plan.crop.views] == [
        "alpha_job00_t00_s240.mp4",
        "beta_job00_t00_s144.mp4",
    ]
    real = cli("process", recordings, tmp_path / "real", "--post-process", "--plain")
    assert real.code == 0, real.stderr
    assert sorted(p.name for p in (tmp_path / "real").glob("*_job00_*.mp4")) == [
        "alpha_job00_t00_s240.mp4",
        "beta_job00_t00_s144.mp4",
    ]


def test_crop_config_needs_post_process(
    recordings: Path, jobs_file: Path, tmp_path: Path, cli: CliRunner
) -> None:
    result = cli("process", recordings, tmp_path / "out", "--crop-config", jobs_file)
    assert result.code == 2
    assert "--post-process" in result.stderr


def test_process_rerun_needs_force(
    recordings: Path, jobs_file: Path, tmp_path: Path, cli: CliRunner
) -> None:
    out = tmp_path / "out"
    args = ("process", recordings, out, "--post-process", "--crop-config", jobs_file)
    assert cli(*args).code == 0
    views = sorted(out.glob("*.cosmos_view.v1.json"))
    rejected = cli(*args)
    assert rejected.code == 3
    assert "--force" in rejected.stderr
    replaced = cli(*args, "--force")
    assert replaced.code == 0, replaced.stderr
    assert sorted(out.glob("*.cosmos_view.v1.json")) == views
    assert len(list((out / "cosmos_runs").glob("*.cosmos_crop_run.v1.json"))) == 2


def test_crop_stage_conflict_reports_clips(
    media: MediaCache, recordings: Path, tmp_path: Path, cli: CliRunner
) -> None:
    out = tmp_path / "out"
    newer = tmp_path / "newer"
    media.copy(GeneratedClip(320, 240), newer, "gamma.mp4")
    assert cli("process", newer, out, "--post-process").code == 0
    # The clip is gone but its view is still there, so only the crop stage meets an output.
    (out / "gamma.mp4").unlink()
    (out / "gamma.mp4.cosmos_clip.v1.json").unlink()

    result = cli("process", newer, out, "--post-process", "--plain")

    assert result.code == 3
    assert result.stdout.startswith("produced\tgamma\t")
    assert "error: crop stage: output(s) already exist" in result.stderr
    assert (out / "gamma.mp4.cosmos_clip.v1.json").is_file()


def test_dry_run_finds_view_clip_collision(
    media: MediaCache, tmp_path: Path, cli: CliRunner
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    media.copy(GeneratedClip(320, 240), folder, "a.mp4")
    media.copy(GeneratedClip(256, 144), folder, "a_left.mp4")
    jobs = tmp_path / "jobs.json"
    jobs.write_text(
        json.dumps([{"crop_mode": "rect", "crop_norm": [0, 0, 0.5, 0.5], "view_id": "left"}]),
        encoding="utf-8",
    )
    args = ("process", folder, tmp_path / "out", "--post-process", "--crop-config", jobs)

    planned = cli(*args, "--dry-run")
    assert planned.code == 3
    assert "a_left.mp4 would replace the clip of the same name" in planned.stderr
    assert "give the job another view_id" in planned.stderr

    real = cli(*args)
    assert real.code == 3
    assert "give the job another view_id, or choose another output folder" in real.stderr


def test_dry_run_finds_repeated_view_id(recordings: Path, tmp_path: Path, cli: CliRunner) -> None:
    jobs = tmp_path / "jobs.json"
    job = {"crop_mode": "rect", "crop_norm": [0, 0, 0.5, 0.5], "view_id": "v"}
    jobs.write_text(json.dumps([job, {**job, "crop_norm": [0.5, 0, 0.5, 0.5]}]), "utf-8")
    args = ("process", recordings, tmp_path / "out", "--post-process", "--crop-config", jobs)
    planned = cli(*args, "--dry-run")
    assert planned.code == 3
    assert "crop stage: two jobs would both write" in planned.stderr


def test_rerun_for_failed_clip_keeps_other_views(
    media: MediaCache, tmp_path: Path, cli: CliRunner
) -> None:
    folder = tmp_path / "in"
    media.copy(GeneratedClip(320, 240), folder, "good.mp4")
    broken = folder / "late.mp4"
    broken.write_bytes(b"not video yet")
    out = tmp_path / "out"
    first = cli("process", folder, out, "--post-process")
    assert first.code == 3
    view = out / "good_job00_t00_s240.mp4"
    before = view.read_bytes()

    media.copy(GeneratedClip(320, 240, seconds=2), folder, "late.mp4")
    again = cli("process", folder, out, "--post-process", "--clip", "late")

    assert again.code == 0, again.stderr
    assert view.read_bytes() == before
    assert (out / "late_job00_t00_s240.mp4").is_file()
