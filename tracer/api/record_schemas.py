"""Request bodies of credit commitments, interviews (DOMAIN.md §13), the green channel and
honour revocations (§10). Subjects travel in bodies only."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from tracer.api.schemas import NON_BLANK, AsOf, Code, Day, Reason, Subject, Text

_ENTERPRISE: JsonDict = {"uscc": "91110000600037341L"}


class CommitmentRequest(BaseModel):
    """A credit commitment a subject gave the recording department."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "subject": _ENTERPRISE,
                    "department": "MSA-5001",
                    "matter": "告知承诺：食品经营许可",
                    "committed_on": "2026-03-01",
                    "due_on": "2026-09-01",
                }
            ]
        },
    )

    subject: Subject
    department: Code = Field(description="the receiving department (an implementer's own)")
    matter: Reason
    committed_on: Day = Field(description="when it was given (not in the future: 409)")
    due_on: Day | None = Field(default=None, description="its deadline (not before it: 409)")


class InterviewRequest(BaseModel):
    """An interview the recording department held with a subject."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "subject": _ENTERPRISE,
                    "department": "MSA-5001",
                    "kind": "WARNING",
                    "held_on": "2026-05-10",
                    "rectify_by": "2026-06-10",
                }
            ]
        },
    )

    subject: Subject
    department: Code = Field(description="the department that held it (an implementer's own)")
    kind: Literal["PROMPT", "WARNING"] = Field(description="PROMPT 提示约谈, WARNING 警示约谈")
    held_on: Day = Field(description="when it was held (not in the future: 409)")
    rectify_by: Day | None = Field(
        default=None, description="the rectification deadline (not before it: 409)"
    )


class ClosingRequest(BaseModel):
    """The effective date of a fulfilment, breach or rectification, and its document."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"on": "2026-09-20", "document": "核查"}]}
    )

    on: Day = Field(description="when it happened (not in the future, not before the record: 409)")
    document: Text | None = None


class GreenChannelRequest(BaseModel):
    """Whose green-channel eligibility, on which date."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"subject": _ENTERPRISE}]}
    )

    subject: Subject
    as_of: AsOf = None


class RevocationRequest(BaseModel):
    """The revocation of a red-list honour (撤销荣誉称号), e.g. after a red-list conflict."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "honour_id": "3f2a9c0d11b24e7f00aa11bb",
                    "revoked_on": "2026-11-20",
                    "reason": "red-list conflict with finding F-2021-001",
                }
            ]
        },
    )

    honour_id: Annotated[str, Field(min_length=1, max_length=200, pattern=NON_BLANK)]
    revoked_on: Day = Field(description="from when it counts no more (not in the future: 409)")
    reason: Reason
    document: Text | None = None
