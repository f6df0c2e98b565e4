"""Rules for the names people choose for outputs (view ids), which become file names."""

from __future__ import annotations

# Of the names Cosmos derives from a stem, the temporary name of an optimized sidecar adds the
# most: ``.<stem>.mp4.cosmos_optimized.v1.json.<8 hex>.partial`` is 47 bytes more than the
# stem. Common Linux file systems (ext4, XFS, Btrfs, tmpfs) allow 255 bytes per name.
MAX_STEM_BYTES = 200


def stem_problem(stem: str) -> str | None:
    """Return why ``stem`` cannot name files inside one output folder, or ``None`` if it can.

    A stem must stay inside the folder (no ``/``, ``\\``, ``.`` or ``..``), must not be hidden
    (temporary files start with ``.``), and must leave room for the longest derived name.
    """
    if not stem.strip():
        return "it is empty"
    if "/" in stem or "\\" in stem:
        return "it contains a path separator; a name must stay inside the output folder"
    if "\0" in stem:
        return "it contains a NUL character"
    if stem.startswith("."):
        return "it starts with '.', which hides the file and is kept for temporary files"
    size = len(stem.encode("utf-8", "surrogateescape"))
    if size > MAX_STEM_BYTES:
        return (
            f"it is {size} bytes long; at most {MAX_STEM_BYTES} bytes leave room for the "
            "names made from it"
        )
    return None
