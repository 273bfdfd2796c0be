"""Request dependencies as ``Annotated`` aliases: the runner, the caller, role gates, the trail."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from tracer.api.audit.trail import Trail
from tracer.api.keys import KeyStore
from tracer.api.roles import Principal, Role
from tracer.api.schemas import SubjectBody
from tracer.domain.clock import Clock
from tracer.domain.errors import Forbidden, Unauthorized
from tracer.domain.keys import SubjectKey
from tracer.domain.masking import set_reveal_ids
from tracer.graph.settings import get_clock
from tracer.queries.async_checks import SingleChecks
from tracer.queries.async_runner import AsyncQueryRunner
from tracer.queries.runner import QueryRunner

_api_key = APIKeyHeader(name="X-API-Key", auto_error=False, description="An API key.")
_bearer = HTTPBearer(auto_error=False, description="The same API key as a bearer token.")


async def get_runner(request: Request) -> QueryRunner:
    """The app's query runner (opened in the lifespan)."""
    runner: QueryRunner = request.app.state.runner
    return runner


async def get_async_runner(request: Request) -> AsyncQueryRunner:
    """The app's asyncio query runner for the hot reads (opened in the lifespan)."""
    runner: AsyncQueryRunner = request.app.state.async_runner
    return runner


async def get_single_checks(request: Request) -> SingleChecks:
    """The app's coalesced reads of single checks (opened in the lifespan)."""
    checks: SingleChecks = request.app.state.single_checks
    return checks


async def get_principal(
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


async def request_clock(request: Request) -> Clock:
    """The deployment's clock (``get_clock``, or what the app's ``dependency_overrides`` put in
    its place), awaited: a plain function dependency would cost each request a worker thread."""
    clock: Clock = request.app.dependency_overrides.get(get_clock, get_clock)()
    return clock


RunnerDep = Annotated[QueryRunner, Depends(get_runner)]
AsyncRunnerDep = Annotated[AsyncQueryRunner, Depends(get_async_runner)]
PrincipalDep = Annotated[Principal, Depends(get_principal)]
ClockDep = Annotated[Clock, Depends(request_clock)]


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


_reader = allow(Role.VIEWER, Role.IMPLEMENTER, Role.INVESTIGATOR, Role.ADMIN)
ReaderDep = Annotated[Principal, Depends(_reader)]
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


class RequestTrail(Trail):
    """A request's trail, which also validates the subjects of its body."""

    def subject(self, body: SubjectBody) -> SubjectKey:
        """The validated, normalised key of a subject in a body, recorded on the trail."""
        key = SubjectKey(uscc=body.uscc, id_type=body.id_type, id_number=body.id_number)
        key = key.normalised()
        self.key(key)
        return key


async def get_trail(request: Request) -> RequestTrail:
    """This request's audit trail."""
    subjects: list[str] = []
    request.state.audit_subjects = subjects
    return RequestTrail(request.app.state.refs, subjects)


TrailDep = Annotated[RequestTrail, Depends(get_trail)]


@dataclass(frozen=True)
class SingleCheck:
    """What a single check needs (the coalesced reads, the trail, the clock) once the caller is
    let through as a reader, solved as one dependency: the hot route pays for each dependency
    FastAPI solves."""

    reads: SingleChecks
    trail: RequestTrail
    clock: Clock


async def get_single_check(request: Request, principal: PrincipalDep) -> SingleCheck:
    """``ReaderDep``, then ``get_single_checks``, ``TrailDep`` and ``ClockDep`` of one request."""
    await _reader(principal)
    return SingleCheck(
        await get_single_checks(request),
        await get_trail(request),
        await request_clock(request),
    )


SingleCheckDep = Annotated[SingleCheck, Depends(get_single_check)]
