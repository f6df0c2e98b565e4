"""The on-disk cache of ffprobe output: reuse across processes, misses after edits, opt-out."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from returns.result import Failure, Result, Success

from cosmos.core.model.media import MediaFacts
from cosmos.shell import mediacache
from cosmos.shell.probe import _probe_cached, probe_and_hash, probe_media
from cosmos.shell.video_index import _cached_index, video_index
from tests.media import GeneratedClip, MediaCache

CLIP = GeneratedClip(width=160, height=120, seconds=1.0, fps=25)


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Give each test an empty cache folder and forget the in-process caches, as a new process
    would."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("COSMOS_CACHE_DIR", str(folder))
    _probe_cached.cache_clear()
    _cached_index.cache_clear()
    yield folder
    _probe_cached.cache_clear()
    _cached_index.cache_clear()


def _entries(folder: Path) -> list[Path]:
    media_folder = folder / "media"
    return sorted(media_folder.glob("*.json")) if media_folder.is_dir() else []


def _entries_by_age(folder: Path) -> list[Path]:
    return sorted(_entries(folder), key=lambda entry: entry.stat().st_mtime_ns)


def _new_process() -> None:
    _probe_cached.cache_clear()
    _cached_index.cache_clear()


def _probe_width(path: Path) -> int:
    result = probe_media(path)
    assert isinstance(result, Success), result
    facts: MediaFacts = result.unwrap()
    return facts.probe.width


def _plant_width(entry: Path, width: int) -> None:
    """Rewrite a stored probe so that a reused entry is visible in the result."""
    header, _, output = entry.read_bytes().partition(b"\n")
    planted = output.replace(b'"width": 160', f'"width": {width}'.encode())
    assert planted != output
    entry.write_bytes(header + b"\n" + planted)


def test_probe_reused_by_new_process(media: MediaCache, tmp_path: Path, _own_cache: Path) -> None:
    clip = media.copy(CLIP, tmp_path / "in", "clip.mp4")
    assert _probe_width(clip) == 160
    [entry] = _entries(_own_cache)
    _plant_width(entry, 1234)
    _new_process()
    assert _probe_width(clip) == 1234


def test_probe_repeated_after_edit(media: MediaCache, tmp_path: Path, _own_cache: Path) -> None:
    clip = media.copy(CLIP, tmp_path / "in", "clip.mp4")
    assert _probe_width(clip) == 160
    [entry] = _entries(_own_cache)
    _plant_width(entry, 1234)
    before = clip.stat()
    data = bytearray(clip.read_bytes())
    data[-1] ^= 0xFF  # same size; the modification time is put back below
    clip.write_bytes(bytes(data))
    os.utime(clip, ns=(before.st_atime_ns, before.st_mtime_ns))
    _new_process()
    assert _probe_width(clip) == 160


def test_identity_changes_at_file_edges(tmp_path: Path) -> None:
    path = tmp_path / "data.bin"
    path.write_bytes(bytes(300_000))
    first = mediacache.file_identity(path)
    for offset in (0, 299_999):
        data = bytearray(path.read_bytes())
        data[offset] ^= 1
        path.write_bytes(bytes(data))
        changed = mediacache.file_identity(path)
        assert changed is not None and changed != first
        assert changed.split("|")[-2:] != (first or "").split("|")[-2:]
        first = changed
    assert mediacache.file_identity(tmp_path / "missing.bin") is None


def test_packet_listing_reused_by_new_process(
    media: MediaCache, tmp_path: Path, _own_cache: Path
) -> None:
    clip = media.copy(CLIP, tmp_path / "in", "clip.mp4")
    first = video_index(clip)
    assert isinstance(first, Success), first
    assert len(_entries(_own_cache)) == 1
    _new_process()
    again = video_index(clip)
    assert isinstance(again, Success), again
    assert again.unwrap()[1] == first.unwrap()[1]
    assert len(again.unwrap()[1].pts) == 25


def test_unreadable_entry_replaced(media: MediaCache, tmp_path: Path, _own_cache: Path) -> None:
    clip = media.copy(CLIP, tmp_path / "in", "clip.mp4")
    assert _probe_width(clip) == 160
    [entry] = _entries(_own_cache)
    header, _, _ = entry.read_bytes().partition(b"\n")
    entry.write_bytes(header + b"\n{not json")
    _new_process()
    assert _probe_width(clip) == 160
    [replaced] = _entries(_own_cache)
    assert replaced.read_bytes().partition(b"\n")[2].startswith(b"{")
    assert b"not json" not in replaced.read_bytes()


def test_cache_disabled_by_variable(
    media: MediaCache, tmp_path: Path, _own_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COSMOS_NO_MEDIA_CACHE", "1")
    clip = media.copy(CLIP, tmp_path / "in", "clip.mp4")
    assert _probe_width(clip) == 160
    assert _entries(_own_cache) == []


def test_failures_not_stored(tmp_path: Path, _own_cache: Path) -> None:
    text = tmp_path / "notes.mp4"
    text.write_text("not a video\n")
    assert isinstance(probe_media(text), Failure)
    assert _entries(_own_cache) == []


def test_changing_file_not_stored(tmp_path: Path, _own_cache: Path) -> None:
    growing = tmp_path / "recording.ts"
    growing.write_bytes(b"a" * 1000)
    tool = Path(os.__file__)  # any existing file serves as the ffprobe binary

    def probe() -> Result[bytes, str]:
        with growing.open("ab") as handle:
            handle.write(b"b" * 1000)
        return Success(b"output")

    def parse(output: bytes) -> Result[str, str]:
        return Success(output.decode())

    result = mediacache.reuse_or_probe(growing, tool, "streams", probe, parse)
    assert result == Success("output")
    assert _entries(_own_cache) == []
    steady = mediacache.reuse_or_probe(growing, tool, "streams", lambda: Success(b"x"), parse)
    assert steady == Success("x")
    assert len(_entries(_own_cache)) == 1


def test_old_entries_pruned(
    tmp_path: Path, _own_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mediacache, "MAX_ENTRIES", 4)
    for number in range(6):
        mediacache.store(f"key {number}", b"{}")
        assert mediacache.load(f"key {number}") == b"{}"
        for age, entry in enumerate(reversed(_entries_by_age(_own_cache))):
            os.utime(entry, ns=(0, 10**18 - age * 10**9))  # an explicit order, newest first
    remaining = _entries(_own_cache)
    assert 1 <= len(remaining) <= 4
    assert mediacache.load("key 5") == b"{}"
    assert mediacache.load("key 0") is None


def test_uncached_probe_stores_nothing(media: MediaCache, tmp_path: Path, _own_cache: Path) -> None:
    clip = media.copy(CLIP, tmp_path / "in", ".clip.mp4.partial")
    result = probe_media(clip, cached=False)
    assert isinstance(result, Success), result
    assert _entries(_own_cache) == []
    probed, digest = probe_and_hash(clip)
    assert isinstance(probed, Success), probed
    assert len(digest) == 64
    assert _entries(_own_cache) == []


def test_undecodable_file_name_cached(media: MediaCache, tmp_path: Path, _own_cache: Path) -> None:
    folder = tmp_path / "in"
    clip = media.copy(CLIP, folder, "clip.mp4")
    odd = Path(os.fsdecode(os.fsencode(folder) + b"/caf\xe9 take 1.mp4"))
    clip.rename(odd)
    assert _probe_width(odd) == 160
    assert len(_entries(_own_cache)) == 1
    _new_process()
    assert _probe_width(odd) == 160
    packets = video_index(odd)
    assert isinstance(packets, Success), packets
