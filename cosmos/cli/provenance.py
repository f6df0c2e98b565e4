"""``cosmos provenance``: sha256 join keys, sidecar lookups, the sha256 map, verification."""

from __future__ import annotations

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
    for other, suffix in _SIDECAR_SUFFIXES.items():
        if other != kind and path.with_name(path.name + suffix).is_file():
            return (
                f"{path} is not a {kind} but a {other} (it has a {other} sidecar); use "
                f"`cosmos provenance {other}-of {path}`"
            )
    return f"{path} has no {kind} sidecar beside it; pass a file Cosmos produced"


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
    without a sidecar), malformed sidecars and run ids no run document defines.

    Parameters
    ----------
    folder
        Folder to verify (recursive).
    json
        Print the report as one JSON object.
    plain
        Print one ``problem<TAB>detail`` line per problem.
    """
    mode = output_mode(json, plain)
    report = verify(folder)
    problems = {
        "missing_media": report.missing_media,
        "changed_media": report.changed_media,
        "orphaned_media": report.orphaned_media,
        "malformed_sidecars": report.malformed_sidecars,
        "unresolved_run_ids": report.unresolved_run_ids,
        "changed_sources": report.changed_sources,
    }
    if mode == "json":
        print_json({"ok": report.ok, "checked": report.checked, **problems})
    else:
        rows = [[name, item] for name, items in problems.items() for item in items]
        if mode == "plain":
            print_plain(rows)
        else:
            for name, item in rows:
                print(f"{name.replace('_', ' ')}: {item}")
            noun = "artifact" if report.checked == 1 else "artifacts"
            if report.ok:
                print(f"ok: {report.checked} {noun} checked")
            else:
                problem_count = "1 problem" if len(rows) == 1 else f"{len(rows)} problems"
                print(f"{problem_count} in {report.checked} {noun} checked")
    return EXIT_OK if report.ok else EXIT_INVALID_INPUT
