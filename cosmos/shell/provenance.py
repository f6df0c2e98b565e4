"""Read artifact sidecars from folder trees: heads for the lineage graph, lookups, verify."""

from __future__ import annotations

import contextlib
import gc
import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import msgspec

from cosmos.core.provenance.lineage import SidecarHead
from cosmos.core.provenance.paths import SIDECAR_KINDS
from cosmos.shell.hashing import sha256_file

RUN_ID_FIELDS = ("ingest_run_id", "crop_run_id", "optimize_run_id")


# The decoded heads contain only strings and other heads, so they cannot form reference
# cycles, and ``gc=False`` keeps 100,000 of them out of the cyclic garbage collector.


class _Ref(msgspec.Struct, gc=False):
    path: str | None = None
    relpath: str | None = None
    sha256: str | None = None


class _Head(msgspec.Struct, gc=False):
    """Fields of an artifact sidecar that the scanner reads.

    Each kind's subclass reads ``artifact_id`` from its own JSON key (``clip_id``, ...).
    """

    artifact_id: str | None = None
    ingest_run_id: str | None = None
    crop_run_id: str | None = None
    optimize_run_id: str | None = None
    output: _Ref | None = None
    source: _Ref | None = None


class _ClipHead(_Head, gc=False):
    artifact_id: str | None = msgspec.field(default=None, name="clip_id")


class _ViewHead(_Head, gc=False):
    artifact_id: str | None = msgspec.field(default=None, name="view_id")


class _OptimizedHead(_Head, gc=False):
    artifact_id: str | None = msgspec.field(default=None, name="optimized_id")


class _RunIds(msgspec.Struct):
    ingest_run_id: str | None = None
    crop_run_id: str | None = None
    optimize_run_id: str | None = None


_HEAD_DECODERS: dict[str, msgspec.json.Decoder[_ClipHead | _ViewHead | _OptimizedHead]] = {
    "clip": msgspec.json.Decoder(_ClipHead),
    "view": msgspec.json.Decoder(_ViewHead),
    "optimized": msgspec.json.Decoder(_OptimizedHead),
}
_RUN_DECODER = msgspec.json.Decoder(_RunIds)

# Threads that read sidecars when they are not in the page cache, how many files each task
# reads, and how many files are probed to tell. The reads release the GIL, so the disk gets
# up to READ_THREADS requests at once.
# NOTE: sized on one 2-core VM with a virtio disk, where 10,002 sidecars evicted from the page
# cache read in 1.14 s with one thread, 0.34 s with 8 and 0.48 s with 16. With every file
# cached, 8 threads made a build about 30% slower than one thread (GIL hand-offs).
READ_THREADS = 8
READ_BATCH = 64
CACHE_PROBES = 16


def sidecar_kind(name: str) -> str | None:
    # Every suffix starts with ".cosmos_", so the text from its last occurrence is the only
    # candidate suffix.
    return SIDECAR_KINDS.get(name[name.rfind(".cosmos_") :])


def distinct_roots(roots: Iterable[Path]) -> list[Path]:
    """Drop each root that repeats another or lies inside another, so no file is walked twice.

    Roots keep the form they were given in, because walked paths are reported in that form.
    """
    outer: list[tuple[Path, Path]] = []
    for root in roots:
        resolved = root.resolve()
        if any(resolved.is_relative_to(other) for _, other in outer):
            continue
        outer = [(given, other) for given, other in outer if not other.is_relative_to(resolved)]
        outer.append((root, resolved))
    return [given for given, _ in outer]


def iter_files(
    roots: Iterable[Path], skipped: list[str] | None = None
) -> Iterator[tuple[str, str]]:
    """Yield ``(folder, name)`` of every file under ``roots``, recursively, skipping hidden
    folders and roots inside other roots. Strings, not ``Path`` objects, keep a walk over
    100,000 sidecars fast.

    With ``skipped``, append the path of each hidden folder (name starting with ".") that the
    walk does not enter, such as ``.git`` or ``.cache``.
    """
    for root in distinct_roots(roots):
        for folder, subfolders, files in os.walk(root):
            if skipped is not None:
                skipped.extend(os.path.join(folder, n) for n in subfolders if n.startswith("."))
            subfolders[:] = [name for name in subfolders if not name.startswith(".")]
            for name in files:
                yield folder, name


