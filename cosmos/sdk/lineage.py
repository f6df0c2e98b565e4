"""The lineage graph of Cosmos artifacts across ingest, crop and optimize.

Nodes are keyed by ``output.sha256``; edges go from ``source.sha256`` to ``output.sha256``.
Identifiers accept a full sha256, an unambiguous prefix, an artifact id, or a file's path.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from returns.result import Failure

from cosmos.core.provenance.lineage import (
    LINEAGE_SCHEMA,
    Edge,
    LineageGraph,
    Node,
    build_graph,
    chain,
    downstream,
    graph_to_dict,
    resolve_identifier,
    tree,
    upstream,
)
from cosmos.sdk._boundary import unwrap_or_raise
from cosmos.sdk.errors import InvalidInputError
from cosmos.shell.fs import atomic_write_text
from cosmos.shell.hashing import sha256_file
from cosmos.shell.provenance import (
    collector_paused,
    iter_heads,
    recorded_sha256,
    sidecar_kind,
    sidecar_sha256,
)


class LineageIndex:
    """Nodes (dict by sha256), edges and warnings; constructible empty and fillable by hand."""

    def __init__(
        self,
        nodes: dict[str, Node] | None = None,
        edges: list[Edge] | None = None,
        warnings: list[str] | None = None,
    ) -> None:
        self.nodes: dict[str, Node] = dict(nodes or {})
        self.edges: list[Edge] = list(edges or [])
        self.warnings: list[str] = list(warnings or [])
        self._cached: tuple[list[Edge], LineageGraph] | None = None

    def _graph(self) -> LineageGraph:
        # The adjacency tables depend only on the edges, and the graph shares the node table.
        # A query compares the edges with the copy the tables were built from, which is quick
        # for identical objects. Any change to the edges, even one that keeps their number,
        # rebuilds the tables.
        if self._cached is None or self._cached[0] != self.edges:
            graph = LineageGraph(nodes=self.nodes, edges=self.edges, warnings=self.warnings)
            self._cached = (list(self.edges), graph)
        graph = self._cached[1]
        # Tables assigned anew (equal edges, other nodes or warnings) are taken as they are.
        graph.nodes, graph.edges, graph.warnings = self.nodes, self.edges, self.warnings
        return graph

    @classmethod
    def _from_graph(cls, graph: LineageGraph) -> LineageIndex:
        """Wrap a built graph, keeping its tables and lookups instead of copying them.

        Copying the node table of a 100,000-sidecar index took about 5 ms.
        """
        index = cls.__new__(cls)
        index.nodes, index.edges, index.warnings = graph.nodes, graph.edges, graph.warnings
        index._cached = (list(graph.edges), graph)
        return index

    def resolve(self, identifier: str | os.PathLike[str]) -> str:
        """Return the sha256 of a full sha256, unique prefix, artifact id or file path; else
        ``ValueError``.

        A path names the file whose sidecar records the sha256 (or, without a sidecar, the file
        with that content); a sidecar's own path names the file it describes. Paths are tried
        only when the text matches no sha256, prefix or id.
        """
        text = os.fspath(identifier)
        found = resolve_identifier(self._graph(), text)
        if isinstance(found, Failure):
            path = Path(text.strip()).expanduser()
            if text.strip() and path.is_file():
                return self._resolve_file(path)
        return unwrap_or_raise(found)

    def _resolve_file(self, path: Path) -> str:
        sha = sidecar_sha256(path) or recorded_sha256(path) or sha256_file(path)
        if sha not in self.nodes:
            raise InvalidInputError(
                f"{path} (sha256 {sha[:12]}) is not in the index; check the folders given to "
                "build_index (CLI: --in), which must contain the file's sidecar"
            )
        return sha

    # The first query after a change builds the adjacency tables: tens of thousands of small
    # tuples on a large index. Pausing the collector spares the passes those allocations start.

    def upstream(self, identifier: str | os.PathLike[str]) -> list[Node]:
        """Ancestors, in stage, id, sha256 order."""
        with collector_paused():
            return upstream(self._graph(), self.resolve(identifier))

    def downstream(self, identifier: str | os.PathLike[str]) -> list[Node]:
        """Descendants, in stage, id, sha256 order."""
        with collector_paused():
            return downstream(self._graph(), self.resolve(identifier))

    def chain(self, identifier: str | os.PathLike[str]) -> list[Node]:
        """Ancestors, the node itself and descendants, in stage, id, sha256 order."""
        with collector_paused():
            return chain(self._graph(), self.resolve(identifier))

    def tree(self, identifier: str | os.PathLike[str]) -> dict[str, Any]:
        """Return the node as a dict with a nested ``sources`` list (upstream); cycles stop."""
        with collector_paused():
            return tree(self._graph(), self.resolve(identifier))

    def to_dict(self) -> dict[str, Any]:
        return graph_to_dict(self._graph())

    def write(self, path: str | Path) -> Path:
        """Write :meth:`to_dict` as JSON, atomically, creating missing parent folders."""
        text = os.fspath(path)
        target = Path(text).expanduser()
        if text.endswith(("/", os.sep)) or target.name in ("", ".", "..") or target.is_dir():
            raise InvalidInputError(
                f"cannot write the lineage index to {text!r}: it names a folder, not a file; "
                "give a file path such as lineage.json"
            )
        if target.name.lower().endswith(".mp4") or sidecar_kind(target.name) is not None:
            # Scans would read such a file as media or as a malformed sidecar.
            raise InvalidInputError(
                f"cannot write the lineage index to {target}: the name is that of a video or a "
                "Cosmos sidecar; give a name such as lineage.json"
            )
        if target.is_file() and not _is_lineage_index(target):
            raise InvalidInputError(
                f"cannot write the lineage index to {target}: that file exists and is not a "
                "lineage index, so it is not replaced; choose another path"
            )
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(target, json.dumps(self.to_dict(), indent=2) + "\n")
        except (FileExistsError, NotADirectoryError) as error:
            raise InvalidInputError(
                f"cannot write the lineage index to {target}: a part of {target.parent} is a "
                "file, not a folder; choose another path"
            ) from error
        except OSError as error:
            raise InvalidInputError(
                f"cannot write the lineage index to {target}: {error.strerror or error}; "
                "choose a writable file path"
            ) from error
        return target


def _is_lineage_index(path: Path) -> bool:
    """Tell whether ``path`` starts as an index that :meth:`LineageIndex.write` wrote."""
    try:
        with path.open("rb") as file:
            head = file.read(256)
    except OSError:
        return False
    return head.lstrip().startswith(b"{") and f'"{LINEAGE_SCHEMA}"'.encode() in head


def build_index(*dirs: str | Path) -> LineageIndex:
    """Scan the folders recursively for clip, view and optimized sidecars and build the graph."""
    roots = [Path(d).expanduser() for d in dirs]
    for root in roots:
        if root.is_file():
            raise InvalidInputError(f"{root} is a file, not a folder; pass output folders")
        if not root.is_dir():
            raise InvalidInputError(f"{root} does not exist; pass output folders")
    malformed: list[str] = []
    with collector_paused():
        return LineageIndex._from_graph(build_graph(iter_heads(roots, malformed), malformed))


__all__ = ["Edge", "LineageIndex", "Node", "build_index"]
