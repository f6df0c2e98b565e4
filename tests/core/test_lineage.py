"""The lineage graph built by hand: orders, traversals, identifiers and every warning."""

from __future__ import annotations

import gc

from returns.result import Failure

from cosmos.core.provenance.lineage import (
    Edge,
    LineageGraph,
    SidecarHead,
    build_graph,
    chain,
    downstream,
    graph_to_dict,
    resolve_identifier,
    tree,
    upstream,
)

CLIP = "a" * 64
VIEW = "b" * 64
OPT_VIEW = "c" * 64
OPT_CLIP = "d" * 63 + "e"


def _head(kind: str, artifact_id: str, sha: str, source: str | None) -> SidecarHead:
    return SidecarHead(
        kind, artifact_id, sha, f"/out/{artifact_id}.mp4", source, f"/out/{artifact_id}.json"
    )


HEADS = [
    _head("optimized", "optimized-v-cccc", OPT_VIEW, VIEW),
    _head("view", "view-v-bbbb", VIEW, CLIP),
    _head("clip", "clip-c-aaaa", CLIP, "f" * 64),
    _head("optimized", "optimized-c-dddd", OPT_CLIP, CLIP),
]


def test_chain_in_stage_order() -> None:
    graph = build_graph(HEADS)
    assert [n.id for n in chain(graph, OPT_VIEW)] == [
        "clip-c-aaaa",
        "view-v-bbbb",
        "optimized-v-cccc",
    ]
    assert graph.warnings == []


def test_downstream_lists_both_derivatives() -> None:
    graph = build_graph(HEADS)
    assert [n.id for n in downstream(graph, CLIP)] == [
        "view-v-bbbb",
        "optimized-c-dddd",
        "optimized-v-cccc",
    ]
    assert upstream(graph, CLIP) == []


def test_tree_nests_sources() -> None:
    graph = build_graph(HEADS)
    nested = tree(graph, OPT_VIEW)
    assert nested["id"] == "optimized-v-cccc"
    assert nested["sources"][0]["id"] == "view-v-bbbb"
    assert nested["sources"][0]["sources"][0]["id"] == "clip-c-aaaa"
    assert nested["sources"][0]["sources"][0]["sources"] == []


def test_identifier_forms() -> None:
    graph = build_graph(HEADS)
    assert resolve_identifier(graph, CLIP).unwrap() == CLIP
    assert resolve_identifier(graph, "bbbb").unwrap() == VIEW
    assert resolve_identifier(graph, "view-v-bbbb").unwrap() == VIEW


def test_unknown_identifier() -> None:
    result = resolve_identifier(build_graph(HEADS), "9" * 8)
    assert isinstance(result, Failure)
    assert "unknown identifier '99999999'" in result.failure().message


def test_empty_identifier_invalid() -> None:
    result = resolve_identifier(build_graph(HEADS), "  ")
    assert isinstance(result, Failure)
    assert "invalid identifier: it is empty" in result.failure().message


def test_ambiguous_prefix() -> None:
    heads = [*HEADS, _head("clip", "clip-x", "d" * 12 + "0" * 52, None)]
    result = resolve_identifier(build_graph(heads), "ddddd")
    assert isinstance(result, Failure)
    assert "ambiguous" in result.failure().message


def test_warnings_for_bad_input() -> None:
    heads = [
        *HEADS,
        _head("view", "view-dup", VIEW, CLIP),
        _head("view", "view-dangling", "1" * 64, "2" * 64),
    ]
    graph = build_graph(heads, malformed=["/out/broken.cosmos_view.v1.json"])
    text = "\n".join(graph.warnings)
    assert "malformed sidecar skipped: /out/broken.cosmos_view.v1.json" in text
    assert "duplicate sha256" in text
    assert "dangling edge" in text


def test_warnings_ignore_walk_order() -> None:
    bad = [
        _head("view", "view-z", "2" * 64, "9" * 64),
        _head("view", "view-a", "1" * 64, "8" * 64),
    ]
    malformed = ["/out/y.cosmos_clip.v1.json", "/out/b.cosmos_clip.v1.json"]
    forward = build_graph(bad, malformed=malformed).warnings
    backward = build_graph(bad[::-1], malformed=malformed[::-1]).warnings
    assert forward == backward
    assert forward[0] == "malformed sidecar skipped: /out/b.cosmos_clip.v1.json"
    assert "/out/view-a.json" in forward[2]


def test_cycle_warns_and_tree_terminates() -> None:
    heads = [
        _head("view", "view-x", "1" * 64, "2" * 64),
        _head("optimized", "optimized-y", "2" * 64, "1" * 64),
    ]
    graph = build_graph(heads)
    assert any("cycle" in w for w in graph.warnings)
    nested = tree(graph, "1" * 64)
    assert nested["sources"][0]["sources"] == []
    assert {n.id for n in chain(graph, "1" * 64)} == {"view-x", "optimized-y"}


def test_same_stage_chain_is_no_cycle() -> None:
    heads = [
        *HEADS,
        _head("optimized", "optimized-again", "5" * 64, OPT_VIEW),
    ]
    graph = build_graph(heads)
    assert graph.warnings == []
    assert [n.id for n in upstream(graph, "5" * 64)] == [
        "clip-c-aaaa",
        "view-v-bbbb",
        "optimized-v-cccc",
    ]


