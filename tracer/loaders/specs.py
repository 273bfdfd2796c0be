"""Columns and code lists of every input file (INTERFACES.md §1, DOMAIN.md §3-§4)."""

from __future__ import annotations

from dataclasses import dataclass

KINDS = (
    "ENTERPRISE",
    "INDIVIDUAL_BUSINESS",
    "COOPERATIVE",
    "PUBLIC_INSTITUTION",
    "ORGAN",
    "SOCIAL_ORGANISATION",
    "OTHER",
)
OWNERSHIPS = ("STATE", "PRIVATE", "FOREIGN", "COLLECTIVE", "OTHER")
ENTERPRISE_STATUSES = ("ACTIVE", "CANCELLED", "REVOKED")
POSITION_ROLES = (
    "LEGAL_REPRESENTATIVE",
    "PRINCIPAL",
    "CHAIRMAN",
    "DIRECTOR",
    "SUPERVISOR",
    "GENERAL_MANAGER",
    "SENIOR_MANAGER",
    "ACTUAL_CONTROLLER",
)
HOLDER_KINDS = ("PERSON", "ENTERPRISE", "DEPARTMENT")
SUBJECT_KINDS = ("ENTERPRISE", "PERSON")
CATEGORIES = ("HEALTH_SAFETY", "MARKET_ORDER", "REFUSE_OBLIGATION", "NATIONAL_DEFENCE")
FINDING_STATUSES = ("ACTIVE", "UNDER_REVIEW", "CORRECTED", "REVOKED", "REPAIRED", "EXPIRED")
CAPACITIES = ("DIRECTLY_RESPONSIBLE", "ACTUAL_CONTROLLER")


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
