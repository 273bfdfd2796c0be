"""The checks a finding's decision must pass however it arrives (a loaded row, a draft):
INTERFACES.md §1 ``findings`` and ``finding_persons``, with the loader's reason codes."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from tracer.domain.codes import CAPACITIES, CATEGORIES
from tracer.domain.errors import InvalidInput

#: A code column's shape (ground, list type).
CODE = re.compile(r"[A-Z][A-Z0-9_]{0,63}")


class FindingRejected(InvalidInput):
    """A finding (or a person it names) fails a check; ``code`` is the loader's reason code."""

    def __init__(self, column: str, code: str, message: str) -> None:
        super().__init__(f"{column}: {code}: {message}")
        self.column, self.code = column, code


def check_decision(
    list_type: str,
    category: str | None,
    ground: str | None,
    act_date: dt.date | None,
    decided_on: dt.date,
    effective_until: dt.date | None,
    list_type_categories: Mapping[str, str | None],
) -> str | None:
    """Check a decision against the known list types (code → fixed category or None) and
    return its category (given, or the list type's). Raises ``FindingRejected``."""
    if list_type not in list_type_categories:
        raise FindingRejected("list_type", "LIST_TYPE_UNKNOWN", f"{list_type} is not a list type")
    fixed = list_type_categories[list_type]
    if category is not None and category not in CATEGORIES:
        raise FindingRejected("category", "CODE_UNKNOWN", f"{category} is not a category")
    if category is not None and fixed is not None and category != fixed:
        raise FindingRejected(
            "category",
            "CATEGORY_MISMATCH",
            f"category {category} disagrees with list type {list_type}, whose category is {fixed}",
        )
    if ground is not None and not CODE.fullmatch(ground):
        raise FindingRejected("ground", "CODE_UNKNOWN", "ground must be an upper-case code")
    if act_date is not None and act_date > decided_on:
        raise FindingRejected("act_date", "DATE_ORDER", "act_date is after decided_on")
    if effective_until is not None and effective_until < decided_on:
        raise FindingRejected(
            "effective_until", "DATE_ORDER", "effective_until is before decided_on"
        )
    return category or fixed


def check_naming(capacity: str, effective_on: dt.date | None, decided_on: dt.date) -> None:
    """A person named with ``capacity`` from ``effective_on``. Raises ``FindingRejected``."""
    if capacity not in CAPACITIES:
        raise FindingRejected("capacity", "CODE_UNKNOWN", f"{capacity} is not a capacity")
    if effective_on is not None and effective_on < decided_on:
        raise FindingRejected(
            "effective_on", "DATE_ORDER", "effective_on is before the finding's decision"
        )
