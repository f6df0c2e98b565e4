"""Runs create their output folder only when work starts: a rejected run leaves none behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import CliRunner
from tests.media import GeneratedClip, MediaCache

SMALL = GeneratedClip(64, 48, seconds=0.4)


@pytest.fixture
def clip(media: MediaCache, tmp_path: Path) -> Path:
    return media.copy(SMALL, tmp_path / "in", "clip.mp4")


@pytest.fixture
def inputs(clip: Path, tmp_path: Path) -> dict[str, str]:
    """Return the paths that fill the placeholders of ``CASES``."""
    not_video = tmp_path / "bad" / "notes.mp4"
    not_video.parent.mkdir()
    not_video.write_text("not a video\n", encoding="utf-8")
    return {
        "clip": str(clip),
        "clip_dir": str(clip.parent),
        "not_video": str(not_video),
        "missing": str(tmp_path / "missing.mp4"),
    }


# Each case: the command line up to the output folder, with placeholders for ``inputs``, the
# exit status, and whether FFmpeg is made unavailable.
CASES = {
    "optimize-missing-input": (["optimize", "run", "--input", "{missing}", "--out-dir"], 3, False),
    "optimize-remux-fps": (
        ["optimize", "run", "--input", "{clip}", "--mode", "remux", "--fps", "15", "--out-dir"],
        2,
        False,
    ),
    "optimize-not-video": (["optimize", "run", "--input", "{not_video}", "--out-dir"], 3, False),
    "optimize-unknown-encoder": (
        ["optimize", "run", "--input", "{clip}", "--encoder", "no_such_encoder", "--out-dir"],
        4,
        False,
    ),
    "ingest-no-ffmpeg": (["ingest", "run", "--input-dir", "{clip_dir}", "--output-dir"], 4, True),
    "crop-not-video": (["crop", "run", "--input", "{not_video}", "--out-dir"], 3, False),
    "crop-no-ffmpeg": (["crop", "run", "--input", "{clip}", "--out-dir"], 4, True),
    "crop-preview-not-video": (["crop", "preview", "--input", "{not_video}", "--out"], 3, False),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_rejected_run_leaves_no_folder(
    cli: CliRunner,
    inputs: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    case: tuple[list[str], int, bool],
) -> None:
    tokens, code, no_ffmpeg = case
    if no_ffmpeg:
        monkeypatch.setenv("COSMOS_FFMPEG", str(tmp_path / "no-ffmpeg"))
    out = tmp_path / "out"
    result = cli(*[token.format(**inputs) for token in tokens], out)
    assert result.code == code, result.stderr
    assert result.stderr.startswith("error: ")
    assert not out.exists()


def test_dry_run_creates_nested_folder(cli: CliRunner, clip: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "web"
    result = cli("optimize", "run", "--input", clip, "--out-dir", out, "--dry-run")
    assert result.code == 0, result.stderr
    assert (out / "cosmos_optimize_dry_run.json").is_file()
