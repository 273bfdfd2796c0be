"""Ownership penetration, beneficial owners and actual controllers (DOMAIN.md §6).

One round trip per level fetches the upstream ownership subgraph of an enterprise on a date (the
first also finds the enterprise: one statement, planned once for every level); the arithmetic
runs in Python. The work is bounded whatever the graph's size: at most ``FANOUT``
holders are read per enterprise and ``FRONTIER`` enterprises expanded per level (majority
chains first, then the largest possible penetrated share); a cut sets ``truncated`` and a note
says which bound, so shares and control are then lower bounds and owners may be missing.

Definitions (the reference model in ``tests/reference_model/ownership.py`` states them too):

- The *subgraph* on ``as_of``: the enterprise T, every holder that reaches T through OWNS edges
  held on ``as_of`` within ``max_depth`` edges, and every person declared ACTUAL_CONTROLLER (a
  HOLDS edge held on ``as_of``) of one of those enterprises; its edges are the held OWNS edges
  between these nodes and the declared-controller edges. Parallel OWNS edges are kept apart.
- A *link* (held OWNS edge) has bounds ``[lo, hi]``: ``[share, share]`` when the share is
  given (a point); else ``[share_min or 0, share_max or 1]`` when a range is given (a missing
  bound is open); else ``[0, 1]`` and the link is *unknown*. ``hi`` is then capped by what the
  other holders of the same investee leave: ``hi = max(lo, min(hi, 1 - sum of the other
  incoming links' lo))`` (their shares cannot add up to more than the whole).
- A *chain* is a simple path of OWNS edges from a holder to T of at most ``max_depth`` edges;
  ``product_min``/``product_max`` are the products of its links' ``lo``/``hi``; ``product`` is
  the product of the shares when every link is a point, else null (an unknown link makes the
  product unknown; a range makes it a range).
- *Penetrated share* of a holder, a sum over its chains: ``share_min`` = the sum of the chains'
  ``product_min`` (an unknown chain adds 0: "at least the known part"); ``share_max`` = the sum
  of the chains' ``product_max``, capped at 1 (a penetrated share is a probability of disjoint
  events when every investee's shares add up to at most 1) and never below ``share_min``;
  ``share`` = the sum of the products when every chain is a point, else null (unknown is never
  zero). ``share_known_part`` = ``share_min``; ``unknown_chains`` counts the chains with an
  unknown link. ``direct_share`` = the sum of its direct edges to T (0 with none, null if one
  is not a point), with ``direct_share_min``/``direct_share_max`` likewise and
  ``unknown_direct`` the number of its direct edges with an unknown share.
- *Control* (least fixpoint), three-valued: S *controls* X when S is X's declared controller,
  or when the ``lo`` of the links into X held by S directly plus by the enterprises S controls
  add up to more than 50% (more than 0.5 + 1e-9; unknown shares never establish control). S
  *possibly controls* X when it does not, but the same fixpoint over ``hi`` (through the
  enterprises S controls or possibly controls) exceeds 50%. ``control_status``: yes / possibly
  / no for T.
- *Beneficial owner*, three-valued (Kleene logic): by share, yes when ``share_min`` >=
  ``threshold`` (- 1e-9), possibly when only ``share_max`` is, else no; failing any person who
  is yes by share, a person who controls T (basis ``control``) — "possibly" when some person is
  possibly an owner by share or when the control itself is only possible.
  ``beneficial_owner`` is true only for yes.
- *Actual controller* of T: ``declared`` (HOLDS role ACTUAL_CONTROLLER); ``derived`` when S
  controls T by the rule but its direct ``lo`` share alone is not above 50% (so the control runs
  through at least one controlled intermediate). A direct majority holder ``controls`` T as its
  controlling shareholder with ``controller`` null. ``ultimate``: nobody else controls S.
  Possible controllers are owners with ``control_status`` "possibly"; they are not listed in
  ``controllers``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from math import prod
from typing import Any, Literal

from pydantic import BaseModel, Field

from tracer.domain.errors import InvalidInput, NotFound
from tracer.domain.identifiers import validate_uscc
from tracer.queries.catalogue import cypher
from tracer.queries.models import EnterpriseRef, PersonRef, SubjectKind
from tracer.queries.paths import node_id, node_kind
from tracer.queries.runner import QueryRunner

MAX_DEPTH = 15
#: Incoming OWNS (and HOLDS) read per enterprise: a node with more costs this many.
FANOUT = 100
#: Enterprises whose holders are read per level of the upstream search.
FRONTIER = 50
#: Nodes after which the upstream search expands no further level.
NODE_LIMIT = 2000
CHAIN_LIMIT = 20000
CONTROL_CHAIN_LIMIT = 50
MAJORITY = 0.5
EPSILON = 1e-9

LinkType = Literal["OWNS", "ACTUAL_CONTROLLER"]
ControllerBasis = Literal["declared", "derived"]
#: A three-valued decision: yes, possibly (unknown or ranged shares could make it so), no.
Status = Literal["yes", "possibly", "no"]
_RANK: dict[Status, int] = {"no": 0, "possibly": 1, "yes": 2}


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
    ``product`` is null when a share is not a point or a link is a declared control;
    ``product_min``/``product_max`` bound it (null for a chain with a declared control).
    ``shares_min``/``shares_max`` are each link's given range (null where none was given)."""

    subjects: list[Subject]
    links: list[LinkType]
    shares: list[float | None]
    product: float | None
    shares_min: list[float | None] = []
    shares_max: list[float | None] = []
    product_min: float | None = None
    product_max: float | None = None


