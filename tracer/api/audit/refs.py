"""Audit references for subjects: persons keyed-hashed, organisations and findings plain."""

from __future__ import annotations

import hashlib
import hmac

from tracer.domain.identifiers import looks_like_person_id


class SubjectRefs:
    """Builds the ``subjects`` of an audit entry. Persons appear only as ``person:<HMAC>``
    (keyed by the server secret): an auditor holding the secret can tell whether a given person
    was looked up; nobody can read an ID number from the log. A finding id or department code
    that looks like a personal identifier is recorded the same keyed way, never in clear."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def _keyed(self, message: str) -> str:
        return hmac.new(self._secret, message.encode(), hashlib.sha256).hexdigest()[:32]

    def person(self, id_type: str, id_number: str) -> str:
        """``person:<hmac>`` of the normalised identifier."""
        return "person:" + self._keyed(f"{id_type}:{id_number}")

    def _plain_or_keyed(self, kind: str, value: str) -> str:
        if looks_like_person_id(value):
            return "redacted:" + self._keyed(f"{kind}:{value}")
        return f"{kind}:{value}"

    @staticmethod
    def enterprise(uscc: str) -> str:
        """``enterprise:<USCC>`` (a validated USCC)."""
        return f"enterprise:{uscc}"

    def finding(self, finding_id: str) -> str:
        """``finding:<id>``."""
        return self._plain_or_keyed("finding", finding_id)

    def department(self, code: str) -> str:
        """``department:<code>``."""
        return self._plain_or_keyed("department", code)
