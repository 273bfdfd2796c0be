"""Writing the graph as FollowTheMoney entities (JSON lines) or BODS 0.4 statements (a JSON
array), from the pages of ``tracer.queries.export``. Person ID numbers are masked unless
revealed (an export is a disclosure). Both writers stream: one page in memory at a time."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator
from typing import IO, Any

from tracer.domain.masking import mask_number
from tracer.loaders.interchange.bods import ROLE_DETAIL
from tracer.queries.export import Page
from tracer.queries.liability import EnterpriseLiabilities, Liability

#: Position roles as FtM Directorship ``role`` text (read back by ftm.ROLES).
FTM_ROLES = {
    "LEGAL_REPRESENTATIVE": "legal representative (法定代表人)",
    "PRINCIPAL": "principal (负责人)",
    "CHAIRMAN": "chairman (董事长)",
    "DIRECTOR": "director (董事)",
    "SUPERVISOR": "supervisor (监事)",
    "GENERAL_MANAGER": "general manager (总经理)",
    "SENIOR_MANAGER": "senior manager (高级管理人员)",
    "ACTUAL_CONTROLLER": "actual controller (实际控制人)",
}
#: Position roles as BODS interests; ``details`` carries the exact role (read back by bods.py).
BODS_ROLES = {
    "CHAIRMAN": "boardChair",
    "DIRECTOR": "boardMember",
    "SENIOR_MANAGER": "seniorManagingOfficial",
    "GENERAL_MANAGER": "seniorManagingOfficial",
    "ACTUAL_CONTROLLER": "otherInfluenceOrControl",
}
BODS_PERSON_SCHEMES = {
    "RESIDENT_ID": "CHN-IDCARD",
    "PASSPORT": "XXX-PASSPORT",
    "HK_MACAO_PERMIT": "CHN-HK-MACAO-PERMIT",
    "TAIWAN_PERMIT": "CHN-TAIWAN-PERMIT",
    "FOREIGN_PERMANENT": "CHN-FOREIGN-PERMANENT",
}
_NAMESPACE = uuid.UUID("6f1c3a52-6a55-4c8e-9a5e-0b7d3c1e2f40")


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _digest(*parts: Any) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:20]


def enterprise_id(uscc: str) -> str:
    """An enterprise's id in both formats."""
    return f"cn-uscc-{uscc}"


def person_id(id_type: str, id_number: str) -> str:
    """A person's id in both formats: a hash of the key (never the number itself)."""
    return f"cn-person-{_digest(id_type, id_number)}"


def _number(id_number: str, reveal: bool) -> str:
    return id_number if reveal else mask_number(id_number)


def _share_percent(share: Any) -> str | None:
    return None if share is None else repr(float(share) * 100.0)


# -- FollowTheMoney ----------------------------------------------------------------------------
def _props(**values: Any) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, value in values.items():
        items = value if isinstance(value, list) else [value]
        texts = [_iso(item) for item in items if item is not None]
        if texts:
            out[name] = [t for t in texts if t]
    return out


def ftm_entities(
    pages: Iterable[Page],
    liabilities: Iterable[EnterpriseLiabilities] = (),
    reveal: bool = False,
) -> Iterator[dict[str, Any]]:
    """FtM entities: Company, Person, Ownership, Directorship, then a Sanction per liability
    (and per finding on a listed enterprise: the memoranda's measures); a liable person outside
    the exported pages (named in a finding, or beyond the network) is written before its first
    Sanction, so no Sanction points outside the file."""
    emitted: set[str] = set()
    for page in pages:
        for row in page.enterprises:
            p = row["props"]
            yield {
                "id": enterprise_id(row["uscc"]),
                "schema": "Company",
                "properties": _props(
                    name=p.get("name"),
                    registrationNumber=row["uscc"],
                    jurisdiction="cn",
                    incorporationDate=p.get("established_on"),
                    address=p.get("address"),
                    status=p.get("status"),
                    topics=p.get("topics"),
                ),
            }
        for person in page.persons:
            emitted.add(person_id(person["id_type"], person["id_number"]))
            yield _ftm_person(person["id_type"], person["id_number"], person["props"], reveal)
        for edge in page.edges:
            yield _ftm_edge(edge)
    for report in liabilities:
        yield from _ftm_sanctions(report, emitted, reveal)


