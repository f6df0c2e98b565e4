"""Names that become file names: clip names from a COSM manifest or from input files, file
names longer than the output folder takes, and the error of a clip far past its recording."""

from __future__ import annotations

import json
from pathlib import Path

import msgspec
import pytest

from cosmos.core.ingest.adapter import FolderEntry, FolderListing
from cosmos.core.ingest.cosm.manifest import parse_manifest
from cosmos.core.ingest.generic import GenericMediaAdapter
from cosmos.core.ingest.plan import clip_file_names, clip_output_paths
from cosmos.core.model.documents import IngestDryRunPlan
from cosmos.core.names import clip_name_problem, find_too_long, name_bytes
from cosmos.sdk.errors import InvalidInputError
from cosmos.sdk.ingest import IngestOptions, ingest, ingest_run
from cosmos.sdk.optimize import OptimizeOptions, optimize
from tests.helpers import CliRunner, media_files, partial_files
from tests.media import GeneratedClip, MediaCache
from tools.cosm_session import SessionClip, SessionSpec, generate_session

CLIP = GeneratedClip(128, 96)
# ``.<clip>.mp4.cosmos_clip.v1.json.<8 hex>.partial``, the temporary name of the clip sidecar,
# is the longest name ingest writes: 42 bytes more than the clip name.
INGEST_OVERHEAD = 42
NAME_MAX = 255
SMALL = IngestOptions(width=128, height=96)


def _session(root: Path, name: str = "A", out_index: int = 30) -> Path:
    """Write a one-second COSM session whose clip is ``name`` and ends at ``out_index``."""
    spec = SessionSpec(fps=30, tile_width=96, tile_height=80, clips=(SessionClip("A", 0, 30),))
    generate_session(root, spec)
    manifest = root / "SESSION.xml"
    text = manifest.read_text(encoding="utf-8")
    text = text.replace('Name="A"', f'Name="{name}"').replace(
        'OutIdx="30"', f'OutIdx="{out_index}"'
    )
    manifest.write_text(text, encoding="utf-8")
    return root


def _tree(folder: Path) -> set[str]:
    return {str(path.relative_to(folder)) for path in folder.rglob("*")}


# Clip names of a COSM manifest -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "rule"),
    [
        ("../evil", "contains '/'"),
        ("a/b", "contains '/'"),
        ("a\\b", "contains '\\'"),
        ("..", "is '..'"),
        (".", "is '.'"),
        (".hidden", "starts with '.'"),
    ],
)
def test_manifest_rejects_name_that_is_no_file_name(name: str, rule: str) -> None:
    element = f'<_1 Name="{name}" InIdx="0" OutIdx="30" Pos="0H/0M/0S/"/>'
    result = parse_manifest(f"<Clip_Manifest>{element}</Clip_Manifest>".encode(), "s.xml")
    message = result.failure().message
    assert f"clip {name!r} (<_1> on line 1)" in message
    assert rule in message
    assert "clip names become file names" in message


@pytest.mark.parametrize("name", ["", "a\0b"])
def test_clip_name_rules_cover_empty_and_nul(name: str) -> None:
    # XML cannot carry either (an empty Name is "no Name attribute"), but the rule covers them.
    assert clip_name_problem(name) is not None


@pytest.mark.parametrize("name", ["CLIP1", "-dash", "site A cam 1", "vue-été", "a.b", "a..b"])
def test_clip_name_rules_accept_plain_names(name: str) -> None:
    assert clip_name_problem(name) is None


def test_generic_clip_names_stay_in_the_folder() -> None:
    # Clip names come from the names of files at the top of the folder: hidden files are not
    # videos, so no name is empty, starts with '.', or contains '/'.
    names = [".hidden.mp4", "..x.mp4", ".mp4", "-dash.mp4", " x.mp4", "a.mp4", "A.MOV", "b.c.mkv"]
    listing = FolderListing(Path("/in"), tuple(FolderEntry(name, True, 10) for name in names))
    clips = GenericMediaAdapter().discover(listing).unwrap()
    assert [clip.name for clip in clips] == [" x", "-dash", "A_mov", "a_mp4", "b.c"]
    for clip in clips:
        problem = clip_name_problem(clip.name)
        assert problem is None, (clip.name, problem)
        assert clip_output_paths(Path("/out"), clip.name, "0" * 8).media.parent == Path("/out")


