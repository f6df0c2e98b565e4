"""An on-disk cache of ffprobe's output for files that have not changed.

Every ffprobe process costs about 0.06 s to start before it reads a byte (measured with Debian's
FFmpeg 5.1), and listing the packets of a long clip costs more. A new process that probes or
indexes a file seen before therefore reuses the stored output. Entries live in
``$COSMOS_CACHE_DIR/media`` (see :func:`cosmos.shell.toolcache.cache_folder`), one file per
probe.

A file is "the same" when its resolved path, device, inode, size, modification and change times
and the CRC-32 of its first and last 64 KiB all match, and the ffprobe binary (path, size,
modification time) is the same too. The edge checksums catch an in-place edit that keeps the size
and lands within the clock tick of the previous write, such as patching a header. Each entry
starts with the full key text, checked on every read, so two keys that share a file name never
mix. The module imports little (no hashlib, subprocess or logging) because a probe served from
the cache is dominated by import time. Output is
stored only when the file's identity is the same before and after ffprobe ran, so a recording
that is still being written is never cached. ``COSMOS_NO_MEDIA_CACHE=1`` turns the cache off;
an unwritable cache folder only costs the probes.
"""

from __future__ import annotations

import contextlib
import os
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from returns.result import Failure, Result, Success

from cosmos.shell.toolcache import cache_folder

T = TypeVar("T")
E = TypeVar("E")
F = TypeVar("F")

EDGE_BYTES = 64 * 1024
MAX_ENTRIES = 512
_FOLDER = "media"
_VERSION = "v1"


def media_cache_enabled() -> bool:
    return not os.environ.get("COSMOS_NO_MEDIA_CACHE")


def file_identity(path: Path) -> str | None:
    """Describe ``path`` so that any change to it changes the text; ``None`` when unreadable."""
    try:
        with path.open("rb") as handle:
            stat = os.fstat(handle.fileno())
            head = zlib.crc32(handle.read(EDGE_BYTES))
            tail = 0
            if stat.st_size > EDGE_BYTES:
                handle.seek(max(EDGE_BYTES, stat.st_size - EDGE_BYTES))
                tail = zlib.crc32(handle.read(EDGE_BYTES))
    except OSError:
        return None
    return (
        f"{path.resolve()}|{stat.st_dev}|{stat.st_ino}|{stat.st_size}|{stat.st_mtime_ns}|"
        f"{stat.st_ctime_ns}|{head:08x}|{tail:08x}"
    )


def _tool_identity(tool: Path) -> str | None:
    try:
        stat = tool.stat()
    except OSError:
        return None
    return f"{tool.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"


def entry_key(kind: str, tool: Path, identity: str) -> str | None:
    """Return the key for ``kind`` output of ``tool`` on a file with ``identity``."""
    tool_identity = _tool_identity(tool)
    if tool_identity is None:
        return None
    return f"{_VERSION}|{kind}|{tool_identity}|{identity}"


def _key_bytes(key: str) -> bytes:
    # A file name that is not valid UTF-8 reaches Python as surrogate escapes; keep its bytes.
    return key.encode("utf-8", "surrogateescape")


def _entry_path(key: str) -> Path:
    data = _key_bytes(key)
    return cache_folder() / _FOLDER / f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}.json"


def load(key: str) -> bytes | None:
    """Return the stored output for ``key``, or ``None``."""
    if not media_cache_enabled():
        return None
    try:
        stored = _entry_path(key).read_bytes()
    except OSError:
        return None
    header, _, output = stored.partition(b"\n")
    return output if header == _key_bytes(key) else None


def store(key: str, output: bytes) -> None:
    """Keep ``output`` under ``key`` and drop the oldest entries beyond :data:`MAX_ENTRIES`."""
    if not media_cache_enabled() or "\n" in key:
        return
    from cosmos.shell.fs import atomic_write_bytes

    path = _entry_path(key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, _key_bytes(key) + b"\n" + output)
        _prune(path.parent, keep=path)
    except OSError:
        pass  # an unwritable cache only costs the next probe


def forget(key: str) -> None:
    """Remove the entry for ``key``, for output that turned out unreadable."""
    with contextlib.suppress(OSError):
        _entry_path(key).unlink()


def _prune(folder: Path, keep: Path) -> None:
    entries = [entry for entry in folder.iterdir() if entry.suffix == ".json" and entry != keep]
    if len(entries) < MAX_ENTRIES:
        return
    by_age = sorted(entries, key=_modified_ns)
    for entry in by_age[: len(entries) + 1 - MAX_ENTRIES * 3 // 4]:
        with contextlib.suppress(OSError):
            entry.unlink()


def _modified_ns(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


def reuse_or_probe(
    path: Path,
    tool: Path,
    kind: str,
    probe: Callable[[], Result[bytes, E]],
    parse: Callable[[bytes], Result[T, F]],
) -> Result[T, E | F]:
    """Parse stored ``kind`` output of ``tool`` for ``path``, or run ``probe`` and store its output.

    Stored output that no longer parses is removed and probed again. Output is stored only when
    it parses and ``path`` did not change while ``probe`` ran.
    """
    identity = file_identity(path) if media_cache_enabled() else None
    key = entry_key(kind, tool, identity) if identity is not None else None
    if key is not None:
        stored = load(key)
        if stored is not None:
            reused = parse(stored)
            if isinstance(reused, Success):
                return reused
            forget(key)
    output = probe()
    if isinstance(output, Failure):
        return output
    parsed = parse(output.unwrap())
    if key is not None and isinstance(parsed, Success) and file_identity(path) == identity:
        store(key, output.unwrap())
    return parsed
