"""Static types of the public SDK, checked by mypy (``assert_type`` fails on ``Any`` too).

The functions also run under pytest, so the annotations are checked against real values.
"""

from __future__ import annotations

from pathlib import Path
from typing import assert_type

from cosmos.sdk import (
    DeterminismProfile,
    IngestOptions,
    VideoProbe,
    ingest,
    probe_video,
    resolve_profile,
    sha256_file,
)
from cosmos.sdk.errors import CosmosError, VideoProbeError
from tests.media import GeneratedClip, MediaCache

CLIP = GeneratedClip(64, 48, seconds=0.4)


def test_probe_video_types(media: MediaCache) -> None:
    probe = probe_video(media.path(CLIP))
    assert_type(probe, VideoProbe)
    assert_type(probe.width, int)
    assert_type(probe.duration_seconds, float | None)
    assert_type(probe.frame_count, int | None)
    assert_type(probe.source_path, Path)
    assert isinstance(probe, VideoProbe)


def test_ingest_types(media: MediaCache, tmp_path: Path) -> None:
    media.copy(CLIP, tmp_path / "in", "clip.mp4")
    options = IngestOptions(width=640, height=480, dry_run=True)
    assert_type(options.crf, int | None)
    outputs = ingest(tmp_path / "in", tmp_path / "out", options=options)
    assert_type(outputs, list[Path])
    assert all(isinstance(path, Path) for path in outputs)


def test_helper_types(media: MediaCache) -> None:
    assert_type(sha256_file(media.path(CLIP)), str)
    profile = resolve_profile("strict")
    assert_type(profile, DeterminismProfile | None)
    assert profile is not None


def test_error_types() -> None:
    error = VideoProbeError("m", stderr="e")
    assert_type(error.message, str)
    assert_type(error.stderr, str)
    assert isinstance(error, CosmosError)
