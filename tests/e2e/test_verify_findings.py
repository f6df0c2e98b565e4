"""Verify on hand-altered copies of a real pipeline: symlinks, upper-case names, copied and
malformed sidecars, hidden folders, empty folders, and the wrong-kind lookup message."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cosmos.sdk.crop import CropJob, crop
from cosmos.sdk.ingest import ingest
from cosmos.sdk.lineage import build_index
from cosmos.sdk.optimize import OptimizeOptions, optimize
from cosmos.sdk.provenance import sha256_file, verify
from tests.helpers import CliRunner
from tests.media import GeneratedClip, MediaCache

CLIP_SIDECAR = ".cosmos_clip.v1.json"


@pytest.fixture(scope="module")
def pipeline(media: MediaCache, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("verify-pipeline")
    recordings = root / "in"
    media.copy(GeneratedClip(160, 120, seconds=0.5), recordings, "field.mp4")
    out = root / "out"
    (clip,) = ingest(recordings, out)
    (view,) = crop([clip], [CropJob(size=64)], out / "views")
    (optimized_clip,) = optimize([clip], out / "web", options=OptimizeOptions(crf=30))
    return {"out": out, "clip": clip, "view": view, "optimized_clip": optimized_clip}


@pytest.fixture
def copy(pipeline: dict[str, Path], tmp_path: Path) -> Path:
    """A copy of the pipeline's output tree that a test may change."""
    target = tmp_path / "copy"
    shutil.copytree(pipeline["out"], target)
    assert verify(target).ok
    return target


