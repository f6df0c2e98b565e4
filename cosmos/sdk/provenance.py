"""Provenance helpers: sha256 join keys, sidecar lookups, the sha256 map, verification.

Every produced file has a sidecar beside it (``<file>.cosmos_clip.v1.json``,
``.cosmos_view.v1.json``, ``.cosmos_optimized.v1.json``). ``view.source.sha256`` equals the
``output.sha256`` of the clip it was cut from, and ``optimized.source.sha256`` the
``output.sha256`` of its clip or view.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import msgspec

from cosmos.core.model.documents import ClipDocument, OptimizedDocument, ViewDocument
from cosmos.core.provenance.lineage import one_head_per_sha256
from cosmos.sdk.errors import InvalidInputError
from cosmos.shell.hashing import sha256_file as _sha256_file
from cosmos.shell.provenance import VerifyFinding, VerifyReport, scan, verify_tree

logger = logging.getLogger("cosmos.provenance")

T = TypeVar("T")


def _existing_file(path: str | Path) -> Path:
    source = Path(path).expanduser()
    if not source.is_file():
        raise InvalidInputError(f"{source} does not exist or is not a file; pass a file path")
    return source


def _existing_folder(path: str | Path) -> Path:
    folder = Path(path).expanduser()
    if not folder.is_dir():
        state = "is a file, not a folder" if folder.is_file() else "does not exist"
        raise InvalidInputError(f"{folder} {state}; pass a folder")
    return folder


def sha256_file(path: str | Path) -> str:
    """Return the lowercase hex sha256 of a file, read in a streaming fashion.

    Raises ``ValueError`` (``InvalidInputError``) when the path is missing or not a file.
    """
    return _sha256_file(_existing_file(path))


def _sidecar_of(path: str | Path, suffix: str) -> Path | None:
    media = Path(path).expanduser()
    sidecar = media.with_name(media.name + suffix)
    return sidecar if sidecar.is_file() else None


def _decode(sidecar: Path, document_type: type[T]) -> T:
    try:
        return msgspec.json.decode(sidecar.read_bytes(), type=document_type)
    except (OSError, msgspec.DecodeError) as error:
        raise InvalidInputError(
            f"sidecar {sidecar} cannot be read ({error}); it may be damaged"
        ) from None


def clip_of(path: str | Path) -> ClipDocument | None:
    """Return the clip sidecar of an ingested clip, or ``None`` when it has none."""
    sidecar = _sidecar_of(path, ".cosmos_clip.v1.json")
    return _decode(sidecar, ClipDocument) if sidecar else None


def view_of(path: str | Path) -> ViewDocument | None:
    """Return the view sidecar of a cropped view, or ``None`` when it has none."""
    sidecar = _sidecar_of(path, ".cosmos_view.v1.json")
    return _decode(sidecar, ViewDocument) if sidecar else None


def optimized_of(path: str | Path) -> OptimizedDocument | None:
    """Return the optimize sidecar of an optimized file, or ``None`` when it has none."""
    sidecar = _sidecar_of(path, ".cosmos_optimized.v1.json")
    return _decode(sidecar, OptimizedDocument) if sidecar else None


def views_for_clip(clip: str | Path, search_dirs: Sequence[str | Path] | None = None) -> list[Path]:
    """Return the view sidecars cut from ``clip`` (matched by sha256), searched recursively in
    ``search_dirs`` (default: the clip's folder)."""
    source = _existing_file(clip)
    document = clip_of(source)
    sha = document.output.sha256 if document else _sha256_file(source)
    roots = [_existing_folder(d) for d in (search_dirs or [source.parent])]
    return sorted(
        Path(record.sidecar)
        for record in scan(roots).records
        if record.head.kind == "view" and record.head.source_sha256 == sha
    )


@dataclass(frozen=True, slots=True)
class Artifact:
    """One entry of the sha256 map."""

    kind: str
    id: str
    sha256: str
    path: str
    sidecar: str
    source_sha256: str | None


def sha_map(root: str | Path, *, kind: str = "all") -> dict[str, Artifact]:
    """Map ``output.sha256`` to its artifact for every sidecar under ``root`` (recursive).

    ``kind`` is ``clip``, ``view``, ``optimized`` or ``all``. Of several sidecars for one
    sha256, the map keeps the one :func:`cosmos.sdk.lineage.build_index` keeps and logs a
    warning for each other one.
    """
    kinds = {"clip", "view", "optimized"}
    if kind != "all" and kind not in kinds:
        raise InvalidInputError(
            f"invalid kind {kind!r}; supported values are clip, view, optimized, all"
        )
    heads = [
        record.head
        for record in scan([_existing_folder(root)]).records
        if kind in {"all", record.head.kind}
    ]
    # Several sidecars for one sha256 keep the one the lineage index keeps, with a warning.
    chosen, duplicates = one_head_per_sha256(heads)
    for warning in duplicates:
        logger.warning("%s", warning)
    return {
        head.output_sha256: Artifact(
            head.kind,
            head.artifact_id,
            head.output_sha256,
            head.output_path,
            head.sidecar,
            head.source_sha256,
        )
        for head in chosen
    }


def verify(root: str | Path) -> VerifyReport:
    """Recompute every artifact's sha256 under ``root`` and report what does not match.

    The report lists missing media (a sidecar without its file), changed media (sha256
    differs), orphaned media (an ``.mp4`` or ``.MP4`` without a sidecar), malformed sidecars
    with the reason, run ids no run document under ``root`` defines, changed sources (views and
    optimized files whose source, an artifact under ``root``, no longer has the sha256 their
    sidecar records) and mismatched sidecars (a sidecar whose ``relpath`` records another file
    than the one it is named for, such as a sidecar copied along with its media). ``ok`` is
    true when all of these are empty. Each list contains one line per problem, and
    ``findings`` contains the same problems as :class:`VerifyFinding` values with full sha256
    digests, for scripts.

    Hidden folders (names starting with ".") are not entered, and ``skipped_folders`` lists
    them. Every path is absolute and normalized, but symlinks are not resolved, so a file
    under ``root`` is named by its path under ``root``, never by a link's target.
    Raises ``ValueError`` (``InvalidInputError``) when ``root`` is not a folder.
    """
    return verify_tree(_existing_folder(root))


__all__ = [
    "Artifact",
    "VerifyFinding",
    "VerifyReport",
    "clip_of",
    "optimized_of",
    "sha256_file",
    "sha_map",
    "verify",
    "view_of",
    "views_for_clip",
]
