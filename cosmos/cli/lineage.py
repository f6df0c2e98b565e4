"""``cosmos lineage``: the graph of artifacts from clip to view to optimized file."""

from __future__ import annotations

import json as json_module
import logging
from pathlib import Path
from typing import Annotated, Any

from cyclopts import App, Parameter

from cosmos.cli.output import (
    EXIT_OK,
    JsonFlag,
    PlainFlag,
    output_mode,
    print_json,
    print_plain,
)
from cosmos.sdk.lineage import LineageIndex, Node, build_index

logger = logging.getLogger(__name__)
app = App(name="lineage", help="Build and query the lineage graph of artifacts.")
Identifier = Annotated[
    str, Parameter(help="Full sha256, unique prefix, artifact id or the path of a file.")
]
InDirs = Annotated[
    list[Path] | None,
    Parameter(
        name="--in",
        negative="",
        help="Folder to scan; repeat for several (default: the current folder).",
    ),
]


def _index(folders: list[Path] | None) -> LineageIndex:
    """Build the index of ``folders`` for a query, with one warning line on stderr when the
    index has warnings, because a dangling edge or a duplicate can leave a result short."""
    index = build_index(*(folders or [Path.cwd()]))
    if index.warnings:
        count = len(index.warnings)
        logger.warning(
            "the index has %d warning%s, the first: %s; `cosmos lineage build` lists them all",
            count,
            "" if count == 1 else "s",
            index.warnings[0],
        )
    return index


def _print_nodes(nodes: list[Node], mode: str, empty: str = "") -> None:
    """Print nodes as one JSON list, as stage, id, sha256 and path per line, or as columns.

    Human output prints ``empty`` when there are no nodes, so an empty result is visible.
    """
    if mode == "json":
        print_json([n.to_dict() for n in nodes])
    elif mode == "plain":
        print_plain([[n.stage, n.id, n.sha256, n.path] for n in nodes])
    elif not nodes:
        print(empty)
    else:
        id_width = max(len(n.id) for n in nodes)
        for n in nodes:
            print(f"{n.stage:<9} {n.id:<{id_width}}  {n.sha256[:16]}  {n.path}")


@app.command
def build(
    folders: list[Path],
    /,
    *,
    output: Annotated[str | None, Parameter(name=["--output", "-o"])] = None,
    json: JsonFlag = False,
    plain: PlainFlag = False,
) -> int:
    """Scan folders for clip, view and optimized sidecars and build the lineage index.

    Parameters
    ----------
    folders
        Folders to scan recursively.
    output
        Write the index as JSON to this file.
    json
        Print the index as one JSON document.
    plain
        Print node and edge counts and warnings, one per line.
    """
    mode = output_mode(json, plain)
    index = build_index(*folders)
    if output is not None:
        index.write(output)
    document = index.to_dict()
    if mode == "json":
        print_json(document)
    elif mode == "plain":
        print_plain(
            [
                ["nodes", str(document["node_count"])],
                ["edges", str(document["edge_count"])],
                *(["warning", w] for w in index.warnings),
            ]
        )
    else:
        print(
            f"{document['node_count']} nodes, {document['edge_count']} edges"
            + (f", written to {output}" if output else "")
        )
        for warning in index.warnings:
            print(f"warning: {warning}")
    return EXIT_OK


@app.command
def upstream(
    identifier: Identifier,
    /,
    *,
    folders: InDirs = None,
    json: JsonFlag = False,
    plain: PlainFlag = False,
) -> int:
    """List the ancestors of an artifact (sha256, unique prefix, artifact id or file path).

    Parameters
    ----------
    json
        Print the nodes as one JSON list.
    plain
        Print one node per line: stage, id, sha256, path.
    """
    mode = output_mode(json, plain)
    _print_nodes(_index(folders).upstream(identifier), mode, f"{identifier} has no ancestors")
    return EXIT_OK


@app.command
def downstream(
    identifier: Identifier,
    /,
    *,
    folders: InDirs = None,
    json: JsonFlag = False,
    plain: PlainFlag = False,
) -> int:
    """List the derivatives of an artifact.

    Parameters
    ----------
    json
        Print the nodes as one JSON list.
    plain
        Print one node per line: stage, id, sha256, path.
    """
    mode = output_mode(json, plain)
    nodes = _index(folders).downstream(identifier)
    _print_nodes(nodes, mode, f"{identifier} has no derivatives")
    return EXIT_OK


@app.command
def chain(
    identifier: Identifier,
    /,
    *,
    folders: InDirs = None,
    json: JsonFlag = False,
    plain: PlainFlag = False,
) -> int:
    """List ancestors, the artifact and derivatives, in stage order.

    Parameters
    ----------
    json
        Print the nodes as one JSON list.
    plain
        Print one node per line: stage, id, sha256, path.
    """
    mode = output_mode(json, plain)
    _print_nodes(_index(folders).chain(identifier), mode)
    return EXIT_OK


def _print_tree(node: dict[str, Any], depth: int) -> None:
    print(f"{'  ' * depth}{node['stage']} {node['id']} {node['path']}")
    for source in node["sources"]:
        _print_tree(source, depth + 1)


def _tree_rows(node: dict[str, Any], depth: int) -> list[list[str]]:
    """Flatten the tree depth first, one row per node: depth, stage, id, sha256, path."""
    rows = [[str(depth), node["stage"], node["id"], node["sha256"], node["path"]]]
    for source in node["sources"]:
        rows += _tree_rows(source, depth + 1)
    return rows


@app.command
def tree(
    identifier: Identifier,
    /,
    *,
    folders: InDirs = None,
    json: JsonFlag = False,
    plain: PlainFlag = False,
) -> int:
    """Show an artifact with its sources nested below it.

    Parameters
    ----------
    json
        Print the nested tree as one JSON object.
    plain
        Print one node per line, depth first: depth (0 for the artifact), stage, id, sha256
        and path, separated by tabs.
    """
    mode = output_mode(json, plain)
    result = _index(folders).tree(identifier)
    if mode == "json":
        print(json_module.dumps(result, indent=2))
    elif mode == "plain":
        print_plain(_tree_rows(result, 0))
    else:
        _print_tree(result, 0)
    return EXIT_OK
