"""Reference model of DOMAIN.md §6 (ownership penetration, control, beneficial owners).

Deliberately naive and independent of the engine: it reads the networkx form of a test graph
(``GraphBuilder.to_networkx()``: nodes ``("Enterprise", uscc)``, ``("Person", type, number)``,
``("Department", code)``; OWNS and HOLDS edges with their properties) and applies the
definitions literally:

- only OWNS / declared ACTUAL_CONTROLLER edges held on ``as_of`` exist;
- the subgraph is T, the holders within ``max_depth`` OWNS edges of T, and the declared
  controllers of those enterprises, with every held edge between them;
- shares: every simple edge path holder → T of at most ``max_depth`` edges (networkx
  ``all_simple_edge_paths``); a path with an unknown share is unknown;
- control: repeat until nothing changes — S controls X if declared, or if S's known shares in X
  plus those of every enterprise S controls exceed 0.5 (+1e-9);
- beneficial owner: persons with known share >= threshold (-1e-9), else persons controlling T;
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
    share_known_part: float
    unknown_chains: int
    chains: int
    direct_share: float | None
    beneficial_owner: bool
    controls: bool
    controller: str | None
    ultimate: bool


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
            owns.add_edge(holder, investee, share=attrs.get("share"))
        elif attrs["type"] == "HOLDS" and attrs["role"] == "ACTUAL_CONTROLLER":
            declared.add((holder, investee))
    return owns, declared


def _known_share(owns: nx.MultiDiGraph, holder: Node, investee: Node) -> float:
    if not owns.has_edge(holder, investee):
        return 0.0
    shares = [attrs["share"] for attrs in owns.get_edge_data(holder, investee).values()]
    return float(sum(share for share in shares if share is not None))


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
    declared = {(s, x) for s, x in declared if s in inside and x in inside}
    subjects = inside - {target}

    control: set[tuple[Node, Node]] = set()
    changed = True
    while changed:
        changed = False
        for s in subjects:
            for x in inside:
                if x == s or (s, x) in control or x[0] != "Enterprise":
                    continue
                total = _known_share(sub, s, x) + sum(
                    _known_share(sub, y, x) for (c, y) in control if c == s and y != x
                )
                if (s, x) in declared or total > 0.5 + TOLERANCE:
                    control.add((s, x))
                    changed = True

    result: dict[Node, dict[str, Any]] = {}
    for s in subjects:
        products: list[float | None] = []
        for path in nx.all_simple_edge_paths(sub, s, target, cutoff=max_depth):
            shares = [sub.edges[edge]["share"] for edge in path]
            products.append(None if None in shares else math.prod(shares))
        known = sum(p for p in products if p is not None)
        direct = [attrs["share"] for attrs in (sub.get_edge_data(s, target) or {}).values()]
        direct_known = sum(d for d in direct if d is not None)
        controls = (s, target) in control
        if (s, target) in declared:
            controller: str | None = "declared"
        elif controls and direct_known <= 0.5 + TOLERANCE:
            controller = "derived"
        else:
            controller = None
        result[s] = {
            "share": None if None in products else known,
            "share_known_part": known,
            "unknown_chains": products.count(None),
            "chains": len(products),
            "direct_share": None if None in direct else direct_known,
            "controls": controls,
            "controller": controller,
            "ultimate": controls and not any((o, s) in control for o in subjects),
        }
    persons = [s for s in subjects if s[0] == "Person"]
    by_share = {s for s in persons if result[s]["share_known_part"] >= threshold - TOLERANCE}
    owners = by_share or {s for s in persons if result[s]["controls"]}
    return {s: ModelOwner(beneficial_owner=s in owners, **figures) for s, figures in result.items()}
