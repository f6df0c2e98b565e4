"""``probe_video`` and ``sha256_file`` as SDK users call them."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from cosmos.sdk import VideoProbe, extract_frames_at_indices, probe_video, sha256_file
from cosmos.sdk.errors import InvalidInputError, ToolNotFoundError, VideoProbeError
from tests.media import GeneratedClip, MediaCache

CLIP = GeneratedClip(96, 64, seconds=0.4)


def test_probe_video(media: MediaCache) -> None:
    path = media.path(CLIP)
    probe = probe_video(path)
    assert probe == VideoProbe(
        source_path=path,
        width=96,
        height=64,
        duration_seconds=pytest.approx(0.4),  # type: ignore[arg-type]
        fps=25.0,
        frame_count=10,
        codec_name="h264",
        codec_long_name=probe.codec_long_name,
        format_name="mov,mp4,m4a,3gp,3g2,mj2",
    )


def test_probe_video_str_and_home(
    media: MediaCache, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    media.copy(CLIP, tmp_path, "clip.mp4")
    monkeypatch.setenv("HOME", str(tmp_path))
    probe = probe_video("~/clip.mp4")
    assert probe.source_path == tmp_path / "clip.mp4"
    assert probe.width == 96


@pytest.mark.parametrize(
    ("name", "expected"), [("gone.mp4", "does not exist"), ("", "not a regular")]
)
def test_probe_video_missing(tmp_path: Path, name: str, expected: str) -> None:
    with pytest.raises(VideoProbeError, match=expected) as info:
        probe_video(tmp_path / name)
    assert isinstance(info.value, ValueError)


def test_probe_video_not_video(tmp_path: Path) -> None:
    text = tmp_path / "readme.mp4"
    text.write_text("hello\n")
    with pytest.raises(VideoProbeError) as info:
        probe_video(text)
    assert str(text) in info.value.message
    assert "Invalid data" in info.value.stderr


def test_probe_video_ffprobe_missing(
    media: MediaCache, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COSMOS_FFPROBE", str(tmp_path / "gone"))
    with pytest.raises(VideoProbeError, match="COSMOS_FFPROBE") as info:
        probe_video(media.path(CLIP))
    assert isinstance(info.value, ToolNotFoundError)


@pytest.mark.parametrize("variable", ["COSMOS_FFPROBE", "COSMOS_FFMPEG"])
def test_extract_tool_missing(
    media: MediaCache, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    path = media.copy(CLIP, tmp_path, "clip.mp4")
    monkeypatch.setenv(variable, str(tmp_path / "gone"))
    monkeypatch.setenv("COSMOS_VIDEO_BACKEND", "ffmpeg-cli")
    with pytest.raises(VideoProbeError, match=variable) as info:
        extract_frames_at_indices(path, [0])
    assert isinstance(info.value, ToolNotFoundError)


def test_sha256_file(media: MediaCache) -> None:
    path = media.path(CLIP)
    assert sha256_file(path) == hashlib.sha256(path.read_bytes()).hexdigest()
    assert sha256_file(str(path)) == sha256_file(path)


@pytest.mark.parametrize("kind", ["missing", "folder"])
def test_sha256_file_rejects(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "missing" if kind == "missing" else tmp_path
    with pytest.raises(ValueError, match="does not exist or is not a file") as info:
        sha256_file(path)
    assert isinstance(info.value, InvalidInputError)
