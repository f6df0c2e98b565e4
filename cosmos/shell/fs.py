"""Filesystem effects: atomic writes, folder listings, writability checks."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from returns.result import Failure, Result, Success

from cosmos.core.errors import (
    InvalidInput,
    OutputExists,
    empty_file_message,
    not_a_file_message,
    outputs_exist_message,
)
from cosmos.core.names import temporary_name
from cosmos.core.provenance.paths import SIDECAR_KINDS

if TYPE_CHECKING:
    from cosmos.core.ingest.adapter import FolderListing


def random_token() -> str:
    """Return 8 random hex characters for temporary names and run ids.

    ``secrets.token_hex`` calls ``os.urandom`` too, but importing ``secrets`` would add about
    1.4 ms to every command's start on the 2-core benchmark machine.
    """
    return os.urandom(4).hex()


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary name beside ``path``, flush it to disk, then rename.

    A crash leaves either the old file or the new one, never a partial file under ``path``.
    """
    temporary = path.with_name(temporary_name(path.name, random_token()))
    try:
        with temporary.open("wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        temporary.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """Write UTF-8 text atomically, as :func:`atomic_write_bytes`."""
    atomic_write_bytes(path, text.encode("utf-8"))


def remove_quietly(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def existing_folder(path: Path, role: str) -> Result[Path, InvalidInput]:
    """Resolve ``path`` and check that it is an existing folder."""
    resolved = path.expanduser().resolve()
    if not resolved.exists():
        return Failure(
            InvalidInput(
                value=str(path),
                message=f"{role} {path} does not exist; check the path",
            )
        )
    if not resolved.is_dir():
        return Failure(
            InvalidInput(
                value=str(path),
                message=f"{role} {path} is not a folder; pass the folder that contains the files",
            )
        )
    return Success(resolved)


def input_file(path: Path, role: str) -> Result[Path, InvalidInput]:
    """Return ``path`` when it is a regular file with content, else an ``InvalidInput`` failure
    that names what it is instead (missing, a folder, or empty)."""
    if not path.is_file():
        return Failure(
            InvalidInput(
                value=str(path), message=not_a_file_message(role, str(path), path.exists())
            )
        )
    if path.stat().st_size == 0:
        return Failure(InvalidInput(value=str(path), message=empty_file_message(role, str(path))))
    return Success(path)


def list_folder(root: Path) -> FolderListing:
    """List the top level of ``root``; symlinks to files count as files."""
    # Imported here so that commands other than ingest do not load the ingest modules.
    from cosmos.core.ingest.adapter import FolderEntry, FolderListing

    entries: list[FolderEntry] = []
    with os.scandir(root) as scan:
        for entry in scan:
            try:
                is_file = entry.is_file()
                size = entry.stat().st_size if is_file else 0
            except OSError:
                continue
            entries.append(FolderEntry(name=entry.name, is_file=is_file, size_bytes=size))
    entries.sort(key=lambda entry: entry.name)
    return FolderListing(root=root, entries=tuple(entries))


def folder_path(path: Path, role: str) -> Result[Path, InvalidInput]:
    """Resolve ``path`` and reject one that exists but is not a folder, creating nothing.

    Runs call this while they check options and inputs, and :func:`writable_folder` only once
    every input is planned, so that a rejected run leaves no empty output folder behind.
    """
    resolved = path.expanduser().resolve()
    # mkdir(exist_ok=True) on an existing file fails with "File exists", which hides the cause.
    if resolved.exists() and not resolved.is_dir():
        return Failure(
            InvalidInput(
                value=str(path),
                message=f"{role} {path} exists but is not a folder; choose a folder path",
            )
        )
    return Success(resolved)


def writable_folder(path: Path, role: str) -> Result[Path, InvalidInput]:
    """Create ``path`` if needed and prove it is writable by creating and removing a file."""
    checked = folder_path(path, role)
    if isinstance(checked, Failure):
        return checked
    resolved = checked.unwrap()
    try:
        resolved.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return Failure(
            InvalidInput(
                value=str(path),
                message=f"cannot create {role} {path} ({error.strerror or error}); choose a "
                "folder you can write to",
            )
        )
    probe = resolved / f".cosmos-write-check.{random_token()}"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        return Failure(
            InvalidInput(
                value=str(path),
                message=f"{role} {path} is not writable ({error.strerror or error}); fix its "
                "permissions or choose another folder",
            )
        )
    return Success(resolved)


RUN_ARCHIVE_FOLDER = "cosmos_runs"


def write_run_document(output_dir: Path, file_name: str, run_id: str, data: bytes) -> Path:
    """Write a run document under its run id, then point the fixed ``file_name`` at it.

    Earlier runs into the same folder keep their documents in ``cosmos_runs/``, so the run id in
    every artifact sidecar still resolves after a later run.
    """
    archive = output_dir / RUN_ARCHIVE_FOLDER
    archive.mkdir(exist_ok=True)
    atomic_write_bytes(archive / f"{run_id}.{file_name}", data)
    latest = output_dir / file_name
    atomic_write_bytes(latest, data)
    return latest


def check_existing_outputs(
    paths: Iterable[Path], *, force: bool, dry_run: bool, remedy: str, logger: logging.Logger
) -> Result[None, OutputExists]:
    """Return an ``OutputExists`` failure that names the existing ``paths`` and ``remedy``,
    unless ``force`` is set or none exists.

    A dry run logs the same message as a warning on ``logger`` and succeeds, so its plan is
    still written.
    """
    existing = [str(path) for path in paths if path.exists()]
    if not existing or force:
        return Success(None)
    message = outputs_exist_message(existing, remedy)
    if dry_run:
        logger.warning("%s; the real run will stop before any work", message)
        return Success(None)
    return Failure(OutputExists(paths=existing, message=message))


def check_replaceable(
    outputs: Iterable[Path], own_kind: str, remedy: str, *, force: bool
) -> Result[None, InvalidInput]:
    """Reject an existing output path that this stage did not make, even with force.

    ``own_kind`` is the sidecar kind this stage writes (``clip``, ``view`` or ``optimized``).
    A file with another kind's sidecar belongs to another stage: replacing it would leave that
    sidecar describing bytes that are gone. A file with no Cosmos sidecar at all, such as an
    original recording, was not made by Cosmos, so ``force`` does not cover it either. Without
    ``force`` such a file is left to :func:`check_existing_outputs`, which reports it as any
    existing output.
    """
    for output in outputs:
        if not output.exists():
            continue
        kinds = [
            kind
            for suffix, kind in SIDECAR_KINDS.items()
            if output.with_name(output.name + suffix).is_file()
        ]
        if own_kind in kinds or not (kinds or force):
            continue
        if kinds:
            kind = kinds[0]
            article = "an" if kind[0] in "aeiou" else "a"
            message = (
                f"output {output} is {article} {kind} file with its own {kind} sidecar, made "
                f"by another stage, so it is not replaced, even with force; {remedy}"
            )
        else:
            message = (
                f"output {output} exists and has no Cosmos sidecar, so Cosmos did not make it "
                "(or its sidecar was removed); it is not replaced, even with force; move it "
                f"away or {remedy}"
            )
        return Failure(InvalidInput(value=str(output), message=message))
    return Success(None)


def name_limit(folder: Path) -> int | None:
    """Return the maximum length in bytes of a file name in ``folder``, or ``None`` when the
    system does not report one.

    A folder that does not exist yet gets the limit of its nearest existing parent, where it
    will be created.
    """
    existing = folder
    # Path.is_dir raises for a path whose own name is too long, but os.path.isdir returns False.
    while not os.path.isdir(existing) and existing.parent != existing:  # noqa: PTH112
        existing = existing.parent
    pathconf = getattr(os, "pathconf", None)
    if pathconf is None:
        return None
    try:
        limit = pathconf(existing, "PC_NAME_MAX")
    except (OSError, ValueError):
        return None
    return limit if isinstance(limit, int) and limit > 0 else None
