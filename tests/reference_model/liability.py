"""DOMAIN.md §5, §5b and §8 as plain Python on a networkx graph (``GraphBuilder.to_networkx()``).

Deliberately naive: loops over every finding, rule, edge and transition, and replays each
finding's history for every question instead of reading a stored line. The engine (Cypher and
the stored bitemporal lines) must give the same liabilities and exposures for any graph, date
and moment of knowledge.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx

Node = tuple[str, ...]
Person = tuple[str, str]
#: (person, finding id, rule id, measures applied — or ("ELIGIBLE",) when only eligible)
LiabilityKey = tuple[Person, str, str, tuple[str, ...]]
#: (person, finding id, exposure kind)
ExposureKey = tuple[Person, str, str]
Row = Mapping[str, Any]

_EDGE_ROLE = {"OWNS": "SHAREHOLDER", "REGISTERED_AT": "REGISTERED_PRACTITIONER"}
OPEN = dt.date(9999, 12, 31)


def _held(edge: Row, day: dt.date) -> bool:
    start, end = edge.get("start_date"), edge.get("end_date")
    return (start is None or start <= day) and (end is None or end >= day)


def _plus_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _period_end(day: dt.date, years: int) -> dt.date:
    return _plus_years(day, years) - dt.timedelta(days=1)


class Tables:
    """The reference tables as shipped: no jurisdictions; rules, list types and measures valid
    on every date, memorandum rows from their ``valid_from`` (e.g. 国务院令第724号, 2020-05-01)."""

    def __init__(self, tables: Mapping[str, Sequence[Row]]) -> None:
        self.rules = list(tables["rules"])
        self.list_types = {row["code"]: row for row in tables["list_types"]}
        self.periods = list(tables["list_type_periods"])
        self.memoranda = list(tables["list_type_measures"])
        self.measures = {row["code"]: row for row in tables["measures"]}

    def category(self, finding: Row) -> str | None:
        listed = self.list_types.get(finding.get("list_type"))
        return finding.get("category") or (listed or {}).get("category")

    def reference(self, finding: Row) -> str:
        listed = self.list_types.get(finding.get("list_type"))
        return str((listed or {}).get("person_reference") or "ACT_DATE")

    def default_until(self, finding: Row) -> dt.date | None:
        rows = [
            row
            for row in self.periods
            if row["list_type"] == finding.get("list_type")
            and (row["valid_from"] or dt.date.min) <= finding["decided_on"]
        ]
        for ground in (finding.get("ground") or "", ""):
            for row in rows:
                if row["ground"] == ground:
                    years = row.get("years")
                    return _period_end(finding["decided_on"], years) if years else None
        return None

    def person_rows(self, finding: Row, classes: set[str], day: dt.date | None = None) -> list[Row]:
        """The PERSONS rows of the finding's list type in ``classes`` (valid on ``day``, if
        given; a rule's need for such rows asks of the list type, not of a day)."""
        category = self.category(finding)
        found = {}
        for row in self.memoranda:
            if (
                row["target"] == "PERSONS"
                and (day is None or (row["valid_from"] or dt.date.min) <= day)
                and (day is None or day <= (row["valid_to"] or dt.date.max))
                and row["list_type"] in ("", finding.get("list_type"))
                and row["category"] in ("", category)
                and row["ground"] in ("", finding.get("ground"))
                and (
                    "*" in classes or (self.measures[row["measure"]].get("class") or "*") in classes
                )
            ):
                found[row["measure"]] = row
        return list(found.values())


def _statuses(
    finding: Row, known_at: dt.datetime
) -> tuple[bool, list[tuple[dt.date, str]], dt.date]:
    """Replay what was recorded by ``known_at``: (void, status pieces, the period's end)."""
    if known_at < finding["recorded_at"]:
        return True, [], OPEN
    known = [t for t in finding["transitions"] if t["recorded_at"] <= known_at]
    pieces = [(finding["decided_on"], "ACTIVE")]
    for change in sorted(known, key=lambda t: t["effective_on"]):
        pieces.append((change["effective_on"], change["to_status"]))
    term = finding.get("effective_until") or finding.get("_default_until") or OPEN
    for change in known:
        if change.get("new_effective_until"):
            term = change["new_effective_until"]
    void = any(t["to_status"] == "REVOKED" for t in known)
    return void, pieces, term