def _ftm_person(kind: str, id_number: str, p: dict[str, Any], reveal: bool) -> dict[str, Any]:
    number = _number(id_number, reveal)
    return {
        "id": person_id(kind, id_number),
        "schema": "Person",
        "properties": _props(
            name=p.get("name"),
            idNumber=number if kind != "PASSPORT" else None,
            passportNumber=number if kind == "PASSPORT" else None,
            nationality=(p.get("nationality") or "").lower() or None,
            topics=p.get("topics"),
        ),
    }


def _holder_id(edge: dict[str, Any]) -> str:
    if edge["holder_uscc"] is not None:
        return enterprise_id(edge["holder_uscc"])
    return person_id(edge["holder_id_type"], edge["holder_id_number"])


def _ftm_edge(edge: dict[str, Any]) -> dict[str, Any]:
    p, holder = edge["props"], _holder_id(edge)
    investee = enterprise_id(edge["investee"])
    if edge["type"] == "OWNS":
        low, high = p.get("share_min"), p.get("share_max")
        summary = None
        if p.get("share") is None and (low is not None or high is not None):
            summary = f"share between {low} and {high} (fraction of 1)"
        return {
            "id": f"own-{_digest(holder, investee, p.get('start_key'), p.get('record_id'))}",
            "schema": "Ownership",
            "properties": _props(
                owner=holder,
                asset=investee,
                percentage=_share_percent(p.get("share")),
                startDate=p.get("start_date"),
                endDate=p.get("end_date"),
                recordId=p.get("record_id"),
                summary=summary,
            ),
        }
    return {
        "id": f"dir-{_digest(holder, investee, p.get('role'), p.get('start_date'))}",
        "schema": "Directorship",
        "properties": _props(
            director=holder,
            organization=investee,
            role=FTM_ROLES.get(str(p.get("role")), p.get("role")),
            startDate=p.get("start_date"),
            endDate=p.get("end_date"),
        ),
    }


def _sanction(entity: str, item: Liability, route: str, start: dt.date | None) -> dict[str, Any]:
    """One liability as an FtM Sanction of ``entity`` (rule, route and source in ``reason``)."""
    return {
        "id": f"liab-{_digest(item.finding_id, item.rule, entity)}",
        "schema": "Sanction",
        "properties": _props(
            entity=entity,
            program=f"{item.list_type} {item.rule}",
            reason=(
                f"{item.rule} {item.rule_name}{route} (finding {item.finding_id}): {item.source}"
            ),
            provisions=item.measures,
            startDate=start,
            endDate=item.effective_until,
        ),
    }


def _ftm_sanctions(
    report: EnterpriseLiabilities, emitted: set[str], reveal: bool
) -> Iterator[dict[str, Any]]:
    company = enterprise_id(report.enterprise.uscc)
    for item in report.subject_measures:
        yield _sanction(company, item, "", item.decided_on)
    for liable in report.liable:
        number = _key_number(liable.person)
        person = person_id(liable.person.id_type, number)
        if person not in emitted:
            emitted.add(person)
            yield _ftm_person(liable.person.id_type, number, {"name": liable.person.name}, reveal)
        for item in liable.liabilities:
            yield _sanction(person, item, f" via {item.via}", item.basis_date)


def _key_number(person: Any) -> str:
    number = person.id_number
    return str(number) if number is not None else str(person.id_masked)


def write_ftm(handle: IO[str], entities: Iterable[dict[str, Any]]) -> int:
    """One entity a line; returns the count."""
    count = 0
    for entity in entities:
        handle.write(json.dumps(entity, ensure_ascii=False, sort_keys=True) + "\n")
        count += 1
    return count


