"""Search by name: persons and enterprises as *candidates to verify* (exact, pinyin, initials,
partial, fuzzy), and enterprises by part of their name or the start of their USCC (paginated)."""

from __future__ import annotations

import datetime as dt
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field

from tracer.domain.errors import InvalidInput
from tracer.domain.identifiers import looks_like_person_id
from tracer.queries.catalogue import cypher
from tracer.queries.models import EnterpriseRef, PersonRef
from tracer.queries.names import Match, MatchKind, lucene_query, match
from tracer.queries.runner import QueryRunner, Row
from tracer.queries.timeline import LATEST

MAX_QUERY_LENGTH = 50
MAX_PAGE = 100


class EnterpriseHit(BaseModel):
    """One enterprise matching a search."""

    uscc: str
    name: str | None
    kind: str | None
    status: str | None
    region_code: str | None
    listed: bool


class EnterpriseSearch(BaseModel):
    """A page of search hits; ``next_offset`` is null on the last page."""

    q: str
    items: list[EnterpriseHit]
    limit: int
    offset: int
    next_offset: int | None


def search_enterprises(
    runner: QueryRunner, q: str, on: date, limit: int = 20, offset: int = 0
) -> EnterpriseSearch:
    """Enterprises whose name contains ``q`` or whose USCC starts with it, shortest names first;
    ``listed`` when a finding is in force against one on ``on`` (as now known)."""
    text = q.strip()
    if not 1 <= len(text) <= MAX_QUERY_LENGTH:
        raise InvalidInput(f"the search text must have 1 to {MAX_QUERY_LENGTH} characters")
    if not 1 <= limit <= MAX_PAGE or offset < 0:
        raise InvalidInput(f"limit must be 1..{MAX_PAGE} and offset >= 0")
    rows = runner.read(
        cypher("search_enterprises"),
        q=text,
        skip=offset,
        limit=limit + 1,
        as_of=on,
        known_at=LATEST,
    )
    more = len(rows) > limit
    return EnterpriseSearch(
        q=text,
        items=[EnterpriseHit(**row) for row in rows[:limit]],
        limit=limit,
        offset=offset,
        next_offset=offset + limit if more else None,
    )


# -- name search: candidates to verify -------------------------------------------------------------
#: Candidates gathered per source (exact name, full-text index) before re-scoring.
POOL = 200
#: Current positions shown per person.
MAX_POSITIONS = 5
MAX_CANDIDATES = 100
SearchKind = Literal["person", "enterprise"]
CANDIDATES_NOTE = (
    "Candidates to verify by ID number or USCC, not findings: a name is never an identity (重名)."
)


class Position(BaseModel):
    """A position a person holds on the day of the search."""

    role: str
    enterprise: EnterpriseRef


class PersonCandidate(BaseModel):
    """A person whose name matches, with the facts that tell namesakes apart."""

    person: PersonRef
    birth_year: int | None = Field(description="From a resident ID's birth date.")
    sex: Literal["M", "F"] | None = Field(description="From a resident ID's sequence digit.")
    region_code: str | None = Field(description="A resident ID's area code (where issued).")
    nationality: str | None
    positions: list[Position] = Field(description=f"Held today (at most {MAX_POSITIONS}).")
    has_findings: bool = Field(
        description="Some finding concerns this person (against or naming them, or against an "
        "enterprise of theirs): run a check by ID number. Never a liability."
    )
    match: MatchKind
    score: float = Field(ge=0, le=1)


class EnterpriseCandidate(BaseModel):
    """An enterprise whose name matches, with the facts that tell similar names apart."""

    enterprise: EnterpriseRef
    status: str | None
    region_code: str | None
    established_on: dt.date | None
    legal_representative: PersonRef | None
    has_findings: bool = Field(description="A finding is against it: run a check by USCC.")
    match: MatchKind
    score: float = Field(ge=0, le=1)


class NameSearch(BaseModel):
    """Persons and enterprises whose names match ``text``, best first: candidates to verify."""

    text: str
    kind: SearchKind | None
    as_of: dt.date
    persons: list[PersonCandidate]
    enterprises: list[EnterpriseCandidate]
    truncated: bool = Field(
        description="More candidates scored above the threshold than ``limit``."
    )
    note: str = CANDIDATES_NOTE


def _ranked(text: str, rows: list[Row], key: str | tuple[str, ...]) -> list[tuple[Row, Match]]:
    keys = (key,) if isinstance(key, str) else key
    scored = [(row, found) for row in rows if (found := match(text, row["name"])) is not None]
    return sorted(
        scored, key=lambda pair: (-pair[1].score, pair[0]["name"], *(pair[0][k] for k in keys))
    )


