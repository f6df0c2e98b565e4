"""Filesystem effects: atomic writes, folder checks and listings, hashing."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from returns.result import Failure, Success

from cosmos.shell import fs
from cosmos.shell.hashing import CHUNK_BYTES, sha256_file


def test_atomic_write_creates_file(tmp_path: Path) -> None:
    target = tmp_path / "doc.json"
    fs.atomic_write_bytes(target, b"{}\n")
    assert target.read_bytes() == b"{}\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["doc.json"]


def test_atomic_write_replaces_file(tmp_path: Path) -> None:
    target = tmp_path / "doc.txt"
    target.write_text("old")
    fs.atomic_write_text(target, "new é")
    assert target.read_text(encoding="utf-8") == "new é"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["doc.txt"]


def test_atomic_write_failure_cleans_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "doc.txt"
    target.write_text("old")

    def failing_fsync(descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="No space left"):
        fs.atomic_write_text(target, "new")
    assert target.read_text() == "old"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["doc.txt"]


def test_existing_folder(tmp_path: Path) -> None:
    assert fs.existing_folder(tmp_path, "input folder") == Success(tmp_path.resolve())


def test_existing_folder_missing(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    result = fs.existing_folder(missing, "input folder")
    assert isinstance(result, Failure)
    assert result.failure().value == str(missing)
    assert f"input folder {missing} does not exist" in result.failure().message


def test_existing_folder_is_file(tmp_path: Path) -> None:
    file = tmp_path / "clip.mp4"
    file.write_bytes(b"x")
    result = fs.existing_folder(file, "input folder")
    assert isinstance(result, Failure)
    assert "is not a folder" in result.failure().message


def test_writable_folder_created(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b"
    assert fs.writable_folder(target, "output folder") == Success(target)
    assert target.is_dir()
    assert list(target.iterdir()) == []


def test_writable_folder_under_file(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = fs.writable_folder(blocker / "out", "output folder")
    assert isinstance(result, Failure)
    assert str(blocker / "out") in result.failure().message
    assert "cannot create output folder" in result.failure().message


def test_writable_folder_is_file(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = fs.writable_folder(blocker, "output folder")
    assert isinstance(result, Failure)
    assert "not a folder" in result.failure().message


def test_list_folder(tmp_path: Path) -> None:
    (tmp_path / "b.mp4").write_bytes(b"12345")
    (tmp_path / "a.MOV").write_bytes(b"")
    (tmp_path / "sub").mkdir()
    (tmp_path / "link.mp4").symlink_to(tmp_path / "b.mp4")
    (tmp_path / "dangling.mp4").symlink_to(tmp_path / "missing.mp4")
    listing = fs.list_folder(tmp_path)
    entries = [(entry.name, entry.is_file, entry.size_bytes) for entry in listing.entries]
    assert entries == [
        ("a.MOV", True, 0),
        ("b.mp4", True, 5),
        ("dangling.mp4", False, 0),
        ("link.mp4", True, 5),
        ("sub", False, 0),
    ]


def test_random_token_unique() -> None:
    tokens = {fs.random_token() for _ in range(50)}
    assert len(tokens) == 50
    assert all(len(token) == 8 for token in tokens)


@pytest.mark.parametrize(
    "size", [0, 1, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 7], ids=lambda s: f"{s}-bytes"
)
def test_sha256_file(tmp_path: Path, size: int) -> None:
    data = bytes(index % 251 for index in range(size))
    path = tmp_path / "data.bin"
    path.write_bytes(data)
    assert sha256_file(path) == hashlib.sha256(data).hexdigest()
