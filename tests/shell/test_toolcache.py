"""The tool-facts cache: a second request is read from disk, a changed binary misses."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cosmos.shell.toolcache import CACHE_FILE, remembered


@pytest.fixture
def binary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COSMOS_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "ffmpeg"
    path.write_text("#!/bin/sh\n", encoding="utf-8")
    return path


def test_second_ask_from_disk(binary: Path, tmp_path: Path) -> None:
    calls: list[int] = []

    def compute() -> str:
        calls.append(1)
        return "5.1.9"

    assert remembered(binary, "version", compute, str) == "5.1.9"
    assert remembered(binary, "version", compute, str) == "5.1.9"
    assert calls == [1]
    assert (tmp_path / "cache" / CACHE_FILE).is_file()


def test_changed_binary_misses(binary: Path) -> None:
    assert remembered(binary, "works", lambda: False, bool) is False
    binary.write_text("#!/bin/sh\n# another build\n", encoding="utf-8")
    os.utime(binary, ns=(1, 1))
    assert remembered(binary, "works", lambda: True, bool) is True


def test_unwritable_cache_still_answers(
    binary: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("COSMOS_CACHE_DIR", str(blocker / "cache"))
    assert remembered(binary, "encoders", lambda: ["libx264"], list) == ["libx264"]
