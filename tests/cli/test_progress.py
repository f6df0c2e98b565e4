"""The progress line on stderr: shown for human output on a terminal, never otherwise."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.helpers import CliRunner
from tests.media import GeneratedClip, MediaCache

SMALL = GeneratedClip(64, 48, seconds=0.4, audio="aac")


@pytest.fixture
def clip(media: MediaCache, tmp_path: Path) -> Path:
    return media.copy(SMALL, tmp_path / "in", "clip.mp4")


def pretend_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the captured stderr report itself as a terminal.

    Call it in the test body: patched from a fixture, it missed the stream the command uses.
    """
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)


def optimize_tokens(clip: Path, out_dir: Path) -> list[str | Path]:
    return ["optimize", "run", "--input", clip, "--out-dir", out_dir, "--crf", "30"]


def test_optimize_progress_on_terminal(
    cli: CliRunner, clip: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pretend_terminal(monkeypatch)
    result = cli(*optimize_tokens(clip, tmp_path / "out"))
    assert result.code == 0
    assert "\r\x1b[2K[input 1/1] clip.mp4" in result.stderr
    assert result.stderr.endswith("\n")
    assert result.stdout.startswith("produced  transcode")


@pytest.mark.parametrize("flag", ["--json", "--plain"])
def test_optimize_progress_quiet_machine_output(
    cli: CliRunner, clip: Path, tmp_path: Path, flag: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    pretend_terminal(monkeypatch)
    result = cli(*optimize_tokens(clip, tmp_path / "out"), flag)
    assert result.code == 0
    assert result.stderr == ""
    if flag == "--json":
        assert json.loads(result.stdout)["produced"] == [str(tmp_path / "out/clip_optimized.mp4")]


def test_optimize_progress_quiet_off_terminal(cli: CliRunner, clip: Path, tmp_path: Path) -> None:
    result = cli(*optimize_tokens(clip, tmp_path / "out"))
    assert result.code == 0
    assert result.stderr == ""


def test_ingest_progress_on_terminal(
    cli: CliRunner, clip: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pretend_terminal(monkeypatch)
    result = cli("ingest", "run", "--input-dir", clip.parent, "--output-dir", tmp_path / "out")
    assert result.code == 0
    assert "\r\x1b[2K[clip 1/1] clip" in result.stderr
    assert result.stdout.startswith("produced  clip")