class Owner(BaseModel):
    """One owner of the enterprise with its penetrated share and control status."""

    subject: Subject
    share: float | None
    share_min: float
    share_max: float
    share_known_part: float
    unknown_chains: int
    direct_share: float | None
    direct_share_min: float
    direct_share_max: float
    unknown_direct: int
    beneficial_owner: bool
    beneficial_owner_status: Status
    beneficial_owner_basis: Literal["share", "control"] | None
    controls: bool
    control_status: Status
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
    share_min: float
    share_max: float
    share_known_part: float
    chains: list[Chain]


#: The beneficial-owner share (DOMAIN §6: 25 %, configurable).
DEFAULT_THRESHOLD = 0.25


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
    omitted: int = Field(
        default=0,
        description="owners left out by ``at_threshold``: their share cannot reach the threshold "
        "and they do not (possibly) control the enterprise",
    )


@dataclass
class _Edge:
    """A held OWNS edge: the given share and range, and the bounds ``lo``..``hi`` used."""

    holder: str
    investee: str
    share: float | None
    given_min: float | None = None
    given_max: float | None = None
    lo: float = 0.0
    hi: float = 1.0

    def __post_init__(self) -> None:
        if self.share is not None:
            self.lo = self.hi = self.share
        else:
            self.lo = 0.0 if self.given_min is None else self.given_min
            self.hi = 1.0 if self.given_max is None else self.given_max

    @property
    def unknown(self) -> bool:
        """Neither a share nor a range was given."""
        return self.share is None and self.given_min is None and self.given_max is None


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
    """The upstream subgraph, one bounded round trip per level (the first also finds the
    target): at most ``FANOUT`` holders of a node and ``FRONTIER`` enterprises expanded per
    level — those whose chains could carry the most (majority chains first, then the largest
    upper bound of the penetrated share); then the edges into the nodes not expanded from
    holders already found. A cut is noted."""
    rows = _holders(runner, as_of, uscc=uscc)
    if not rows:
        raise NotFound(f"no enterprise {uscc} in the graph")
    tid = rows[0]["investee"]
    graph = _Subgraph(target=tid, nodes={tid: _subject(rows[0]["node"])})
    weight: dict[str, tuple[bool, float]] = {tid: (True, 1.0)}
    frontier, expanded = [tid], set()
    cut_fanout, left = False, 0
    for level in range(max_depth):
        if level:
            rows = _holders(runner, as_of, ids=frontier)
        expanded.update(frontier)
        cut_fanout = _add_rows(graph, rows) or cut_fanout
        found: dict[str, tuple[bool, float]] = {}
        for investee in frontier:
            for edge in graph.owns_into.get(investee, ()):
                if edge.holder in weight:
                    continue
                majority, share = weight[investee]
                candidate = (majority and edge.hi > MAJORITY, share * edge.hi)
                found[edge.holder] = max(found.get(edge.holder, candidate), candidate)
        weight.update(found)
        ranked = sorted(
            (h for h in found if graph.nodes[h].kind == "ENTERPRISE"),
            key=lambda h: (not found[h][0], -found[h][1], h),
        )
        frontier, left = ranked[:FRONTIER], left + max(0, len(ranked) - FRONTIER)
        if len(graph.nodes) >= NODE_LIMIT:
            left += len(frontier)
            break
        if not frontier:
            break
    rest = [sid for sid in graph.nodes if sid not in expanded and graph.nodes[sid].kind != "PERSON"]
    if rest:
        rows = _holders(runner, as_of, ids=rest)
        cut_fanout = _add_rows(graph, rows, known_only=True) or cut_fanout
    if cut_fanout:
        graph.notes.append(
            f"an enterprise has more than {FANOUT} shareholdings or positions: only {FANOUT} of "
            "each were read, so shares and control are lower bounds"
        )
    if left:
        graph.notes.append(
            f"{left} holder enterprise(s) with the smallest possible shares were not followed "
            f"further (at most {FRONTIER} per level, {NODE_LIMIT} nodes in all): owners above "
            "them may be missing"
        )
    for edges in graph.owns_into.values():
        total = sum(edge.lo for edge in edges)
        for edge in edges:
            edge.hi = max(edge.lo, min(edge.hi, 1.0 - (total - edge.lo)))
    return graph


