"""Reference model of DOMAIN.md §6 (ownership penetration, control, beneficial owners).

Deliberately naive and independent of the engine: it reads the networkx form of a test graph
(``GraphBuilder.to_networkx()``: nodes ``("Enterprise", uscc)``, ``("Person", type, number)``,
``("Department", code)``; OWNS and HOLDS edges with their properties) and applies the
definitions literally:

- only OWNS / declared ACTUAL_CONTROLLER edges held on ``as_of`` exist;
- the subgraph is T, the holders within ``max_depth`` OWNS edges of T, and the declared
  controllers of those enterprises, with every held edge between them;
- an edge's interval: [share, share] when given; else [share_min or 0, share_max or 1] (a range,
  or [0, 1] for an unknown share); its top is lowered to 1 minus the bottoms of the other held
  edges into the same investee inside the subgraph (never below its own bottom);
- shares: every simple edge path holder → T of at most ``max_depth`` edges (networkx
  ``all_simple_edge_paths``); a path with an unknown share is unknown, its point product null;
  its interval is the product of the bottoms .. the product of the tops; the holder's
  interval is the sum of the bottoms .. min(1, sum of the tops) (at least the bottom);
- control, twice (bottoms: "controls"; tops: "possibly controls"): repeat until nothing
  changes — S controls X if declared, or if S's shares in X plus those of every enterprise S
  controls exceed 0.5 (+1e-9);
- beneficial owner (values no=0, possibly=1, yes=2): by share 2 if bottom >= threshold
  (-1e-9), 1 if top >= threshold (-1e-9), else 0; then max(by share, min(2 - the best
  by-share value of any person, control value));
- actual controller: declared, or "derived" when S controls T and its direct known share does
  not exceed 0.5 (+1e-9); ultimate when no other subject controls S.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import networkx as nx

Node = tuple[str, ...]
TOLERANCE = 1e-9


@dataclass(frozen=True)
class ModelOwner:
    """What the model says about one owner."""

    share: float | None
    share_min: float
    share_max: float
    share_known_part: float
    unknown_chains: int
    chains: int
    direct_share: float | None
    direct_share_min: float
    direct_share_max: float
    beneficial_owner: bool
    beneficial_owner_status: str
    controls: bool
    control_status: str
    controller: str | None
    ultimate: bool


STATUS = ("no", "possibly", "yes")


def _held(attrs: dict[str, Any], on: dt.date) -> bool:
    start, end = attrs.get("start_date"), attrs.get("end_date")
    return (start is None or start <= on) and (end is None or end >= on)


def _held_graph(
    graph: nx.MultiDiGraph, on: dt.date
) -> tuple[nx.MultiDiGraph, set[tuple[Node, Node]]]:
    owns = nx.MultiDiGraph()
    declared: set[tuple[Node, Node]] = set()
    for holder, investee, attrs in graph.edges(data=True):
        if not _held(attrs, on):
            continue
        if attrs["type"] == "OWNS":
            share, low, high = attrs.get("share"), attrs.get("share_min"), attrs.get("share_max")
            if share is not None:
                bottom, top = share, share
            else:
                bottom = 0.0 if low is None else low
                top = 1.0 if high is None else high
            unknown = share is None and low is None and high is None
            owns.add_edge(holder, investee, share=share, bottom=bottom, top=top, unknown=unknown)
        elif attrs["type"] == "HOLDS" and attrs["role"] == "ACTUAL_CONTROLLER":
            declared.add((holder, investee))
    return owns, declared


def _cap_tops(sub: nx.MultiDiGraph) -> None:
    for investee in sub.nodes:
        incoming = list(sub.in_edges(investee, keys=True, data=True))
        bottoms = sum(attrs["bottom"] for *_, attrs in incoming)
        for *_, attrs in incoming:
            room = 1.0 - (bottoms - attrs["bottom"])
            attrs["top"] = max(attrs["bottom"], min(attrs["top"], room))


def _between(sub: nx.MultiDiGraph, holder: Node, investee: Node, bound: str) -> float:
    if not sub.has_edge(holder, investee):
        return 0.0
    return float(sum(attrs[bound] for attrs in sub.get_edge_data(holder, investee).values()))


def _control(
    sub: nx.MultiDiGraph,
    subjects: set[Node],
    inside: set[Node],
    declared: set[tuple[Node, Node]],
    bound: str,
) -> set[tuple[Node, Node]]:
    control: set[tuple[Node, Node]] = set()
    changed = True
    while changed:
        changed = False
        for s in subjects:
            for x in inside:
                if x == s or (s, x) in control or x[0] != "Enterprise":
                    continue
                total = _between(sub, s, x, bound) + sum(
                    _between(sub, y, x, bound) for (c, y) in control if c == s and y != x
                )
                if (s, x) in declared or total > 0.5 + TOLERANCE:
                    control.add((s, x))
                    changed = True
    return control


def penetrate(
    graph: nx.MultiDiGraph,
    target: Node,
    on: dt.date,
    threshold: float = 0.25,
    max_depth: int = 10,
) -> dict[Node, ModelOwner]:
    """Every owner of ``target`` on ``on`` with its figures, keyed by node."""
    owns, declared = _held_graph(graph, on)
    owns.add_node(target)
    reach = nx.single_source_shortest_path_length(owns.reverse(copy=True), target, cutoff=max_depth)
    inside = set(reach)
    inside |= {person for person, enterprise in declared if enterprise in inside}
    sub = nx.MultiDiGraph(owns.subgraph(inside))
    sub.add_nodes_from(inside)
    _cap_tops(sub)
    declared = {(s, x) for s, x in declared if s in inside and x in inside}
    subjects = inside - {target}
    control = _control(sub, subjects, inside, declared, "bottom")
    possible = _control(sub, subjects, inside, declared, "top")

    result: dict[Node, dict[str, Any]] = {}
    for s in subjects:
        products: list[float | None] = []
        bottoms, tops, unknown = 0.0, 0.0, 0
        for path in nx.all_simple_edge_paths(sub, s, target, cutoff=max_depth):
            links = [sub.edges[edge] for edge in path]
            shares = [link["share"] for link in links]
            products.append(None if None in shares else math.prod(shares))
            bottoms += math.prod(link["bottom"] for link in links)
            tops += math.prod(link["top"] for link in links)
            unknown += any(link["unknown"] for link in links)
        direct = list((sub.get_edge_data(s, target) or {}).values())
        direct_points = [attrs["share"] for attrs in direct]
        direct_bottom = sum(attrs["bottom"] for attrs in direct)
        controls = (s, target) in control
        if (s, target) in declared:
            controller: str | None = "declared"
        elif controls and direct_bottom <= 0.5 + TOLERANCE:
            controller = "derived"
        else:
            controller = None
        result[s] = {
            "share": None if None in products else sum(p for p in products if p is not None),
            "share_min": bottoms,
            "share_max": max(bottoms, min(1.0, tops)),
            "share_known_part": bottoms,
            "unknown_chains": unknown,
            "chains": len(products),
            "direct_share": None
            if None in direct_points
            else sum(d for d in direct_points if d is not None),
            "direct_share_min": direct_bottom,
            "direct_share_max": max(direct_bottom, min(1.0, sum(attrs["top"] for attrs in direct))),
            "controls": controls,
            "control_status": "yes"
            if controls
            else "possibly"
            if (s, target) in possible
            else "no",
            "controller": controller,
            "ultimate": controls and not any((o, s) in control for o in subjects),
        }
    persons = [s for s in subjects if s[0] == "Person"]
    by_share = {
        s: 2
        if result[s]["share_min"] >= threshold - TOLERANCE
        else 1
        if result[s]["share_max"] >= threshold - TOLERANCE
        else 0
        for s in persons
    }
    nobody = 2 - max(by_share.values(), default=0)
    status = {
        s: STATUS[max(by_share[s], min(nobody, STATUS.index(result[s]["control_status"])))]
        for s in persons
    }
    return {
        s: ModelOwner(
            beneficial_owner=status.get(s) == "yes",
            beneficial_owner_status=status.get(s, "no"),
            **figures,
        )
        for s, figures in result.items()
    }
