"""Path arithmetic for documents, without touching the filesystem."""

from __future__ import annotations

from pathlib import PurePath


def relative_path(target: PurePath, start_folder: PurePath) -> str:
    """Return ``target`` relative to ``start_folder``, walking up with ``..`` where needed.

    Both paths must be absolute (the shell resolves them), so a moved tree still resolves when
    ``target`` and the document move together.
    """
    target_parts = target.parts
    start_parts = start_folder.parts
    common = 0
    for left, right in zip(target_parts, start_parts, strict=False):
        if left != right:
            break
        common += 1
    ups = [".."] * (len(start_parts) - common)
    rest = list(target_parts[common:])
    return str(PurePath(*ups, *rest)) if ups or rest else "."
