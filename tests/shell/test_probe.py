"""ffprobe on real files: facts of generated clips and errors for unusable inputs."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from returns.pipeline import is_successful
from returns.result import Failure, Success

from cosmos.core.errors import ProbeFailed, ToolUnavailable
from cosmos.core.model.media import MediaFacts
from cosmos.shell.encoders import listed_encoders, select_encoder
from cosmos.shell.probe import probe_media
from tests.media import FFMPEG, GeneratedClip, MediaCache


def _facts(path: Path) -> MediaFacts:
    result = probe_media(path)
    assert is_successful(result), result
    return result.unwrap()


def _probe_failure(path: Path) -> ProbeFailed:
    result = probe_media(path)
    assert isinstance(result, Failure), result
    error = result.failure()
    assert isinstance(error, ProbeFailed)
    return error


def _script(folder: Path, body: str) -> Path:
    script = folder / "fake-ffprobe"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(0o755)
    return script


def test_probe_generated_clip(media: MediaCache) -> None:
    facts = _facts(media.path(GeneratedClip(320, 240, audio="aac")))
    assert (facts.probe.width, facts.probe.height) == (320, 240)
    assert facts.probe.fps == 25.0
    assert facts.probe.frame_count == 25
    assert facts.probe.duration_seconds == pytest.approx(1.0, abs=0.05)
    assert facts.probe.codec_name == "h264"
    assert facts.pix_fmt == "yuv420p"
    assert facts.audio_codec == "aac"


def test_probe_rotated_clip(media: MediaCache) -> None:
    facts = _facts(media.path(GeneratedClip(192, 108, seconds=0.5, rotate_90=True)))
    assert facts.rotation_degrees == 90
    assert (facts.probe.width, facts.probe.height) == (108, 192)
    assert (facts.stored_width, facts.stored_height) == (192, 108)


def test_probe_pcm_in_mov(media: MediaCache) -> None:
    facts = _facts(media.path(GeneratedClip(64, 64, audio="pcm", container="mov")))
    assert facts.audio_codec == "pcm_s16le"


def test_probe_missing_file(tmp_path: Path) -> None:
    error = _probe_failure(tmp_path / "nope.mp4")
    assert str(tmp_path / "nope.mp4") in error.message
    assert "does not exist" in error.message


def test_probe_folder(tmp_path: Path) -> None:
    assert "not a regular file" in _probe_failure(tmp_path).message


def test_probe_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    assert "empty (0 bytes)" in _probe_failure(empty).message


def test_probe_text_file(tmp_path: Path) -> None:
    text = tmp_path / "notes.mp4"
    text.write_text("these are not the frames you are looking for\n")
    error = _probe_failure(text)
    assert str(text) in error.message
    assert "Invalid data" in error.message
    assert "Invalid data" in error.stderr


def test_probe_audio_only(tmp_path: Path) -> None:
    audio = tmp_path / "tone.m4a"
    argv = [FFMPEG, "-v", "error", "-f", "lavfi", "-i", "sine=duration=0.2", str(audio)]
    subprocess.run(argv, check=True)
    assert "no video stream" in _probe_failure(audio).message


def test_probe_timeout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, media: MediaCache) -> None:
    monkeypatch.setenv("COSMOS_FFPROBE", str(_script(tmp_path, "exec sleep 30")))
    result = probe_media(media.path(GeneratedClip(64, 64)), timeout_seconds=0.5)
    assert isinstance(result, Failure)
    assert "timed out after 0.5 s" in result.failure().message


def test_probe_garbage_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, media: MediaCache
) -> None:
    monkeypatch.setenv("COSMOS_FFPROBE", str(_script(tmp_path, "echo garbage")))
    result = probe_media(media.path(GeneratedClip(64, 64)))
    assert isinstance(result, Failure)
    assert "cannot parse" in result.failure().message


def test_probe_tool_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, media: MediaCache
) -> None:
    monkeypatch.setenv("COSMOS_FFPROBE", str(tmp_path / "missing-ffprobe"))
    result = probe_media(media.path(GeneratedClip(64, 64)))
    assert isinstance(result, Failure)
    assert isinstance(result.failure(), ToolUnavailable)


def test_listed_encoders_has_libx264() -> None:
    assert "libx264" in listed_encoders(Path(FFMPEG))


def test_select_encoder_software() -> None:
    result = select_encoder(Path(FFMPEG), ("libx264",), 64, 64, "yuv420p")
    assert isinstance(result, Success)
    assert result.unwrap().encoder == "libx264"


def test_select_encoder_none_usable() -> None:
    result = select_encoder(Path(FFMPEG), ("h264_no_such_encoder",), 64, 64, "yuv420p")
    assert isinstance(result, Failure)
    assert "h264_no_such_encoder" in result.failure().message
    assert "cosmos doctor" in result.failure().message
