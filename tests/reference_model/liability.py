"""DOMAIN.md §5 as plain Python on a networkx graph (``GraphBuilder.to_networkx()``).

Deliberately naive: loops over every finding, rule and edge. The engine (Cypher) must give the
same (person, finding, rule, effect) set for any graph.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx

Node = tuple[str, ...]
LiabilityKey = tuple[tuple[str, str], str, str, str]  # (person key, finding id, rule id, effect)

_EDGE_ROLE = {"OWNS": "SHAREHOLDER", "REGISTERED_AT": "REGISTERED_PRACTITIONER"}


def _held(edge: Mapping[str, Any], day: dt.date) -> bool:
    start, end = edge.get("start_date"), edge.get("end_date")
    return (start is None or start <= day) and (end is None or end >= day)


def _plus_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def finding_counts(finding: Mapping[str, Any], as_of: dt.date) -> bool:
    """ACTIVE, decided by ``as_of`` and not past ``effective_until``."""
    until = finding.get("effective_until")
    return (
        finding.get("status") == "ACTIVE"
        and finding["decided_on"] <= as_of
        and (until is None or until >= as_of)
    )


def _rule_matches_finding(
    rule: Mapping[str, Any], finding: Mapping[str, Any], category: str | None, as_of: dt.date
) -> bool:
    if rule["list_types"] and finding.get("list_type") not in rule["list_types"]:
        return False
    if rule["categories"] and category not in rule["categories"]:
        return False
    ban = rule.get("ban_years")
    return not (ban and _plus_years(finding["decided_on"], ban) < as_of)


def _organisation_matches(rule: Mapping[str, Any], enterprise: Mapping[str, Any]) -> bool:
    if not rule["subject_kinds"] and not rule["ownerships"]:
        return True
    return (
        enterprise.get("kind") in rule["subject_kinds"]
        or enterprise.get("ownership") in rule["ownerships"]
    )


def liabilities(
    graph: nx.MultiDiGraph,
    rules: Sequence[Mapping[str, Any]],
    list_types: Sequence[Mapping[str, Any]],
    as_of: dt.date,
) -> set[LiabilityKey]:
    """Every (person, finding, rule, effect) that applies on ``as_of``."""
    category_of = {row["code"]: row.get("category") for row in list_types}
    result: set[LiabilityKey] = set()
    for node, data in graph.nodes(data=True):
        if node[0] != "Finding":
            continue
        finding = data["props"]
        if not finding_counts(finding, as_of):
            continue
        category = finding.get("category") or category_of.get(finding.get("list_type"))
        out = list(graph.out_edges(node, data=True))
        released = {target for _, target, edge in out if edge["type"] == "RELEASES"}
        named = {(target, edge["capacity"]) for _, target, edge in out if edge["type"] == "NAMES"}
        subject = next(target for _, target, edge in out if edge["type"] == "AGAINST")
        for rule in rules:
            if not _rule_matches_finding(rule, finding, category, as_of):
                continue
            basis = (
                finding["decided_on"]
                if rule["date_basis"] == "DECIDED_ON"
                else finding.get("act_date") or finding["decided_on"]
            )
            reached: set[Node] = set()
            if subject[0] == "Person":
                if rule["person_subjects"]:
                    reached.add(subject)
            elif _organisation_matches(rule, graph.nodes[subject]["props"]):
                for source, _, edge in graph.in_edges(subject, data=True):
                    if source[0] != "Person" or edge["type"] not in (
                        "HOLDS",
                        "OWNS",
                        "REGISTERED_AT",
                    ):
                        continue
                    role = edge.get("role") or _EDGE_ROLE[edge["type"]]
                    by_role = role in rule["roles"]
                    by_named_role = (source, "DIRECTLY_RESPONSIBLE") in named and role in rule[
                        "roles_if_named"
                    ]
                    if (by_role or by_named_role) and _held(edge, basis):
                        reached.add(source)
                for person, capacity in named:
                    if capacity in rule["named_capacities"]:
                        reached.add(person)
            for person in reached - released:
                result.add(((person[1], person[2]), node[1], rule["rule_id"], rule["effect"]))
    return result
