"""Columns and code lists of every input file (INTERFACES.md §1, DOMAIN.md §3-§4)."""

from __future__ import annotations

from dataclasses import dataclass

from tracer.domain.codes import (
    CAPACITIES,
    CATEGORIES,
    ENTERPRISE_STATUSES,
    FINDING_STATUSES,
    HOLDER_KINDS,
    OWNERSHIPS,
    POSITION_ROLES,
    SUBJECT_KINDS,
)
from tracer.domain.codes import ENTERPRISE_KINDS as KINDS

__all__ = [
    "CAPACITIES",
    "CATEGORIES",
    "ENTERPRISE_STATUSES",
    "FINDING_STATUSES",
    "HOLDER_KINDS",
    "KINDS",
    "OWNERSHIPS",
    "POSITION_ROLES",
    "SUBJECT_KINDS",
]


@dataclass(frozen=True)
class Spec:
    """The required and optional columns of one input file."""

    stem: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()


REFERENCE_KEYS = {"list_types": "code", "rules": "rule_id", "measures": "code"}
_DATA_SPECS = (
    Spec("departments", ("code", "name"), ("region_code", "superior_code", "kind")),
    Spec(
        "enterprises",
        ("uscc", "name"),
        (
            "kind",
            "ownership",
            "status",
            "region_code",
            "established_on",
            "superior_department",
            "address",
        ),
    ),
    Spec("persons", ("id_number", "name"), ("id_type", "nationality")),
    Spec(
        "positions",
        ("uscc", "id_number", "role", "start_date"),
        ("id_type", "end_date"),
    ),
    Spec(
        "shareholdings",
        ("investee_uscc", "holder_kind", "holder_id", "share"),
        ("holder_id_type", "share_unit", "start_date", "end_date"),
    ),
    Spec(
        "practitioners",
        ("id_number", "uscc", "qualification", "start_date"),
        ("id_type", "certificate_no", "end_date"),
    ),
    Spec(
        "findings",
        ("finding_id", "subject_id", "list_type", "authority", "decided_on"),
        (
            "subject_kind",
            "category",
            "basis",
            "act_date",
            "effective_until",
            "status",
        ),
    ),
    Spec(
        "finding_persons",
        ("finding_id", "id_number", "capacity"),
        ("id_type",),
    ),
    Spec(
        "redlist",
        ("subject_id", "honour", "granted_on"),
        ("subject_kind", "granted_by", "valid_until"),
    ),
)
SPECS = {
    **{stem: Spec(stem, (key,)) for stem, key in REFERENCE_KEYS.items()},
    **{spec.stem: spec for spec in _DATA_SPECS},
}
