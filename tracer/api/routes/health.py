"""Liveness and readiness (no key needed, no personal data)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel

from tracer.api.deps import RunnerDep
from tracer.api.responses import problem_responses

router = APIRouter(tags=["health"])


class Health(BaseModel):
    """The process answers."""

    status: Literal["ok"] = "ok"


class Ready(BaseModel):
    """The database answers."""

    status: Literal["ready"] = "ready"


@router.get("/healthz", summary="The process is alive")
def healthz() -> Health:
    """Always 200 while the process serves requests; does not touch the database."""
    return Health()


@router.get(
    "/readyz",
    summary="The database answers",
    responses=problem_responses(503),
)
def readyz(runner: RunnerDep) -> Ready:
    """200 when Neo4j answers a trivial read; 503 problem+json with ``Retry-After`` otherwise."""
    runner.ping()
    return Ready()
