"""Read artifact sidecars from folder trees: heads for the lineage graph, lookups, verify."""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import msgspec

from cosmos.core.provenance.lineage import SidecarHead
from cosmos.shell.hashing import sha256_file

SIDECAR_KINDS: dict[str, str] = {
    ".cosmos_clip.v1.json": "clip",
    ".cosmos_view.v1.json": "view",
    ".cosmos_optimized.v1.json": "optimized",
}
RUN_ID_FIELDS = ("ingest_run_id", "crop_run_id", "optimize_run_id")


class _Ref(msgspec.Struct):
    path: str | None = None
    relpath: str | None = None
    sha256: str | None = None


class _Head(msgspec.Struct):
    clip_id: str | None = None
    view_id: str | None = None
    optimized_id: str | None = None
    ingest_run_id: str | None = None
    crop_run_id: str | None = None
    optimize_run_id: str | None = None
    output: _Ref | None = None
    source: _Ref | None = None


class _RunIds(msgspec.Struct):
    ingest_run_id: str | None = None
    crop_run_id: str | None = None
    optimize_run_id: str | None = None


_HEAD_DECODER = msgspec.json.Decoder(_Head)
_RUN_DECODER = msgspec.json.Decoder(_RunIds)


def sidecar_kind(name: str) -> str | None:
    for suffix, kind in SIDECAR_KINDS.items():
        if name.endswith(suffix):
            return kind
    return None


def iter_files(roots: Iterable[Path]) -> Iterator[tuple[str, str]]:
    """Yield ``(folder, name)`` of every file under ``roots``, recursively, skipping hidden
    folders. Strings, not ``Path`` objects, keep a walk over 100,000 sidecars fast."""
    for root in roots:
        for folder, subfolders, files in os.walk(root):
            subfolders[:] = [name for name in subfolders if not name.startswith(".")]
            for name in files:
                yield folder, name


@dataclass(slots=True)
class SidecarRecord:
    """One readable sidecar: its head for the graph and what verify needs.

    ``output`` is the media path relative to the sidecar's folder when the sidecar records a
    ``relpath``, so a moved tree resolves; otherwise it is the path as recorded.
    ``recorded_output`` is always the path as recorded.
    """

    head: SidecarHead
    sidecar: str
    output: str | None
    recorded_output: str | None
    run_id: str | None


@dataclass(slots=True)
class Scan:
    records: list[SidecarRecord] = field(default_factory=list)
    malformed: list[str] = field(default_factory=list)
    media: list[Path] = field(default_factory=list)
    run_ids: set[str] = field(default_factory=set)


def _is_run_document(name: str) -> bool:
    """Tell run documents (``cosmos_ingest_run.v1.json`` and archived
    ``<run id>.cosmos_ingest_run.v1.json``) from other JSON files."""
    return "cosmos_" in name and "_run." in name and name.endswith(".json")


def read_record(folder: str, name: str, kind: str) -> SidecarRecord | None:
    """Decode the head of one sidecar; ``None`` when it is unreadable or incomplete."""
    path = os.path.join(folder, name)
    try:
        with open(path, "rb") as stream:
            head = _HEAD_DECODER.decode(stream.read())
    except (OSError, msgspec.DecodeError):
        return None
    artifact_id = {"clip": head.clip_id, "view": head.view_id, "optimized": head.optimized_id}[kind]
    ref = head.output
    if not artifact_id or ref is None or not ref.sha256:
        return None
    output = os.path.normpath(os.path.join(folder, ref.relpath)) if ref.relpath else ref.path
    source = head.source.sha256.lower() if head.source and head.source.sha256 else None
    return SidecarRecord(
        head=SidecarHead(
            kind=kind,
            artifact_id=artifact_id,
            output_sha256=ref.sha256.lower(),
            output_path=output or "",
            source_sha256=source,
            sidecar=path,
        ),
        sidecar=path,
        output=output,
        recorded_output=ref.path,
        run_id=head.ingest_run_id or head.crop_run_id or head.optimize_run_id,
    )


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while many acyclic objects are created.

    Its full passes walk every live object, so on 100,000 sidecars they made the scan grow
    faster than the number of files. The records contain no reference cycles.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def scan(roots: Iterable[Path], *, with_media: bool = False) -> Scan:
    """Read every artifact sidecar (and, for verify, list media and run ids) under ``roots``."""
    with collector_paused():
        return _scan(roots, with_media)


def _scan(roots: Iterable[Path], with_media: bool) -> Scan:
    result = Scan()
    for folder, name in iter_files(roots):
        kind = sidecar_kind(name)
        if kind is not None:
            record = read_record(folder, name, kind)
            if record is None:
                result.malformed.append(os.path.join(folder, name))
            else:
                result.records.append(record)
        elif with_media and name.endswith(".mp4") and not name.startswith("."):
            result.media.append(Path(folder, name).resolve())
        elif with_media and _is_run_document(name):
            try:
                ids = _RUN_DECODER.decode(Path(folder, name).read_bytes())
            except (OSError, msgspec.DecodeError):
                continue
            result.run_ids.update(
                i for i in (ids.ingest_run_id, ids.crop_run_id, ids.optimize_run_id) if i
            )
    return result


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """Findings of ``verify``; ``ok`` is true when every list is empty."""

    checked: int
    missing_media: tuple[str, ...]
    changed_media: tuple[str, ...]
    orphaned_media: tuple[str, ...]
    malformed_sidecars: tuple[str, ...]
    unresolved_run_ids: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not (
            self.missing_media
            or self.changed_media
            or self.orphaned_media
            or self.malformed_sidecars
            or self.unresolved_run_ids
        )


def _media_path(record: SidecarRecord) -> Path | None:
    """Find the media of a sidecar: beside the sidecar first (moved trees), else as recorded."""
    for candidate in (record.output, record.recorded_output):
        if candidate and Path(candidate).is_file():
            return Path(candidate).resolve()
    return None


def verify_tree(root: Path) -> VerifyReport:
    """Recompute the sha256 of every artifact under ``root`` and compare with its sidecar."""
    found = scan([root], with_media=True)
    missing: list[str] = []
    changed: list[str] = []
    unresolved: list[str] = []
    described: set[Path] = set()
    for record in found.records:
        media = _media_path(record)
        if media is None:
            missing.append(f"{record.head.output_path} (sidecar {record.sidecar})")
        else:
            described.add(media)
            if sha256_file(media) != record.head.output_sha256:
                changed.append(f"{media} (sidecar {record.sidecar})")
        if record.run_id and record.run_id not in found.run_ids:
            unresolved.append(f"{record.run_id} (sidecar {record.sidecar})")
    orphaned = [str(p) for p in found.media if p not in described]
    return VerifyReport(
        checked=len(found.records),
        missing_media=tuple(sorted(missing)),
        changed_media=tuple(sorted(changed)),
        orphaned_media=tuple(sorted(orphaned)),
        malformed_sidecars=tuple(sorted(found.malformed)),
        unresolved_run_ids=tuple(sorted(unresolved)),
    )


def artifact_id_beside(media: Path, kinds: tuple[str, ...]) -> str | None:
    """Return the artifact id of the first sidecar of ``kinds`` beside ``media``, if any.

    ``kinds`` are ``clip``, ``view`` or ``optimized``, tried in order; an unreadable sidecar
    counts as absent.
    """
    suffixes = {kind: suffix for suffix, kind in SIDECAR_KINDS.items()}
    for kind in kinds:
        record = read_record(str(media.parent), media.name + suffixes[kind], kind)
        if record is not None:
            return record.head.artifact_id
    return None