def _status_on(pieces: list[tuple[dt.date, str]], day: dt.date) -> str:
    status = "BEFORE"
    for start, value in pieces:
        if start <= day:
            status = value
    return status


def applies(finding: Row, day: dt.date, known_at: dt.datetime) -> bool:
    """In force on ``day`` as known at ``known_at``."""
    void, pieces, term = _statuses(finding, known_at)
    if void or day < finding["decided_on"] or day > term:
        return False
    return _status_on(pieces, day) in ("ACTIVE", "CORRECTED")


def listed(finding: Row, day: dt.date, known_at: dt.datetime) -> bool:
    """On record on ``day`` (not void, not under review), whatever its period or a repair."""
    void, pieces, _ = _statuses(finding, known_at)
    if void or day < finding["decided_on"]:
        return False
    return _status_on(pieces, day) in ("ACTIVE", "CORRECTED", "REPAIRED", "EXPIRED")


def _ended(edge: Row, day: dt.date, known_at: dt.datetime) -> bool:
    """A suspension (an objection to one's own role) decided, as known at ``known_at``, to end
    before ``day``."""
    until = edge.get("until")
    return until is not None and edge["until_recorded_at"] <= known_at and day >= until


def _released(edges: Sequence[Row], day: dt.date, known_at: dt.datetime) -> bool:
    """Released (wrongful: always; else from its effective date), or suspended on ``day``."""
    return any(
        edge["recorded_at"] <= known_at
        and (edge["wrongful"] or (edge["effective_on"] <= day and not _ended(edge, day, known_at)))
        for edge in edges
    )


def _rule_matches(tables: Tables, rule: Row, finding: Row, subject: Row | None) -> bool:
    if rule["list_types"] and finding.get("list_type") not in rule["list_types"]:
        return False
    if rule["categories"] and tables.category(finding) not in rule["categories"]:
        return False
    if rule["grounds"] and finding.get("ground") not in rule["grounds"]:
        return False
    if (
        subject is not None
        and (rule["subject_kinds"] or rule["ownerships"])
        and not (
            subject.get("kind") in rule["subject_kinds"]
            or subject.get("ownership") in rule["ownerships"]
        )
    ):
        return False
    classes = set(rule["list_measure_classes"])
    return not rule["requires_list_measures"] or bool(tables.person_rows(finding, classes))


def _measures(
    tables: Tables, rule: Row, finding: Row, day: dt.date, in_force: bool
) -> tuple[str, ...] | None:
    """The measures ``rule`` applies through ``finding`` on ``day``; ("ELIGIBLE",) when only
    eligible; None when nothing applies."""
    ban = rule.get("ban_years")
    codes = set()
    if in_force or ban:
        codes.update(rule["measures"])
    for row in tables.person_rows(finding, set(rule["list_measure_classes"]), day):
        until = _period_end(finding["decided_on"], row["years"]) if row.get("years") else None
        if (until is not None and day <= until) or (until is None and in_force):
            codes.add(row["measure"])
    if codes:
        return tuple(sorted(codes))
    if in_force and rule["eligible_measures"] and not rule["requires_list_measures"]:
        return ("ELIGIBLE",)
    return None


def _window(rule: Row, finding: Row, day: dt.date, known_at: dt.datetime) -> tuple[bool, bool]:
    """(the rule may apply on ``day``, the finding itself is in force)."""
    in_force = applies(finding, day, known_at)
    ok = in_force or (rule["outlasts_finding"] and listed(finding, day, known_at))
    if rule.get("ban_years") and day >= _plus_years(finding["decided_on"], rule["ban_years"]):
        ok = False
    return ok, in_force


