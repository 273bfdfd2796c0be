"""Who saw a person: the audit entries naming a subject, grouped by the caller."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from tracer.api.audit.log import AuditLog


class Viewer(BaseModel):
    """One caller (API key or local CLI user) who was shown a subject, and when."""

    key_id: str | None
    key_name: str | None
    role: str | None
    first_at: dt.datetime
    last_at: dt.datetime
    requests: int
    endpoints: list[str]


def viewers(log: AuditLog, subject: str) -> list[Viewer]:
    """Every caller whose requests disclosed ``subject`` (a ``person:…`` reference), the one
    seen first first."""
    grouped: dict[tuple[str | None, str | None, str | None], Viewer] = {}
    for entry in log.find(subject):
        caller = (entry.get("key_id"), entry.get("key_name"), entry.get("role"))
        at = dt.datetime.fromisoformat(entry["at"])
        endpoint = f"{entry.get('method')} {entry.get('endpoint')}"
        seen = grouped.get(caller)
        if seen is None:
            grouped[caller] = Viewer(
                key_id=caller[0],
                key_name=caller[1],
                role=caller[2],
                first_at=at,
                last_at=at,
                requests=1,
                endpoints=[endpoint],
            )
            continue
        seen.first_at = min(seen.first_at, at)
        seen.last_at = max(seen.last_at, at)
        seen.requests += 1
        if endpoint not in seen.endpoints:
            seen.endpoints.append(endpoint)
    return sorted(grouped.values(), key=lambda viewer: viewer.first_at)
