"""The sidecar scanner: threaded and serial reads agree, in walk order, errors included."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from cosmos.shell import provenance
from cosmos.shell.provenance import iter_heads, page_cached, read_file, read_files, scan


def _write_sidecar(path: Path, kind: str, number: int, source: str | None) -> None:
    document = {
        f"{kind}_id": f"{kind}-{number}",
        "output": {"path": path.name[: path.name.index(".mp4") + 4], "sha256": f"{number:064x}"},
        "source": {"sha256": source},
    }
    path.write_text(json.dumps(document), encoding="utf-8")


def _mixed_tree(root: Path) -> None:
    """Write more sidecars than one read batch, with malformed and unreadable ones among them."""
    for number in range(3 * provenance.READ_BATCH):
        folder = root / f"f{number % 5}"
        folder.mkdir(parents=True, exist_ok=True)
        _write_sidecar(folder / f"c{number}.mp4.cosmos_clip.v1.json", "clip", number, None)
    (root / "f1" / "bad.mp4.cosmos_view.v1.json").write_text("{not json", encoding="utf-8")
    (root / "f2" / "empty.mp4.cosmos_optimized.v1.json").write_bytes(b"")
    (root / "f3" / "broken.mp4.cosmos_clip.v1.json").symlink_to(root / "missing-target")
    _write_sidecar(root / "f4" / "v.mp4.cosmos_view.v1.json", "view", 10_000, f"{1:064x}")


def test_read_files_threads_match_serial(tmp_path: Path) -> None:
    paths: list[str] = []
    for number in range(2 * provenance.READ_BATCH + 7):
        file = tmp_path / f"file{number}"
        file.write_bytes(bytes([number % 251]) * number)
        paths.append(str(file))
    large = tmp_path / "large"
    large.write_bytes(os.urandom(3 * 65536 + 11))
    paths.insert(40, str(large))
    paths.insert(90, str(tmp_path / "missing"))

    files = [os.path.split(path) for path in paths]
    serial = list(read_files(files, threads=1))
    threaded = list(read_files(files, threads=4))

    assert len(threaded) == len(paths)
    for path, from_serial, from_threads in zip(paths, serial, threaded, strict=True):
        if isinstance(from_serial, OSError):
            assert type(from_threads) is type(from_serial)
            assert from_threads.filename == path
        else:
            assert from_threads == from_serial == Path(path).read_bytes()
    assert isinstance(threaded[90], FileNotFoundError)


def test_read_files_folder_missing(tmp_path: Path) -> None:
    present = tmp_path / "present.json"
    present.write_bytes(b"{}")
    files = [(str(tmp_path / "gone"), "a.json"), (str(tmp_path), "present.json")]

    missing, found = read_files(files, threads=1)

    assert isinstance(missing, FileNotFoundError)
    assert missing.filename == str(tmp_path / "gone" / "a.json")
    assert found == b"{}"


def test_read_file_in_open_folder(tmp_path: Path) -> None:
    (tmp_path / "inside.json").write_bytes(b"[1]")
    folder_fd = os.open(tmp_path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        assert read_file("inside.json", folder_fd) == b"[1]"
        assert isinstance(read_file("absent.json", folder_fd), FileNotFoundError)
    finally:
        os.close(folder_fd)


def test_read_file_reports_oserror(tmp_path: Path) -> None:
    assert isinstance(read_file(str(tmp_path / "missing")), FileNotFoundError)
    assert isinstance(read_file(str(tmp_path)), IsADirectoryError)


def test_scan_threads_match_serial(tmp_path: Path) -> None:
    _mixed_tree(tmp_path)

    serial = scan([tmp_path], threads=1)
    threaded = scan([tmp_path], threads=8)
    chosen = scan([tmp_path])

    assert len(serial.records) == 3 * provenance.READ_BATCH + 1
    assert threaded.records == serial.records
    assert chosen.records == serial.records
    assert threaded.malformed == serial.malformed
    assert chosen.malformed == serial.malformed
    assert sorted(Path(path).name for path in serial.malformed) == [
        "bad.mp4.cosmos_view.v1.json",
        "broken.mp4.cosmos_clip.v1.json",
        "empty.mp4.cosmos_optimized.v1.json",
    ]


def test_iter_heads_match_scan(tmp_path: Path) -> None:
    _mixed_tree(tmp_path)
    found = scan([tmp_path], threads=1)
    malformed: list[str] = []

    heads = list(iter_heads([tmp_path], malformed, threads=8))

    assert heads == [record.head for record in found.records]
    assert [entry.split(" (")[0] for entry in malformed] == found.malformed
    reasons = sorted(entry.split(" (", 1)[1] for entry in malformed)
    assert len(reasons) == 3
    assert reasons[0].startswith("not a valid optimized sidecar: ")
    assert reasons[1].startswith("not a valid view sidecar: ")
    assert reasons[2] == "unreadable: No such file or directory)"


def test_iter_heads_names_missing_fields(tmp_path: Path) -> None:
    document = {"view_id": "", "output": {"path": "v.mp4"}}
    (tmp_path / "v.mp4.cosmos_view.v1.json").write_text(json.dumps(document), encoding="utf-8")
    malformed: list[str] = []
    assert list(iter_heads([tmp_path], malformed)) == []
    assert malformed == [f"{tmp_path}/v.mp4.cosmos_view.v1.json (missing view_id, output.sha256)"]


def test_scan_keeps_walk_order(tmp_path: Path) -> None:
    _mixed_tree(tmp_path)
    walked = [
        str(Path(folder, name))
        for folder, name in provenance.iter_files([tmp_path])
        if provenance.sidecar_kind(name)
    ]

    found = scan([tmp_path], threads=8)

    read = [record.sidecar for record in found.records]
    assert read == [path for path in walked if path not in found.malformed]


def _on_tmpfs(path: Path) -> bool:
    """Tell whether ``path`` is on tmpfs, whose pages cannot be evicted from the page cache."""
    mounts = Path("/proc/self/mounts").read_text(encoding="utf-8").splitlines()
    best = ("", "")
    for line in mounts:
        _, mount_point, fs_type, *_ = line.split()
        if str(path.resolve()).startswith(mount_point) and len(mount_point) > len(best[0]):
            best = (mount_point, fs_type)
    return best[1] == "tmpfs"


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or not hasattr(os, "RWF_NOWAIT"),
    reason="page cache probes need Linux preadv2 with RWF_NOWAIT",
)
def test_page_cached_after_eviction(tmp_path: Path) -> None:
    if _on_tmpfs(tmp_path):
        pytest.skip("tmpfs keeps every page in memory, so nothing can be evicted")
    paths: list[str] = []
    for number in range(40):
        file = tmp_path / f"s{number}.json"
        file.write_bytes(b"{}" * 100)
        paths.append(str(file))
    files = [os.path.split(path) for path in paths]
    assert page_cached(files) is True

    for path in paths:
        descriptor = os.open(path, os.O_RDONLY)
        try:
            os.fsync(descriptor)
            os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(descriptor)

    assert page_cached(files) is False
    assert [read_file(path) for path in paths] == [b"{}" * 100] * 40
    assert page_cached(files) is True


def test_page_cached_empty_list() -> None:
    assert page_cached([]) in (True, None)


@pytest.mark.parametrize(
    ("relpath", "expected"),
    [("a.mp4", "./sub/a.mp4"), ("../a.mp4", "a.mp4")],
)
def test_head_paths_share_walked_prefix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, relpath: str, expected: str
) -> None:
    folder = tmp_path / "sub"
    folder.mkdir()
    document = {"clip_id": "clip-a", "output": {"relpath": relpath, "sha256": "a" * 64}}
    (folder / "a.mp4.cosmos_clip.v1.json").write_text(json.dumps(document), encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    (head,) = iter_heads([Path()], [])

    assert head.sidecar == "./sub/a.mp4.cosmos_clip.v1.json"
    assert head.output_path == expected
