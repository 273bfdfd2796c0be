"""The subjects a read touches, collected for its audit entry (API requests and CLI commands)."""

from __future__ import annotations

from tracer.api.audit.refs import SubjectRefs
from tracer.domain.keys import SubjectKey
from tracer.queries.models import persons_in


class Trail:
    """The subjects a request touches, written to the audit log when the response starts
    (each once, in the order first touched)."""

    def __init__(self, refs: SubjectRefs, subjects: list[str] | None = None) -> None:
        self._refs = refs
        self.subjects = [] if subjects is None else subjects
        self._seen: set[str] = set(self.subjects)

    def _add(self, ref: str) -> None:
        if ref not in self._seen:
            self._seen.add(ref)
            self.subjects.append(ref)

    def person(self, id_type: str, id_number: str) -> None:
        """Record a person (as a keyed hash)."""
        self._add(self._refs.person(id_type, id_number))

    def enterprise(self, uscc: str) -> None:
        """Record an enterprise."""
        self._add(self._refs.enterprise(uscc))

    def finding(self, finding_id: str) -> None:
        """Record a finding."""
        self._add(self._refs.finding(finding_id))

    def department(self, code: str) -> None:
        """Record a department."""
        self._add(self._refs.department(code))

    def key(self, key: SubjectKey) -> None:
        """Record the subject of a key (a person as a keyed hash)."""
        if key.uscc is not None:
            self.enterprise(key.uscc)
        elif key.id_type is not None and key.id_number is not None:
            self.person(key.id_type, key.id_number)

    def disclosed(self, result: object) -> None:
        """Record every person a response discloses (DOMAIN.md §12): each person reference in
        ``result`` — liable, exposed, officers, owners, related risk, path nodes …"""
        for person in persons_in(result):
            if person.id_number is not None:
                self.person(person.id_type, person.id_number)
