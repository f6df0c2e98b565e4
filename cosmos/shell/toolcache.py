"""A small on-disk cache of facts about an FFmpeg binary: its version, its encoders, and which
encoders and hardware decoders pass their runtime probe.

Each probe starts an FFmpeg process (about 0.1 s), and every Cosmos command needs a few of them,
so results are kept in ``$COSMOS_CACHE_DIR`` (default ``$XDG_CACHE_HOME/cosmos`` or
``~/.cache/cosmos``) for a day, keyed by the binary's path, size and modification time. A
replaced FFmpeg build therefore misses the cache; a driver installed under an unchanged build is
seen within a day. An unwritable cache folder only costs the probes.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import msgspec

T = TypeVar("T", str, bool, list[str])
MAX_AGE_SECONDS = 24 * 3600
CACHE_FILE = "tool-facts.v1.json"


class _Entry(msgspec.Struct):
    value: str | bool | list[str]
    stored_at: float


def cache_folder() -> Path:
    configured = os.environ.get("COSMOS_CACHE_DIR")
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cosmos"


def _binary_key(binary: Path) -> str | None:
    try:
        stat = binary.stat()
    except OSError:
        return None
    return f"{binary.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"


def _load(path: Path) -> dict[str, _Entry]:
    try:
        return msgspec.json.decode(path.read_bytes(), type=dict[str, _Entry])
    except (OSError, msgspec.DecodeError, msgspec.ValidationError):
        return {}


def remembered(binary: Path, fact: str, compute: Callable[[], T], kind: type[T]) -> T:
    """Return ``fact`` about ``binary`` from the cache, or compute and store it."""
    binary_key = _binary_key(binary)
    if binary_key is None or os.environ.get("COSMOS_NO_TOOL_CACHE"):
        return compute()
    key = f"{binary_key}|{fact}"
    path = cache_folder() / CACHE_FILE
    entries = _load(path)
    entry = entries.get(key)
    fresh = entry is not None and time.time() - entry.stored_at < MAX_AGE_SECONDS
    if entry is not None and fresh and isinstance(entry.value, kind):
        return entry.value
    value = compute()
    entries[key] = _Entry(value=value, stored_at=time.time())
    # Imported here: a probe served from the media cache needs cache_folder() only, and these
    # imports (hashlib through secrets, logging) would double its import time.
    import logging

    from cosmos.shell.fs import atomic_write_bytes

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, msgspec.json.encode(entries))
    except OSError as error:
        logger = logging.getLogger("cosmos.shell.toolcache")
        logger.debug("tool cache %s not written: %s", path, error)
    return value