class SidecarRecord(msgspec.Struct, frozen=True, gc=False):
    """One readable sidecar: its head for the graph and what verify needs.

    ``output`` is the media path relative to the sidecar's folder when the sidecar records a
    ``relpath``, so a moved tree resolves; otherwise it is the path as recorded.
    ``recorded_output`` is always the path as recorded, and ``output_relpath`` the recorded
    ``relpath`` (``None`` when the sidecar has none). ``source`` is the source's path, found
    the same way as ``output``.
    """

    head: SidecarHead
    sidecar: str
    output: str | None
    recorded_output: str | None
    run_id: str | None
    source: str | None = None
    output_relpath: str | None = None


@dataclass(slots=True)
class Scan:
    """Sidecars read under the roots and, for verify, the media, run ids and hidden folders.

    ``malformed`` lists the paths of unusable sidecars, and ``malformed_reasons`` why each one
    is unusable, at the same index. ``media`` and ``skipped_folders`` are the walked folder
    joined with the name, so they keep the form the roots were given in.
    """

    records: list[SidecarRecord] = field(default_factory=list)
    malformed: list[str] = field(default_factory=list)
    malformed_reasons: list[str] = field(default_factory=list)
    media: list[str] = field(default_factory=list)
    run_ids: set[str] = field(default_factory=set)
    skipped_folders: list[str] = field(default_factory=list)


def _is_run_document(name: str) -> bool:
    """Tell run documents (``cosmos_ingest_run.v1.json`` and archived
    ``<run id>.cosmos_ingest_run.v1.json``) from other JSON files."""
    return "cosmos_" in name and "_run." in name and name.endswith(".json")