def _holders(
    runner: QueryRunner, as_of: date, uscc: str | None = None, ids: list[str] | None = None
) -> list[dict[str, Any]]:
    """``ownership_holders`` rows of the target ``uscc`` or of the nodes ``ids``."""
    return runner.read(
        cypher("ownership_holders"),
        frontier={"uscc": uscc, "ids": ids},
        as_of=as_of,
        fanout=FANOUT + 1,
    )


def _add_rows(graph: _Subgraph, rows: list[dict[str, Any]], known_only: bool = False) -> bool:
    """Add the holders, OWNS edges and declared controllers of ``ownership_holders`` rows (with
    ``known_only``, only those from holders already in the subgraph); True when a node had more
    than ``FANOUT`` relationships of one kind (the rest unread)."""
    cut = False
    for row in rows:
        investee = row["investee"]
        for kind, links in (("OWNS", row["owns"]), ("ACTUAL_CONTROLLER", row["controls"])):
            cut = cut or len(links) > FANOUT
            for link in links[:FANOUT]:
                holder = link["element_id"]
                if not link["keep"] or (known_only and holder not in graph.nodes):
                    continue
                if holder not in graph.nodes:
                    graph.nodes[holder] = _subject(link)
                if kind == "ACTUAL_CONTROLLER":
                    graph.declared[holder].add(investee)
                else:
                    edge = _Edge(
                        holder, investee, link["share"], link["share_min"], link["share_max"]
                    )
                    graph.owns_into[investee].append(edge)
                    graph.owns_from[holder].append(edge)
    return cut


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


def _controlled_by(graph: _Subgraph, subject: str, upper: bool = False) -> set[str]:
    """The enterprises ``subject`` controls (least fixpoint of the control rule over the links'
    ``lo``), or with ``upper`` possibly controls (over their ``hi``)."""
    held: dict[str, float] = defaultdict(float)
    controlled = set(graph.declared.get(subject, ())) - {subject}
    pending = [subject, *controlled]
    while pending:
        contributor = pending.pop()
        for edge in graph.owns_from.get(contributor, ()):
            if edge.investee == subject:
                continue
            held[edge.investee] += edge.hi if upper else edge.lo
            if held[edge.investee] > MAJORITY + EPSILON and edge.investee not in controlled:
                controlled.add(edge.investee)
                pending.append(edge.investee)
    return controlled


Step = tuple[str, LinkType, _Edge | None]


