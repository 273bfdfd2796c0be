"""OpenAPI descriptions of the problem+json error responses."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from tracer.api.problems import PROBLEM_JSON


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = Field(examples=["urn:liability-tracer:problem:invalid-identifier"])
    title: str
    status: int
    detail: str
    instance: str | None = Field(
        default=None,
        description="The matched route's template (never the request's path, which may carry an "
        "identifier); absent when no route matched.",
        examples=["/v1/findings/{finding_id}"],
    )
    reason: str | None = Field(default=None, description="Stable reason code (identifiers).")
    errors: list[dict[str, Any]] | None = Field(
        default=None, description="Field errors of a request that failed validation."
    )


_WHY = {
    400: "The body is not valid JSON",
    401: "No API key, or an unknown or revoked one",
    403: "The key's role (or department) may not do this",
    404: "No such subject, finding, department or measure",
    409: "The request conflicts with the current state or today's date (e.g. an illegal "
    "transition, an effective date before the decision or in the future)",
    413: "The body is too large",
    422: "Invalid input (reason code for identifiers; field errors for validation)",
    503: "Neo4j is unreachable; retry after the Retry-After seconds",
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route: each status documented as problem+json."""
    return {status: {"model": Problem, "description": _WHY[status]} for status in statuses}


def problems_as_problem_json(schema: dict[str, Any]) -> dict[str, Any]:
    """Rewrite every 4xx/5xx response of an OpenAPI document to ``application/problem+json``,
    and document 400 (unparseable) and 413 (too large) on every operation with a body."""
    problem_ref = {"schema": {"$ref": "#/components/schemas/Problem"}}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.get("responses", {})
            for status, response in responses.items():
                content = response.get("content", {})
                if status[0] in "45" and "application/json" in content:
                    content[PROBLEM_JSON] = content.pop("application/json")
            if "requestBody" in operation:
                for status in (400, 413):
                    responses.setdefault(
                        str(status),
                        {"description": _WHY[status], "content": {PROBLEM_JSON: problem_ref}},
                    )
    return schema
