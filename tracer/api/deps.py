"""Request dependencies as ``Annotated`` aliases: the runner, the caller, role gates, the trail."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel

from tracer.api.audit import SubjectRefs
from tracer.api.keys import KeyStore
from tracer.api.roles import Principal, Role
from tracer.api.schemas import SubjectBody
from tracer.domain.clock import Clock
from tracer.domain.errors import Forbidden, Unauthorized
from tracer.domain.keys import SubjectKey
from tracer.domain.masking import set_reveal_ids
from tracer.graph.settings import get_clock
from tracer.queries.models import PersonRef
from tracer.queries.runner import QueryRunner

_api_key = APIKeyHeader(name="X-API-Key", auto_error=False, description="An API key.")
_bearer = HTTPBearer(auto_error=False, description="The same API key as a bearer token.")


def get_runner(request: Request) -> QueryRunner:
    """The app's query runner (opened in the lifespan)."""
    runner: QueryRunner = request.app.state.runner
    return runner


def get_principal(
    request: Request,
    api_key: Annotated[str | None, Security(_api_key)],
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
) -> Principal:
    """The caller, from ``X-API-Key`` or ``Authorization: Bearer``; 401 otherwise."""
    presented = api_key or (bearer.credentials if bearer else None)
    if not presented:
        raise Unauthorized("send an API key in the X-API-Key header (or as a bearer token)")
    store: KeyStore = request.app.state.keys
    principal = store.authenticate(presented)
    request.state.principal = principal
    return principal


RunnerDep = Annotated[QueryRunner, Depends(get_runner)]
PrincipalDep = Annotated[Principal, Depends(get_principal)]
ClockDep = Annotated[Clock, Depends(get_clock)]


def allow(*roles: Role) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency that lets only ``roles`` through (403 for the others) and decides, for the
    rest of the request, whether full ID numbers are serialised (the caller's role)."""
    allowed = frozenset(roles)

    async def gate(principal: PrincipalDep) -> Principal:
        set_reveal_ids(False)
        if principal.role not in allowed:
            names = ", ".join(sorted(role.value for role in allowed))
            raise Forbidden(f"role {principal.role.value!r} may not do this (allowed: {names})")
        set_reveal_ids(principal.reveals_ids)
        return principal

    return gate


ReaderDep = Annotated[
    Principal, Depends(allow(Role.VIEWER, Role.IMPLEMENTER, Role.INVESTIGATOR, Role.ADMIN))
]
ScreenerDep = Annotated[Principal, Depends(allow(Role.IMPLEMENTER, Role.INVESTIGATOR, Role.ADMIN))]
InvestigatorDep = Annotated[Principal, Depends(allow(Role.INVESTIGATOR, Role.ADMIN))]
DepartmentDep = Annotated[Principal, Depends(allow(Role.IMPLEMENTER, Role.ADMIN))]
AdminDep = Annotated[Principal, Depends(allow(Role.ADMIN))]


async def require_department(principal: Principal, code: str) -> Principal:
    """Object-level check: an implementer acts only for its own department — whose persons it
    must identify to apply the measures, so full ID numbers are serialised for it (awaited in
    a dependency, so the choice holds for the response of this request)."""
    if principal.role is Role.IMPLEMENTER and principal.department != code:
        raise Forbidden("an implementer key acts only for its own department")
    set_reveal_ids(principal.reveals_ids_of(code))
    return principal


def persons_in(value: object) -> Iterator[PersonRef]:
    """Every person reference anywhere in a result (models, lists, dicts)."""
    if isinstance(value, PersonRef):
        yield value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from persons_in(getattr(value, name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from persons_in(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from persons_in(item)


class Trail:
    """The subjects a request touches, written to the audit log when the response starts
    (each once, in the order first touched)."""

    def __init__(self, refs: SubjectRefs, subjects: list[str]) -> None:
        self._refs = refs
        self.subjects = subjects
        self._seen: set[str] = set()

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

    def disclosed(self, result: object) -> None:
        """Record every person a response discloses (DOMAIN.md §12): each person reference in
        ``result`` — liable, exposed, officers, owners, related risk, path nodes …"""
        for person in persons_in(result):
            if person.id_number is not None:
                self.person(person.id_type, person.id_number)

    def subject(self, body: SubjectBody) -> SubjectKey:
        """The validated, normalised key of a subject in a body, recorded on the trail."""
        key = SubjectKey(uscc=body.uscc, id_type=body.id_type, id_number=body.id_number)
        key = key.normalised()
        if key.uscc is not None:
            self.enterprise(key.uscc)
        elif key.id_type is not None and key.id_number is not None:
            self.person(key.id_type, key.id_number)
        return key


def get_trail(request: Request) -> Trail:
    """This request's audit trail."""
    subjects: list[str] = []
    request.state.audit_subjects = subjects
    return Trail(request.app.state.refs, subjects)


TrailDep = Annotated[Trail, Depends(get_trail)]
