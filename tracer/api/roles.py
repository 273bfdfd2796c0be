"""Roles and the authenticated caller."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """What an API key may do; see the role × endpoint table in docs/API.md."""

    VIEWER = "viewer"
    IMPLEMENTER = "implementer"
    INVESTIGATOR = "investigator"
    ADMIN = "admin"


#: Roles that see full ID numbers; everyone else gets ``id_masked`` only.
REVEALS_IDS = frozenset({Role.INVESTIGATOR, Role.ADMIN})


@dataclass(frozen=True)
class Principal:
    """The caller behind a request: its key id, name, role and (implementers) department."""

    key_id: str
    name: str
    role: Role
    department: str | None = None

    @property
    def reveals_ids(self) -> bool:
        """True when this caller may see full ID numbers."""
        return self.role in REVEALS_IDS

    def reveals_ids_of(self, department: str) -> bool:
        """Full ID numbers in a department's work list: the roles above, and the department's
        own implementers (who must apply the measures to identified persons)."""
        own = self.role is Role.IMPLEMENTER and self.department == department
        return self.reveals_ids or own

    @property
    def actor(self) -> str:
        """How a write is attributed: the key's name and id."""
        return f"{self.name} (key {self.key_id})"