def _control_chains(
    graph: _Subgraph, subject: str, controlled: set[str], max_depth: int
) -> list[list[Step]]:
    """Simple paths from ``subject`` to the target through enterprises it controls (over links
    whose lower bound is above 0)."""
    allowed = controlled | {graph.target}
    found: list[list[Step]] = []
    stack: list[tuple[str, list[Step]]] = [(subject, [])]
    while stack and len(found) < CONTROL_CHAIN_LIMIT:
        node, links = stack.pop()
        visited = {subject, *(step[0] for step in links)}
        steps: list[tuple[str, LinkType, _Edge | None]] = [
            (edge.investee, "OWNS", edge)
            for edge in graph.owns_from.get(node, ())
            if edge.share is not None or edge.lo > 0
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


def _sum(values: Iterable[float | None]) -> float | None:
    """The sum, or None when a value is None."""
    items = list(values)
    return None if None in items else float(sum(value for value in items if value is not None))


def _upper(low: float, total: float) -> float:
    """An upper bound of a sum of shares: at most 1, never below the lower bound."""
    return max(low, min(1.0, total))


def _chain(graph: _Subgraph, steps: list[Step], start: str) -> Chain:
    edges = [edge for _, _, edge in steps]
    declared = any(edge is None for edge in edges)
    owned = [edge for edge in edges if edge is not None]
    shares = [edge.share if edge else None for edge in edges]
    return Chain(
        subjects=[graph.nodes[start], *(graph.nodes[node] for node, _, _ in steps)],
        links=[link for _, link, _ in steps],
        shares=shares,
        product=None if declared or None in shares else prod(e.share or 0.0 for e in owned),
        shares_min=[edge.given_min if edge else None for edge in edges],
        shares_max=[edge.given_max if edge else None for edge in edges],
        product_min=None if declared else prod(edge.lo for edge in owned),
        product_max=None if declared else prod(edge.hi for edge in owned),
    )


def owners(
    runner: QueryRunner,
    uscc: str,
    as_of: date,
    threshold: float = DEFAULT_THRESHOLD,
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
    possible = {sid: _controlled_by(graph, sid, upper=True) for sid in subjects}
    controllers_of_target = {sid for sid in subjects if target in control[sid]}
    controlled_by_someone = set().union(*control.values())

    rows: list[Owner] = []
    for sid in subjects:
        owned = [
            _chain(graph, [(edge.investee, "OWNS", edge) for edge in path], sid)
            for path in chains.get(sid, [])
        ]
        owned.sort(key=lambda chain: (chain.product is None, -(chain.product_min or 0.0)))
        low = float(sum(chain.product_min or 0.0 for chain in owned))
        high = float(sum(chain.product_max or 0.0 for chain in owned))
        direct = [edge for edge in graph.owns_from.get(sid, ()) if edge.investee == target]
        direct_low = float(sum(edge.lo for edge in direct))
        controls = sid in controllers_of_target
        basis: ControllerBasis | None = None
        if target in graph.declared.get(sid, ()):
            basis = "declared"
        elif controls and direct_low <= MAJORITY + EPSILON:
            basis = "derived"
        proving = (
            [
                _chain(graph, path, sid)
                for path in _control_chains(graph, sid, control[sid], max_depth)
            ]
            if controls
            else []
        )
        status: Status = "yes" if controls else "possibly" if target in possible[sid] else "no"
        rows.append(
            Owner(
                subject=graph.nodes[sid],
                share=_sum(chain.product for chain in owned),
                share_min=low,
                share_max=_upper(low, high),
                share_known_part=low,
                unknown_chains=sum(
                    1 for path in chains.get(sid, []) if any(edge.unknown for edge in path)
                ),
                direct_share=_sum(edge.share for edge in direct),
                direct_share_min=direct_low,
                direct_share_max=_upper(direct_low, sum(edge.hi for edge in direct)),
                unknown_direct=sum(1 for edge in direct if edge.unknown),
                beneficial_owner=False,
                beneficial_owner_status="no",
                beneficial_owner_basis=None,
                controls=controls,
                control_status=status,
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
        share_min=row.share_min,
        share_max=row.share_max,
        share_known_part=row.share_known_part,
        chains=row.control_chains,
    )


def _by_share(row: Owner, threshold: float) -> Status:
    if row.share_min >= threshold - EPSILON:
        return "yes"
    return "possibly" if row.share_max >= threshold - EPSILON else "no"


def _mark_beneficial_owners(rows: list[Owner], threshold: float) -> None:
    """Beneficial owner = by share OR (no person is one by share AND controls), in Kleene's
    three-valued logic (no < possibly < yes; OR = max, AND = min, NOT swaps yes and no)."""
    persons = [row for row in rows if row.subject.kind == "PERSON"]
    by_share = {id(row): _by_share(row, threshold) for row in persons}
    best = max((_RANK[status] for status in by_share.values()), default=0)
    fallback = 2 - best  # NOT (some person is a beneficial owner by share)
    for row in persons:
        share_rank = _RANK[by_share[id(row)]]
        control_rank = min(fallback, _RANK[row.control_status])
        rank = max(share_rank, control_rank)
        status: Status = ("no", "possibly", "yes")[rank]
        row.beneficial_owner_status = status
        row.beneficial_owner = status == "yes"
        if rank:
            row.beneficial_owner_basis = "share" if share_rank >= control_rank else "control"


def at_threshold(report: OwnersReport) -> OwnersReport:
    """The report without the owners whose share cannot reach its threshold, unless they
    control (or may control) the enterprise or are beneficial owners by control; ``omitted``
    counts them and a note says so. Controllers are kept whole."""
    kept = [
        row
        for row in report.owners
        if row.share_max >= report.threshold - EPSILON
        or row.control_status != "no"
        or row.controller is not None
        or row.beneficial_owner_status != "no"
    ]
    omitted = len(report.owners) - len(kept)
    if not omitted:
        return report
    note = f"{omitted} owner(s) below {report.threshold:.2%} that do not control: omitted"
    return report.model_copy(
        update={"owners": kept, "omitted": omitted, "notes": [*report.notes, note]}
    )


def actual_controllers(
    runner: QueryRunner, uscc: str, as_of: date, max_depth: int = 10
) -> list[Controller]:
    """Declared and derived actual controllers of ``uscc`` on ``as_of`` with proving chains.

    Derived controllers are inferences for an authority to confirm, never liable by themselves.
    """
    return owners(runner, uscc, as_of, max_depth=max_depth).controllers
