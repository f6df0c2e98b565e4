"""Resolution of ffmpeg and ffprobe: environment variable, managed build, then PATH."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from returns.result import Failure, Success

from cosmos.shell import binaries
from cosmos.shell.binaries import resolve_tool


def test_resolve_from_path() -> None:
    result = resolve_tool("ffprobe")
    assert isinstance(result, Success)
    tool = result.unwrap()
    assert tool.origin in ("managed", "path")
    assert tool.path.is_file()


def test_resolve_env_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    ffmpeg = shutil.which("ffmpeg")
    assert ffmpeg is not None
    monkeypatch.setenv("COSMOS_FFMPEG", ffmpeg)
    tool = resolve_tool("ffmpeg").unwrap()
    assert tool.origin == "env"
    assert tool.path == Path(ffmpeg)


@pytest.mark.parametrize(
    ("name", "variable"), [("ffmpeg", "COSMOS_FFMPEG"), ("ffprobe", "COSMOS_FFPROBE")]
)
def test_resolve_missing_file(
    name: str, variable: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-ffmpeg"
    monkeypatch.setenv(variable, str(missing))
    result = resolve_tool(name)  # type: ignore[arg-type]
    assert isinstance(result, Failure)
    error = result.failure()
    assert error.tool == name
    assert variable in error.message
    assert str(missing) in error.message


def test_resolve_not_executable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    script = tmp_path / "ffmpeg"
    script.write_text("#!/bin/sh\n")
    script.chmod(0o644)
    monkeypatch.setenv("COSMOS_FFMPEG", str(script))
    result = resolve_tool("ffmpeg")
    assert isinstance(result, Failure)
    assert "not an executable file" in result.failure().message


def test_resolve_folder_rejected(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("COSMOS_FFPROBE", str(tmp_path))
    assert isinstance(resolve_tool("ffprobe"), Failure)


def test_resolve_empty_variable_means_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COSMOS_FFMPEG", "")
    assert resolve_tool("ffmpeg").unwrap().origin != "env"


@pytest.fixture
def uncached_resolution() -> Iterator[None]:
    """Forget resolutions cached by earlier tests, and the ones this test makes."""
    binaries._resolve.cache_clear()
    yield
    binaries._resolve.cache_clear()


@pytest.mark.usefixtures("uncached_resolution")
def test_resolve_not_found_anywhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(binaries, "managed_candidates", lambda name: [])
    result = resolve_tool("ffmpeg")
    assert isinstance(result, Failure)
    message = result.failure().message
    assert "ffmpeg not found" in message
    assert "COSMOS_FFMPEG" in message
