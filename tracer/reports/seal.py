"""Sealing and verifying a report: the canonical JSON of its content (sorted keys, UTF-8, no
insignificant whitespace), its SHA-256, and an HMAC-SHA256 under a server key named by ``kid``
in a keyring the server keeps. A sealed document is ``{"content": …, "verification": …}``
written in the same canonical form, so a changed byte anywhere is noticed."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from enum import IntEnum
from typing import Any, Protocol

ALGORITHM = "SHA-256 + HMAC-SHA256 over the canonical JSON of content"
CANONICAL = "JSON, keys sorted, UTF-8, separators ',' and ':', no other whitespace"


class SigningKey(Protocol):
    """A server key: its id and an HMAC-SHA256 (hex) under it."""

    @property
    def kid(self) -> str:
        """The key's id."""
        ...

    def mac(self, payload: bytes) -> str:
        """HMAC-SHA256 of ``payload``, hex."""
        ...


class KeyRing(Protocol):
    """The server's report keys: its id and the key of each ``kid`` it holds."""

    @property
    def log_id(self) -> str:
        """The keyring's id (tells this server's keys from another's)."""
        ...

    @property
    def current(self) -> SigningKey:
        """The key that seals new reports."""
        ...

    def key(self, kid: str | None) -> SigningKey | None:
        """The key ``kid``, or None."""
        ...


class Verdict(IntEnum):
    """What verification found; the value is the exit code of ``tracer report verify``."""

    AUTHENTIC = 0
    ALTERED = 1
    NOT_ISSUED = 2

    @property
    def text(self) -> str:
        """The verdict as printed."""
        return {
            Verdict.AUTHENTIC: "AUTHENTIC AND UNALTERED",
            Verdict.ALTERED: "ALTERED",
            Verdict.NOT_ISSUED: "NOT ISSUED BY THIS SERVER",
        }[self]


@dataclass(frozen=True)
class Verification:
    """A verdict, why, and the report number when the content could be read."""

    verdict: Verdict
    reason: str
    report_no: str | None = None


def canonical(value: Any) -> bytes:
    """The canonical serialisation of a JSON value."""
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def seal(content: dict[str, Any], ring: KeyRing) -> bytes:
    """The sealed document of ``content`` (a JSON object) under the ring's current key."""
    payload = canonical(content)
    key = ring.current
    verification = {
        "algorithm": ALGORITHM,
        "canonical_form": CANONICAL,
        "sha256": hashlib.sha256(payload).hexdigest(),
        "hmac": key.mac(payload),
        "kid": key.kid,
        "keyring": ring.log_id,
    }
    return canonical({"content": content, "verification": verification})


def parse(document: bytes) -> dict[str, Any]:
    """The parsed sealed document; ``ValueError`` when it is not one."""
    parsed = json.loads(document.decode("utf-8"))
    if not isinstance(parsed, dict) or set(parsed) != {"content", "verification"}:
        raise ValueError("not a sealed report: expected exactly 'content' and 'verification'")
    if not isinstance(parsed["content"], dict) or not isinstance(parsed["verification"], dict):
        raise ValueError("not a sealed report: content and verification must be objects")
    return parsed


def _report_no(content: dict[str, Any]) -> str | None:
    header = content.get("header")
    number = header.get("report_no") if isinstance(header, dict) else None
    return number if isinstance(number, str) else None


def verify(document: bytes, ring: KeyRing | None) -> Verification:
    """Whether ``document`` is byte for byte a report this server sealed (``ring`` None: the
    server has no report keys, so it issued nothing)."""
    try:
        parsed = parse(document)
    except (UnicodeDecodeError, ValueError) as exc:
        return Verification(Verdict.ALTERED, f"unreadable: {exc}")
    content, seal_block = parsed["content"], parsed["verification"]
    number = _report_no(content)
    payload = canonical(content)
    if seal_block.get("sha256") != hashlib.sha256(payload).hexdigest():
        return Verification(Verdict.ALTERED, "the content's SHA-256 does not match", number)
    if canonical(parsed) != document:
        return Verification(Verdict.ALTERED, "the file is not the document as issued", number)
    key = ring.key(seal_block.get("kid")) if ring is not None else None
    if ring is None or key is None or seal_block.get("keyring") != ring.log_id:
        return Verification(
            Verdict.NOT_ISSUED, "sealed with a key this server does not hold", number
        )
    if not hmac.compare_digest(str(seal_block.get("hmac")), key.mac(payload)):
        return Verification(Verdict.NOT_ISSUED, "the HMAC does not match this server's key", number)
    return Verification(Verdict.AUTHENTIC, f"sealed with key {key.kid}", number)
