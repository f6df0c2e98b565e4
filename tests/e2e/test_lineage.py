"""A whole pipeline's provenance: ingest (generic and COSM), crop, optimize, then lineage queries
and verification over the output tree."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import msgspec
import pytest

from cosmos.cli.lineage import _print_nodes
from cosmos.core.provenance.lineage import LineageIndexDocument
from cosmos.sdk.crop import CropJob, crop
from cosmos.sdk.errors import InvalidInputError
from cosmos.sdk.ingest import IngestOptions, ingest
from cosmos.sdk.lineage import LineageIndex, Node, build_index
from cosmos.sdk.optimize import OptimizeOptions, optimize
from cosmos.sdk.provenance import clip_of, sha_map, verify, view_of, views_for_clip
from tests.helpers import CliRunner
from tests.media import GeneratedClip, MediaCache
from tools.cosm_session import SessionClip, SessionSpec, generate_session


@pytest.fixture(scope="module")
def pipeline(media: MediaCache, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("pipeline")
    recordings = root / "in"
    recordings.mkdir()
    media.copy(GeneratedClip(320, 240), recordings, "field.mp4")
    out = root / "out"
    (clip,) = ingest(recordings, out)
    session = root / "session"
    generate_session(
        session, SessionSpec(clips=(SessionClip("C1", 30, 60),), tile_width=160, tile_height=96)
    )
    (cosm_clip,) = ingest(session, out / "cosm", options=IngestOptions(width=256, height=128))
    (view,) = crop([clip], [CropJob(size=120)], out / "views")
    (optimized_view,) = optimize([view], out / "web", options=OptimizeOptions(target_height=60))
    (optimized_clip,) = optimize([clip], out / "web", options=OptimizeOptions(crf=30))
    return {
        "out": out,
        "clip": clip,
        "cosm_clip": cosm_clip,
        "view": view,
        "optimized_view": optimized_view,
        "optimized_clip": optimized_clip,
    }


def test_chain_from_optimized_view(pipeline: dict[str, Path]) -> None:
    index = build_index(pipeline["out"])
    optimized = json.loads(
        pipeline["optimized_view"]
        .with_name(pipeline["optimized_view"].name + ".cosmos_optimized.v1.json")
        .read_text(encoding="utf-8")
    )
    nodes = index.chain(optimized["optimized_id"])
    assert [n.stage for n in nodes] == ["ingest", "crop", "optimize"]
    assert Path(nodes[0].path) == pipeline["clip"]
    assert index.warnings == []


def test_tree_nests_the_pipeline(pipeline: dict[str, Path]) -> None:
    index = build_index(pipeline["out"])
    view = view_of(pipeline["view"])
    assert view is not None
    optimized_sha = next(
        n.sha256 for n in index.nodes.values() if n.path == str(pipeline["optimized_view"])
    )
    nested = index.tree(optimized_sha)
    assert nested["sources"][0]["id"] == view.view_id
    assert nested["sources"][0]["sources"][0]["stage"] == "ingest"


def test_tree_plain_rows(pipeline: dict[str, Path], cli: CliRunner) -> None:
    index = build_index(pipeline["out"])
    optimized = next(n for n in index.nodes.values() if n.path == str(pipeline["optimized_view"]))

    result = cli("lineage", "tree", optimized.sha256, "--in", pipeline["out"], "--plain")

    assert result.code == 0
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert [(row[0], row[1]) for row in rows] == [("0", "optimize"), ("1", "crop"), ("2", "ingest")]
    assert rows[0][2:] == [optimized.id, optimized.sha256, optimized.path]
    assert Path(rows[2][4]) == pipeline["clip"]


def test_downstream_none_says_so(pipeline: dict[str, Path], cli: CliRunner) -> None:
    index = build_index(pipeline["out"])
    optimized = next(n for n in index.nodes.values() if n.path == str(pipeline["optimized_view"]))

    human = cli("lineage", "downstream", optimized.id, "--in", pipeline["out"])
    plain = cli("lineage", "downstream", optimized.id, "--in", pipeline["out"], "--plain")

    assert human.code == 0
    assert human.stdout.strip() == f"{optimized.id} has no derivatives"
    assert plain.code == 0
    assert plain.stdout == ""


def test_node_columns_aligned(capsys: pytest.CaptureFixture[str]) -> None:
    nodes = [
        Node("clip-a-1111", "ingest", "1" * 64, "/out/a.mp4", "/out/a.json"),
        Node("optimized-crop_000_job00_t00_s200_optimized-e2711622", "optimize", "2" * 64,
             "/out/b.mp4", "/out/b.json"),
    ]  # fmt: skip

    _print_nodes(nodes, "human")

    lines = capsys.readouterr().out.splitlines()
    assert lines[0].index("1" * 16) == lines[1].index("2" * 16)


def test_downstream_of_clip(pipeline: dict[str, Path]) -> None:
    index = build_index(pipeline["out"])
    clip = clip_of(pipeline["clip"])
    assert clip is not None
    paths = {Path(n.path) for n in index.downstream(clip.clip_id)}
    assert paths == {pipeline["view"], pipeline["optimized_view"], pipeline["optimized_clip"]}


def test_lookups(pipeline: dict[str, Path]) -> None:
    clip = clip_of(pipeline["clip"])
    view = view_of(pipeline["view"])
    assert clip is not None and view is not None
    assert view.source.sha256 == clip.output.sha256
    assert view.input_clip_id == clip.clip_id
    assert views_for_clip(pipeline["clip"], [pipeline["out"]]) == [
        pipeline["view"].with_name(pipeline["view"].name + ".cosmos_view.v1.json")
    ]
    table = sha_map(pipeline["out"])
    assert {a.kind for a in table.values()} == {"clip", "view", "optimized"}
    assert len(sha_map(pipeline["out"], kind="clip")) == 2


def test_verify_accepts_cmd_and_log(pipeline: dict[str, Path], cli: CliRunner) -> None:
    # Ingest, crop and optimize each leave <output>.cmd.txt and <output>.log.txt beside their
    # outputs, and neither counts as media or as a sidecar.
    outputs = [pipeline["clip"], pipeline["view"], pipeline["optimized_view"]]
    for output in outputs:
        assert output.with_name(output.name + ".cmd.txt").is_file(), output
        assert output.with_name(output.name + ".log.txt").is_file(), output
    report = verify(pipeline["out"])
    assert report.orphaned_media == ()
    assert report.malformed_sidecars == ()
    assert report.ok, report
    assert build_index(pipeline["out"]).warnings == []
    assert cli("provenance", "verify", pipeline["out"]).code == 0


def test_verify_then_tamper(pipeline: dict[str, Path], tmp_path: Path, cli: CliRunner) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(pipeline["out"], copy)
    assert verify(copy).ok
    assert cli("provenance", "verify", copy).code == 0
    changed = copy / "views" / pipeline["view"].name
    changed.write_bytes(changed.read_bytes() + b"tampered")
    deleted = copy / pipeline["clip"].name
    deleted.with_name(deleted.name + ".cosmos_clip.v1.json").unlink()
    report = verify(copy)
    assert [Path(p.split(" (")[0]) for p in report.changed_media] == [changed.resolve()]
    assert report.orphaned_media == (str(deleted.resolve()),)
    assert report.missing_media == ()
    result = cli("provenance", "verify", copy, "--json")
    assert result.code == 3
    assert json.loads(result.stdout)["ok"] is False


def test_verify_copy_with_deleted_media(pipeline: dict[str, Path], tmp_path: Path) -> None:
    # The original tree still has the file at the path the sidecar records as given.
    copy = tmp_path / "copy"
    shutil.copytree(pipeline["out"], copy)
    removed = copy / "views" / pipeline["view"].name
    removed.unlink()
    assert pipeline["view"].is_file()
    report = verify(copy)
    assert len(report.missing_media) == 1
    assert report.missing_media[0].startswith(str(removed))
    assert report.changed_media == ()
    assert not report.ok


def test_moved_tree_still_resolves(pipeline: dict[str, Path], tmp_path: Path) -> None:
    moved = tmp_path / "moved"
    shutil.copytree(pipeline["out"], moved)
    report = verify(moved)
    assert report.ok, report


def test_identifier_errors_exit_3(pipeline: dict[str, Path], cli: CliRunner) -> None:
    unknown = cli("lineage", "chain", "ffffffffffff", "--in", pipeline["out"])
    assert unknown.code == 3
    assert "unknown identifier" in unknown.stderr
    assert unknown.stderr.rstrip().endswith(
        "check the folders given to --in, by default the current folder, and list their "
        "artifact ids with `cosmos provenance list FOLDER`"
    )
    with pytest.raises(InvalidInputError, match="unknown identifier") as raised:
        build_index(pipeline["out"]).chain("view-none-00000000")
    assert "list their artifact ids with sha_map(folder)" in str(raised.value)


def test_index_write_and_empty(pipeline: dict[str, Path], tmp_path: Path, cli: CliRunner) -> None:
    target = tmp_path / "lineage.json"
    result = cli("lineage", "build", pipeline["out"], "-o", target, "--json")
    assert result.code == 0, result.stderr
    written = json.loads(target.read_text(encoding="utf-8"))
    document = msgspec.json.decode(target.read_bytes(), type=LineageIndexDocument, strict=True)
    assert document.node_count == len(document.nodes) == 5
    assert written["schema"] == "cosmos-lineage-index-v1"
    assert written["node_count"] == 5
    assert written["edge_count"] == 3
    empty = LineageIndex()
    assert empty.to_dict()["node_count"] == 0


def test_overlapping_folders_scanned_once(pipeline: dict[str, Path]) -> None:
    out = pipeline["out"]
    index = build_index(out / "views", out, out, out / "web")
    assert len(index.nodes) == 5
    assert index.warnings == []


def test_index_write_creates_folders(pipeline: dict[str, Path], tmp_path: Path) -> None:
    target = tmp_path / "new" / "deeper" / "lineage.json"
    assert build_index(pipeline["out"]).write(target) == target
    assert json.loads(target.read_text(encoding="utf-8"))["node_count"] == 5


def test_index_write_under_file_exit_3(
    pipeline: dict[str, Path], tmp_path: Path, cli: CliRunner
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder", encoding="utf-8")
    result = cli("lineage", "build", pipeline["out"], "-o", blocker / "lineage.json")
    assert result.code == 3
    assert f"a part of {blocker} is a file, not a folder" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("name", ["", ".", "existing", "newdir/"])
def test_index_write_to_folder_exit_3(
    pipeline: dict[str, Path],
    tmp_path: Path,
    cli: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
) -> None:
    (tmp_path / "existing").mkdir()
    monkeypatch.chdir(tmp_path)
    result = cli("lineage", "build", pipeline["out"], "-o", name)
    assert result.code == 3
    assert "it names a folder, not a file; give a file path" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["existing"]


def test_index_write_keeps_other_files(
    pipeline: dict[str, Path], tmp_path: Path, cli: CliRunner
) -> None:
    notes = tmp_path / "notes.json"
    notes.write_text('{"field": "site A"}', encoding="utf-8")
    result = cli("lineage", "build", pipeline["out"], "-o", notes)
    assert result.code == 3
    assert "exists and is not a lineage index" in result.stderr
    assert notes.read_text(encoding="utf-8") == '{"field": "site A"}'
    clip = tmp_path / "a.mp4"
    shutil.copyfile(pipeline["clip"], clip)
    before = clip.read_bytes()
    assert cli("lineage", "build", pipeline["out"], "-o", clip).code == 3
    assert clip.read_bytes() == before
    index = tmp_path / "lineage.json"
    assert cli("lineage", "build", pipeline["out"], "-o", index).code == 0
    assert cli("lineage", "build", pipeline["out"] / "views", "-o", index).code == 0
    assert json.loads(index.read_text(encoding="utf-8"))["node_count"] == 1


def test_query_reports_index_warnings(
    pipeline: dict[str, Path], tmp_path: Path, cli: CliRunner
) -> None:
    moved = tmp_path / "partial"
    shutil.copytree(pipeline["out"], moved)
    clip_sidecar = moved / pipeline["clip"].relative_to(pipeline["out"])
    clip_sidecar.with_name(clip_sidecar.name + ".cosmos_clip.v1.json").unlink()
    view_id = json.loads(
        (moved / "views" / (pipeline["view"].name + ".cosmos_view.v1.json")).read_text(
            encoding="utf-8"
        )
    )["view_id"]
    result = cli("lineage", "upstream", view_id, "--in", moved, "--json")
    assert result.code == 0, result.stderr
    assert json.loads(result.stdout) == []
    assert "warning: the index has 2 warnings, the first: dangling edge" in result.stderr
    assert "`cosmos lineage build` lists them all" in result.stderr


def test_lookup_names_right_kind(pipeline: dict[str, Path], cli: CliRunner) -> None:
    result = cli("provenance", "clip-of", pipeline["view"])
    assert result.code == 3
    assert f"{pipeline['view']} is not a clip but a view" in result.stderr
    assert f"`cosmos provenance view-of {pipeline['view']}`" in result.stderr
    optimized = cli("provenance", "optimized-of", pipeline["optimized_clip"], "--json")
    assert optimized.code == 0, optimized.stderr
    assert json.loads(optimized.stdout)["optimized_id"].startswith("optimized-")
    missing = cli("provenance", "view-of", pipeline["out"] / "gone.mp4")
    assert missing.code == 3
    assert "gone.mp4 does not exist; check the path" in missing.stderr


def test_identifier_as_file_path(
    pipeline: dict[str, Path], tmp_path: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = pipeline["out"]
    monkeypatch.chdir(out)
    relative = pipeline["optimized_view"].relative_to(out)
    result = cli("lineage", "chain", relative, "--in", out, "--plain")
    assert result.code == 0, result.stderr
    assert [line.split("\t")[0] for line in result.stdout.splitlines()] == [
        "ingest",
        "crop",
        "optimize",
    ]
    stranger = tmp_path / "stranger.mp4"
    stranger.write_bytes(b"not in the index")
    unknown = cli("lineage", "upstream", stranger, "--in", out)
    assert unknown.code == 3
    assert f"{stranger} (sha256 " in unknown.stderr
    assert "is not in the index" in unknown.stderr


def test_path_object_and_sidecar_identifiers(pipeline: dict[str, Path]) -> None:
    index = build_index(pipeline["out"])
    view = pipeline["view"]
    expected = [node.id for node in index.chain(str(view))]
    assert [node.id for node in index.chain(view)] == expected
    sidecar = view.with_name(view.name + ".cosmos_view.v1.json")
    assert index.resolve(sidecar) == index.resolve(view)
    assert index.tree(sidecar)["path"] == index.tree(view)["path"]


def test_list_in_stage_order_aligned(pipeline: dict[str, Path], cli: CliRunner) -> None:
    result = cli("provenance", "list", pipeline["out"])
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    kinds = [line.split()[0] for line in lines]
    assert kinds == sorted(kinds, key=["clip", "view", "optimized"].index)
    sha_columns = {line.index(line.split()[2]) for line in lines}
    assert len(sha_columns) == 1


def test_views_for_clip_none_says_where(pipeline: dict[str, Path], cli: CliRunner) -> None:
    result = cli("provenance", "views-for-clip", pipeline["cosm_clip"])
    assert result.code == 0, result.stderr
    assert result.stdout.startswith(f"no views of {pipeline['cosm_clip']} under ")
    assert "pass --in with the crop output folder" in result.stdout
    found = cli("provenance", "views-for-clip", pipeline["clip"], "--in", pipeline["out"])
    assert found.stdout.strip().endswith(".cosmos_view.v1.json")


def test_verify_reports_replaced_source(media: MediaCache, tmp_path: Path) -> None:
    media.copy(GeneratedClip(320, 240, seconds=0.5), tmp_path / "first", "a.mp4")
    media.copy(GeneratedClip(256, 192, seconds=0.5), tmp_path / "second", "a.mp4")
    out = tmp_path / "out"
    (clip,) = ingest(tmp_path / "first", out)
    (view,) = crop([clip], [CropJob(size=64)], out / "views")
    assert verify(out).ok

    ingest(tmp_path / "second", out, options=IngestOptions(force=True))
    report = verify(out)

    assert not report.ok
    (entry,) = report.changed_sources
    assert entry.startswith(f"{clip.resolve()} (source of ")
    assert f"{view}.cosmos_view.v1.json" in entry
    assert report.changed_media == ()


def test_sha_map_keeps_lineage_choice(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    sha = "ab" * 32
    for folder in ("b", "a"):
        (tmp_path / folder).mkdir()
        document = {"clip_id": f"clip-{folder}", "output": {"relpath": "x.mp4", "sha256": sha}}
        sidecar = tmp_path / folder / "x.mp4.cosmos_clip.v1.json"
        sidecar.write_text(json.dumps(document), encoding="utf-8")

    table = sha_map(tmp_path)

    assert table[sha].id == build_index(tmp_path).nodes[sha].id == "clip-a"
    assert any(f"duplicate sha256 {sha[:12]}" in r.message for r in caplog.records)


def test_lookups_name_the_wrong_kind_of_path(pipeline: dict[str, Path], cli: CliRunner) -> None:
    view = pipeline["view"]
    wrong_kind = cli("provenance", "views-for-clip", view)
    assert wrong_kind.code == 3
    assert f"{view} is a view, not a clip" in wrong_kind.stderr
    folder = cli("provenance", "clip-of", pipeline["out"])
    assert folder.code == 3
    assert "is a folder; pass a media file" in folder.stderr
    sidecar = cli("provenance", "clip-of", f"{pipeline['clip']}.cosmos_clip.v1.json")
    assert sidecar.code == 3
    assert "is a sidecar; pass the media file beside it" in sidecar.stderr
    file_root = cli("lineage", "build", pipeline["clip"])
    assert file_root.code == 3
    assert f"{pipeline['clip']} is a file, not a folder" in file_root.stderr


@pytest.mark.parametrize("name", ["index.mp4", "zz.mp4.cosmos_clip.v1.json"])
def test_index_write_refuses_artifact_names(
    pipeline: dict[str, Path], tmp_path: Path, cli: CliRunner, name: str
) -> None:
    result = cli("lineage", "build", pipeline["out"], "-o", tmp_path / name)
    assert result.code == 3
    assert "the name is that of a video or a Cosmos sidecar" in result.stderr
    assert not (tmp_path / name).exists()