@pytest.mark.slow
@pytest.mark.parametrize("name", ["../evil", "a/b"])
def test_cosm_name_with_slash_writes_nothing(name: str, tmp_path: Path, cli: CliRunner) -> None:
    session = _session(tmp_path / "session", name)
    work = tmp_path / "work"
    work.mkdir()
    before = _tree(tmp_path)
    result = cli("ingest", "run", "--input-dir", session, "--output-dir", work / "out")
    assert result.code == 3
    assert f"clip {name!r}" in result.stderr
    assert "contains '/'" in result.stderr
    assert _tree(tmp_path) == before
    with pytest.raises(InvalidInputError, match="clip names become file names"):
        ingest(session, work / "out", options=IngestOptions(dry_run=True))
    assert _tree(tmp_path) == before


# File names longer than the output folder takes ------------------------------------------------


def test_longest_ingest_name_is_the_sidecar_temporary() -> None:
    names = clip_file_names("x", concat=True)
    assert max(name_bytes(name) for name in names) == 1 + INGEST_OVERHEAD
    assert (
        find_too_long(
            "input a",
            "x" * 213,
            "its clip name",
            clip_file_names("x" * 213, concat=False),
            NAME_MAX,
        )
        is None
    )
    problem = find_too_long(
        "input a", "é" * 107, "its clip name", clip_file_names("é" * 107, concat=False), NAME_MAX
    )
    assert problem is not None
    assert problem.longest_bytes == 214 + INGEST_OVERHEAD
    assert problem.stem_limit == 213
    assert problem.pattern == ".<name>.mp4.cosmos_clip.v1.json.<token>.partial"


@pytest.fixture
def odd_folder(media: MediaCache, tmp_path: Path) -> Path:
    """The user's folder: ``-dash.mp4`` and a file whose 240-byte stem is too long."""
    folder = tmp_path / "in odd"
    media.copy(CLIP, folder, "-dash.mp4")
    media.copy(CLIP, folder, "L" * 240 + ".mp4")
    return folder


@pytest.mark.slow
def test_long_name_stops_run_before_any_encode(
    odd_folder: Path, tmp_path: Path, cli: CliRunner
) -> None:
    out = tmp_path / "out odd"
    result = cli("ingest", "run", "--input-dir", odd_folder, "--output-dir", out)
    assert result.code == 3
    assert "file name too long" in result.stderr
    assert str(odd_folder / ("L" * 240 + ".mp4")) in result.stderr
    assert "limit of 255 bytes" in result.stderr
    assert "rename the input file so that its clip name has at most 213 bytes" in result.stderr
    assert not out.exists()
    with pytest.raises(InvalidInputError, match="at most 213 bytes"):
        ingest(odd_folder, out, options=SMALL)
    assert not out.exists()


