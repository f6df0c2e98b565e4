"""LineageIndex filled by hand: queries follow every change to its tables."""

from __future__ import annotations

from cosmos.sdk.lineage import Edge, LineageIndex, Node

CLIP_A = "a" * 64
CLIP_B = "b" * 64
VIEW = "c" * 64


def _index() -> LineageIndex:
    nodes = {
        CLIP_A: Node("clip-a", "ingest", CLIP_A, "a.mp4", "a.mp4.cosmos_clip.v1.json"),
        CLIP_B: Node("clip-b", "ingest", CLIP_B, "b.mp4", "b.mp4.cosmos_clip.v1.json"),
        VIEW: Node("view-c", "crop", VIEW, "c.mp4", "c.mp4.cosmos_view.v1.json"),
    }
    return LineageIndex(nodes=nodes, edges=[Edge(CLIP_A, VIEW)])


def test_replaced_edge_changes_queries() -> None:
    index = _index()
    assert [node.id for node in index.upstream(VIEW)] == ["clip-a"]
    index.edges[0] = Edge(CLIP_B, VIEW)
    assert [node.id for node in index.upstream(VIEW)] == ["clip-b"]
    assert index.downstream(CLIP_A) == []
    assert [node.id for node in index.downstream(CLIP_B)] == ["view-c"]


def test_appended_edge_changes_queries() -> None:
    index = _index()
    assert index.downstream(CLIP_B) == []
    index.edges.append(Edge(CLIP_B, VIEW))
    assert [node.id for node in index.upstream(VIEW)] == ["clip-a", "clip-b"]


def test_assigned_tables_are_used() -> None:
    index = _index()
    assert index.downstream(CLIP_B) == []
    index.edges = [Edge(CLIP_B, VIEW)]
    assert [node.id for node in index.downstream(CLIP_B)] == ["view-c"]
    index.warnings = ["checked by hand"]
    assert index.to_dict()["warnings"] == ["checked by hand"]
    assert index.to_dict()["edges"] == [{"source": CLIP_B, "target": VIEW}]