def model(
    graph: nx.MultiDiGraph,
    tables: Mapping[str, Sequence[Row]],
    as_of: dt.date,
    known_at: dt.datetime,
) -> tuple[set[LiabilityKey], set[ExposureKey]]:
    """Every liability and exposure on ``as_of`` as known at ``known_at``."""
    ref = Tables(tables)
    liabilities: set[LiabilityKey] = set()
    exposures: set[ExposureKey] = set()
    for node, data in graph.nodes(data=True):
        if node[0] != "Finding":
            continue
        finding = dict(data["props"])
        finding["_default_until"] = ref.default_until(finding)
        out = list(graph.out_edges(node, data=True))
        releases: dict[Node, list[Row]] = {}
        named: dict[tuple[Node, str], Row] = {}
        for _, target, edge in out:
            if edge["type"] == "RELEASES":
                releases.setdefault(target, []).append(edge)
            if edge["type"] == "NAMES":
                named[(target, edge["capacity"])] = edge
        subject = next(target for _, target, edge in out if edge["type"] == "AGAINST")
        fid = node[1]
        reference = ref.reference(finding)
        found: dict[tuple[Node, str], tuple[str, ...]] = {}
        exposed: dict[Node, set[str]] = {}

        for rule in ref.rules:
            subject_props = graph.nodes[subject]["props"] if subject[0] == "Enterprise" else None
            if not _rule_matches(ref, rule, finding, subject_props):
                continue
            ok, in_force = _window(rule, finding, as_of, known_at)
            if not ok:
                continue
            measures = _measures(ref, rule, finding, as_of, in_force)
            own = rule["reference"] or reference
            basis = (
                finding["decided_on"]
                if own == "DECIDED_ON"
                else finding.get("act_date") or finding["decided_on"]
            )
            reached: set[Node] = set()
            if subject[0] == "Person":
                if rule["person_subjects"] and (
                    rule["subject_requires"] != "EXIT_RESTRICTED" or finding.get("exit_restricted")
                ):
                    reached.add(subject)
            else:
                for source, _, edge in graph.in_edges(subject, data=True):
                    if source[0] != "Person" or edge["type"] not in (
                        "HOLDS",
                        "OWNS",
                        "REGISTERED_AT",
                    ):
                        continue
                    role = edge.get("role") or _EDGE_ROLE[edge["type"]]
                    naming = named.get((source, "DIRECTLY_RESPONSIBLE"))
                    by_naming = (
                        role in rule["roles_if_named"]
                        and naming is not None
                        and _in_effect(naming, finding, as_of, known_at)
                    )
                    by_role = role in rule["roles"]
                    if not edge_overlaps(edge, finding, as_of):
                        continue
                    if _held(edge, basis) and (by_naming or (by_role and own != "NAMED_ONLY")):
                        reached.add(source)
                    elif by_role and in_force:
                        kind = _exposure_kind(edge, basis, own, as_of)
                        if kind:
                            exposed.setdefault(source, set()).add(kind)
                for (person, capacity), naming in named.items():
                    if capacity in rule["named_capacities"] and _in_effect(
                        naming, finding, as_of, known_at
                    ):
                        reached.add(person)
            for person in reached:
                if _released(releases.get(person, []), as_of, known_at):
                    if in_force:
                        exposed.setdefault(person, set()).add("RELEASED")
                    continue
                if measures is not None:
                    found[(person, rule["rule_id"])] = measures
        for (person, rule_id), measures in found.items():
            liabilities.add(((person[1], person[2]), fid, rule_id, measures))
        liable = {person for person, _ in found}
        for person, kinds in exposed.items():
            if person not in liable:
                exposures.update(((person[1], person[2]), fid, kind) for kind in kinds)
    return liabilities, exposures


def _in_effect(naming: Row, finding: Row, as_of: dt.date, known_at: dt.datetime) -> bool:
    effective: dt.date = naming.get("effective_on") or finding["decided_on"]
    recorded: dt.datetime = naming.get("recorded_at") or finding["recorded_at"]
    return effective <= as_of and recorded <= known_at


def edge_overlaps(edge: Row, finding: Row, as_of: dt.date) -> bool:
    """The position overlaps the act period up to ``as_of``."""
    start, end = edge.get("start_date"), edge.get("end_date")
    return (start is None or start <= as_of) and (
        end is None or end >= (finding.get("act_date") or finding["decided_on"])
    )


def _exposure_kind(edge: Row, basis: dt.date, reference: str, as_of: dt.date) -> str:
    if _held(edge, basis):
        return "NAMED_ONLY_LIST" if reference == "NAMED_ONLY" else ""
    start = edge.get("start_date")
    if start is not None and start > basis:
        return "APPOINTED_AFTER_REFERENCE" if _held(edge, as_of) else ""
    return "IN_OFFICE_DURING_ACT_PERIOD"