def read_file(path: str, folder_fd: int | None = None) -> bytes | OSError:
    """Return the bytes of a file, or the ``OSError`` that reading it raised.

    With ``folder_fd``, an open folder, ``path`` is a name inside that folder.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY, dir_fd=folder_fd)
    except OSError as error:
        return error
    try:
        chunks: list[bytes] = []
        while chunk := os.read(descriptor, 1 << 16):
            chunks.append(chunk)
    except OSError as error:
        return error
    finally:
        os.close(descriptor)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _read_batch(files: Sequence[tuple[str, str]]) -> list[bytes | OSError]:
    """Read each ``(folder, name)``, opening each folder once.

    Opening a name relative to an open folder makes the kernel look up one path component per
    file instead of every component of the full path, which made reads of 100,002 cached
    sidecars about 25% faster. A file that fails is read again by its full path, so the error
    names that path.
    """
    contents: list[bytes | OSError] = []
    current: str | None = None
    folder_fd: int | None = None
    try:
        for folder, name in files:
            if folder != current:
                if folder_fd is not None:
                    os.close(folder_fd)
                    folder_fd = None
                current = folder
                with contextlib.suppress(OSError):
                    folder_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
            data = read_file(name, folder_fd) if folder_fd is not None else None
            if not isinstance(data, bytes):
                data = read_file(os.path.join(folder, name))
            contents.append(data)
    finally:
        if folder_fd is not None:
            os.close(folder_fd)
    return contents


def page_cached(files: Sequence[tuple[str, str]]) -> bool | None:
    """Check whether the first page of up to ``CACHE_PROBES`` files spread over ``files``, each
    a ``(folder, name)`` pair, is in the page cache.

    Returns ``None`` where the system cannot tell, because Linux ``RWF_NOWAIT`` is missing.
    """
    flag = getattr(os, "RWF_NOWAIT", None)
    if flag is None or not files:
        return None if flag is None else True
    step = max(1, len(files) // CACHE_PROBES)
    probe = bytearray(1)
    for folder, name in files[::step][:CACHE_PROBES]:
        try:
            descriptor = os.open(os.path.join(folder, name), os.O_RDONLY)
        except OSError:
            continue  # read_files reports the same error for this file
        try:
            os.preadv(descriptor, [probe], 0, flag)
        except BlockingIOError:
            return False
        except OSError:
            return None  # for example EOPNOTSUPP on a file system without RWF_NOWAIT
        finally:
            os.close(descriptor)
    return True


def read_files(
    files: Sequence[tuple[str, str]], threads: int | None = None
) -> Iterator[bytes | OSError]:
    """Yield the bytes of each ``(folder, name)`` (or the ``OSError`` reading it raised), in
    ``files`` order.

    ``threads`` threads read batches of files, at most ``4 * threads`` batches ahead of the
    consumer, so memory stays bounded while the consumer decodes. ``None`` uses
    ``READ_THREADS`` threads unless the probed files are all in the page cache, where the
    calling thread reads alone.
    """
    if threads is None:
        threads = 1 if page_cached(files) else READ_THREADS
    if threads <= 1 or len(files) <= READ_BATCH:
        for start in range(0, len(files), READ_BATCH):
            yield from _read_batch(files[start : start + READ_BATCH])
        return
    with ThreadPoolExecutor(threads, thread_name_prefix="cosmos-read") as pool:
        pending: deque[Future[list[bytes | OSError]]] = deque()
        for start in range(0, len(files), READ_BATCH):
            pending.append(pool.submit(_read_batch, files[start : start + READ_BATCH]))
            if len(pending) >= 4 * threads:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def _decode(kind: str, data: bytes) -> _Head | str:
    """Decode the head of one sidecar, or return why it cannot be used."""
    try:
        head = _HEAD_DECODERS[kind].decode(data)
    except msgspec.DecodeError as error:
        return f"not a valid {kind} sidecar: {error}"
    if head.artifact_id and head.output is not None and head.output.sha256:
        return head
    # Only an incomplete sidecar pays for naming what it lacks.
    missing = [
        name
        for name, present in (
            (f"{kind}_id", head.artifact_id),
            ("output", head.output is not None),
            ("output.sha256", head.output is not None and head.output.sha256),
        )
        if not present
    ]
    return f"missing {', '.join(missing)}"


def _lower(sha: str) -> str:
    # Digests are nearly always written in lower case already, and skipping the copy saves an
    # allocation per sidecar.
    return sha if sha.islower() else sha.lower()


def _sidecar_head(folder: str, path: str, kind: str, head: _Head) -> SidecarHead:
    ref = head.output
    # _decode returns only heads that have all three.
    assert ref is not None
    assert ref.sha256
    assert head.artifact_id
    output = ref.path
    if ref.relpath:
        # Joined as the sidecar's own path is, so both start with the folder as it was walked
        # (``./out/...`` under ``.``). Only a relpath that climbs is normalized.
        output = os.path.join(folder, ref.relpath)
        if ".." in ref.relpath:
            output = os.path.normpath(output)
    source = _lower(head.source.sha256) if head.source and head.source.sha256 else None
    return SidecarHead(kind, head.artifact_id, _lower(ref.sha256), output or "", source, path)


def decode_record(folder: str, path: str, kind: str, data: bytes) -> SidecarRecord | None:
    """Decode the head of one sidecar; ``None`` when it is invalid JSON or incomplete."""
    head = _decode(kind, data)
    if isinstance(head, str):
        return None
    return _record(folder, path, kind, head)


def _record(folder: str, path: str, kind: str, head: _Head) -> SidecarRecord:
    sidecar_head = _sidecar_head(folder, path, kind, head)
    source = head.source
    source_path = None
    if source is not None:
        source_path = os.path.join(folder, source.relpath) if source.relpath else source.path
    return SidecarRecord(
        sidecar_head,
        path,
        sidecar_head.output_path or None,
        head.output.path if head.output else None,
        head.ingest_run_id or head.crop_run_id or head.optimize_run_id,
        source_path,
        head.output.relpath if head.output else None,
    )


def read_record(folder: str, name: str, kind: str) -> SidecarRecord | None:
    """Read and decode the head of one sidecar; ``None`` when it is unreadable or incomplete."""
    path = os.path.join(folder, name)
    data = read_file(path)
    if isinstance(data, OSError):
        return None
    return decode_record(folder, path, kind, data)


def recorded_sha256(media: Path) -> str | None:
    """Return the sha256 that the sidecar beside ``media`` records, or ``None`` when it has no
    readable clip, view or optimized sidecar."""
    for suffix, kind in SIDECAR_KINDS.items():
        name = media.name + suffix
        if (media.parent / name).is_file():
            record = read_record(str(media.parent), name, kind)
            if record is not None:
                return record.head.output_sha256
    return None


def sidecar_sha256(path: Path) -> str | None:
    """Return the sha256 that ``path`` records when it is itself a readable clip, view or
    optimized sidecar, else ``None``."""
    kind = sidecar_kind(path.name)
    if kind is None:
        return None
    record = read_record(str(path.parent), path.name, kind)
    return record.head.output_sha256 if record is not None else None


def derived_warning(outputs: Iterable[Path], kind: str, root: Path) -> str | None:
    """Return a warning naming the artifacts under ``root`` made from those of ``outputs`` that
    exist as ``kind`` artifacts, or ``None`` when there are none.

    A run that replaces such outputs with ``force`` logs it first, because those artifacts will
    then record a source that is gone.
    """
    derived = derived_from(outputs, kind, root)
    if not derived:
        return None
    more = f" and {len(derived) - 3} more" if len(derived) > 3 else ""
    return (
        f"replacing {kind}s that other artifacts were made from: {', '.join(derived[:3])}{more}; "
        "their sidecars will record a source that is gone, and verify will report them as "
        "changed sources"
    )


def derived_from(outputs: Iterable[Path], kind: str, root: Path) -> list[str]:
    """Name the artifacts under ``root`` made from those of ``outputs`` that exist as ``kind``
    artifacts, matched by the sha256 their sidecars record."""
    suffix = next(suffix for suffix, sidecar_kind in SIDECAR_KINDS.items() if sidecar_kind == kind)
    replaced: dict[str, Path] = {}
    for output in outputs:
        record = read_record(str(output.parent), output.name + suffix, kind)
        if record is not None and output.is_file():
            replaced[record.head.output_sha256] = output
    if not replaced or not root.is_dir():
        return []
    return sorted(
        f"{record.sidecar} (made from {replaced[record.head.source_sha256]})"
        for record in scan([root]).records
        if record.head.source_sha256 in replaced and record.head.output_sha256 not in replaced
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


def scan(roots: Iterable[Path], *, with_media: bool = False, threads: int | None = None) -> Scan:
    """Read every artifact sidecar (and, for verify, list media and run ids) under ``roots``.

    Records and malformed sidecars keep the order of the folder walk, whatever ``threads`` is.
    ``None`` reads in the calling thread when the sidecars are in the page cache, where
    threads only add switching, and in ``READ_THREADS`` threads otherwise.
    """
    with collector_paused():
        return _scan(roots, with_media, threads)


def _is_media(name: str) -> bool:
    """Tell ``.mp4`` files, in any letter case, from other files. Hidden files do not count."""
    return name.lower().endswith(".mp4") and not name.startswith(".")


def _list_sidecars(roots: Iterable[Path], found: Scan | None) -> list[tuple[str, str, str]]:
    """Walk ``roots`` for ``(folder, name, kind)`` of each sidecar; with ``found``, also list
    the media and the run ids of run documents into it."""
    sidecars: list[tuple[str, str, str]] = []
    for folder, name in iter_files(roots, found.skipped_folders if found is not None else None):
        kind = sidecar_kind(name)
        if kind is not None:
            sidecars.append((folder, name, kind))
        elif found is not None and _is_media(name):
            found.media.append(os.path.join(folder, name))
        elif found is not None and _is_run_document(name):
            try:
                ids = _RUN_DECODER.decode(Path(folder, name).read_bytes())
            except (OSError, msgspec.DecodeError) as error:
                # Reported, because the run ids it defines are missing from the check.
                found.malformed.append(os.path.join(folder, name))
                found.malformed_reasons.append(f"not a valid run document: {error}")
                continue
            found.run_ids.update(
                i for i in (ids.ingest_run_id, ids.crop_run_id, ids.optimize_run_id) if i
            )
    return sidecars


def _scan(roots: Iterable[Path], with_media: bool, threads: int | None) -> Scan:
    result = Scan()
    sidecars = _list_sidecars(roots, result if with_media else None)
    contents = read_files([(folder, name) for folder, name, _ in sidecars], threads)
    for (folder, name, kind), data in zip(sidecars, contents, strict=True):
        path = os.path.join(folder, name)
        if isinstance(data, OSError):
            head: _Head | str = f"unreadable: {data.strerror or data}"
        else:
            head = _decode(kind, data)
        if isinstance(head, str):
            result.malformed.append(path)
            result.malformed_reasons.append(head)
        else:
            result.records.append(_record(folder, path, kind, head))
    return result


def iter_heads(
    roots: Iterable[Path], malformed: list[str], threads: int | None = None
) -> Iterator[SidecarHead]:
    """Yield the head of every readable artifact sidecar under ``roots``, in walk order, and
    append the path of each unreadable or incomplete one, with the reason, to ``malformed``.

    The lineage graph needs only the heads, so this skips the records :func:`scan` makes for
    verify and keeps less in memory on large trees. Pause the collector around the loop, as
    :func:`scan` does.
    """
    sidecars = _list_sidecars(roots, None)
    contents = read_files([(folder, name) for folder, name, _ in sidecars], threads)
    for (folder, name, kind), data in zip(sidecars, contents, strict=True):
        path = os.path.join(folder, name)
        if isinstance(data, OSError):
            head: _Head | str = f"unreadable: {data.strerror or data}"
        else:
            head = _decode(kind, data)
        if isinstance(head, str):
            malformed.append(f"{path} ({head})")
        else:
            yield _sidecar_head(folder, path, kind, head)


VerifyProblem = Literal[
    "missing_media",
    "changed_media",
    "orphaned_media",
    "malformed_sidecars",
    "unresolved_run_ids",
    "changed_sources",
    "mismatched_sidecars",
]


class VerifyFinding(msgspec.Struct, frozen=True, kw_only=True):
    """One problem ``verify`` found, in fields a script can use without parsing text.

    ``problem`` names the :class:`VerifyReport` list it belongs to. ``path`` is the media file
    (the source, for a changed source), or the sidecar or run document itself for a malformed
    one. ``recorded_sha256`` and ``sha256`` are full digests: the one a sidecar records and the
    one the file has now. ``reason`` explains a malformed or mismatched sidecar.
    """

    problem: VerifyProblem
    path: str | None = None
    sidecar: str | None = None
    recorded_sha256: str | None = None
    sha256: str | None = None
    run_id: str | None = None
    reason: str | None = None

    def text(self) -> str:
        """Return the line the report's lists contain for this finding."""
        if self.problem == "missing_media":
            return f"{self.path} (sidecar {self.sidecar})"
        if self.problem in ("changed_media", "changed_sources"):
            role = "sidecar" if self.problem == "changed_media" else "source of"
            recorded, now = (self.recorded_sha256 or "")[:12], (self.sha256 or "")[:12]
            return f"{self.path} ({role} {self.sidecar}: recorded sha256 {recorded}, now {now})"
        if self.problem == "unresolved_run_ids":
            return f"{self.run_id} (sidecar {self.sidecar})"
        if self.problem == "mismatched_sidecars":
            return f"{self.sidecar} ({self.reason})"
        if self.problem == "malformed_sidecars":
            return f"{self.path} ({self.reason})"
        return str(self.path)


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """Findings of ``verify``.

    ``ok`` is true when every problem list is empty. Each list contains one line per problem,
    and ``findings`` the same problems as :class:`VerifyFinding` values, in list order.
    ``skipped_folders`` lists the hidden folders (names starting with ".") that verify did not
    enter, which are not problems.
    """

    checked: int
    missing_media: tuple[str, ...]
    changed_media: tuple[str, ...]
    orphaned_media: tuple[str, ...]
    malformed_sidecars: tuple[str, ...]
    unresolved_run_ids: tuple[str, ...]
    changed_sources: tuple[str, ...] = ()
    mismatched_sidecars: tuple[str, ...] = ()
    skipped_folders: tuple[str, ...] = ()
    findings: tuple[VerifyFinding, ...] = ()

    @property
    def ok(self) -> bool:
        return not (
            self.missing_media
            or self.changed_media
            or self.orphaned_media
            or self.malformed_sidecars
            or self.unresolved_run_ids
            or self.changed_sources
            or self.mismatched_sidecars
        )


