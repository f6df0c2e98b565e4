"""Read artifact sidecars from folder trees: heads for the lineage graph, lookups, verify."""

from __future__ import annotations

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


def iter_files(roots: Iterable[Path]) -> Iterator[Path]:
    """Yield every file under ``roots``, recursively, skipping hidden folders."""
    for root in roots:
        for folder, subfolders, files in os.walk(root):
            subfolders[:] = [name for name in subfolders if not name.startswith(".")]
            for name in files:
                yield Path(folder, name)


def resolve_output(sidecar: Path, ref: _Ref) -> Path | None:
    """Locate the file a sidecar describes: beside the sidecar first (moved trees), else as
    recorded."""
    if ref.relpath:
        candidate = (sidecar.parent / ref.relpath).resolve()
        if candidate.exists() or not ref.path:
            return candidate
    return Path(ref.path) if ref.path else None


@dataclass(slots=True)
class SidecarRecord:
    """One readable sidecar: its head for the graph and what verify needs."""

    head: SidecarHead
    sidecar: Path
    output: Path | None
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


def read_record(path: Path, kind: str) -> SidecarRecord | None:
    try:
        head = _HEAD_DECODER.decode(path.read_bytes())
    except (OSError, msgspec.DecodeError):
        return None
    artifact_id = {"clip": head.clip_id, "view": head.view_id, "optimized": head.optimized_id}[kind]
    if not artifact_id or head.output is None or not head.output.sha256:
        return None
    output = resolve_output(path, head.output)
    run_id = head.ingest_run_id or head.crop_run_id or head.optimize_run_id
    return SidecarRecord(
        head=SidecarHead(
            kind=kind,
            artifact_id=artifact_id,
            output_sha256=head.output.sha256.lower(),
            output_path=str(output) if output else (head.output.path or ""),
            source_sha256=head.source.sha256.lower()
            if head.source and head.source.sha256
            else None,
            sidecar=str(path),
        ),
        sidecar=path,
        output=output,
        run_id=run_id,
    )


def scan(roots: Iterable[Path], *, with_media: bool = False) -> Scan:
    """Read every artifact sidecar (and, for verify, list media and run ids) under ``roots``."""
    result = Scan()
    for path in iter_files(roots):
        name = path.name
        kind = sidecar_kind(name)
        if kind is not None:
            record = read_record(path, kind)
            if record is None:
                result.malformed.append(str(path))
            else:
                result.records.append(record)
        elif with_media and name.endswith(".mp4") and not name.startswith("."):
            result.media.append(path.resolve())
        elif with_media and _is_run_document(name):
            try:
                ids = _RUN_DECODER.decode(path.read_bytes())
            except (OSError, msgspec.DecodeError):
                continue
            result.run_ids.update(
                i for i in (ids.ingest_run_id, ids.crop_run_id, ids.optimize_run_id) if i
            )
    return result


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """What ``verify`` found. ``ok`` is true when every list is empty."""

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


def verify_tree(root: Path) -> VerifyReport:
    """Recompute the sha256 of every artifact under ``root`` and compare with its sidecar."""
    found = scan([root], with_media=True)
    missing: list[str] = []
    changed: list[str] = []
    unresolved: list[str] = []
    described: set[Path] = set()
    for record in found.records:
        output = record.output
        if output is not None:
            described.add(output.resolve())
        if output is None or not output.is_file():
            missing.append(f"{record.head.output_path} (sidecar {record.sidecar})")
        elif sha256_file(output) != record.head.output_sha256:
            changed.append(f"{output} (sidecar {record.sidecar})")
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
