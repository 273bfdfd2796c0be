"""How two subjects are connected: shortest paths through roles, shareholdings and findings.

Also the graph-view shapes shared with ``network``: subject keys, nodes and edges ready for a
visualisation. Person node ids are opaque (``P:`` + the element id): an ID number never becomes
part of a node id, a URL or a graph; persons carry a ``PersonRef`` (whose full number is
serialised only where a role reveals it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from typing import Any, Literal

from pydantic import BaseModel, Field

from tracer.domain.clock import Clock
from tracer.domain.errors import InvalidInput, NotFound
from tracer.domain.keys import SubjectKey
from tracer.queries.catalogue import cypher
from tracer.queries.models import PersonRef
from tracer.queries.runner import QueryRunner, Row
from tracer.queries.timeline import LATEST

NodeKind = Literal["ENTERPRISE", "PERSON", "FINDING", "DEPARTMENT"]

MAX_HOPS = 8
MAX_PATHS = 50
#: Relationships followed per node and hop (a hub costs this many, not its degree).
FANOUT = 100
#: Nodes expanded per side and hop.
FRONTIER = 200
#: Depth-first steps of the path enumeration in the collected subgraph.
MAX_STEPS = 50_000
_KIND_BY_LABEL: dict[str, NodeKind] = {
    "Enterprise": "ENTERPRISE",
    "Person": "PERSON",
    "Finding": "FINDING",
    "Department": "DEPARTMENT",
}
_ID_PREFIX: dict[NodeKind, str] = {
    "ENTERPRISE": "E:",
    "PERSON": "P:",
    "FINDING": "F:",
    "DEPARTMENT": "D:",
}
_KEY_PROPERTY: dict[NodeKind, str] = {
    "ENTERPRISE": "uscc",
    "FINDING": "finding_id",
    "DEPARTMENT": "code",
}


class GraphNode(BaseModel):
    """A node as shown to users: opaque stable ``id``, ``kind``, ``key`` (never a person's ID)."""

    id: str
    kind: NodeKind
    key: str | None
    label: str
    person: PersonRef | None = None
    status: str | None = None
    flags: list[str] = []


class GraphEdge(BaseModel):
    """A relationship between two node ids, in its stored direction."""

    id: str
    source: str
    target: str
    type: str
    role: str | None = None
    share: float | None = None
    capacity: str | None = None
    qualification: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    ended: bool = False
    roles: list[str] = Field(
        default_factory=list,
        description="every role (or capacity) of the parallel relationships this edge stands for "
        "when paths that differ only in it were merged (e.g. LEGAL_REPRESENTATIVE and CHAIRMAN)",
    )


class Path(BaseModel):
    """One connection: nodes from source to target and the relationships between them."""

    hops: int
    nodes: list[GraphNode]
    edges: list[GraphEdge]


class PathsResult(BaseModel):
    """Shortest connections between two subjects, shortest first."""

    source: GraphNode
    target: GraphNode
    max_hops: int
    as_of: date | None
    paths: list[Path]
    truncated: bool = Field(
        default=False, description="a bound of the search cut it short: paths may be missing"
    )
    notes: list[str] = Field(default_factory=list, description="which bound, when truncated")


def node_id(element_id: str, labels: Iterable[str], props: Mapping[str, Any]) -> str:
    """The opaque, stable id of a node: ``E:<uscc>``, ``D:<code>``, ``F:<finding_id>``,
    ``P:<element id>`` (persons: never the ID number)."""
    kind = node_kind(labels)
    if kind == "PERSON":
        return _ID_PREFIX[kind] + element_id
    return _ID_PREFIX[kind] + str(props[_KEY_PROPERTY[kind]])


def node_kind(labels: Iterable[str]) -> NodeKind:
    """The kind of a node from its labels."""
    for label in labels:
        if label in _KIND_BY_LABEL:
            return _KIND_BY_LABEL[label]
    raise ValueError(f"not a subject node: labels {sorted(labels)}")


def to_node(raw: Mapping[str, Any], flags: Iterable[str] = ()) -> GraphNode:
    """A ``GraphNode`` from ``{element_id, labels, props}`` as the queries return it."""
    labels, props = raw["labels"], raw["props"]
    kind = node_kind(labels)
    person = None
    if kind == "PERSON":
        person = PersonRef.of(props["id_type"], props["id_number"], props.get("name"))
        label = props.get("name") or person.id_masked
    elif kind == "FINDING":
        label = f"{props.get('list_type', 'FINDING')} {props['finding_id']}"
    else:
        label = props.get("name") or str(props[_KEY_PROPERTY[kind]])
    return GraphNode(
        id=node_id(raw["element_id"], labels, props),
        kind=kind,
        key=None if kind == "PERSON" else str(props[_KEY_PROPERTY[kind]]),
        label=label,
        person=person,
        status=props.get("status"),
        flags=sorted(flags),
    )


def to_edge(raw: Mapping[str, Any], ids: Mapping[str, str], on: date) -> GraphEdge:
    """A ``GraphEdge`` from ``{element_id, type, source, target, props}``; ``ids`` maps element
    ids to node ids; ``ended`` means the end date lies before ``on``."""
    props = raw["props"]
    end = props.get("end_date")
    return GraphEdge(
        id=raw["element_id"],
        source=ids[raw["source"]],
        target=ids[raw["target"]],
        type=raw["type"],
        role=props.get("role"),
        share=props.get("share"),
        capacity=props.get("capacity"),
        qualification=props.get("qualification"),
        start_date=props.get("start_date"),
        end_date=end,
        ended=end is not None and end < on,
    )


def resolve_subjects(runner: QueryRunner, keys: list[SubjectKey]) -> list[dict[str, Any]]:
    """The raw nodes ``{element_id, labels, props}`` of subjects, in order (one round trip), or
    ``NotFound`` for the first not in the graph."""
    keys = [key.normalised() for key in keys]
    rows = runner.read(
        cypher("paths_resolve_subject"),
        subjects={
            "keys": [
                {"uscc": key.uscc, "id_type": key.id_type, "id_number": key.id_number}
                for key in keys
            ]
        },
    )
    nodes = {row["i"]: row["node"] for row in rows}
    for i, key in enumerate(keys):
        if nodes.get(i) is None:
            what = f"enterprise {key.uscc}" if key.uscc else f"person ({key.id_type})"
            raise NotFound(f"no {what} in the graph")
    return [nodes[i] for i in range(len(keys))]


def resolve_subject(runner: QueryRunner, key: SubjectKey) -> dict[str, Any]:
    """The raw node ``{element_id, labels, props}`` of a subject, or ``NotFound``."""
    return resolve_subjects(runner, [key])[0]


def _flag_names(row: Mapping[str, Any]) -> list[str]:
    """``LISTED`` / ``NAMED`` from a row's ``listed`` and ``named`` (``subject_flags``)."""
    return [name for name, on in (("LISTED", row["listed"]), ("NAMED", row["named"])) if on]


def node_flags(runner: QueryRunner, element_ids: Iterable[str], on: date) -> dict[str, list[str]]:
    """``LISTED`` / ``NAMED`` flags per element id: a finding in force on ``on`` (as now known)
    is against the node, or names the person (not released from it)."""
    rows = runner.read(
        cypher("paths_node_flags"),
        nodes={"ids": sorted(set(element_ids))},
        as_of=on,
        known_at=LATEST,
    )
    return {row["element_id"]: _flag_names(row) for row in rows}


def find_paths(
    runner: QueryRunner,
    source: SubjectKey,
    target: SubjectKey,
    max_hops: int = 6,
    limit: int = 10,
    as_of: date | None = None,
    clock: Clock | None = None,
) -> PathsResult:
    """Up to ``limit`` shortest connections (at most ``max_hops`` relationships, hard cap 8)
    between two subjects, shortest first, no node twice; with ``as_of``, only relationships held
    on that date count. Flags and current relationships are judged on ``as_of``, else today by
    ``clock``.

    The work is bounded whatever the graph's size: a bidirectional breadth-first search reads
    at most ``FANOUT`` relationships of a node and expands at most ``FRONTIER`` nodes per side
    and hop (``ceil(max_hops / 2)`` round trips, after one that finds both subjects); the paths
    are then enumerated in the collected subgraph, and one more round trip reads their nodes
    (with flags) and relationships. When a cap cut the search, ``truncated`` is set and
    ``notes`` say which: paths may then be missing (never wrong)."""
    if not 1 <= max_hops <= MAX_HOPS:
        raise InvalidInput(f"max_hops must be between 1 and {MAX_HOPS}, not {max_hops}")
    if not 1 <= limit <= MAX_PATHS:
        raise InvalidInput(f"limit must be between 1 and {MAX_PATHS}, not {limit}")
    start, end = resolve_subjects(runner, [source, target])
    if start["element_id"] == end["element_id"]:
        raise InvalidInput("source and target are the same subject")
    local = _collect(runner, start["element_id"], end["element_id"], max_hops, as_of)
    walks = _enumerate(local, start["element_id"], end["element_id"], max_hops)
    on = as_of or (clock or Clock()).today()
    ends = {start["element_id"], end["element_id"]}
    found = _elements(
        runner,
        sorted({node for walk in walks for node in walk[0]} | ends),
        sorted({rel for walk in walks for rel in walk[1]}),
        on,
    )
    raw_nodes = {raw["element_id"]: raw for raw in found["nodes"]}
    raw_rels = {raw["element_id"]: raw for raw in found["rels"]}
    flags = {element_id: _flag_names(raw) for element_id, raw in raw_nodes.items()}
    paths = []
    for node_ids, rel_ids in walks:
        nodes = [to_node(raw_nodes[n], flags.get(n, ())) for n in node_ids]
        ids = {n: node.id for n, node in zip(node_ids, nodes, strict=True)}
        edges = [to_edge(raw_rels[r], ids, on) for r in rel_ids]
        paths.append(Path(hops=len(edges), nodes=nodes, edges=edges))
    return PathsResult(
        source=to_node(start, flags.get(start["element_id"], ())),
        target=to_node(end, flags.get(end["element_id"], ())),
        max_hops=max_hops,
        as_of=as_of,
        paths=merge_parallel(paths)[:limit],
        truncated=bool(local.notes),
        notes=local.notes,
    )


def _elements(runner: QueryRunner, nodes: list[str], rels: list[str], on: date) -> Row:
    """The raw nodes (with flags on ``on``) and relationships of the found paths."""
    found = runner.read_one(
        cypher("paths_elements"),
        elements={"nodes": nodes, "rels": rels},
        as_of=on,
        known_at=LATEST,
    )
    return found or {"nodes": [], "rels": []}


def _expand(runner: QueryRunner, ids: list[str], as_of: date | None) -> list[Row]:
    """One level of the search around the nodes ``ids`` (``FANOUT`` + 1 per node at most)."""
    return runner.read(
        cypher("paths_expand"), frontier={"ids": ids, "as_of": as_of}, fanout=FANOUT + 1
    )


def plan_statements(runner: QueryRunner, on: date) -> None:
    """Run the search's statements once on no node, so that Neo4j has planned them before the
    first search (``tracer.queries.warmup``; planning them took ~0.3 s)."""
    resolve_subjects(runner, [])
    _expand(runner, [], on)
    _elements(runner, [], [], on)


@dataclass
class _Local:
    """The part of the graph a bounded search saw: parallel relationships per node pair."""

    rels: dict[str, dict[str, list[str]]] = field(default_factory=lambda: defaultdict(dict))
    notes: list[str] = field(default_factory=list)

    def link(self, a: str, b: str, rel: str) -> None:
        """Record relationship ``rel`` between ``a`` and ``b`` (either direction)."""
        for x, y in ((a, b), (b, a)):
            found = self.rels[x].setdefault(y, [])
            if rel not in found:
                found.append(rel)


def _collect(
    runner: QueryRunner, source: str, target: str, max_hops: int, as_of: date | None
) -> _Local:
    """Expand ``ceil(max_hops / 2)`` levels around the source and ``floor(max_hops / 2)``
    around the target, one round trip per level for both sides: every path of at most
    ``max_hops`` relationships has each of its relationships seen from one end or the other
    (unless a cap cut the search, which a note then says)."""
    local = _Local()
    levels = {source: (max_hops + 1) // 2, target: max_hops // 2}
    frontiers = {side: [side] for side in levels}
    seen = {side: {side} for side in levels}
    cut_fanout = cut_frontier = False
    for level in range(levels[source]):
        sides = [side for side in levels if level < levels[side] and frontiers[side]]
        ids = sorted({node for side in sides for node in frontiers[side]})
        if not ids:
            break
        rows = _expand(runner, ids, as_of)
        per_node: dict[str, list[tuple[str, str]]] = defaultdict(list)
        read: dict[str, int] = defaultdict(int)
        for row in rows:
            read[row["source"]] += 1
            if read[row["source"]] <= FANOUT and row["follow"]:
                per_node[row["source"]].append((row["rel"], row["node"]))
        cut_fanout = cut_fanout or any(count > FANOUT for count in read.values())
        for node, links in per_node.items():
            for rel, other in links:
                local.link(node, other, rel)
        for side in sides:
            following = []
            for node in frontiers[side]:
                for _, other in per_node.get(node, []):
                    if other not in seen[side]:
                        seen[side].add(other)
                        following.append(other)
            cut_frontier = cut_frontier or len(following) > FRONTIER
            frontiers[side] = following[:FRONTIER]
    if cut_fanout:
        local.notes.append(
            f"only {FANOUT} relationships of a node with more were read: paths through its "
            "other neighbours may be missing"
        )
    if cut_frontier:
        local.notes.append(
            f"at most {FRONTIER} nodes were expanded per hop from each end: longer paths may "
            "be missing"
        )
    return local


def _distances(local: _Local, origin: str, bound: int) -> dict[str, int]:
    """Hops from ``origin`` in the collected subgraph, up to ``bound``."""
    found = {origin: 0}
    level = [origin]
    for hops in range(1, bound + 1):
        following = []
        for node in level:
            for other in local.rels.get(node, {}):
                if other not in found:
                    found[other] = hops
                    following.append(other)
        level = following
    return found


def _enumerate(
    local: _Local, source: str, target: str, max_hops: int
) -> list[tuple[list[str], list[str]]]:
    """Up to ``MAX_PATHS`` simple paths (node ids, relationship ids) from ``source`` to
    ``target`` in the collected subgraph, shortest first; a parallel relationship makes a path
    of its own (``merge_parallel`` joins them). A depth-first search per length, pruned by the
    distance to the target; at most ``MAX_STEPS`` steps (else a note)."""
    to_target = _distances(local, target, max_hops)
    found: list[tuple[list[str], list[str]]] = []
    steps = 0
    for length in range(to_target.get(source, max_hops + 1), max_hops + 1):
        stack: list[list[str]] = [[source]]
        while stack and len(found) < MAX_PATHS:
            walk = stack.pop()
            steps += 1
            if steps > MAX_STEPS:
                local.notes.append(f"path enumeration stopped after {MAX_STEPS} steps")
                return found
            node = walk[-1]
            if node == target:
                if len(walk) - 1 == length:
                    found.extend(_expanded(local, walk, MAX_PATHS - len(found)))
                continue
            for other in sorted(local.rels.get(node, {}), reverse=True):
                if other not in walk and len(walk) + to_target.get(other, max_hops + 1) <= length:
                    stack.append([*walk, other])
        if len(found) >= MAX_PATHS:
            break
    return found


def _expanded(local: _Local, walk: list[str], room: int) -> list[tuple[list[str], list[str]]]:
    """The paths along the node sequence ``walk``, one per choice of parallel relationships."""
    choices: list[list[str]] = [[]]
    for a, b in pairwise(walk):
        choices = [[*rels, rel] for rels in choices for rel in local.rels[a][b]][:room]
    return [(walk, rels) for rels in choices]


def _shape(path: Path) -> tuple[object, ...]:
    """What a path is apart from which parallel relationship it takes at each hop."""
    nodes = tuple(node.id for node in path.nodes)
    return nodes, tuple((edge.type, edge.source, edge.target) for edge in path.edges)


def _label(edge: GraphEdge) -> str | None:
    return edge.role or edge.capacity or edge.qualification


def merge_parallel(paths: list[Path]) -> list[Path]:
    """One path per node sequence and edge types and directions: paths that differ only in
    which of parallel relationships they take (a person both LEGAL_REPRESENTATIVE and CHAIRMAN
    of one enterprise) become one, whose edges list every ``roles``; order kept."""
    merged: dict[tuple[object, ...], list[Path]] = {}
    for path in paths:
        merged.setdefault(_shape(path), []).append(path)
    found = []
    for group in merged.values():
        first = group[0]
        edges = []
        for hop, edge in enumerate(first.edges):
            parallel = [path.edges[hop] for path in group]
            roles = sorted({label for other in parallel if (label := _label(other))})
            current = next((other for other in parallel if not other.ended), edge)
            edges.append(current.model_copy(update={"roles": roles}))
        found.append(first.model_copy(update={"edges": edges}))
    return found
