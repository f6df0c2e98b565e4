"""The lineage graph: artifacts as nodes keyed by ``output.sha256``, edges from source to output.

Built from sidecar heads the shell read; everything here is pure. Malformed sidecars, duplicate
hashes, dangling edges and cycles become warnings, and every traversal keeps a visited set, so a
cycle never recurses forever.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, cast

import msgspec
from returns.result import Failure, Result, Success

from cosmos.core.errors import InvalidInput

Stage = Literal["ingest", "crop", "optimize"]
STAGE_ORDER: dict[str, int] = {"ingest": 0, "crop": 1, "optimize": 2}
KIND_STAGE: dict[str, Stage] = {"clip": "ingest", "view": "crop", "optimized": "optimize"}
LINEAGE_SCHEMA = "cosmos-lineage-index-v1"


# Node, Edge and SidecarHead contain only strings, so they cannot form reference cycles.
# ``gc=False`` keeps them out of the cyclic garbage collector, which would otherwise walk all
# 100,000 nodes of a large index on every full collection.


class Node(msgspec.Struct, frozen=True, gc=False):
    """One artifact: ``id`` is its artifact id (``clip-...``, ``view-...``, ``optimized-...``)."""

    id: str
    stage: Stage
    sha256: str
    path: str
    sidecar: str

    def to_dict(self) -> dict[str, str]:
        return {
            "id": self.id,
            "stage": self.stage,
            "sha256": self.sha256,
            "path": self.path,
            "sidecar": self.sidecar,
        }


class Edge(msgspec.Struct, frozen=True, gc=False):
    """``source`` (sha256) was used to make ``target`` (sha256)."""

    source: str
    target: str

    def to_dict(self) -> dict[str, str]:
        return {"source": self.source, "target": self.target}


class SidecarHead(msgspec.Struct, frozen=True, gc=False):
    """The fields of one artifact sidecar the graph needs, as the shell decoded them."""

    kind: str
    artifact_id: str
    output_sha256: str
    output_path: str
    source_sha256: str | None
    sidecar: str


class LineageIndexDocument(msgspec.Struct, frozen=True):
    """The lineage index that ``LineageIndex.write`` saves, as ``graph_to_dict`` builds it."""

    schema: Literal["cosmos-lineage-index-v1"]
    node_count: int
    edge_count: int
    nodes: list[Node]
    edges: list[Edge]
    warnings: list[str]


def node_order(node: Node) -> tuple[int, str, str]:
    """Stable order of nodes: stage, then id, then sha256."""
    return STAGE_ORDER[node.stage], node.id, node.sha256


@dataclass(slots=True)
class LineageGraph:
    """Nodes by sha256, edges, and the warnings met while building.

    :func:`build_graph` fills the parents and children tables as it makes the edges, so the
    first query after a build does not wait for a pass over every edge.
    """

    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    _parents: dict[str, Sequence[str]] | None = None
    _children: dict[str, Sequence[str]] | None = None
    # The edge count the prebuilt tables describe; edges added by hand afterwards drop them.
    _built_edges: int | None = None

    def _drop_stale_lookups(self) -> None:
        if self._built_edges is not None and self._built_edges != len(self.edges):
            self._parents = self._children = self._built_edges = None

    def parents(self) -> dict[str, Sequence[str]]:
        """Sources of each sha256; built on first use, so keep edges unchanged afterwards."""
        if self._parents is None:
            self._parents = _adjacency(
                [edge.target for edge in self.edges], [edge.source for edge in self.edges]
            )
        return self._parents

    def children(self) -> dict[str, Sequence[str]]:
        """Products of each sha256; built on first use, so keep edges unchanged afterwards."""
        if self._children is None:
            self._children = _adjacency(
                [edge.source for edge in self.edges], [edge.target for edge in self.edges]
            )
        return self._children

    def parents_of(self, sha: str) -> Sequence[str]:
        self._drop_stale_lookups()
        return self.parents().get(sha, ())

    def children_of(self, sha: str) -> Sequence[str]:
        self._drop_stale_lookups()
        return self.children().get(sha, ())


def _adjacency(keys: list[str], values: list[str]) -> dict[str, Sequence[str]]:
    """Map each key to the values paired with it, in the order of the pairs."""
    # Most artifacts have one source, so the parents table usually has unique keys and one
    # call builds it in C. Otherwise the table is grouped in Python.
    table: dict[str, Sequence[str]] = dict(zip(keys, zip(values, strict=True), strict=True))
    if len(table) == len(keys):
        return table
    grouped: dict[str, list[str]] = defaultdict(list)
    for key, value in zip(keys, values, strict=True):
        grouped[key].append(value)
    return dict(grouped)


def _node(head: SidecarHead) -> Node:
    return Node(
        head.artifact_id, KIND_STAGE[head.kind], head.output_sha256, head.output_path, head.sidecar
    )


def build_graph(heads: Iterable[SidecarHead], malformed: Iterable[str] = ()) -> LineageGraph:
    """Build the graph from sidecar heads; ``malformed`` lists sidecars that could not be read.

    ``malformed`` is read after ``heads`` is consumed, so a scanner may fill it while it yields
    the heads. Edges keep the order of ``heads``. Each artifact has at most one source, and a
    repeated sha256 keeps one sidecar (see :func:`one_head_per_sha256`), so no edge repeats.
    A sidecar whose source is its own sha256 gets no edge, because the edge would be a loop.
    """
    graph = LineageGraph()
    heads = list(heads)
    graph.warnings += sorted(f"malformed sidecar skipped: {path}" for path in malformed)
    candidates = [_node(head) for head in heads]
    # One C-level call builds the table when every sha256 is distinct, the usual case.
    nodes = graph.nodes = dict(zip([node.sha256 for node in candidates], candidates, strict=True))
    if len(nodes) < len(candidates):
        heads, duplicates = one_head_per_sha256(heads)
        graph.warnings += sorted(duplicates)
        graph.nodes = nodes = {head.output_sha256: _node(head) for head in heads}

    edge_warnings: list[str] = []
    edges: list[Edge] = []
    parents: dict[str, Sequence[str]] = {}
    children: dict[str, list[str]] = {}
    rising = True
    for head in heads:
        source = head.source_sha256
        if not source:
            continue
        if source == head.output_sha256:
            edge_warnings.append(
                f"{head.sidecar} records its own sha256 {source[:12]} as its source (a "
                "byte-identical copy), so it gets no edge"
            )
            continue
        parent = nodes.get(source)
        if parent is None:
            if head.kind != "clip":
                # A clip's source is a raw recording, which is not an artifact.
                edge_warnings.append(
                    f"dangling edge: the source {source[:12]} of {head.sidecar} is not in the index"
                )
            continue
        # The edge uses the parent's own sha256 string, not the copy decoded from this sidecar,
        # so every edge shares the strings of its two nodes.
        source, target = parent.sha256, head.output_sha256
        edges.append(Edge(source, target))
        parents[target] = (source,)
        products = children.get(source)
        if products is None:
            children[source] = [target]
        else:
            products.append(target)
        rising = rising and STAGE_ORDER[parent.stage] < STAGE_ORDER[KIND_STAGE[head.kind]]
    # Each group of warnings is sorted, so they do not depend on the order the file system
    # lists a folder in.
    graph.warnings += sorted(edge_warnings)
    graph.edges = edges
    graph._parents = parents
    graph._children = cast("dict[str, Sequence[str]]", children)
    graph._built_edges = len(edges)
    if not rising:
        # Walking a cycle returns to its start stage, so a cycle needs at least one edge that
        # does not go to a later stage. Only then is there something to look for.
        graph.warnings += _cycle_warnings(graph)
    return graph


def one_head_per_sha256(heads: list[SidecarHead]) -> tuple[list[SidecarHead], list[str]]:
    """Keep one head per sha256, in ``heads`` order, and a warning per head left out.

    Of several sidecars for the same bytes, the kept one is not a byte-identical copy of its own
    source (a remux that changed nothing), then has the sidecar path that sorts first. The walk
    order of a folder depends on the file system, so it does not decide.
    """
    chosen: dict[str, SidecarHead] = {}
    for head in heads:
        current = chosen.get(head.output_sha256)
        if current is None or _preference(head) < _preference(current):
            chosen[head.output_sha256] = head
    warnings = [
        f"duplicate sha256 {head.output_sha256[:12]}: {head.sidecar} describes the same file as "
        f"{chosen[head.output_sha256].sidecar}; keeping the latter"
        for head in heads
        if chosen[head.output_sha256] is not head
    ]
    return [head for head in heads if chosen[head.output_sha256] is head], warnings


def _preference(head: SidecarHead) -> tuple[bool, str]:
    return head.source_sha256 == head.output_sha256, head.sidecar


def _cycle_warnings(graph: LineageGraph) -> list[str]:
    """Report each cycle once (Kahn's algorithm: what cannot be ordered is in or after one)."""
    nodes = graph.nodes
    rising = all(
        STAGE_ORDER[nodes[e.source].stage] < STAGE_ORDER[nodes[e.target].stage] for e in graph.edges
    )
    if rising:
        # Walking a cycle returns to its start stage, so a cycle needs at least one edge that
        # does not go to a later stage. Without such an edge there is nothing to look for.
        return []
    incoming: dict[str, int] = dict.fromkeys(nodes, 0)
    for edge in graph.edges:
        incoming[edge.target] += 1
    queue = deque(sha for sha, count in incoming.items() if count == 0)
    ordered = 0
    while queue:
        sha = queue.popleft()
        ordered += 1
        for child in graph.children_of(sha):
            incoming[child] -= 1
            if incoming[child] == 0:
                queue.append(child)
    if ordered == len(nodes):
        return []
    stuck = sorted(sha[:12] for sha, count in incoming.items() if count > 0)
    return [f"cycle in lineage edges among {', '.join(stuck)}"]


def _walk(start: str, neighbours: Callable[[str], Sequence[str]]) -> set[str]:
    seen: set[str] = set()
    queue = deque(neighbours(start))
    while queue:
        sha = queue.popleft()
        if sha in seen or sha == start:
            continue
        seen.add(sha)
        queue.extend(neighbours(sha))
    return seen


def upstream(graph: LineageGraph, sha: str) -> list[Node]:
    return sorted(
        (graph.nodes[s] for s in _walk(sha, graph.parents_of) if s in graph.nodes), key=node_order
    )


def downstream(graph: LineageGraph, sha: str) -> list[Node]:
    return sorted(
        (graph.nodes[s] for s in _walk(sha, graph.children_of) if s in graph.nodes),
        key=node_order,
    )


def chain(graph: LineageGraph, sha: str) -> list[Node]:
    nodes = {n.sha256: n for n in (*upstream(graph, sha), *downstream(graph, sha))}
    nodes[sha] = graph.nodes[sha]
    return sorted(nodes.values(), key=node_order)


def tree(graph: LineageGraph, sha: str) -> dict[str, Any]:
    """Return the node as a dict with a ``sources`` list, nested upstream; cycles stop."""

    def build(current: str, path: frozenset[str]) -> dict[str, Any]:
        node = graph.nodes[current]
        parents = {p for p in graph.parents_of(current) if p in graph.nodes and p not in path}
        ordered = sorted(parents, key=lambda parent: node_order(graph.nodes[parent]))
        sources = [build(parent, path | {parent}) for parent in ordered]
        return {**node.to_dict(), "sources": sources}

    return build(sha, frozenset({sha}))


def resolve_identifier(graph: LineageGraph, identifier: str) -> Result[str, InvalidInput]:
    """Resolve a full sha256, a unique sha256 prefix or an artifact id to a node's sha256."""
    text = identifier.strip().lower()
    if not text:
        return Failure(
            InvalidInput(
                value=identifier,
                message="invalid identifier: it is empty; give a full sha256, a sha256 prefix "
                "or an artifact id",
            )
        )
    if text in graph.nodes:
        return Success(text)
    by_id = [node.sha256 for node in graph.nodes.values() if node.id.lower() == text]
    if len(by_id) == 1:
        return Success(by_id[0])
    matches = sorted(sha for sha in graph.nodes if sha.startswith(text))
    if len(matches) == 1:
        return Success(matches[0])
    if len(matches) > 1 or len(by_id) > 1:
        matches_text = ", ".join(m[:16] for m in (matches or by_id)[:5])
        return Failure(
            InvalidInput(
                value=identifier,
                message=f"identifier {identifier!r} is ambiguous: it matches {matches_text}"
                f"{' ...' if len(matches) > 5 else ''}; give more characters of the sha256",
            )
        )
    return Failure(
        InvalidInput(
            value=identifier,
            message=f"unknown identifier {identifier!r}: no artifact in the index has that "
            "sha256, sha256 prefix or artifact id; check the folders given to build_index "
            "(CLI: --in, by default the current folder), and list their artifact ids with "
            "sha_map(folder) (CLI: `cosmos provenance list FOLDER`)",
        )
    )


def _edge_key(edge: Edge) -> tuple[str, str]:
    return edge.source, edge.target


def graph_to_dict(graph: LineageGraph) -> dict[str, Any]:
    nodes = sorted(graph.nodes.values(), key=node_order)
    return {
        "schema": LINEAGE_SCHEMA,
        "node_count": len(nodes),
        "edge_count": len(graph.edges),
        "nodes": [n.to_dict() for n in nodes],
        # Sorted, so the document does not depend on the order the folders were walked in.
        "edges": [e.to_dict() for e in sorted(graph.edges, key=_edge_key)],
        "warnings": list(graph.warnings),
    }
