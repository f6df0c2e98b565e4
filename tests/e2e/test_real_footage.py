"""Ingest of the real-footage corpus (fetched by tools/fetch_media.py, not committed)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import msgspec
import pytest

from cosmos.core.model.documents import ClipDocument
from cosmos.sdk.ingest import IngestResult, ingest_run
from tests.media import REAL_CLIPS, RealClip, probe_streams

pytestmark = [pytest.mark.real_footage, pytest.mark.slow]


@pytest.fixture(scope="module")
def real_run(real_footage_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> IngestResult:
    return ingest_run(real_footage_dir, tmp_path_factory.mktemp("real") / "out")


def _output(run: IngestResult, clip: RealClip) -> Path:
    stem = clip.file_name.removesuffix(".mp4")
    (path,) = [path for path in run.produced if path.stem == stem]
    return path


def test_real_all_produced(real_run: IngestResult) -> None:
    statuses = sorted((outcome.name, outcome.status) for outcome in real_run.outcomes)
    expected = sorted((clip.file_name.removesuffix(".mp4"), "produced") for clip in REAL_CLIPS)
    assert statuses == expected


@pytest.mark.parametrize(
    "clip", [clip for clip in REAL_CLIPS if clip.width > 176], ids=lambda clip: clip.file_name
)
def test_real_size_kept(real_run: IngestResult, clip: RealClip) -> None:
    video = probe_streams(_output(real_run, clip))[0]
    assert (video.width, video.height) == (clip.width, clip.height)


@pytest.mark.parametrize("clip", REAL_CLIPS, ids=lambda clip: clip.file_name)
def test_real_audio(real_run: IngestResult, clip: RealClip) -> None:
    streams = probe_streams(_output(real_run, clip))
    has_audio = any(stream.codec_type == "audio" for stream in streams)
    assert has_audio is clip.has_audio


@pytest.mark.parametrize("clip", REAL_CLIPS, ids=lambda clip: clip.file_name)
def test_real_h264_yuv420p(real_run: IngestResult, clip: RealClip) -> None:
    video = probe_streams(_output(real_run, clip))[0]
    assert video.codec_name == "h264"
    assert video.pix_fmt == "yuv420p"


def test_real_carphone_square_pixels(real_run: IngestResult) -> None:
    """carphone is 176x144 with 128:117 pixels, so it displays 192.5 pixels wide."""
    clip = next(clip for clip in REAL_CLIPS if clip.file_name == "carphone_pristine.mp4")
    video = probe_streams(_output(real_run, clip))[0]
    assert (video.width, video.height) == (192, 144)


@pytest.mark.parametrize("clip", REAL_CLIPS, ids=lambda clip: clip.file_name)
def test_real_sidecar_hashes(
    real_run: IngestResult, real_footage_dir: Path, clip: RealClip
) -> None:
    output = _output(real_run, clip)
    sidecar = output.with_name(f"{output.name}.cosmos_clip.v1.json")
    document = msgspec.json.decode(sidecar.read_bytes(), type=ClipDocument, strict=True)
    assert document.output.sha256 == hashlib.sha256(output.read_bytes()).hexdigest()
    source = real_footage_dir / clip.file_name
    assert document.source.sha256 == hashlib.sha256(source.read_bytes()).hexdigest()
