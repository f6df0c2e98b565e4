"""``cosmos provenance``: sha256 join keys, sidecar lookups, the sha256 map, verification."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Literal

import msgspec
from cyclopts import App, Parameter

from cosmos.cli.output import (
    EXIT_INVALID_INPUT,
    EXIT_OK,
    JsonFlag,
    PlainFlag,
    output_mode,
    print_error,
    print_json,
    print_plain,
)
from cosmos.sdk.provenance import (
    VerifyReport,
    clip_of,
    optimized_of,
    sha256_file,
    sha_map,
    verify,
    view_of,
    views_for_clip,
)

app = App(name="provenance", help="Trace files by sha256: lookups, maps and verification.")

# Pipeline order, as lineage lists stages: ingest, crop, optimize.
KIND_ORDER = {"clip": 0, "view": 1, "optimized": 2}

# Hidden folders named in the human note of verify; --json lists them all.
SKIPPED_FOLDERS_SHOWN = 3

_SIDECAR_SUFFIXES = {
    "clip": ".cosmos_clip.v1.json",
    "view": ".cosmos_view.v1.json",
    "optimized": ".cosmos_optimized.v1.json",
}


@app.command
def sha(path: Path, /, *, json: JsonFlag = False, plain: PlainFlag = False) -> int:
    """Print the sha256 of a file (the join key of every sidecar).

    Parameters
    ----------
    path
        File to hash.
    json
        Print {"path", "sha256"}.
    plain
        Print the sha256 alone.
    """
    mode = output_mode(json, plain)
    digest = sha256_file(path)
    if mode == "json":
        print_json({"path": str(path), "sha256": digest})
    elif mode == "plain":
        print(digest)
    else:
        print(f"{digest}  {path}")
    return EXIT_OK


@app.command(name="list")
def list_artifacts(
    folder: Path,
    /,
    *,
    kind: Annotated[Literal["clip", "view", "optimized", "all"], Parameter(name="--kind")] = "all",
    json: JsonFlag = False,
    plain: PlainFlag = False,
) -> int:
    """List the artifacts under a folder (recursive): kind, id, sha256, path.

    Parameters
    ----------
    folder
        Folder to scan.
    kind
        Artifact kind to list.
    json
        Print one JSON list.
    plain
        Print kind, id, sha256 and path per line.
    """
    mode = output_mode(json, plain)
    artifacts = sorted(
        sha_map(folder, kind=kind).values(), key=lambda a: (KIND_ORDER.get(a.kind, 3), a.id)
    )
    rows = [[a.kind, a.id, a.sha256, a.path] for a in artifacts]
    if mode == "json":
        print_json(artifacts)
    elif mode == "plain":
        print_plain(rows)
    else:
        id_width = max((len(row[1]) for row in rows), default=0)
        for row in rows:
            print(f"{row[0]:<10} {row[1]:<{id_width}}  {row[2][:16]}  {row[3]}")
    return EXIT_OK


def _missing_document_message(path: Path, kind: str) -> str:
    """Return why ``path`` has no ``kind`` sidecar: no such file, a file of another kind, or a
    file Cosmos did not produce."""
    if not path.exists():
        return f"{path} does not exist; check the path"
    if path.is_dir():
        return f"{path} is a folder; pass a media file Cosmos produced"
    if any(path.name.endswith(suffix) for suffix in _SIDECAR_SUFFIXES.values()):
        return f"{path} is a sidecar; pass the media file beside it"
    for other, suffix in _SIDECAR_SUFFIXES.items():
        if other != kind and path.with_name(path.name + suffix).is_file():
            return (
                f"{path} is not {_article(kind)} {kind} but {_article(other)} {other} (it has "
                f"{_article(other)} {other} sidecar); use `cosmos provenance {other}-of {path}`"
            )
    return f"{path} has no {kind} sidecar beside it; pass a file Cosmos produced"


def _article(word: str) -> str:
    # Chosen by the first letter, which is right for the kind names clip, view and optimized.
    return "an" if word[0] in "aeiou" else "a"


def _print_document(document: msgspec.Struct | None, path: Path, kind: str, mode: str) -> int:
    if document is None:
        print_error(_missing_document_message(path, kind))
        return EXIT_INVALID_INPUT
    if mode == "json":
        print_json(document)
    elif mode == "plain":
        print_plain(_leaves(msgspec.to_builtins(document), ""))
    else:
        print(msgspec.json.format(msgspec.json.encode(document), indent=2).decode())
    return EXIT_OK


def _leaves(value: object, key: str) -> list[list[str]]:
    """Flatten a decoded document into ``[dotted key, value]`` rows, lists indexed as
    ``key[0]``; ``null`` is an empty cell."""
    if isinstance(value, dict):
        return [row for name, item in value.items() for row in _leaves(item, _join(key, name))]
    if isinstance(value, list):
        return [row for n, item in enumerate(value) for row in _leaves(item, f"{key}[{n}]")]
    if value is None:
        return [[key, ""]]
    if isinstance(value, bool):
        return [[key, "true" if value else "false"]]
    return [[key, str(value)]]


def _join(key: str, name: str) -> str:
    return f"{key}.{name}" if key else name


@app.command(name="clip-of")
def clip_of_command(path: Path, /, *, json: JsonFlag = False, plain: PlainFlag = False) -> int:
    """Print the clip sidecar of an ingested clip (exit 3 when there is none).

    Parameters
    ----------
    path
        Clip file.
    json
        Print the sidecar as one JSON document.
    plain
        Print one line per field: the dotted key, a tab, the value.
    """
    return _print_document(clip_of(path), path, "clip", output_mode(json, plain))


@app.command(name="view-of")
def view_of_command(path: Path, /, *, json: JsonFlag = False, plain: PlainFlag = False) -> int:
    """Print the view sidecar of a cropped view (exit 3 when there is none).

    Parameters
    ----------
    path
        View file.
    json
        Print the sidecar as one JSON document.
    plain
        Print one line per field: the dotted key, a tab, the value.
    """
    return _print_document(view_of(path), path, "view", output_mode(json, plain))


@app.command(name="optimized-of")
def optimized_of_command(path: Path, /, *, json: JsonFlag = False, plain: PlainFlag = False) -> int:
    """Print the optimize sidecar of an optimized file (exit 3 when there is none).

    Parameters
    ----------
    path
        Optimized file.
    json
        Print the sidecar as one JSON document.
    plain
        Print one line per field: the dotted key, a tab, the value.
    """
    return _print_document(optimized_of(path), path, "optimized", output_mode(json, plain))


@app.command(name="views-for-clip")
def views_for_clip_command(
    path: Path,
    /,
    *,
    search: Annotated[list[Path] | None, Parameter(name="--in", negative="")] = None,
    json: JsonFlag = False,
    plain: PlainFlag = False,
) -> int:
    """List the view sidecars cut from a clip, matched by sha256.

    Parameters
    ----------
    path
        Clip file.
    search
        Folder to search recursively; repeat for several (default: the clip's folder).
    json
        Print one JSON list of sidecar paths.
    plain
        Print one sidecar path per line.
    """
    mode = output_mode(json, plain)
    for other in ("view", "optimized"):
        if path.with_name(path.name + _SIDECAR_SUFFIXES[other]).is_file():
            print_error(
                f"{path} is {_article(other)} {other}, not a clip; views-for-clip takes the clip "
                f"a view was cut from (`cosmos provenance {other}-of {path}` names its source)"
            )
            return EXIT_INVALID_INPUT
    sidecars = views_for_clip(path, search)
    if mode == "json":
        print_json([str(s) for s in sidecars])
    elif mode == "human" and not sidecars:
        searched = ", ".join(str(folder) for folder in search or [path.parent])
        print(f"no views of {path} under {searched}; pass --in with the crop output folder")
    else:
        for sidecar in sidecars:
            print(sidecar)
    return EXIT_OK


@app.command(name="map")
def map_command(folder: Path, /, *, json: JsonFlag = False, plain: PlainFlag = False) -> int:
    """Map sha256 to artifact for every sidecar under a folder (recursive).

    Parameters
    ----------
    folder
        Folder to scan.
    json
        Print one JSON object keyed by sha256.
    plain
        Print sha256, kind, id and path per line.
    """
    mode = output_mode(json, plain)
    table = sha_map(folder)
    if mode == "json":
        print_json(table)
    else:
        rows = [[sha, a.kind, a.id, a.path] for sha, a in sorted(table.items())]
        if mode == "plain":
            print_plain(rows)
        else:
            for row in rows:
                print(f"{row[0]}  {row[1]:<10} {row[2]:<40} {row[3]}")
    return EXIT_OK


@app.command(name="verify")
def verify_command(folder: Path, /, *, json: JsonFlag = False, plain: PlainFlag = False) -> int:
    """Recompute every artifact's sha256 under a folder; exit 3 when anything is wrong.

    Reports missing media (a sidecar without its file), changed media, orphaned media (an .mp4
    without a sidecar), malformed sidecars, run ids no run document defines, changed sources
    and mismatched sidecars (a sidecar that records another file than the one it is named
    for). Hidden folders (names starting with ".") are skipped; a note on stderr names them.

    Parameters
    ----------
    folder
        Folder to verify (recursive).
    json
        Print the report as one JSON object, with the skipped hidden folders.
    plain
        Print one ``problem<TAB>detail`` line per problem.
    """
    mode = output_mode(json, plain)
    report = verify(folder)
    problems = _verify_problems(report)
    if mode == "json":
        print_json(
            {
                "ok": report.ok,
                "checked": report.checked,
                **problems,
                "skipped_folders": report.skipped_folders,
                "findings": report.findings,
            }
        )
    else:
        rows = [[name, item] for name, items in problems.items() for item in items]
        if mode == "plain":
            print_plain(rows)
        else:
            _print_verify_summary(folder, report, rows)
    return EXIT_OK if report.ok else EXIT_INVALID_INPUT


def _verify_problems(report: VerifyReport) -> dict[str, tuple[str, ...]]:
    """Return the report's problem lists by field name, in the order verify prints them."""
    return {
        "missing_media": report.missing_media,
        "changed_media": report.changed_media,
        "orphaned_media": report.orphaned_media,
        "malformed_sidecars": report.malformed_sidecars,
        "unresolved_run_ids": report.unresolved_run_ids,
        "changed_sources": report.changed_sources,
        "mismatched_sidecars": report.mismatched_sidecars,
    }


def _print_verify_summary(folder: Path, report: VerifyReport, rows: list[list[str]]) -> None:
    """Print each problem and a count on stdout, and notes on what verify did not check on
    stderr."""
    for name, item in rows:
        print(f"{name.replace('_', ' ')}: {item}")
    noun = "artifact" if report.checked == 1 else "artifacts"
    if report.ok:
        print(f"ok: {report.checked} {noun} checked")
    else:
        problem_count = "1 problem" if len(rows) == 1 else f"{len(rows)} problems"
        print(f"{problem_count} in {report.checked} {noun} checked")
    if report.skipped_folders:
        print(_skipped_folders_note(folder, report.skipped_folders), file=sys.stderr)
    if report.checked == 0 and not (report.malformed_sidecars or report.orphaned_media):
        print(
            f"note: no Cosmos sidecars or .mp4 files under {folder}; check the path",
            file=sys.stderr,
        )


def _skipped_folders_note(folder: Path, skipped: tuple[str, ...]) -> str:
    """Name the first ``SKIPPED_FOLDERS_SHOWN`` hidden folders, relative to ``folder``."""
    names = [os.path.relpath(path, folder) for path in skipped[:SKIPPED_FOLDERS_SHOWN]]
    if len(skipped) > SKIPPED_FOLDERS_SHOWN:
        names.append("...")
    noun = "folder" if len(skipped) == 1 else "folders"
    listed = ", ".join(names)
    return f'note: skipped {len(skipped)} hidden {noun} (names starting with "."): {listed}'