@pytest.mark.slow
def test_long_name_in_existing_output_folder(odd_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(InvalidInputError, match="limit of 255 bytes"):
        ingest(odd_folder, out, options=SMALL)
    assert list(out.iterdir()) == []


@pytest.mark.slow
def test_long_name_dry_run_reports_blocking_finding(
    odd_folder: Path, tmp_path: Path, cli: CliRunner
) -> None:
    out = tmp_path / "out odd"
    result = cli(
        "ingest", "run", "--input-dir", odd_folder, "--output-dir", out, "--dry-run", "--json"
    )
    assert result.code == 3
    report = json.loads(result.stdout)
    statuses = {clip["name"]: clip["status"] for clip in report["clips"]}
    assert statuses == {"-dash": "planned", "L" * 240: "skipped"}
    plan = msgspec.json.decode(
        (out / "cosmos_ingest_dry_run.v1.json").read_bytes(), type=IngestDryRunPlan
    )
    (finding,) = [entry for entry in plan.validation if entry.code == "name-too-long"]
    assert finding.blocking
    assert "at most 213 bytes" in finding.message
    assert "the real run stops before any work" in finding.message
    assert {path.name for path in out.iterdir()} == {
        "cosmos_dry_run.json",
        "cosmos_ingest_dry_run.v1.json",
    }


@pytest.mark.slow
def test_longest_name_that_fits_is_ingested(media: MediaCache, tmp_path: Path) -> None:
    stem = "é" * 100 + "x" * 13  # 213 bytes
    media.copy(CLIP, tmp_path / "in", stem + ".mp4")
    result = ingest_run(tmp_path / "in", tmp_path / "out", options=SMALL)
    assert [outcome.status for outcome in result.outcomes] == ["produced"]
    assert media_files(tmp_path / "out") == [f"{stem}.mp4"]
    assert partial_files(tmp_path / "out") == []


@pytest.mark.slow
def test_cosm_long_clip_name_names_manifest(tmp_path: Path, cli: CliRunner) -> None:
    session = _session(tmp_path / "session", "N" * 220)
    out = tmp_path / "out"
    with pytest.raises(InvalidInputError) as raised:
        ingest(session, out, options=SMALL)
    message = str(raised.value)
    assert str(session / "SESSION.xml") in message
    assert ".<name>.mp4.cosmos_clip.v1.json.<token>.partial" in message
    assert (
        "rename the clip (Name in the manifest) so that its clip name has at most 213 bytes"
        in message
    )
    assert not out.exists()
    result = cli("ingest", "run", "--input-dir", session, "--output-dir", out, "--dry-run")
    assert result.code == 3
    # The concat list is not written either, since its name is too long too.
    assert {path.name for path in out.iterdir()} == {
        "cosmos_dry_run.json",
        "cosmos_ingest_dry_run.v1.json",
    }


@pytest.mark.slow
def test_optimize_long_name_stops_before_any_work(
    media: MediaCache, tmp_path: Path, cli: CliRunner
) -> None:
    dash = media.copy(CLIP, tmp_path / "in", "-dash.mp4")
    long = media.copy(CLIP, tmp_path / "in", "M" * 235 + ".mp4")
    out = tmp_path / "out"
    for extra in ((), ("--dry-run",)):
        result = cli("optimize", "run", "--input", dash, long, "--out-dir", out, *extra)
        assert result.code == 3
        assert str(long) in result.stderr
        assert "limit of 255 bytes" in result.stderr
        assert (
            "rename the input file so that its name without the extension has at most 198 bytes"
            in result.stderr
        )
        assert not out.exists()
    fits = media.copy(CLIP, tmp_path / "in", "M" * 198 + ".mp4")
    produced = optimize([fits], out, options=OptimizeOptions())
    assert produced == [out / ("M" * 198 + "_optimized.mp4")]


# A clip far past its recording ----------------------------------------------------------------


@pytest.mark.slow
def test_far_out_index_gives_short_error(tmp_path: Path, cli: CliRunner) -> None:
    session = _session(tmp_path / "session", "BIG", out_index=999999)
    out = tmp_path / "out"
    result = cli("ingest", "run", "--input-dir", session, "--output-dir", out, "--dry-run")
    assert result.code == 3
    assert len(result.stderr) < 1000
    assert len(result.stdout) < 1500
    assert "33333 of its 33334 folders are missing, from 0H/0M/1S to 9H/15M/33S" in result.stderr
    assert "(0H/0M/1S, 0H/0M/2S, 0H/0M/3S and 33330 more)" in result.stderr
    assert "--allow-partial" in result.stderr
    assert (out / "cosmos_ingest_dry_run.v1.json").stat().st_size < 100_000
