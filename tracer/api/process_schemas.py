"""Request bodies of the listing process: objections (DOMAIN.md §8) and drafts (§9)."""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator

from tracer.api.schemas import Code, Day, Person, Reason, Text, Uscc
from tracer.domain.keys import PersonKey, SubjectKey
from tracer.queries import initiation

FindingIdBody = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.\-]+$")]


class ObjectionRequest(BaseModel):
    """An accepted objection, filed for the subject (no ``person``: against the finding) or for
    one named person disputing their own role (``person``, in the body only)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "finding_id": "F-2021-001",
                    "filed_on": "2026-11-20",
                    "reason": "the fine was paid before the listing",
                    "document": "异议申请 2026-001",
                }
            ]
        },
    )

    finding_id: FindingIdBody
    person: Person | None = Field(default=None, description="the person disputing their role")
    filed_on: Day = Field(description="when it was filed (not before the decision: 409)")
    accepted_on: Day | None = Field(
        default=None,
        description="when it was accepted (default filed_on; not before it, not in the future)",
    )
    reason: Reason
    document: Text | None = None


class DecisionRequest(BaseModel):
    """The initiating department's decision on an objection: against the finding UPHELD
    (ACTIVE again), CORRECTED or REVOKED; against a person's role UPHELD or RELEASED."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"outcome": "UPHELD", "reason": "verified: the listing stands"}]
        },
    )

    outcome: Literal["UPHELD", "CORRECTED", "REVOKED", "RELEASED"]
    effective_on: Day | None = Field(default=None, description="Default: today.")
    wrongful: StrictBool = Field(
        default=False, description="RELEASED: wrongly named, void from the start."
    )
    reason: Reason
    document: Text | None = None


class NamedPerson(Person):
    """A person the draft names with a capacity (its ``finding_persons``)."""

    capacity: Literal[
        "DIRECTLY_RESPONSIBLE", "ACTUAL_CONTROLLER", "EXIT_RESTRICTED", "RESTRICTED_OFFICER",
        "CO_LISTED",
    ]  # fmt: skip
    effective_on: Day | None = Field(default=None, description="Default: the decision.")


class Notice(BaseModel):
    """The notice to the subject before an administrative listing (国办发〔2020〕49号 (八))."""

    model_config = ConfigDict(extra="forbid")

    notified_on: Day
    reasons: Reason
    basis: Reason
    rights: Reason = Field(description="the rights told (statement, defence, objection)")


class DraftRequest(BaseModel):
    """A finding as its initiating department drafts it (the loaders' ``findings`` columns,
    enterprise subject by ``subject_uscc`` or a person by ``subject_person``)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "oneOf": [
                {
                    "required": ["subject_uscc"],
                    "properties": {
                        "subject_uscc": {"type": "string"},
                        "subject_person": {"type": "null"},
                    },
                },
                {
                    "required": ["subject_person"],
                    "properties": {
                        "subject_person": {"type": "object"},
                        "subject_uscc": {"type": "null"},
                    },
                },
            ]
        },
    )

    finding_id: FindingIdBody
    subject_uscc: Uscc | None = None
    subject_person: Person | None = None
    list_type: Code
    category: Code | None = None
    ground: Code | None = None
    severe: StrictBool | None = None
    exit_restricted: StrictBool | None = None
    authority: Code
    basis: Text | None = None
    act_date: Day | None = None
    decided_on: Day
    effective_until: Day | None = None
    persons: list[NamedPerson] = Field(default_factory=list, max_length=200)
    notice: Notice | None = Field(default=None, description="required for administrative lists")

    @model_validator(mode="after")
    def _one_subject(self) -> Self:
        if (self.subject_uscc is None) == (self.subject_person is None):
            raise ValueError("give subject_uscc or subject_person, not both")
        return self

    def to_input(self) -> initiation.DraftInput:
        """The draft as the engine takes it: identifiers validated and normalised."""
        person = self.subject_person
        uscc = SubjectKey(uscc=self.subject_uscc).normalised().uscc if self.subject_uscc else None
        codes = {
            name: value.upper() if value else None
            for name, value in (
                ("list_type", self.list_type),
                ("category", self.category),
                ("ground", self.ground),
            )
        }
        return initiation.DraftInput(
            **self.model_dump(
                exclude={"subject_person", "persons", "notice", "subject_uscc", *codes}
            ),
            **codes,
            subject_uscc=uscc,
            subject_person=PersonKey.of(person.id_type, person.id_number) if person else None,
            persons=[
                (PersonKey.of(named.id_type, named.id_number), named.capacity, named.effective_on)
                for named in self.persons
            ],
            notice=initiation.Notice(**self.notice.model_dump()) if self.notice else None,
        )
