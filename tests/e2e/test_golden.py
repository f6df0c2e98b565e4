"""Golden-file reproducibility under the strict profile.

Under ``strict`` the same job gives byte-identical media for the same FFmpeg build: run twice,
and run on one CPU core. ``tests/golden/strict_sha256.json`` keeps the sha256 of each fixture's
output per FFmpeg and libx264 version. A build with no entry yet gets its values recorded in that
file and the comparison is skipped with a message saying so; commit the file to pin them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cosmos.sdk.ingest import IngestOptions, ingest
from cosmos.sdk.optimize import OptimizeOptions, optimize
from cosmos.sdk.provenance import sha256_file
from cosmos.shell.binaries import resolve_tool
from cosmos.shell.envinfo import tool_version

GOLDEN_TABLE = Path(__file__).resolve().parent.parent / "golden" / "strict_sha256.json"
STRICT_TRANSCODE = OptimizeOptions(profile="strict", target_height=120, crf=23)


@pytest.fixture(scope="module")
def fixture_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A deterministic input: one encoder thread and bitexact flags, so every run of the same
    FFmpeg build writes the same bytes."""
    path = tmp_path_factory.mktemp("golden") / "fixture.mp4"
    argv = [
        "ffmpeg",
        "-v",
        "error",
        "-y",
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=320x180:rate=25",
        "-t",
        "2",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-threads",
        "1",
        "-pix_fmt",
        "yuv420p",
        "-flags:v",
        "+bitexact",
        "-fflags",
        "+bitexact",
        "-map_metadata",
        "-1",
        str(path),
    ]
    subprocess.run(argv, check=True)
    return path


def _build_key(output: Path) -> str:
    ffmpeg = resolve_tool("ffmpeg").unwrap().path
    match = re.search(rb"x264 - core (\d+)", output.read_bytes())
    x264 = f"x264 core {match[1].decode()}" if match else "x264 unknown"
    return f"ffmpeg {tool_version(ffmpeg)}, {x264}"


def _strict_optimize(source: Path, out_dir: Path) -> Path:
    (output,) = optimize([source], out_dir, options=STRICT_TRANSCODE)
    return output


def test_strict_twice_identical(fixture_clip: Path, tmp_path: Path) -> None:
    first = _strict_optimize(fixture_clip, tmp_path / "first")
    second = _strict_optimize(fixture_clip, tmp_path / "second")
    assert sha256_file(first) == sha256_file(second)


@pytest.mark.skipif(shutil.which("taskset") is None, reason="taskset (util-linux) is missing")
def test_strict_one_core_identical(fixture_clip: Path, tmp_path: Path) -> None:
    reference = _strict_optimize(fixture_clip, tmp_path / "all-cores")
    argv = [
        "taskset",
        "-c",
        "0",
        sys.executable,
        "-m",
        "cosmos",
        "optimize",
        "run",
        "--input",
        str(fixture_clip),
        "--out-dir",
        str(tmp_path / "one-core"),
        "--profile",
        "strict",
        "--target-height",
        "120",
        "--crf",
        "23",
        "--plain",
    ]
    env = {k: v for k, v in os.environ.items() if not k.startswith("COSMOS_")}
    completed = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    assert completed.returncode == 0, completed.stderr
    one_core = tmp_path / "one-core" / reference.name
    assert sha256_file(one_core) == sha256_file(reference)


def test_strict_ingest_twice_identical(fixture_clip: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(fixture_clip, folder / "fixture.mp4")
    options = IngestOptions(profile="strict", width=256, height=144)
    (first,) = ingest(folder, tmp_path / "a", options=options)
    (second,) = ingest(folder, tmp_path / "b", options=options)
    assert sha256_file(first) == sha256_file(second)


def test_strict_matches_golden_table(fixture_clip: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(fixture_clip, folder / "fixture.mp4")
    optimized = _strict_optimize(fixture_clip, tmp_path / "optimize")
    (ingested,) = ingest(
        folder, tmp_path / "ingest", options=IngestOptions(profile="strict", width=256, height=144)
    )
    measured = {
        "fixture": sha256_file(fixture_clip),
        "optimize-transcode-120p": sha256_file(optimized),
        "ingest-256x144": sha256_file(ingested),
    }
    key = _build_key(optimized)
    table: dict[str, dict[str, str]] = (
        json.loads(GOLDEN_TABLE.read_text(encoding="utf-8")) if GOLDEN_TABLE.is_file() else {}
    )
    if key not in table:
        table[key] = measured
        GOLDEN_TABLE.parent.mkdir(exist_ok=True)
        GOLDEN_TABLE.write_text(
            json.dumps(table, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
        pytest.skip(f"no golden values for {key!r} yet; recorded them in {GOLDEN_TABLE}")
    assert measured == table[key]
