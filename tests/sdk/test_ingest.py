"""The SDK ingest entry point: errors raised before any work, and what it returns."""

from __future__ import annotations

from pathlib import Path

import pytest

from cosmos.sdk import IngestOptions, ingest
from cosmos.sdk.errors import InvalidInputError, InvalidOptionError, ToolNotFoundError
from cosmos.sdk.profiles import resolve_profile
from tests.media import GeneratedClip, MediaCache

SMALL = GeneratedClip(64, 48, seconds=0.4)


def test_invalid_option_before_any_write(media: MediaCache, tmp_path: Path) -> None:
    media.copy(SMALL, tmp_path / "in", "clip.mp4")
    with pytest.raises(
        ValueError, match=r"invalid quality_mode \(CLI: --quality\) 'fast'; supported values"
    ) as info:
        ingest(tmp_path / "in", tmp_path / "out", options=IngestOptions(quality_mode="fast"))  # type: ignore[arg-type]
    assert isinstance(info.value, InvalidOptionError)
    assert not (tmp_path / "out").exists()


def test_invalid_profile_from_environment(
    media: MediaCache, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    media.copy(SMALL, tmp_path / "in", "clip.mp4")
    monkeypatch.setenv("COSMOS_PROFILE", "ludicrous")
    with pytest.raises(InvalidOptionError, match="'ludicrous'"):
        ingest(tmp_path / "in", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_missing_input_raises_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="does not exist") as info:
        ingest(tmp_path / "missing", tmp_path / "out")
    assert isinstance(info.value, InvalidInputError)


def test_missing_ffmpeg_raises_file_not_found(
    media: MediaCache, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    media.copy(SMALL, tmp_path / "in", "clip.mp4")
    monkeypatch.setenv("COSMOS_FFMPEG", str(tmp_path / "nope"))
    with pytest.raises(FileNotFoundError, match="COSMOS_FFMPEG") as info:
        ingest(tmp_path / "in", tmp_path / "out")
    assert isinstance(info.value, ToolNotFoundError)


def test_failed_clip_absent_from_result(media: MediaCache, tmp_path: Path) -> None:
    media.copy(SMALL, tmp_path / "in", "good.mp4")
    (tmp_path / "in" / "empty.mp4").write_bytes(b"")
    assert ingest(tmp_path / "in", tmp_path / "out") == [tmp_path / "out" / "good.mp4"]


def test_accepts_str_paths(media: MediaCache, tmp_path: Path) -> None:
    media.copy(SMALL, tmp_path / "in", "clip.mp4")
    options = IngestOptions(dry_run=True)
    planned = ingest(str(tmp_path / "in"), str(tmp_path / "out"), options=options)  # type: ignore[arg-type]
    assert planned == [tmp_path / "out" / "clip.mp4"]


def test_profile_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COSMOS_PROFILE", "throughput")
    profile = resolve_profile()
    assert profile is not None
    assert profile.name == "throughput"


def test_profile_explicit_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COSMOS_PROFILE", "throughput")
    profile = resolve_profile("strict")
    assert profile is not None
    assert profile.name == "strict"


def test_profile_unset() -> None:
    assert resolve_profile() is None


def test_profile_unknown() -> None:
    with pytest.raises(ValueError, match="balanced, strict, throughput"):
        resolve_profile("warp")
