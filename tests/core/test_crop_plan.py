"""Crop plans: the files of one (input, job) output and its FFmpeg argv."""

from __future__ import annotations

from pathlib import Path

from syrupy.assertion import SnapshotAssertion

from cosmos.core.crop.geometry import crop_geometry
from cosmos.core.crop.jobs import CropJob
from cosmos.core.crop.plan import CropPlan, TrimWindow, build_crop_plan

SOURCE = Path("/clips/take 1.mp4")
OUTPUT = Path("/crops/crop_000_job00_t00_s100.mp4")
TEMPORARY = Path("/crops/.crop_000_job00_t00_s100.mp4.token.partial")


def _plan() -> CropPlan:
    geometry = crop_geometry(
        CropJob(size=100, offset_x=1, start=1.0, end=2.0), 320, 180, chroma_420=True
    ).unwrap()
    return build_crop_plan(
        ffmpeg="ffmpeg",
        source=SOURCE,
        output=OUTPUT,
        temporary=TEMPORARY,
        geometry=geometry,
        trim=TrimWindow(seek_seconds=0.98, frame_count=25, first_index=25),
        encoder="libx264",
        profile=None,
    )


def test_plan_names_cmd_and_log() -> None:
    plan = _plan()
    assert plan.cmd == Path("/crops/crop_000_job00_t00_s100.mp4.cmd.txt")
    assert plan.log == Path("/crops/crop_000_job00_t00_s100.mp4.log.txt")


def test_plan_files_and_argv(snapshot_txt: SnapshotAssertion) -> None:
    plan = _plan()
    files = [f"output: {plan.output}", f"cmd: {plan.cmd}", f"log: {plan.log}"]
    assert "\n".join([*files, "argv:", *plan.argv]) + "\n" == snapshot_txt
