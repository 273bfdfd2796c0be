"""Ownership penetration, beneficial owners and actual controllers (DOMAIN.md §6).

One bounded query set fetches the upstream ownership subgraph of an enterprise on a date; the
arithmetic runs in Python.

Definitions (the reference model in ``tests/reference_model/ownership.py`` states them too):

- The *subgraph* on ``as_of``: the enterprise T, every holder that reaches T through OWNS edges
  held on ``as_of`` within ``max_depth`` edges, and every person declared ACTUAL_CONTROLLER (a
  HOLDS edge held on ``as_of``) of one of those enterprises; its edges are the held OWNS edges
  between these nodes and the declared-controller edges. Parallel OWNS edges are kept apart.
- A *chain* is a simple path of OWNS edges from a holder to T of at most ``max_depth`` edges;
  its product is the product of the edge shares, or null when any share is unknown.
- *Penetrated share* of a holder: ``share_known_part`` = the sum of the products of its chains
  whose shares are all known (a lower bound); ``share`` = that sum when every chain is known,
  else null (unknown is never zero); ``unknown_chains`` counts the chains with an unknown share.
  ``direct_share`` = the sum of its direct edges to T (0 with none, null if one is unknown).
- *Control* (least fixpoint): S controls X when S is X's declared controller, or when the known
  shares in X held by S directly plus by the enterprises S controls add up to more than 50%
  (more than 0.5 + 1e-9; unknown shares never establish control).
- *Beneficial owner*: a person whose ``share_known_part`` is at least ``threshold`` (- 1e-9);
  failing any such person, every person who controls T (basis ``control``).
- *Actual controller* of T: ``declared`` (HOLDS role ACTUAL_CONTROLLER); ``derived`` when S
  controls T by the rule but its direct known share alone is not above 50% (so the control runs
  through at least one controlled intermediate). A direct majority holder ``controls`` T as its
  controlling shareholder with ``controller`` null. ``ultimate``: nobody else controls S.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from math import prod
from typing import Any, Literal

from pydantic import BaseModel

from tracer.domain.errors import InvalidInput, NotFound
from tracer.domain.identifiers import validate_uscc
from tracer.queries.catalogue import cypher
from tracer.queries.models import EnterpriseRef, PersonRef, SubjectKind
from tracer.queries.paths import hop_bounded, node_id, node_kind
from tracer.queries.runner import QueryRunner

MAX_DEPTH = 15
NODE_LIMIT = 5000
EDGE_LIMIT = 50000
CHAIN_LIMIT = 20000
CONTROL_CHAIN_LIMIT = 50
MAJORITY = 0.5
EPSILON = 1e-9

LinkType = Literal["OWNS", "ACTUAL_CONTROLLER"]
ControllerBasis = Literal["declared", "derived"]


class Subject(BaseModel):
    """An owner: enterprise (``uscc``), department (``code``) or person (``person``)."""

    id: str
    kind: SubjectKind
    name: str | None
    uscc: str | None = None
    code: str | None = None
    person: PersonRef | None = None


class Chain(BaseModel):
    """Subjects from a holder down to the enterprise, one link (and share) between each pair;
    ``product`` is null when a share is unknown or a link is a declared control."""

    subjects: list[Subject]
    links: list[LinkType]
    shares: list[float | None]
    product: float | None


class Owner(BaseModel):
    """One owner of the enterprise with its penetrated share and control status."""

    subject: Subject
    share: float | None
    share_known_part: float
    unknown_chains: int
    direct_share: float | None
    beneficial_owner: bool
    beneficial_owner_basis: Literal["share", "control"] | None
    controls: bool
    controller: ControllerBasis | None
    ultimate_controller: bool
    chains: list[Chain]
    control_chains: list[Chain]


class Controller(BaseModel):
    """An actual controller: declared, or derived with the chains that prove the control."""

    subject: Subject
    basis: ControllerBasis
    ultimate: bool
    share: float | None
    share_known_part: float
    chains: list[Chain]


class OwnersReport(BaseModel):
    """Owners, beneficial owners and actual controllers of one enterprise on ``as_of``."""

    enterprise: EnterpriseRef
    as_of: date
    threshold: float
    max_depth: int
    owners: list[Owner]
    controllers: list[Controller]
    truncated: bool
    notes: list[str]


@dataclass(frozen=True)
class _Edge:
    holder: str
    investee: str
    share: float | None


@dataclass
class _Subgraph:
    target: str
    nodes: dict[str, Subject]
    owns_into: dict[str, list[_Edge]] = field(default_factory=lambda: defaultdict(list))
    owns_from: dict[str, list[_Edge]] = field(default_factory=lambda: defaultdict(list))
    declared: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    notes: list[str] = field(default_factory=list)


def _subject(raw: dict[str, Any]) -> Subject:
    labels, props = raw["labels"], raw["props"]
    kind = node_kind(labels)
    sid = node_id(raw["element_id"], labels, props)
    if kind == "PERSON":
        person = PersonRef.of(props["id_type"], props["id_number"], props.get("name"))
        return Subject(id=sid, kind="PERSON", name=props.get("name"), person=person)
    if kind == "DEPARTMENT":
        return Subject(id=sid, kind="DEPARTMENT", name=props.get("name"), code=props["code"])
    return Subject(id=sid, kind="ENTERPRISE", name=props.get("name"), uscc=props["uscc"])


def _fetch(runner: QueryRunner, uscc: str, as_of: date, max_depth: int) -> _Subgraph:
    target = runner.read_one(cypher("ownership_target"), uscc=uscc)
    if target is None:
        raise NotFound(f"no enterprise {uscc} in the graph")
    ups = runner.read(
        hop_bounded("ownership_upstream", MAX_DEPTH, max_depth),
        uscc=uscc,
        as_of=as_of,
        limit=NODE_LIMIT + 1,
    )
    graph = _Subgraph(target=target["element_id"], nodes={target["element_id"]: _subject(target)})
    if len(ups) > NODE_LIMIT:
        graph.notes.append(f"more than {NODE_LIMIT} upstream holders: the farthest were left out")
    for raw in ups[:NODE_LIMIT]:
        graph.nodes[raw["element_id"]] = _subject(raw)
    rows = runner.read(
        cypher("ownership_edges"), ids=list(graph.nodes), as_of=as_of, limit=EDGE_LIMIT + 1
    )
    if len(rows) > EDGE_LIMIT:
        graph.notes.append(f"more than {EDGE_LIMIT} edges: some were left out")
    rows = rows[:EDGE_LIMIT]
    for row in rows:
        if row["kind"] == "ACTUAL_CONTROLLER":
            graph.nodes.setdefault(row["holder"], _subject(row["holder_node"]))
            graph.declared[row["holder"]].add(row["investee"])
    for row in rows:
        if row["kind"] == "OWNS" and row["holder"] in graph.nodes:
            edge = _Edge(row["holder"], row["investee"], row["share"])
            graph.owns_into[edge.investee].append(edge)
            graph.owns_from[edge.holder].append(edge)
    return graph


def _chains(graph: _Subgraph, max_depth: int) -> tuple[dict[str, list[list[_Edge]]], bool]:
    """Every simple OWNS path into the target (at most ``max_depth`` edges), by holder."""
    found: dict[str, list[list[_Edge]]] = defaultdict(list)
    stack: list[tuple[tuple[str, ...], list[_Edge]]] = [((graph.target,), [])]
    count = 0
    while stack:
        visited, edges = stack.pop()
        for edge in graph.owns_into.get(visited[0], ()):
            if edge.holder in visited:
                continue
            chain = [edge, *edges]
            found[edge.holder].append(chain)
            count += 1
            if count >= CHAIN_LIMIT:
                return found, True
            if len(chain) < max_depth:
                stack.append(((edge.holder, *visited), chain))
    return found, False


def _controlled_by(graph: _Subgraph, subject: str) -> set[str]:
    """The enterprises ``subject`` controls (least fixpoint of the control rule)."""
    held: dict[str, float] = defaultdict(float)
    controlled = set(graph.declared.get(subject, ())) - {subject}
    pending = [subject, *controlled]
    while pending:
        contributor = pending.pop()
        for edge in graph.owns_from.get(contributor, ()):
            if edge.share is None or edge.investee == subject:
                continue
            held[edge.investee] += edge.share
            if held[edge.investee] > MAJORITY + EPSILON and edge.investee not in controlled:
                controlled.add(edge.investee)
                pending.append(edge.investee)
    return controlled


def _control_chains(
    graph: _Subgraph, subject: str, controlled: set[str], max_depth: int
) -> list[list[tuple[str, LinkType, float | None]]]:
    """Simple paths from ``subject`` to the target through enterprises it controls."""
    allowed = controlled | {graph.target}
    found: list[list[tuple[str, LinkType, float | None]]] = []
    stack: list[tuple[str, list[tuple[str, LinkType, float | None]]]] = [(subject, [])]
    while stack and len(found) < CONTROL_CHAIN_LIMIT:
        node, links = stack.pop()
        visited = {subject, *(step[0] for step in links)}
        steps: list[tuple[str, LinkType, float | None]] = [
            (edge.investee, "OWNS", edge.share)
            for edge in graph.owns_from.get(node, ())
            if edge.share is not None
        ]
        if node == subject:
            steps += [(x, "ACTUAL_CONTROLLER", None) for x in sorted(graph.declared.get(node, ()))]
        for step in steps:
            if step[0] not in allowed or step[0] in visited:
                continue
            path = [*links, step]
            if step[0] == graph.target:
                found.append(path)
            elif len(path) < max_depth:
                stack.append((step[0], path))
    return found


def _known(products: Iterable[float | None]) -> float:
    return sum(value for value in products if value is not None)


def owners(
    runner: QueryRunner,
    uscc: str,
    as_of: date,
    threshold: float = 0.25,
    max_depth: int = 10,
) -> OwnersReport:
    """Penetrated shares, beneficial owners and actual controllers of ``uscc`` on ``as_of``."""
    if not 0 < threshold <= 1:
        raise InvalidInput(f"threshold must be in (0, 1], not {threshold}")
    if not 1 <= max_depth <= MAX_DEPTH:
        raise InvalidInput(f"max_depth must be between 1 and {MAX_DEPTH}, not {max_depth}")
    uscc = validate_uscc(uscc)
    graph = _fetch(runner, uscc, as_of, max_depth)
    chains, cut = _chains(graph, max_depth)
    if cut:
        graph.notes.append(f"more than {CHAIN_LIMIT} chains: shares are lower bounds")
    target = graph.target
    subjects = [sid for sid in graph.nodes if sid != target]
    control = {sid: _controlled_by(graph, sid) for sid in subjects}
    controllers_of_target = {sid for sid in subjects if target in control[sid]}
    controlled_by_someone = set().union(*control.values())

    def chain_model(steps: list[tuple[str, LinkType, float | None]], start: str) -> Chain:
        shares = [share for _, _, share in steps]
        links = [link for _, link, _ in steps]
        known = all(value is not None for value in shares) and "ACTUAL_CONTROLLER" not in links
        return Chain(
            subjects=[graph.nodes[start], *(graph.nodes[node] for node, _, _ in steps)],
            links=links,
            shares=shares,
            product=prod(value for value in shares if value is not None) if known else None,
        )

    rows: list[Owner] = []
    for sid in subjects:
        owned = [
            chain_model([(edge.investee, "OWNS", edge.share) for edge in path], sid)
            for path in chains.get(sid, [])
        ]
        owned.sort(key=lambda chain: (chain.product is None, -(chain.product or 0.0)))
        products = [chain.product for chain in owned]
        direct = [edge.share for edge in graph.owns_from.get(sid, ()) if edge.investee == target]
        direct_known = _known(direct)
        controls = sid in controllers_of_target
        basis: ControllerBasis | None = None
        if target in graph.declared.get(sid, ()):
            basis = "declared"
        elif controls and direct_known <= MAJORITY + EPSILON:
            basis = "derived"
        proving = (
            [
                chain_model(path, sid)
                for path in _control_chains(graph, sid, control[sid], max_depth)
            ]
            if controls
            else []
        )
        rows.append(
            Owner(
                subject=graph.nodes[sid],
                share=None if None in products else _known(products),
                share_known_part=_known(products),
                unknown_chains=products.count(None),
                direct_share=None if None in direct else direct_known,
                beneficial_owner=False,
                beneficial_owner_basis=None,
                controls=controls,
                controller=basis,
                ultimate_controller=controls and sid not in controlled_by_someone,
                chains=owned,
                control_chains=proving,
            )
        )
    _mark_beneficial_owners(rows, threshold)
    rows.sort(key=lambda row: (-row.share_known_part, row.subject.kind, row.subject.name or ""))
    return OwnersReport(
        enterprise=EnterpriseRef(uscc=uscc, name=graph.nodes[target].name),
        as_of=as_of,
        threshold=threshold,
        max_depth=max_depth,
        owners=rows,
        controllers=[_controller(row, row.controller) for row in rows if row.controller],
        truncated=bool(graph.notes),
        notes=graph.notes,
    )


def _controller(row: Owner, basis: ControllerBasis) -> Controller:
    return Controller(
        subject=row.subject,
        basis=basis,
        ultimate=row.ultimate_controller,
        share=row.share,
        share_known_part=row.share_known_part,
        chains=row.control_chains,
    )


def _mark_beneficial_owners(rows: list[Owner], threshold: float) -> None:
    persons = [row for row in rows if row.subject.kind == "PERSON"]
    by_share = [row for row in persons if row.share_known_part >= threshold - EPSILON]
    for row in by_share:
        row.beneficial_owner, row.beneficial_owner_basis = True, "share"
    if not by_share:
        for row in persons:
            if row.controls:
                row.beneficial_owner, row.beneficial_owner_basis = True, "control"


def actual_controllers(
    runner: QueryRunner, uscc: str, as_of: date, max_depth: int = 10
) -> list[Controller]:
    """Declared and derived actual controllers of ``uscc`` on ``as_of`` with proving chains.

    Derived controllers are inferences for an authority to confirm, never liable by themselves.
    """
    return owners(runner, uscc, as_of, max_depth=max_depth).controllers
