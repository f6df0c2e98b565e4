"""Provenance helpers: the sha256 join key of a file."""

from __future__ import annotations

from pathlib import Path

from cosmos.sdk.errors import InvalidInputError
from cosmos.shell.hashing import sha256_file as _sha256_file


def sha256_file(path: str | Path) -> str:
    """Return the lowercase hex sha256 of a file, read in a streaming fashion.

    Raises ``ValueError`` (``InvalidInputError``) when the path is missing or not a file.
    """
    source = Path(path).expanduser()
    if not source.is_file():
        raise InvalidInputError(f"{source} does not exist or is not a file; pass a file path")
    return _sha256_file(source)


__all__ = ["sha256_file"]
