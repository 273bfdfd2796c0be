"""BODS 0.4 statements (``*.bods.json`` array or ``*.bods.jsonl``) to the loader's tables.

Entity statements become ``enterprises`` rows (only with a USCC), person statements ``persons``
rows (only with a document the graph keys persons by), relationship statements one row per
interest: ``shareholdings`` (shares as percentages, ranges as ``share_min``/``share_max``) or
``positions`` (board and officer interests; control interests of a beneficial owner as
ACTUAL_CONTROLLER). Only the latest statement of a record is mapped; replaced statements and
everything else the graph cannot hold are rejected with a reason code (stem
``interchange_unmapped``). docs/LOADING.md has the mapping table.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tracer.domain.codes import POSITION_ROLES
from tracer.loaders.interchange.common import (
    Tables,
    masked_identifier,
    not_json,
    percent,
    read_documents,
    subject_id,
)
from tracer.loaders.read import RawTable

#: Identifier schemes whose ids are USCCs (org-id.guide: CN-SAMR, formerly CN-SAIC).
USCC_SCHEMES = frozenset({"CN-SAMR", "CN-SAIC", "CN-USCC"})
#: Person identifier schemes (BODS guidance ``{ISO 3166-1 alpha-3}-{TYPE}``) -> id_type.
RESIDENT_ID_SCHEMES = frozenset({"CHN-IDCARD", "CN-IDCARD", "CHN-RESIDENT-ID"})
PERSON_ID_TYPES = {
    "PASSPORT": "PASSPORT",
    "HK-MACAO-PERMIT": "HK_MACAO_PERMIT",
    "TAIWAN-PERMIT": "TAIWAN_PERMIT",
    "FOREIGN-PERMANENT": "FOREIGN_PERMANENT",
}
#: Interests that are positions (DOMAIN §3).
ROLE_INTERESTS = {
    "boardMember": "DIRECTOR",
    "boardChair": "CHAIRMAN",
    "seniorManagingOfficial": "SENIOR_MANAGER",
}
#: Control interests: ACTUAL_CONTROLLER when a person holds them as beneficial owner/controller.
CONTROL_INTERESTS = frozenset(
    {
        "votingRights",
        "appointmentOfBoard",
        "otherInfluenceOrControl",
        "controlViaCompanyRulesOrArticles",
        "controlByLegalFramework",
        "rightsGrantedByContract",
    }
)
STATEMENT_KINDS = ("entity", "person", "relationship")
#: ``details`` of an interest written by ``tracer export``: the exact position role.
ROLE_DETAIL = "tracer-role:"


@dataclass(frozen=True)
class _Party:
    """A resolved record: an enterprise (uscc) or a person (id_type, id_number)."""

    kind: str  # ENTERPRISE or PERSON
    key: str
    id_type: str | None = None


def _date(value: Any) -> str | None:
    return value[:10] if isinstance(value, str) and value.strip() else None


def _latest(statements: list[tuple[int, dict[str, Any]]], out: Tables) -> list[tuple[int, Any]]:
    """The statements to map: per recordId the latest (statementDate, then file order); the
    others and those named in a later ``replacesStatements`` are rejected as SUPERSEDED."""
    replaced = {
        str(old)
        for _, s in statements
        for old in (s.get("replacesStatements") or [])
        if isinstance(old, str)
    }
    latest: dict[str, tuple[int, dict[str, Any]]] = {}
    keep: list[tuple[int, dict[str, Any]]] = []
    for line, s in statements:
        if s.get("statementId") in replaced:
            out.reject(line, "SUPERSEDED", "replaced by a later statement", s)
            continue
        record = s.get("recordId")
        if not isinstance(record, str):
            keep.append((line, s))
            continue
        found = latest.get(record)
        if found is None:
            latest[record] = (line, s)
            continue
        newer, older = (
            ((line, s), found)
            if str(s.get("statementDate") or "") >= str(found[1].get("statementDate") or "")
            else (found, (line, s))
        )
        latest[record] = newer
        out.reject(older[0], "SUPERSEDED", f"a later statement of record {record}", older[1])
    return sorted([*keep, *latest.values()], key=lambda item: item[0])


def _identifiers(details: dict[str, Any]) -> list[tuple[str, str]]:
    found = []
    for item in details.get("identifiers") or []:
        if isinstance(item, dict) and item.get("id"):
            scheme = str(item.get("scheme") or item.get("schemeName") or "UNKNOWN").strip()
            found.append((scheme, str(item["id"]).strip()))
    return found


def _entity(line: int, s: dict[str, Any], out: Tables) -> _Party | None:
    details = s.get("recordDetails") or {}
    ids = _identifiers(details)
    usccs = [value for scheme, value in ids if scheme.upper() in USCC_SCHEMES]
    kind = (details.get("entityType") or {}).get("type")
    if not usccs:
        reason = (
            "BODS_NO_USCC"
            if kind not in ("arrangement", "anonymousEntity")
            else ("BODS_ENTITY_TYPE")
        )
        out.reject(
            line,
            reason,
            f"entity ({kind}) has no identifier of a USCC scheme "
            f"({', '.join(sorted(USCC_SCHEMES))}); an enterprise is keyed by its USCC",
            s,
        )
        return None
    uscc = usccs[0].upper()
    dissolved = _date(details.get("dissolutionDate"))
    out.add(
        "enterprises",
        line,
        {
            "uscc": uscc,
            "name": details.get("name"),
            "established_on": _date(details.get("foundingDate")),
            "status": "CANCELLED" if dissolved else None,
        },
    )
    for scheme, value in ids:
        if scheme.upper() not in USCC_SCHEMES:
            _external(out, line, "ENTERPRISE", uscc, None, f"{scheme}:{value}")
    return _Party("ENTERPRISE", uscc)


def _external(out: Tables, line: int, kind: str, key: str, id_type: str | None, value: str) -> None:
    out.add(
        "external_ids",
        line,
        {
            "subject_kind": kind,
            "subject_id": subject_id(kind, key, id_type),
            "kind": "ID",
            "value": value,
        },
    )


def _person_key(ids: list[tuple[str, str]]) -> tuple[str, str] | None:
    for scheme, value in ids:
        upper = scheme.upper()
        if upper in RESIDENT_ID_SCHEMES:
            return "RESIDENT_ID", value
    for scheme, value in ids:
        for suffix, id_type in PERSON_ID_TYPES.items():
            if scheme.upper().endswith("-" + suffix):
                return id_type, value
    return None


def _person(line: int, s: dict[str, Any], out: Tables) -> _Party | None:
    details = s.get("recordDetails") or {}
    ids = _identifiers(details)
    key = _person_key(ids)
    if key is None:
        out.reject(
            line,
            "BODS_PERSON_NO_ID",
            "person has no resident ID or document identifier; names are never an identity",
            {k: v for k, v in s.items() if k != "recordDetails"},
        )
        return None
    id_type, number = key
    names = [n for n in details.get("names") or [] if isinstance(n, dict) and n.get("fullName")]
    names.sort(key=lambda n: n.get("type") != "legal")
    nationalities = [n.get("code") for n in details.get("nationalities") or [] if n.get("code")]
    out.add(
        "persons",
        line,
        {
            "id_type": id_type,
            "id_number": number,
            "name": names[0]["fullName"] if names else None,
            "nationality": nationalities[0] if nationalities else None,
        },
    )
    for scheme, value in ids:
        if (scheme, value) != _scheme_of(ids, key):
            _external(out, line, "PERSON", number, id_type, masked_identifier(scheme, value, True))
    return _Party("PERSON", number, id_type)


def _scheme_of(ids: list[tuple[str, str]], key: tuple[str, str]) -> tuple[str, str] | None:
    return next(((scheme, value) for scheme, value in ids if value == key[1]), None)


def _relationship(
    line: int, s: dict[str, Any], parties: dict[str, _Party | None], out: Tables
) -> None:
    details = s.get("recordDetails") or {}
    subject = parties.get(str(details.get("subject")))
    holder_ref = details.get("interestedParty")
    holder = parties.get(holder_ref) if isinstance(holder_ref, str) else None
    interests = [i for i in details.get("interests") or [] if isinstance(i, dict)]
    if subject is None or subject.kind != "ENTERPRISE" or holder is None:
        which = "subject" if subject is None or subject.kind != "ENTERPRISE" else "interested party"
        out.reject(
            line,
            "BODS_PARTY_UNRESOLVED",
            f"the {which} is not an enterprise or person this file identifies "
            "(no USCC or document, unspecified, or not in the file)",
            s,
        )
        return
    if not interests:
        out.reject(line, "BODS_NO_INTEREST", "relationship without interests", s)
        return
    closed = s.get("recordStatus") == "closed"
    for interest in interests:
        kind = str(interest.get("type"))
        end = _date(interest.get("endDate")) or (_date(s.get("statementDate")) if closed else None)
        start = _date(interest.get("startDate"))
        if kind == "shareholding":
            share = interest.get("share") or {}
            low = share.get("minimum", share.get("exclusiveMinimum"))
            high = share.get("maximum", share.get("exclusiveMaximum"))
            out.add(
                "shareholdings",
                line,
                {
                    "investee_uscc": subject.key,
                    "holder_kind": holder.kind,
                    "holder_id": holder.key,
                    "holder_id_type": holder.id_type,
                    "share": percent(share.get("exact")),
                    "share_min": percent(low),
                    "share_max": percent(high),
                    "start_date": start,
                    "end_date": end,
                    "record_id": s.get("recordId"),
                },
            )
            continue
        role = ROLE_INTERESTS.get(kind)
        detail = str(interest.get("details") or "")
        if detail.startswith(ROLE_DETAIL) and detail[len(ROLE_DETAIL) :] in POSITION_ROLES:
            role = detail[len(ROLE_DETAIL) :]  # written by our own export: the exact role
        if (
            role is None
            and kind in CONTROL_INTERESTS
            and interest.get("beneficialOwnershipOrControl")
        ):
            role = "ACTUAL_CONTROLLER"
        if role is None or holder.kind != "PERSON":
            out.reject(
                line,
                "BODS_INTEREST_UNMAPPED",
                f"interest {kind!r} of a {holder.kind.lower()} has no place in the graph "
                "(positions are held by persons; control only as a beneficial owner's)",
                {"recordId": s.get("recordId"), "interest": interest},
            )
            continue
        out.add(
            "positions",
            line,
            {
                "uscc": subject.key,
                "id_type": holder.id_type,
                "id_number": holder.key,
                "role": role,
                "start_date": start,
                "end_date": end,
            },
        )


def read_bods(path: Path) -> dict[str, RawTable]:
    """The tables of one BODS 0.4 file (statement number = ``_line``)."""
    out = Tables(path)
    statements: list[tuple[int, dict[str, Any]]] = []
    for line, value in read_documents(path):
        bad = not_json(value)
        if bad is not None:
            out.reject(line, "ROW_MALFORMED", f"not JSON: {bad[0]}", bad[1])
        elif not isinstance(value, dict) or value.get("recordType") not in STATEMENT_KINDS:
            kind = value.get("recordType") if isinstance(value, dict) else type(value).__name__
            out.reject(line, "BODS_RECORD_TYPE", f"not a BODS 0.4 statement ({kind!r})", value)
        else:
            statements.append((line, value))
    parties: dict[str, _Party | None] = {}
    relationships = []
    for line, s in _latest(statements, out):
        kind, record = s["recordType"], str(s.get("recordId"))
        if kind == "entity":
            parties[record] = _entity(line, s, out)
        elif kind == "person":
            parties[record] = _person(line, s, out)
        else:
            relationships.append((line, s))
    for line, s in relationships:
        _relationship(line, s, parties, out)
    return out.tables()
