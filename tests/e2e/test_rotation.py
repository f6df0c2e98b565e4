"""A source stored with a 90 degree display rotation comes out upright, with no rotation left."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from cosmos.core.model.documents import ClipDocument
from cosmos.sdk.ingest import ingest
from cosmos.sdk.video import probe_video
from tests.media import GeneratedClip, MediaCache, decode_gray, mean_abs_diff, probe_streams

pytestmark = pytest.mark.slow

ROTATED = GeneratedClip(1920, 1080, seconds=0.5, fps=10, rotate_90=True)
# Pictures are compared at a small size: enough detail to tell the two turns apart.
COMPARE_WIDTH, COMPARE_HEIGHT = 54, 96


@pytest.fixture(scope="module")
def rotated_output(media: MediaCache, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rotation")
    media.copy(ROTATED, root / "in", "portrait.mp4")
    (output,) = ingest(root / "in", root / "out")
    return output


def test_source_reports_rotation(media: MediaCache) -> None:
    source = media.path(ROTATED)
    assert probe_streams(source)[0].rotation == -90
    probe = probe_video(source)
    assert (probe.width, probe.height) == (1080, 1920)


def test_rotated_output_size(rotated_output: Path) -> None:
    video = probe_streams(rotated_output)[0]
    assert (video.width, video.height) == (1080, 1920)


def test_rotated_output_has_no_rotation(rotated_output: Path) -> None:
    assert probe_streams(rotated_output)[0].rotation is None


def test_rotated_output_upright(rotated_output: Path, media: MediaCache) -> None:
    width, height = COMPARE_WIDTH, COMPARE_HEIGHT
    output = decode_gray(rotated_output, width=width, height=height)
    source = media.path(ROTATED)
    clockwise, counter = (
        decode_gray(source, width=width, height=height, video_filter=turn, autorotate=False)
        for turn in ("transpose=clock", "transpose=cclock")
    )
    assert mean_abs_diff(output, clockwise) < 6
    assert mean_abs_diff(output, counter) > 20


def test_rotated_sidecar(rotated_output: Path) -> None:
    sidecar = rotated_output.with_name(f"{rotated_output.name}.cosmos_clip.v1.json")
    document = msgspec.json.decode(sidecar.read_bytes(), type=ClipDocument)
    assert document.source.rotation_degrees == 90
    assert (document.video.width, document.video.height) == (1080, 1920)
    assert (document.video.width_px, document.video.height_px) == (1080, 1920)