# -- BODS 0.4 ---------------------------------------------------------------------------------
def _statement(
    kind: str, record: str, details: dict[str, Any], subject: str, day: str
) -> dict[str, Any]:
    return {
        "statementId": str(
            uuid.uuid5(_NAMESPACE, f"{record}|{json.dumps(details, sort_keys=True)}")
        ),
        "declarationSubject": subject,
        "statementDate": day,
        "publicationDetails": {
            "publicationDate": day,
            "bodsVersion": "0.4",
            "publisher": {"name": "Liability Tracer export"},
        },
        "recordId": record,
        "recordStatus": "new",
        "recordType": kind,
        "recordDetails": {"isComponent": False, **details},
    }


def bods_statements(
    pages: Iterable[Page], day: dt.date, subject: str | None = None, reveal: bool = False
) -> Iterator[dict[str, Any]]:
    """BODS 0.4 entity, person and relationship statements (one per edge)."""
    when = day.isoformat()
    for page in pages:
        for row in page.enterprises:
            p, record = row["props"], enterprise_id(row["uscc"])
            details: dict[str, Any] = {
                "entityType": {"type": "registeredEntity"},
                "name": p.get("name") or row["uscc"],
                "identifiers": [{"scheme": "CN-SAMR", "id": row["uscc"]}],
                "jurisdiction": {"code": "CN", "name": "China"},
            }
            if p.get("established_on") is not None:
                details["foundingDate"] = _iso(p["established_on"])
            yield _statement("entity", record, details, subject or record, when)
        for person in page.persons:
            p, kind = person["props"], person["id_type"]
            record = person_id(kind, person["id_number"])
            details = {
                "personType": "knownPerson",
                "identifiers": [
                    {
                        "scheme": BODS_PERSON_SCHEMES.get(kind, "XXX-" + kind),
                        "id": _number(person["id_number"], reveal),
                    }
                ],
            }
            if p.get("name"):
                details["names"] = [{"type": "legal", "fullName": p["name"]}]
            if p.get("nationality"):
                details["nationalities"] = [{"name": p["nationality"], "code": p["nationality"]}]
            yield _statement("person", record, details, subject or record, when)
        for edge in page.edges:
            yield _bods_relationship(edge, subject, when)


def _bods_relationship(edge: dict[str, Any], subject: str | None, when: str) -> dict[str, Any]:
    p, holder = edge["props"], _holder_id(edge)
    investee = enterprise_id(edge["investee"])
    interest: dict[str, Any] = {"directOrIndirect": "direct"}
    if edge["type"] == "OWNS":
        interest.update(type="shareholding", beneficialOwnershipOrControl=False)
        share: dict[str, float] = {}
        if p.get("share") is not None:
            share["exact"] = float(p["share"]) * 100.0
        else:
            if p.get("share_min") is not None:
                share["minimum"] = float(p["share_min"]) * 100.0
            if p.get("share_max") is not None:
                share["maximum"] = float(p["share_max"]) * 100.0
        if share:
            interest["share"] = share
        record = p.get("record_id") or f"own-{_digest(holder, investee, p.get('start_key'))}"
    else:
        role = str(p.get("role"))
        interest.update(
            type=BODS_ROLES.get(role, "otherInfluenceOrControl"),
            beneficialOwnershipOrControl=role == "ACTUAL_CONTROLLER",
            details=ROLE_DETAIL + role,
        )
        record = f"pos-{_digest(holder, investee, role, p.get('start_date'))}"
    if p.get("start_date") is not None:
        interest["startDate"] = _iso(p["start_date"])
    if p.get("end_date") is not None:
        interest["endDate"] = _iso(p["end_date"])
    details = {"subject": investee, "interestedParty": holder, "interests": [interest]}
    return _statement("relationship", str(record), details, subject or investee, when)


def write_bods(handle: IO[str], statements: Iterable[dict[str, Any]]) -> int:
    """A JSON array written a statement at a time; returns the count."""
    count = 0
    handle.write("[")
    for statement in statements:
        handle.write(("\n" if count == 0 else ",\n") + json.dumps(statement, ensure_ascii=False))
        count += 1
    handle.write("\n]\n")
    return count
