"""R9 (DOMAIN.md §5): who is notified of a finding against a member of public-sector staff — the
employer and the discipline-inspection (纪检监察) and organisation/personnel (组织人事)
departments over it. Organisations, never persons; never restricting."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tracer.queries.catalogue import cypher
from tracer.queries.departments import name_kinds
from tracer.queries.runner import QueryRunner

#: The relations of an R9 notice, with what the answer says when none could be named.
RELATIONS = (
    ("EMPLOYER", "employer", None),
    ("DISCIPLINE_INSPECTION", "discipline", "no DISCIPLINE_INSPECTION department in the region"),
    ("ORGANISATION_PERSONNEL", "personnel", "no ORGANISATION_PERSONNEL department in the region"),
)


def staff_notices(
    runner: QueryRunner, finding_ids: Sequence[str], params: dict[str, Any], limit: int
) -> dict[str, list[dict[str, Any]]]:
    """Per finding id, the notices of R9 (fields of ``NotifiedOrganisation``) for findings
    against persons employed in the public sector that apply at ``params`` (``as_of``,
    ``known_at``). A missing department is a notice with ``missing`` set, never invented."""
    if not finding_ids:
        return {}
    rows = runner.read(
        cypher("liability_staff_notifications"),
        finding_ids=list(finding_ids),
        limit=limit,
        name_kinds=[{"keyword": keyword, "kind": kind} for keyword, kind in name_kinds()],
        **params,
    )
    found: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        rule = row["rule"]
        common = {
            "finding_id": row["finding_id"],
            "rule": rule["rule_id"],
            "effect": rule["effect"],
            "measures": list(rule.get("measures") or []),
            "source": rule.get("source") or "",
        }
        notices = found.setdefault(row["finding_id"], [])
        for relation, key, missing in RELATIONS:
            organisations = [row[key]] if key == "employer" else row[key]
            if not organisations and missing is not None:
                notices.append(
                    {**common, "relation": relation, "code": None, "name": None, "missing": missing}
                )
            notices += [
                {**common, "relation": relation, "code": item["code"], "name": item.get("name")}
                for item in organisations
            ]
    return found