def _resident_facts(id_type: str, number: str) -> dict[str, Any]:
    if id_type != "RESIDENT_ID" or len(number) != 18:
        return {"birth_year": None, "sex": None, "region_code": None}
    return {
        "birth_year": int(number[6:10]),
        "sex": "M" if int(number[16]) % 2 else "F",
        "region_code": number[:6],
    }


def _persons(
    runner: QueryRunner, text: str, lucene: str, on: dt.date, limit: int
) -> tuple[list[PersonCandidate], bool]:
    pool = runner.read(cypher("search_persons_pool"), name=text, lucene=lucene, pool=POOL)
    ranked = _ranked(text, pool, ("id_type", "id_number"))
    chosen = ranked[:limit]
    keys = [{"id_type": row["id_type"], "id_number": row["id_number"]} for row, _ in chosen]
    facts = {
        (row["id_type"], row["id_number"]): row
        for row in runner.read(
            cypher("search_persons_facts"), keys=keys, as_of=on, positions=MAX_POSITIONS
        )
    }
    found = []
    for row, how in chosen:
        fact = facts.get((row["id_type"], row["id_number"]))
        if fact is None:
            continue
        found.append(
            PersonCandidate(
                person=PersonRef.of(fact["id_type"], fact["id_number"], fact["name"]),
                **_resident_facts(fact["id_type"], fact["id_number"]),
                nationality=fact["nationality"],
                positions=[
                    Position(
                        role=p["role"], enterprise=EnterpriseRef(uscc=p["uscc"], name=p["name"])
                    )
                    for p in fact["positions"]
                ],
                has_findings=fact["has_findings"],
                match=how.kind,
                score=how.score,
            )
        )
    return found, len(ranked) > limit


def _enterprises(
    runner: QueryRunner, text: str, lucene: str, on: dt.date, limit: int
) -> tuple[list[EnterpriseCandidate], bool]:
    pool = runner.read(cypher("search_enterprises_pool"), name=text, lucene=lucene, pool=POOL)
    ranked = _ranked(text, pool, "uscc")
    chosen = ranked[:limit]
    facts = {
        row["uscc"]: row
        for row in runner.read(
            cypher("search_enterprises_facts"), usccs=[row["uscc"] for row, _ in chosen], as_of=on
        )
    }
    found = []
    for row, how in chosen:
        fact = facts.get(row["uscc"])
        if fact is None:
            continue
        rep = fact["representative"]
        found.append(
            EnterpriseCandidate(
                enterprise=EnterpriseRef(uscc=fact["uscc"], name=fact["name"]),
                status=fact["status"],
                region_code=fact["region_code"],
                established_on=fact["established_on"],
                legal_representative=PersonRef.of(rep["id_type"], rep["id_number"], rep["name"])
                if rep
                else None,
                has_findings=fact["has_findings"],
                match=how.kind,
                score=how.score,
            )
        )
    return found, len(ranked) > limit


def search_names(
    runner: QueryRunner, text: str, on: dt.date, kind: SearchKind | None = None, limit: int = 20
) -> NameSearch:
    """Persons and/or enterprises whose names match ``text`` exactly, by sound (pinyin, initials),
    in part or nearly, each with its facts, a score and how it matched; at most ``limit`` of each
    kind, best first. Bounded: each source gives at most ``POOL`` candidates to re-score."""
    typed = text.strip()
    if not 1 <= len(typed) <= MAX_QUERY_LENGTH:
        raise InvalidInput(f"the search text must have 1 to {MAX_QUERY_LENGTH} characters")
    if not 1 <= limit <= MAX_CANDIDATES:
        raise InvalidInput(f"limit must be 1..{MAX_CANDIDATES}")
    if looks_like_person_id(typed):
        raise InvalidInput("that is an ID number, not a name: check the person by ID number")
    lucene = lucene_query(typed)
    if not lucene:  # nothing a name could match (only punctuation or symbols): no candidates
        return NameSearch(
            text=typed, kind=kind, as_of=on, persons=[], enterprises=[], truncated=False
        )
    persons, more_persons = (
        ([], False) if kind == "enterprise" else _persons(runner, typed, lucene, on, limit)
    )
    enterprises, more_enterprises = (
        ([], False) if kind == "person" else _enterprises(runner, typed, lucene, on, limit)
    )
    return NameSearch(
        text=typed,
        kind=kind,
        as_of=on,
        persons=persons,
        enterprises=enterprises,
        truncated=more_persons or more_enterprises,
    )
