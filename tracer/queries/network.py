"""The neighbourhood of an enterprise or person: nodes and edges ready for a graph view.

Breadth-first, one bounded query per level (depth at most 3), then one query for the edges among
the collected nodes. Person node ids are opaque (see ``paths.node_id``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import networkx as nx
from pydantic import BaseModel

from tracer.domain.clock import Clock
from tracer.domain.errors import InvalidInput
from tracer.domain.keys import SubjectKey
from tracer.queries.catalogue import cypher
from tracer.queries.paths import (
    GraphEdge,
    GraphNode,
    node_flags,
    resolve_subject,
    to_edge,
    to_node,
)
from tracer.queries.runner import QueryRunner, Row

MAX_DEPTH = 3
MAX_NODES = 1000
MAX_EDGES = 5000


class Network(BaseModel):
    """Nodes and edges around ``center`` (a node id); ``truncated`` when a cap cut it short."""

    center: str
    depth: int
    as_of: date | None
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    truncated: bool

    def to_networkx(self) -> Any:
        """The network as a ``networkx.MultiDiGraph`` (node and edge fields as attributes)."""
        graph = nx.MultiDiGraph()
        for node in self.nodes:
            graph.add_node(node.id, **node.model_dump(exclude={"id"}))
        for edge in self.edges:
            graph.add_edge(edge.source, edge.target, key=edge.id, **edge.model_dump())
        return graph


def _expand(
    runner: QueryRunner, ids: list[str], seen: list[str], as_of: date | None, limit: int
) -> list[Row]:
    """The nodes next to ``ids`` not in ``seen`` (at most ``limit``)."""
    frontier = {"ids": ids, "seen": seen, "as_of": as_of}
    return runner.read(cypher("network_expand"), frontier=frontier, limit=limit)


def _edges(runner: QueryRunner, ids: list[str], as_of: date | None) -> list[Row]:
    """The relationships among ``ids`` (``MAX_EDGES`` + 1 at most)."""
    nodes = {"ids": ids, "as_of": as_of}
    return runner.read(cypher("network_edges_among"), nodes=nodes, limit=MAX_EDGES + 1)


def plan_statements(runner: QueryRunner, on: date) -> None:
    """Run the neighbourhood's statements once on no node, so that Neo4j has planned them before
    the first request (``tracer.queries.warmup``; its subject is resolved as ``paths`` does)."""
    _expand(runner, [], [], on, 1)
    _edges(runner, [], on)
    node_flags(runner, [], on)


def neighbourhood(
    runner: QueryRunner,
    center: SubjectKey,
    depth: int = 1,
    limit: int = 200,
    as_of: date | None = None,
    clock: Clock | None = None,
) -> Network:
    """Up to ``limit`` nodes within ``depth`` relationships (1..3) of an enterprise or person,
    with the edges among them; with ``as_of``, only relationships held on that date count.
    Flags and current relationships are judged on ``as_of``, else today by ``clock``."""
    if not 1 <= depth <= MAX_DEPTH:
        raise InvalidInput(f"depth must be between 1 and {MAX_DEPTH}, not {depth}")
    if not 1 <= limit <= MAX_NODES:
        raise InvalidInput(f"limit must be between 1 and {MAX_NODES}, not {limit}")
    start = resolve_subject(runner, center)
    found: dict[str, dict[str, Any]] = {start["element_id"]: start}
    frontier = [start["element_id"]]
    truncated = False
    for _ in range(depth):
        if not frontier:
            break
        room = limit - len(found)
        rows = _expand(runner, frontier, list(found), as_of, room + 1)
        truncated = truncated or len(rows) > room
        frontier = [row["element_id"] for row in rows[:room]]
        found.update((row["element_id"], row) for row in rows[:room])
    edge_rows = _edges(runner, list(found), as_of)
    truncated = truncated or len(edge_rows) > MAX_EDGES
    on = as_of or (clock or Clock()).today()
    flags = node_flags(runner, found, on)
    nodes = [to_node(raw, flags.get(element_id, ())) for element_id, raw in found.items()]
    ids = {element_id: node.id for element_id, node in zip(found, nodes, strict=True)}
    return Network(
        center=nodes[0].id,
        depth=depth,
        as_of=as_of,
        nodes=nodes,
        edges=[to_edge(raw, ids, on) for raw in edge_rows[:MAX_EDGES]],
        truncated=truncated,
    )