def test_view_symlink_reported_inside_folder(
    pipeline: dict[str, Path], copy: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere.mp4"
    shutil.copyfile(pipeline["clip"], outside)
    link = copy / "views" / pipeline["view"].name
    link.unlink()
    link.symlink_to(outside)

    report = verify(copy)

    (entry,) = report.changed_media
    assert entry.startswith(f"{link} (sidecar {link}.cosmos_view.v1.json: recorded sha256 ")
    assert str(outside) not in entry


def test_symlinked_media_orphan_named_by_link(copy: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.mp4"
    outside.write_bytes(b"not in the verified folder")
    link = copy / "b_link.mp4"
    link.symlink_to(outside)

    report = verify(copy)

    assert report.orphaned_media == (str(link),)


def test_symlinked_root_keeps_link_paths(copy: Path, tmp_path: Path) -> None:
    (copy / "stray.mp4").write_bytes(b"no sidecar")
    root_link = tmp_path / "linked-out"
    root_link.symlink_to(copy, target_is_directory=True)

    report = verify(root_link)

    assert report.orphaned_media == (str(root_link / "stray.mp4"),)


def test_relative_folder_gives_absolute_paths(
    copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (copy / "stray.mp4").write_bytes(b"no sidecar")
    monkeypatch.chdir(tmp_path)

    report = verify(Path("copy"))

    assert report.orphaned_media == (str(copy / "stray.mp4"),)


def test_upper_case_mp4_orphaned(copy: Path) -> None:
    (copy / "X.MP4").write_bytes(b"no sidecar")
    (copy / "views" / "y.Mp4").write_bytes(b"no sidecar")
    (copy / ".hidden.MP4").write_bytes(b"hidden files are skipped")

    report = verify(copy)

    assert report.orphaned_media == (str(copy / "X.MP4"), str(copy / "views" / "y.Mp4"))


def test_upper_case_mp4_with_sidecar_ok(pipeline: dict[str, Path], copy: Path) -> None:
    clip = copy / pipeline["clip"].name
    upper = copy / "UPPER.MP4"
    clip.rename(upper)
    document = json.loads(Path(f"{clip}{CLIP_SIDECAR}").read_text(encoding="utf-8"))
    document["output"]["relpath"] = upper.name
    Path(f"{clip}{CLIP_SIDECAR}").unlink()
    Path(f"{upper}{CLIP_SIDECAR}").write_text(json.dumps(document), encoding="utf-8")

    report = verify(copy)

    assert report.orphaned_media == ()
    assert report.missing_media == ()
    assert report.changed_media == ()


def test_copied_sidecar_reported(pipeline: dict[str, Path], copy: Path, cli: CliRunner) -> None:
    clip = copy / pipeline["clip"].name
    duplicate = copy / "a_copy.mp4"
    shutil.copyfile(clip, duplicate)
    shutil.copyfile(f"{clip}{CLIP_SIDECAR}", f"{duplicate}{CLIP_SIDECAR}")
    expected = (
        f"{duplicate}{CLIP_SIDECAR} (records {clip}, but is named for {duplicate}; "
        "it may be a copied sidecar)"
    )

    with_media = verify(copy)
    duplicate.unlink()
    report = verify(copy)
    human = cli("provenance", "verify", copy)
    plain = cli("provenance", "verify", copy, "--plain")
    as_json = cli("provenance", "verify", copy, "--json")

    assert with_media.mismatched_sidecars == (expected,)
    assert with_media.orphaned_media == ()
    assert report.mismatched_sidecars == (expected,)
    assert report.missing_media == ()
    assert not report.ok
    assert human.code == 3
    assert f"mismatched sidecars: {expected}" in human.stdout.splitlines()
    assert human.stdout.splitlines()[-1] == "1 problem in 4 artifacts checked"
    assert plain.code == 3
    assert plain.stdout.splitlines() == [f"mismatched_sidecars\t{expected}"]
    assert as_json.code == 3
    assert json.loads(as_json.stdout)["mismatched_sidecars"] == [expected]


def test_json_findings_carry_full_digests(
    pipeline: dict[str, Path], copy: Path, cli: CliRunner
) -> None:
    clip = copy / pipeline["clip"].name
    recorded = sha256_file(clip)
    with clip.open("ab") as file:
        file.write(b"changed")

    result = cli("provenance", "verify", copy, "--json")

    assert result.code == 3
    document = json.loads(result.stdout)
    changed = [f for f in document["findings"] if f["problem"] == "changed_media"]
    assert changed == [
        {
            "problem": "changed_media",
            "path": str(clip),
            "sidecar": f"{clip}{CLIP_SIDECAR}",
            "recorded_sha256": recorded,
            "sha256": sha256_file(clip),
            "run_id": None,
            "reason": None,
        }
    ]
    sources = [f for f in document["findings"] if f["problem"] == "changed_sources"]
    assert {f["path"] for f in sources} == {str(clip)}
    assert len(document["findings"]) == len(document["changed_media"]) + len(
        document["changed_sources"]
    )


def test_sidecar_without_relpath_not_mismatched(pipeline: dict[str, Path], copy: Path) -> None:
    # Sidecars without a relpath record only the path as given, which may be relative to another
    # folder, so verify cannot tell which file they describe.
    clip = copy / pipeline["clip"].name
    sidecar = Path(f"{clip}{CLIP_SIDECAR}")
    document = json.loads(sidecar.read_text(encoding="utf-8"))
    del document["output"]["relpath"]
    sidecar.rename(copy / f"renamed.mp4{CLIP_SIDECAR}")
    (copy / f"renamed.mp4{CLIP_SIDECAR}").write_text(json.dumps(document), encoding="utf-8")

    report = verify(copy)

    assert report.mismatched_sidecars == ()


def test_malformed_sidecar_reason_once(
    pipeline: dict[str, Path], copy: Path, cli: CliRunner
) -> None:
    clip = copy / pipeline["clip"].name
    sidecar = Path(f"{clip}{CLIP_SIDECAR}")
    sidecar.write_text(json.dumps({"output": {"path": clip.name}}), encoding="utf-8")
    expected = f"{sidecar} (missing clip_id, output.sha256)"

    report = verify(copy)
    human = cli("provenance", "verify", copy)

    assert report.malformed_sidecars == (expected,)
    assert report.orphaned_media == ()
    assert f"malformed sidecar skipped: {expected}" in build_index(copy).warnings
    assert human.code == 3
    assert f"malformed sidecars: {expected}" in human.stdout.splitlines()
    assert human.stdout.splitlines()[-1].startswith("1 problem in ")


def test_unreadable_sidecar_reason(pipeline: dict[str, Path], copy: Path) -> None:
    clip = copy / pipeline["clip"].name
    sidecar = Path(f"{clip}{CLIP_SIDECAR}")
    sidecar.unlink()
    sidecar.symlink_to(copy / "missing-target")

    report = verify(copy)

    assert report.malformed_sidecars == (f"{sidecar} (unreadable: No such file or directory)",)
    assert report.orphaned_media == ()


def test_malformed_run_document_reported(copy: Path) -> None:
    (document,) = (copy / "cosmos_runs").glob("*.cosmos_ingest_run.v1.json")
    document.write_text("{bad", encoding="utf-8")

    report = verify(copy)

    (entry,) = report.malformed_sidecars
    assert entry.startswith(f"{document} (not a valid run document: ")
    assert not report.ok


def test_hidden_folders_listed_and_noted(copy: Path, cli: CliRunner) -> None:
    hidden = [copy / ".cache", copy / ".git", copy / "views" / ".thumbs", copy / "web" / ".tmp"]
    for folder in hidden:
        folder.mkdir()
        (folder / "stray.mp4").write_bytes(b"never read")

    report = verify(copy)
    human = cli("provenance", "verify", copy)
    as_json = cli("provenance", "verify", copy, "--json")
    plain = cli("provenance", "verify", copy, "--plain")

    assert report.ok, report
    assert report.skipped_folders == tuple(str(folder) for folder in hidden)
    assert human.code == 0
    assert human.stderr.splitlines() == [
        'note: skipped 4 hidden folders (names starting with "."): .cache, .git, '
        f"{Path('views', '.thumbs')}, ..."
    ]
    assert json.loads(as_json.stdout)["skipped_folders"] == [str(folder) for folder in hidden]
    assert plain.stderr == ""


def test_one_hidden_folder_note(copy: Path, cli: CliRunner) -> None:
    (copy / ".git").mkdir()

    human = cli("provenance", "verify", copy)

    assert human.stderr.splitlines() == [
        'note: skipped 1 hidden folder (names starting with "."): .git'
    ]


def test_empty_folder_notes_path(tmp_path: Path, cli: CliRunner) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("no media here", encoding="utf-8")

    human = cli("provenance", "verify", empty)
    as_json = cli("provenance", "verify", empty, "--json")

    assert human.code == 0
    assert human.stdout.splitlines() == ["ok: 0 artifacts checked"]
    assert human.stderr.splitlines() == [
        f"note: no Cosmos sidecars or .mp4 files under {empty}; check the path"
    ]
    assert as_json.code == 0
    assert as_json.stderr == ""


def test_folder_with_media_has_no_empty_note(copy: Path, cli: CliRunner) -> None:
    result = cli("provenance", "verify", copy)

    assert result.code == 0
    assert "note:" not in result.stderr


def test_wrong_kind_uses_an(pipeline: dict[str, Path], cli: CliRunner) -> None:
    optimized = pipeline["optimized_clip"]
    clip = pipeline["clip"]

    as_view = cli("provenance", "view-of", optimized)
    as_optimized = cli("provenance", "optimized-of", clip)

    assert as_view.code == 3
    assert (
        f"{optimized} is not a view but an optimized (it has an optimized sidecar)"
        in as_view.stderr
    )
    assert as_optimized.code == 3
    assert f"{clip} is not an optimized but a clip (it has a clip sidecar)" in as_optimized.stderr
