"""FollowTheMoney entities (``*.ftm.json`` / ``*.ftm.jsonl``, one entity a line, or a JSON
array) to the loader's tables, in plain Python (the ``followthemoney`` package is not needed at
run time: see docs/DECISIONS.md).

Company / Organization / LegalEntity / PublicBody -> ``enterprises`` (only with a USCC among
its registration numbers or Identification entities); Person -> ``persons`` (resident ID or
passport from ``idNumber``/``passportNumber`` or an Identification); Ownership ->
``shareholdings`` (``percentage``); Directorship -> ``positions`` (``role`` mapped to DOMAIN §3);
Sanction -> ``external_listings`` (never a finding); ``topics`` and other identifiers ->
``external_ids``. Everything else is rejected with a reason code (``interchange_unmapped``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tracer.loaders.interchange.common import (
    Tables,
    masked_identifier,
    not_json,
    percent,
    read_documents,
    subject_id,
)
from tracer.loaders.read import RawTable

ORGANISATIONS = frozenset({"Company", "Organization", "LegalEntity", "PublicBody"})
#: Properties of an organisation that may carry its USCC; the others are external ids.
USCC_PROPERTIES = ("registrationNumber", "taxNumber", "idNumber", "uniqueEntityId")
ORG_ID_PROPERTIES = (
    *USCC_PROPERTIES, "leiCode", "innCode", "ogrnCode", "okpoCode", "vatCode", "swiftBic",
    "dunsCode", "bikCode", "permId", "icijId", "okpoCode", "wikidataId", "opencorporatesUrl",
)  # fmt: skip
USCC_SHAPE = re.compile(r"[0-9A-HJ-NP-RTUWXY]{2}\d{6}[0-9A-HJ-NP-RTUWXY]{10}")
RESIDENT_SHAPE = re.compile(r"\d{17}[\dXx]|\d{15}")
#: Directorship ``role`` text -> position role (first match wins; lower-case substrings).
ROLES = (
    ("legal representative", "LEGAL_REPRESENTATIVE"),
    ("法定代表人", "LEGAL_REPRESENTATIVE"),
    ("actual controller", "ACTUAL_CONTROLLER"),
    ("实际控制人", "ACTUAL_CONTROLLER"),
    ("董事长", "CHAIRMAN"),
    ("chair", "CHAIRMAN"),
    ("监事", "SUPERVISOR"),
    ("supervisor", "SUPERVISOR"),
    ("总经理", "GENERAL_MANAGER"),
    ("general manager", "GENERAL_MANAGER"),
    ("chief executive", "GENERAL_MANAGER"),
    ("ceo", "GENERAL_MANAGER"),
    ("负责人", "PRINCIPAL"),
    ("principal", "PRINCIPAL"),
    ("董事", "DIRECTOR"),
    ("director", "DIRECTOR"),
    ("高级管理", "SENIOR_MANAGER"),
    ("senior manag", "SENIOR_MANAGER"),
    ("officer", "SENIOR_MANAGER"),
    ("manager", "SENIOR_MANAGER"),
)
IDENTIFICATION_TYPES = {"passport": "PASSPORT"}


@dataclass(frozen=True)
class _Party:
    kind: str  # ENTERPRISE or PERSON
    key: str
    id_type: str | None = None


def _values(entity: dict[str, Any], prop: str) -> list[str]:
    values = (entity.get("properties") or {}).get(prop) or []
    if not isinstance(values, list):
        values = [values]
    return [str(v).strip() for v in values if v is not None and str(v).strip()]


def _first(entity: dict[str, Any], prop: str) -> str | None:
    values = _values(entity, prop)
    return values[0] if values else None


def _ref(entity: dict[str, Any], prop: str) -> str | None:
    """The id an entity property points to (a string, or a nested entity's id)."""
    values = (entity.get("properties") or {}).get(prop) or []
    for value in values if isinstance(values, list) else [values]:
        if isinstance(value, dict) and value.get("id"):
            return str(value["id"])
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _day(value: str | None) -> str | None:
    """An FtM date (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD…``): only a full day is a date here."""
    return value[:10] if value and len(value) >= 10 else None


def _role(text: str | None) -> str | None:
    if not text:
        return "DIRECTOR"
    lower = text.lower()
    return next((role for needle, role in ROLES if needle in lower), None)


class _Reader:
    def __init__(self, path: Path) -> None:
        self.out = Tables(path)
        self.entities: dict[str, dict[str, Any]] = {}
        self.parties: dict[str, _Party | None] = {}
        self.identifications: dict[str, list[tuple[int, dict[str, Any]]]] = {}

    def run(self) -> dict[str, RawTable]:
        items: list[tuple[int, dict[str, Any]]] = []
        for line, value in read_documents(self.out.path):
            bad = not_json(value)
            if bad is not None:
                self.out.reject(line, "ROW_MALFORMED", f"not JSON: {bad[0]}", bad[1])
            elif not isinstance(value, dict) or not value.get("schema") or not value.get("id"):
                self.out.reject(line, "FTM_NOT_ENTITY", "not an FtM entity (id, schema)", value)
            else:
                items.append((line, value))
                self.entities[str(value["id"])] = value
                if value["schema"] == "Identification" and _ref(value, "holder"):
                    holder = str(_ref(value, "holder"))
                    self.identifications.setdefault(holder, []).append((line, value))
        later = []
        for line, entity in items:
            schema = entity["schema"]
            if schema in ORGANISATIONS:
                self.parties[entity["id"]] = self._organisation(line, entity)
            elif schema == "Person":
                self.parties[entity["id"]] = self._person(line, entity)
            else:
                later.append((line, entity))
        for line, entity in later:
            handler = {
                "Ownership": self._ownership,
                "Directorship": self._directorship,
                "Sanction": self._sanction,
                "Identification": self._identification,
            }.get(entity["schema"])
            if handler is None:
                self.out.reject(
                    line,
                    "FTM_SCHEMA_UNMAPPED",
                    f"schema {entity['schema']!r} has no place in the graph",
                    entity,
                )
            else:
                handler(line, entity)
        return self.out.tables()

    # -- things -------------------------------------------------------------------------------
    def _topics(self, line: int, entity: dict[str, Any], party: _Party) -> None:
        for topic in _values(entity, "topics"):
            self._external(line, party, "TOPIC", topic)

    def _external(self, line: int, party: _Party, kind: str, value: str) -> None:
        self.out.add(
            "external_ids",
            line,
            {
                "subject_kind": party.kind,
                "subject_id": subject_id(party.kind, party.key, party.id_type),
                "kind": kind,
                "value": value,
            },
        )

    def _organisation(self, line: int, entity: dict[str, Any]) -> _Party | None:
        candidates = [
            (prop, value.upper())
            for prop in USCC_PROPERTIES
            for value in _values(entity, prop)
            if USCC_SHAPE.fullmatch(value.upper())
        ]
        for _, ident in self.identifications.get(entity["id"], []):
            number = (_first(ident, "number") or "").upper()
            if USCC_SHAPE.fullmatch(number):
                candidates.append(("Identification", number))
        if not candidates:
            self.out.reject(
                line,
                "FTM_NO_USCC",
                f"{entity['schema']} has no USCC among {', '.join(USCC_PROPERTIES)} or its "
                "Identification entities; an enterprise is keyed by its USCC",
                entity,
            )
            return None
        uscc = candidates[0][1]
        dissolved = _first(entity, "dissolutionDate")
        self.out.add(
            "enterprises",
            line,
            {
                "uscc": uscc,
                "name": _first(entity, "name"),
                "established_on": _day(_first(entity, "incorporationDate")),
                "status": "CANCELLED" if dissolved else None,
                "address": _first(entity, "address"),
            },
        )
        party = _Party("ENTERPRISE", uscc)
        self._external(line, party, "ID", f"ftm:{entity['id']}")
        for prop in ORG_ID_PROPERTIES:
            for value in _values(entity, prop):
                if value.upper() != uscc:
                    self._external(line, party, "ID", f"{prop}:{value}")
        self._topics(line, entity, party)
        return party

    def _person_key(self, entity: dict[str, Any]) -> tuple[str, str] | None:
        for value in _values(entity, "idNumber"):
            if RESIDENT_SHAPE.fullmatch(value):
                return "RESIDENT_ID", value
        for _, ident in self.identifications.get(entity["id"], []):
            number = _first(ident, "number") or ""
            kind = (_first(ident, "type") or "").lower()
            if RESIDENT_SHAPE.fullmatch(number) and (_first(ident, "country") or "cn") == "cn":
                return "RESIDENT_ID", number
            if kind in IDENTIFICATION_TYPES or ident.get("schema") == "Passport":
                return IDENTIFICATION_TYPES.get(kind, "PASSPORT"), number
        passports = _values(entity, "passportNumber")
        return ("PASSPORT", passports[0]) if passports else None

    def _person(self, line: int, entity: dict[str, Any]) -> _Party | None:
        key = self._person_key(entity)
        if key is None:
            self.out.reject(
                line,
                "FTM_PERSON_NO_ID",
                "person has no resident ID or passport number; names are never an identity",
                {"id": entity["id"], "schema": "Person"},
            )
            return None
        id_type, number = key
        nationality = _first(entity, "nationality") or _first(entity, "citizenship")
        self.out.add(
            "persons",
            line,
            {
                "id_type": id_type,
                "id_number": number,
                "name": _first(entity, "name"),
                "nationality": nationality.upper() if nationality else None,
            },
        )
        party = _Party("PERSON", number, id_type)
        self._external(line, party, "ID", f"ftm:{entity['id']}")
        self._topics(line, entity, party)
        return party

    # -- links --------------------------------------------------------------------------------
    def _resolve(self, entity: dict[str, Any], prop: str) -> _Party | None:
        ref = _ref(entity, prop)
        return self.parties.get(ref) if ref else None

    def _unresolved(self, line: int, entity: dict[str, Any], which: str) -> None:
        self.out.reject(
            line,
            "FTM_PARTY_UNRESOLVED",
            f"{entity['schema']}: the {which} is not an enterprise or person this file "
            "identifies (no USCC or document, or not in the file)",
            entity,
        )

    def _ownership(self, line: int, entity: dict[str, Any]) -> None:
        owner, asset = self._resolve(entity, "owner"), self._resolve(entity, "asset")
        if owner is None or asset is None or asset.kind != "ENTERPRISE":
            self._unresolved(line, entity, "owner" if owner is None else "asset")
            return
        self.out.add(
            "shareholdings",
            line,
            {
                "investee_uscc": asset.key,
                "holder_kind": owner.kind,
                "holder_id": owner.key,
                "holder_id_type": owner.id_type,
                "share": percent(_first(entity, "percentage")),
                "start_date": _day(_first(entity, "startDate")),
                "end_date": _day(_first(entity, "endDate")),
                "record_id": _first(entity, "recordId"),
            },
        )

    def _directorship(self, line: int, entity: dict[str, Any]) -> None:
        director = self._resolve(entity, "director")
        organisation = self._resolve(entity, "organization")
        if director is None or organisation is None or organisation.kind != "ENTERPRISE":
            self._unresolved(line, entity, "director" if director is None else "organization")
            return
        role = _role(_first(entity, "role"))
        if director.kind != "PERSON" or role is None:
            self.out.reject(
                line,
                "FTM_ROLE_UNMAPPED",
                f"role {_first(entity, 'role')!r} of a {director.kind.lower()} is no position "
                "of DOMAIN §3 (positions are held by persons)",
                entity,
            )
            return
        self.out.add(
            "positions",
            line,
            {
                "uscc": organisation.key,
                "id_type": director.id_type,
                "id_number": director.key,
                "role": role,
                "start_date": _day(_first(entity, "startDate")),
                "end_date": _day(_first(entity, "endDate")),
            },
        )

    def _sanction(self, line: int, entity: dict[str, Any]) -> None:
        subject = self._resolve(entity, "entity")
        if subject is None:
            self._unresolved(line, entity, "entity")
            return
        self.out.add(
            "external_listings",
            line,
            {
                "listing_id": entity["id"],
                "subject_kind": subject.kind,
                "subject_id": subject_id(subject.kind, subject.key, subject.id_type),
                "source": _first(entity, "publisher") or _first(entity, "authority"),
                "program": _first(entity, "program"),
                "reason": "; ".join(_values(entity, "reason")) or None,
                "authority": _first(entity, "authority"),
                "country": _first(entity, "country"),
                "start_date": _day(_first(entity, "startDate") or _first(entity, "listingDate")),
                "end_date": _day(_first(entity, "endDate")),
                "topics": "|".join(_values(entity, "topics")) or None,
                "source_url": _first(entity, "sourceUrl"),
            },
        )

    def _identification(self, line: int, entity: dict[str, Any]) -> None:
        holder = self._resolve(entity, "holder")
        if holder is None:
            self._unresolved(line, entity, "holder")
            return
        number = _first(entity, "number") or ""
        scheme = _first(entity, "type") or _first(entity, "country") or "Identification"
        self._external(
            line, holder, "ID", masked_identifier(scheme, number, holder.kind == "PERSON")
        )


def read_ftm(path: Path) -> dict[str, RawTable]:
    """The tables of one FtM entity file (entity number or line = ``_line``)."""
    return _Reader(path).run()