def _absolute(path: str) -> str:
    """Return ``path`` absolute and normalized, with ``..`` removed by text.

    Unlike ``Path.resolve``, this keeps symlinks, so verify reports the path inside the
    verified folder and media listed by the walk match the paths sidecars record.
    """
    return os.path.abspath(path)  # noqa: PTH100 - resolve() would follow symlinks


def _media_path(record: SidecarRecord) -> str | None:
    """Find the media of a sidecar at the path it records, joined with the sidecar's folder
    when it records a ``relpath``, and return it absolute and normalized.

    The path as recorded is not tried as well: in a copied tree it names the original file, and
    verify would hash that one and miss a file deleted from the copy. Symlinks are not resolved,
    so a report names the link inside the verified folder, not its target.
    """
    if record.output and Path(record.output).is_file():
        return _absolute(record.output)
    return None


def _named_for(sidecar: str) -> str:
    """Return the path of the media file a sidecar is named for: its path less the suffix."""
    return sidecar[: sidecar.rfind(".cosmos_")]


def _mismatched_sidecar(record: SidecarRecord) -> VerifyFinding | None:
    """Describe a sidecar whose ``relpath`` records another file than the one it is named for.

    Sidecars without a ``relpath`` record only the path as the command was given it, which may
    be relative to another folder, so they are not checked.
    """
    if not record.output_relpath or not record.output:
        return None
    recorded = _absolute(record.output)
    named_for = _named_for(record.sidecar)
    if recorded == named_for:
        return None
    return VerifyFinding(
        problem="mismatched_sidecars",
        path=recorded,
        sidecar=record.sidecar,
        reason=f"records {recorded}, but is named for {named_for}; it may be a copied sidecar",
    )


