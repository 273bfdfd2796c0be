"""Columns of every input file (INTERFACES.md §1): the one home of the file formats — the
loader validates against it and the generator writes it."""

from __future__ import annotations

from dataclasses import dataclass

from tracer.queries.reference import TABLES


@dataclass(frozen=True)
class Spec:
    """The required and optional columns of one input file, in the order they are written."""

    stem: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column, in the order of INTERFACES.md §1."""
        return (*self.required, *self.optional)


#: The data files in load order: references resolve to earlier files.
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
            "name_changed_on",
            "former_name",
        ),
    ),
    Spec(
        "persons",
        ("id_number", "name"),
        ("id_type", "nationality", "name_changed_on", "former_name"),
    ),
    Spec("positions", ("uscc", "id_number", "role", "start_date"), ("id_type", "end_date")),
    Spec(
        "shareholdings",
        ("investee_uscc", "holder_kind", "holder_id"),
        (
            "share",
            "holder_id_type",
            "share_unit",
            "start_date",
            "end_date",
            "share_min",
            "share_max",
            "record_id",
        ),
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
            "ground",
            "severe",
            "exit_restricted",
            "basis",
            "act_date",
            "effective_until",
            "status",
            "status_since",
        ),
    ),
    Spec(
        "finding_persons",
        ("finding_id", "id_number", "capacity"),
        ("id_type", "effective_on"),
    ),
    Spec(
        "transitions",
        ("finding_id", "to_status", "effective_on", "actor", "reason"),
        ("document", "new_effective_until", "id_type", "id_number"),
    ),
    Spec(
        "redlist",
        ("subject_id", "honour", "granted_on"),
        ("subject_kind", "granted_by", "valid_until"),
    ),
    Spec(
        "employments",
        ("id_number", "employer_kind", "employer_id", "start_date"),
        ("id_type", "public_sector", "end_date"),
    ),
    Spec(
        "commitments",
        ("commitment_id", "subject_id", "matter", "department", "committed_on"),
        ("subject_kind", "due_on", "fulfilled_on", "breached_on"),
    ),
    Spec(
        "interviews",
        ("interview_id", "subject_id", "department", "kind", "held_on"),
        ("subject_kind", "rectify_by", "rectified_on"),
    ),
)

#: Reference-table overrides: the key columns are required, the rest optional.
_REFERENCE_SPECS = tuple(
    Spec(
        stem,
        tuple(name for name in table.key if table.columns[name].required),
        tuple(
            name
            for name in table.columns
            if not (name in table.key and table.columns[name].required)
        ),
    )
    for stem, table in TABLES.items()
)
REFERENCE_STEMS = tuple(TABLES)
SPECS = {spec.stem: spec for spec in (*_REFERENCE_SPECS, *_DATA_SPECS)}
#: The data files, in the order they are validated and written (``_DATA_SPECS``' order:
#: references resolve to earlier stems, and to the reference tables, which come first).
DATA_STEMS = tuple(spec.stem for spec in _DATA_SPECS)
LOAD_ORDER = (*REFERENCE_STEMS, *DATA_STEMS)
