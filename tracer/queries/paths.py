"""How two subjects are connected: shortest paths through roles, shareholdings and findings.

Also the graph-view shapes shared with ``network``: subject keys, nodes and edges ready for a
visualisation. Person node ids are opaque (``P:`` + the element id): an ID number never becomes
part of a node id, a URL or a graph; persons carry a ``PersonRef`` (whose full number is
serialised only where a role reveals it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field

from tracer.domain.clock import Clock
from tracer.domain.errors import InvalidInput, NotFound
from tracer.domain.keys import SubjectKey
from tracer.queries.catalogue import cypher
from tracer.queries.models import PersonRef
from tracer.queries.runner import QueryRunner
from tracer.queries.timeline import LATEST

NodeKind = Literal["ENTERPRISE", "PERSON", "FINDING", "DEPARTMENT"]

MAX_HOPS = 8
MAX_PATHS = 50
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


def hop_bounded(name: str, cap: int, hops: int) -> str:
    """Catalogue query ``name`` with its literal quantifier ``{1,cap}`` narrowed to ``{1,hops}``.

    ``hops`` is allow-listed (an ``int`` in 1..cap), so the bound stays a literal and the search
    stops early; nothing else is ever spliced into Cypher.
    """
    if isinstance(hops, bool) or not isinstance(hops, int) or not 1 <= hops <= cap:
        raise InvalidInput(f"the hop bound must be between 1 and {cap}, not {hops}")
    literal = f"{{1,{cap}}}"
    lines = cypher(name).splitlines(keepends=True)
    code = [i for i, line in enumerate(lines) if not line.lstrip().startswith("//")]
    if sum(lines[i].count(literal) for i in code) != 1:
        raise ValueError(f"{name}.cypher must contain the quantifier {literal} exactly once")
    for i in code:
        lines[i] = lines[i].replace(literal, f"{{1,{hops}}}")
    return "".join(lines)


def resolve_subject(runner: QueryRunner, key: SubjectKey) -> dict[str, Any]:
    """The raw node ``{element_id, labels, props}`` of a subject, or ``NotFound``."""
    key = key.normalised()
    row = runner.read_one(
        cypher("paths_resolve_subject"),
        uscc=key.uscc,
        id_type=key.id_type,
        id_number=key.id_number,
    )
    if row is None:
        what = f"enterprise {key.uscc}" if key.uscc else f"person ({key.id_type})"
        raise NotFound(f"no {what} in the graph")
    return row


def node_flags(runner: QueryRunner, element_ids: Iterable[str], on: date) -> dict[str, list[str]]:
    """``LISTED`` / ``NAMED`` flags per element id: a finding in force on ``on`` (as now known)
    is against the node, or names the person (not released from it)."""
    rows = runner.read(
        cypher("paths_node_flags"), ids=sorted(set(element_ids)), as_of=on, known_at=LATEST
    )
    flags: dict[str, list[str]] = {}
    for row in rows:
        flags[row["element_id"]] = [
            name
            for name, on_flag in (("LISTED", row["listed"]), ("NAMED", row["named"]))
            if on_flag
        ]
    return flags


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
    between two subjects; with ``as_of``, only relationships held on that date count. Flags
    and current relationships are judged on ``as_of``, else today by ``clock``."""
    if not 1 <= max_hops <= MAX_HOPS:
        raise InvalidInput(f"max_hops must be between 1 and {MAX_HOPS}, not {max_hops}")
    if not 1 <= limit <= MAX_PATHS:
        raise InvalidInput(f"limit must be between 1 and {MAX_PATHS}, not {limit}")
    start, end = resolve_subject(runner, source), resolve_subject(runner, target)
    if start["element_id"] == end["element_id"]:
        raise InvalidInput("source and target are the same subject")
    rows = runner.read(
        hop_bounded("paths_between", MAX_HOPS, max_hops),
        source_id=start["element_id"],
        target_id=end["element_id"],
        limit=MAX_PATHS,  # merged below, then cut to ``limit``
        as_of=as_of,
    )
    on = as_of or (clock or Clock()).today()
    flags = node_flags(
        runner,
        [node["element_id"] for row in rows for node in row["nodes"]]
        + [start["element_id"], end["element_id"]],
        on,
    )
    paths = []
    for row in rows:
        nodes = [to_node(raw, flags.get(raw["element_id"], ())) for raw in row["nodes"]]
        ids = {raw["element_id"]: node.id for raw, node in zip(row["nodes"], nodes, strict=True)}
        edges = [to_edge(raw, ids, on) for raw in row["rels"]]
        paths.append(Path(hops=len(edges), nodes=nodes, edges=edges))
    return PathsResult(
        source=to_node(start, flags.get(start["element_id"], ())),
        target=to_node(end, flags.get(end["element_id"], ())),
        max_hops=max_hops,
        as_of=as_of,
        paths=merge_parallel(paths)[:limit],
    )


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
