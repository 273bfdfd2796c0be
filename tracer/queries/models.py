"""Result shapes shared by every query module: references to subjects.

Engine functions return full identifiers inside ``PersonRef.id_number``; serialisation leaves
the number out unless the current context reveals IDs (``tracer.domain.masking``): the API turns
that on per request for the roles that may see full numbers, nothing else does.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from tracer.domain.keys import PersonKey
from tracer.domain.masking import ids_revealed, mask_number

SubjectKind = Literal["ENTERPRISE", "PERSON", "DEPARTMENT"]


def _hidden(_value: object) -> bool:
    return not ids_revealed()


class PersonRef(BaseModel):
    """A natural person as shown in results; the full number is serialised only when revealed."""

    model_config = ConfigDict(frozen=True)

    id_type: str
    id_number: str | None = Field(
        default=None,
        exclude_if=_hidden,
        description="The full number: present only for roles that may see it.",
    )
    id_masked: str
    name: str | None = None

    @classmethod
    def of(cls, id_type: str, id_number: str, name: str | None = None) -> PersonRef:
        """A reference carrying both the full and the masked number."""
        return cls(
            id_type=id_type, id_number=id_number, id_masked=mask_number(id_number), name=name
        )

    @property
    def key(self) -> PersonKey:
        """The person's key (engine results always carry the full number)."""
        return PersonKey(self.id_type, self.id_number or "")


class EnterpriseRef(BaseModel):
    """An enterprise or organisation as shown in results."""

    model_config = ConfigDict(frozen=True)

    uscc: str
    name: str | None = None


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
