"""Path arithmetic for documents, without touching the filesystem."""

from __future__ import annotations

from pathlib import PurePath

# The file name ending of each artifact sidecar kind, after the artifact's own file name.
SIDECAR_KINDS: dict[str, str] = {
    ".cosmos_clip.v1.json": "clip",
    ".cosmos_view.v1.json": "view",
    ".cosmos_optimized.v1.json": "optimized",
}


def sidecar_path(media: PurePath, kind: str) -> PurePath:
    """Name the ``kind`` sidecar of ``media``: its file name plus the kind's suffix."""
    suffix = next(suffix for suffix, sidecar_kind in SIDECAR_KINDS.items() if sidecar_kind == kind)
    return media.with_name(media.name + suffix)


def relative_path(target: PurePath, start_folder: PurePath) -> str:
    """Return ``target`` relative to ``start_folder``, walking up with ``..`` where needed.

    Both paths must be absolute (the shell resolves them), so a moved tree still resolves when
    ``target`` and the document move together. A relative one is a caller's bug, so it raises
    ``ValueError`` instead of recording a path that points elsewhere.
    """
    for path in (target, start_folder):
        if not path.is_absolute():
            raise ValueError(f"relative_path needs absolute paths, got {str(path)!r}")
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
