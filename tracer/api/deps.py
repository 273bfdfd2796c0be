"""Request dependencies as ``Annotated`` aliases: the runner, the caller, role gates, the trail."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from tracer.api.audit import SubjectRefs
from tracer.api.keys import KeyStore
from tracer.api.roles import Principal, Role
from tracer.api.schemas import SubjectBody
from tracer.domain.errors import Forbidden, Unauthorized
from tracer.queries.paths import SubjectKey
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


def allow(*roles: Role) -> Callable[[Principal], Principal]:
    """A dependency that lets only ``roles`` through (403 for the others)."""
    allowed = frozenset(roles)

    def gate(principal: PrincipalDep) -> Principal:
        if principal.role not in allowed:
            names = ", ".join(sorted(role.value for role in allowed))
            raise Forbidden(f"role {principal.role.value!r} may not do this (allowed: {names})")
        return principal

    return gate


ReaderDep = Annotated[
    Principal, Depends(allow(Role.VIEWER, Role.IMPLEMENTER, Role.INVESTIGATOR, Role.ADMIN))
]
ScreenerDep = Annotated[Principal, Depends(allow(Role.IMPLEMENTER, Role.INVESTIGATOR, Role.ADMIN))]
InvestigatorDep = Annotated[Principal, Depends(allow(Role.INVESTIGATOR, Role.ADMIN))]
DepartmentDep = Annotated[Principal, Depends(allow(Role.IMPLEMENTER, Role.ADMIN))]
AdminDep = Annotated[Principal, Depends(allow(Role.ADMIN))]


def require_department(principal: Principal, code: str) -> None:
    """Object-level check: an implementer acts only for its own department."""
    if principal.role is Role.IMPLEMENTER and principal.department != code:
        raise Forbidden("an implementer key acts only for its own department")


class Trail:
    """The subjects a request touches, written to the audit log when the response starts."""

    def __init__(self, refs: SubjectRefs, subjects: list[str]) -> None:
        self._refs = refs
        self.subjects = subjects

    def person(self, id_type: str, id_number: str) -> None:
        """Record a person (as a keyed hash)."""
        self.subjects.append(self._refs.person(id_type, id_number))

    def enterprise(self, uscc: str) -> None:
        """Record an enterprise."""
        self.subjects.append(self._refs.enterprise(uscc))

    def finding(self, finding_id: str) -> None:
        """Record a finding."""
        self.subjects.append(self._refs.finding(finding_id))

    def department(self, code: str) -> None:
        """Record a department."""
        self.subjects.append(self._refs.department(code))

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
