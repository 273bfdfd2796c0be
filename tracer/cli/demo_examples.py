"""``tracer demo --examples``: real values of the demo data set for the README's command lines
(a liable person, a listed enterprise, a finding, a department …), read from its planted cases
and, for the department, from the loaded graph."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tracer.domain.keys import SubjectKey
from tracer.queries.departments import departments
from tracer.queries.overdue import pushed_measures
from tracer.queries.runner import QueryRunner
from tracer.queries.worklist import candidates, reaches

#: What each example value is, in the order printed.
DESCRIPTIONS = {
    "person_id_type": "ID type of a liable, restricted person",
    "person_id": "the ID number of that person (synthetic)",
    "enterprise_uscc": "USCC of the enterprise listed for that person's finding",
    "finding_id": "that finding",
    "department": "a department that finding pushes measures to (its work list)",
    "owners_uscc": "USCC at the bottom of an eight-layer ownership pyramid",
    "paths_from_uscc": "USCC of an enterprise listed under a market ban",
    "paths_to_person": "its banned legal representative, as ID_TYPE:NUMBER",
    "review_finding_id": "a finding outside the tour, for transitions and releases",
    "wrongly_named_id": "a person that finding reaches (for tracer release)",
}


def _case(planted: dict[str, Any], case_id: str) -> dict[str, Any]:
    return next(case for case in planted["cases"] if case["id"] == case_id)


def _person(case: dict[str, Any], role_in_case: str) -> dict[str, Any]:
    return next(p for p in case["persons"] if p["role_in_case"] == role_in_case)


def _department(runner: QueryRunner, finding_id: str, as_of: dt.date) -> str:
    """The first department (by code) that ``finding_id`` pushes one of its measures to."""
    found, _ = candidates(runner, as_of, finding_ids=[finding_id])
    reach = reaches(runner, [finding_id], as_of).get(finding_id)
    if not found or reach is None:
        return ""
    region = found[0].region_code or ""
    measures = pushed_measures(reach)
    for dept in departments(runner, as_of):
        if (not dept.scope or region.startswith(dept.scope)) and measures & set(dept.measures):
            return dept.code
    return ""


def demo_examples(runner: QueryRunner, planted: dict[str, Any], as_of: dt.date) -> dict[str, str]:
    """The example values (see ``DESCRIPTIONS``) of a generated data set loaded in ``runner``."""
    timing = _case(planted, "APPOINTED_AFTER_ACT")
    liable = _person(timing, "liable_former_head")
    pyramid = _case(planted, "DEEP_PYRAMID")
    ban = _case(planted, "BAN_BREACH")
    banned = _person(ban, "banned_person")
    same_name = _case(planted, "SAME_NAME")
    return {
        "person_id_type": liable["id_type"],
        "person_id": liable["id_number"],
        "enterprise_uscc": timing["enterprises"]["listed"],
        "finding_id": timing["findings"]["listing"],
        "department": _department(runner, timing["findings"]["listing"], as_of),
        "owners_uscc": pyramid["enterprises"][max(pyramid["enterprises"])],
        "paths_from_uscc": ban["enterprises"]["listed"],
        "paths_to_person": f"{banned['id_type']}:{banned['id_number']}",
        "review_finding_id": same_name["findings"]["listing"],
        "wrongly_named_id": _person(same_name, "liable")["id_number"],
    }


def example_subjects(values: dict[str, str]) -> list[SubjectKey]:
    """The persons and enterprises the examples name (for the audit log)."""
    banned_type, banned_id = values["paths_to_person"].split(":", 1)
    return [
        SubjectKey.person(values["person_id_type"], values["person_id"]),
        SubjectKey.person(banned_type, banned_id),
        SubjectKey.person("RESIDENT_ID", values["wrongly_named_id"]),
        SubjectKey.enterprise(values["enterprise_uscc"]),
        SubjectKey.enterprise(values["owners_uscc"]),
        SubjectKey.enterprise(values["paths_from_uscc"]),
    ]