def test_same_stage_cycle_warns() -> None:
    heads = [
        _head("optimized", "optimized-x", "1" * 64, "2" * 64),
        _head("optimized", "optimized-y", "2" * 64, "1" * 64),
    ]
    graph = build_graph(heads)
    assert graph.warnings == ["cycle in lineage edges among 111111111111, 222222222222"]


def test_edges_in_head_order_and_shared() -> None:
    graph = build_graph(HEADS)
    assert [(e.source, e.target) for e in graph.edges] == [
        (VIEW, OPT_VIEW),
        (CLIP, VIEW),
        (CLIP, OPT_CLIP),
    ]
    for edge in graph.edges:
        assert edge.source is graph.nodes[edge.source].sha256


def test_document_edges_sorted() -> None:
    forward = graph_to_dict(build_graph(HEADS))
    backward = graph_to_dict(build_graph(list(reversed(HEADS))))
    assert forward["edges"] == backward["edges"]
    assert [(e["source"], e["target"]) for e in forward["edges"]] == sorted(
        [(CLIP, VIEW), (VIEW, OPT_VIEW), (CLIP, OPT_CLIP)]
    )


def test_hand_filled_graph_two_parents() -> None:
    graph = build_graph(HEADS)
    graph.edges.append(Edge(OPT_CLIP, OPT_VIEW))
    assert [n.id for n in upstream(graph, OPT_VIEW)] == [
        "clip-c-aaaa",
        "view-v-bbbb",
        "optimized-c-dddd",
    ]
    assert [n.id for n in downstream(graph, OPT_CLIP)] == ["optimized-v-cccc"]


def test_graph_objects_skip_collector() -> None:
    graph = build_graph(HEADS)
    assert not any(gc.is_tracked(node) for node in graph.nodes.values())
    assert not any(gc.is_tracked(edge) for edge in graph.edges)
    assert not gc.is_tracked(HEADS[0])
    assert graph.nodes[CLIP].to_dict() == {
        "id": "clip-c-aaaa",
        "stage": "ingest",
        "sha256": CLIP,
        "path": "/out/clip-c-aaaa.mp4",
        "sidecar": "/out/clip-c-aaaa.json",
    }


def test_prebuilt_lookups_match_tables() -> None:
    heads = [_head("clip", f"clip-{n}", f"{n:064x}", "f" * 64) for n in range(40)]
    heads += [_head("view", f"view-{n}", f"{1000 + n:064x}", f"{n % 7:064x}") for n in range(60)]
    heads += [
        _head("optimized", f"opt-{n}", f"{2000 + n:064x}", f"{1000 + n:064x}") for n in range(60)
    ]
    built = build_graph(heads)
    by_hand = LineageGraph(nodes=dict(built.nodes), edges=list(built.edges))
    assert built._children is not None
    assert by_hand._children is None
    for sha in built.nodes:
        assert list(built.children_of(sha)) == list(by_hand.children_of(sha))
        assert list(built.parents_of(sha)) == list(by_hand.parents_of(sha))
    assert len(built.children_of(f"{3:064x}")) == 9


def test_duplicate_sha_keeps_sorted_sidecar() -> None:
    heads = [
        _head("clip", "clip-c-aaaa", CLIP, "f" * 64),
        _head("view", "view-b", VIEW, OPT_CLIP),
        _head("view", "view-a", VIEW, CLIP),
    ]
    graph = build_graph(heads)
    assert graph.nodes[VIEW].id == "view-a"
    assert [(e.source, e.target) for e in graph.edges] == [(CLIP, VIEW)]
    assert graph.warnings == [
        f"duplicate sha256 {VIEW[:12]}: /out/view-b.json describes the same file as "
        "/out/view-a.json; keeping the latter"
    ]


def test_duplicate_prefers_real_derivative() -> None:
    # Remuxing an optimized file again can give the same bytes, so that copy names itself as
    # its source. The sidecar with the real edge must win whatever the walk order.
    heads = [
        _head("clip", "clip-c-aaaa", CLIP, "f" * 64),
        _head("optimized", "optimized-a-copy", OPT_CLIP, OPT_CLIP),
        _head("optimized", "optimized-b", OPT_CLIP, CLIP),
    ]
    graph = build_graph(heads)
    assert graph.nodes[OPT_CLIP].id == "optimized-b"
    assert [(e.source, e.target) for e in graph.edges] == [(CLIP, OPT_CLIP)]
    assert len(graph.warnings) == 1
    assert "keeping the latter" in graph.warnings[0]


def test_own_sha_as_source_gets_no_edge() -> None:
    heads = [_head("optimized", "optimized-copy", OPT_CLIP, OPT_CLIP)]
    graph = build_graph(heads)
    assert graph.edges == []
    assert graph.warnings == [
        f"/out/optimized-copy.json records its own sha256 {OPT_CLIP[:12]} as its source (a "
        "byte-identical copy), so it gets no edge"
    ]


def test_edges_added_after_build_are_seen() -> None:
    graph = build_graph(HEADS)
    assert list(graph.children_of(OPT_CLIP)) == []
    graph.edges.append(Edge(OPT_CLIP, OPT_VIEW))
    assert list(graph.children_of(OPT_CLIP)) == [OPT_VIEW]
    assert sorted(graph.parents_of(OPT_VIEW)) == sorted([VIEW, OPT_CLIP])
