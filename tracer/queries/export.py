"""Reads for ``tracer export``: a subject's network or the whole graph, streamed in pages of
enterprises (each page with its shareholdings, positions and the persons they name), and the
liabilities of the exported enterprises' findings (computed by the engine, never stored)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from tracer.domain.errors import InvalidInput, NotFound
from tracer.queries.catalogue import cypher
from tracer.queries.liability import EnterpriseLiabilities, enterprise_liabilities
from tracer.queries.runner import QueryRunner

PAGE = 500
#: Bounds: hops of a network, nodes of a network, edges of one page.
MAX_DEPTH = 6
NODE_LIMIT = 20_000
EDGE_LIMIT = 200_000

PersonKeyParts = tuple[str, str]


@dataclass
class Page:
    """Enterprises, the persons their edges name, and the edges (OWNS and HOLDS) into them."""

    enterprises: list[dict[str, Any]] = field(default_factory=list)
    persons: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)


def network(runner: QueryRunner, uscc: str, depth: int) -> tuple[list[str], set[PersonKeyParts]]:
    """The enterprises and persons within ``depth`` hops of OWNS/HOLDS from ``uscc``."""
    if not 0 <= depth <= MAX_DEPTH:
        raise InvalidInput(f"depth must be 0..{MAX_DEPTH}")
    if not runner.read(cypher("export_enterprises"), usccs=[uscc], after="", limit=1):
        raise NotFound(f"no enterprise with USCC {uscc}")
    usccs, persons = {uscc}, set[PersonKeyParts]()
    frontier_e, frontier_p = [uscc], list[PersonKeyParts]()
    for _ in range(depth):
        rows = runner.read(
            cypher("export_neighbours"),
            usccs=frontier_e,
            keys=[{"id_type": t, "id_number": n} for t, n in frontier_p],
            limit=NODE_LIMIT,
        )
        frontier_e = [r["uscc"] for r in rows if r["uscc"] and r["uscc"] not in usccs]
        frontier_p = [
            (r["id_type"], r["id_number"])
            for r in rows
            if r["uscc"] is None and (r["id_type"], r["id_number"]) not in persons
        ]
        usccs.update(frontier_e)
        persons.update(frontier_p)
        if len(usccs) + len(persons) > NODE_LIMIT:
            raise InvalidInput(f"the network has more than {NODE_LIMIT} nodes: lower --depth")
        if not frontier_e and not frontier_p:
            break
    return sorted(usccs), persons


def pages(
    runner: QueryRunner,
    usccs: list[str] | None = None,
    persons: set[PersonKeyParts] | None = None,
    size: int = PAGE,
) -> Iterator[Page]:
    """The graph (``usccs`` None) or a network, a page of enterprises at a time; each person once.

    In a network, only edges whose holder is in it are given; the whole graph ends with the
    persons no edge named."""
    seen: set[PersonKeyParts] = set()
    after = ""
    while True:
        rows = runner.read(cypher("export_enterprises"), usccs=usccs, after=after, limit=size)
        if not rows:
            break
        after = rows[-1]["uscc"]
        page = Page(enterprises=rows)
        edges = runner.read(
            cypher("export_edges"), usccs=[r["uscc"] for r in rows], limit=EDGE_LIMIT
        )
        for edge in edges:
            holder = edge["holder_uscc"]
            key = (edge["holder_id_type"], edge["holder_id_number"])
            if usccs is not None and (
                (holder is not None and holder not in usccs)
                or (holder is None and persons is not None and key not in persons)
            ):
                continue
            page.edges.append(edge)
        wanted = {
            (e["holder_id_type"], e["holder_id_number"])
            for e in page.edges
            if e["holder_uscc"] is None
        } - seen
        seen |= wanted
        if wanted:
            page.persons = runner.read(
                cypher("export_persons"),
                keys=[{"id_type": t, "id_number": n} for t, n in sorted(wanted)],
            )
        yield page
    if usccs is None:  # the whole graph: also persons without shares or positions
        yield from _other_persons(runner, seen, size)


def _other_persons(runner: QueryRunner, seen: set[PersonKeyParts], size: int) -> Iterator[Page]:
    after = ""
    while True:
        rows = runner.read(cypher("export_persons_page"), after=after, limit=size)
        if not rows:
            return
        after = rows[-1]["key"]
        rest = [r for r in rows if (r["id_type"], r["id_number"]) not in seen]
        if rest:
            yield Page(persons=rest)


def liabilities(runner: QueryRunner, uscc: str, as_of: dt.date) -> EnterpriseLiabilities:
    """The findings, subject measures and liable persons of one exported enterprise."""
    return enterprise_liabilities(runner, uscc, as_of)