def verify_tree(root: Path) -> VerifyReport:
    """Recompute the sha256 of every artifact under ``root`` and compare with its sidecar.

    Every path in the report is absolute and normalized, whether ``root`` was given relative or
    not. Symlinks, ``root`` included, are not resolved, so a file under ``root`` is named by
    its path under ``root``, never by a link's target.
    An ``.mp4`` is orphaned when no sidecar records it and none is named for it, so the media
    of a malformed or mismatched sidecar is reported once, through its sidecar.
    """
    found = scan([Path(_absolute(str(root)))], with_media=True)
    findings: list[VerifyFinding] = []
    hashed: dict[str, str] = {}
    for record in found.records:
        media = _media_path(record)
        if media is None:
            recorded = record.head.output_path
            output = _absolute(recorded) if recorded else "no output path recorded"
            findings.append(
                VerifyFinding(problem="missing_media", path=output, sidecar=record.sidecar)
            )
        else:
            actual = hashed.get(media)
            if actual is None:
                actual = hashed[media] = sha256_file(Path(media))
            if actual != record.head.output_sha256:
                findings.append(
                    VerifyFinding(
                        problem="changed_media",
                        path=media,
                        sidecar=record.sidecar,
                        recorded_sha256=record.head.output_sha256,
                        sha256=actual,
                    )
                )
        if record.run_id and record.run_id not in found.run_ids:
            findings.append(
                VerifyFinding(
                    problem="unresolved_run_ids", run_id=record.run_id, sidecar=record.sidecar
                )
            )
        mismatch = _mismatched_sidecar(record)
        if mismatch is not None:
            findings.append(mismatch)

    described = set(hashed)
    described.update(_named_for(record.sidecar) for record in found.records)
    described.update(_named_for(sidecar) for sidecar in found.malformed)
    findings += [
        VerifyFinding(problem="orphaned_media", path=path)
        for path in found.media
        if path not in described
    ]
    findings += [
        VerifyFinding(problem="malformed_sidecars", path=sidecar, reason=reason)
        for sidecar, reason in zip(found.malformed, found.malformed_reasons, strict=True)
    ]
    findings += _changed_sources(found.records, hashed)
    findings.sort(key=lambda finding: (finding.problem, finding.text()))

    def lines(problem: VerifyProblem) -> tuple[str, ...]:
        return tuple(f.text() for f in findings if f.problem == problem)

    return VerifyReport(
        checked=len(found.records),
        missing_media=lines("missing_media"),
        changed_media=lines("changed_media"),
        orphaned_media=lines("orphaned_media"),
        malformed_sidecars=lines("malformed_sidecars"),
        unresolved_run_ids=lines("unresolved_run_ids"),
        changed_sources=lines("changed_sources"),
        mismatched_sidecars=lines("mismatched_sidecars"),
        skipped_folders=tuple(sorted(found.skipped_folders)),
        findings=tuple(findings),
    )


def _changed_sources(records: list[SidecarRecord], hashed: dict[str, str]) -> list[VerifyFinding]:
    """List the sources of views and optimized files that no longer have the recorded sha256.

    Only sources hashed in this verify count, that is artifacts under the verified folder.
    ``hashed`` maps absolute, normalized media paths to their sha256.
    """
    changed = []
    for record in records:
        recorded = record.head.source_sha256
        if record.head.kind == "clip" or not recorded or not record.source:
            continue
        source = _absolute(record.source)
        now = hashed.get(source)
        if now is not None and now != recorded:
            changed.append(
                VerifyFinding(
                    problem="changed_sources",
                    path=source,
                    sidecar=record.sidecar,
                    recorded_sha256=recorded,
                    sha256=now,
                )
            )
    return changed


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
