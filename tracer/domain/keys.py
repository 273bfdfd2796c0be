"""Keys of the two kinds of subject: a natural person (document type + number) and an
enterprise (USCC). One type each, carried as their parts — never joined into one string."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict

from tracer.domain.errors import InvalidInput
from tracer.domain.identifiers import normalise_person_id, validate_uscc
from tracer.domain.masking import mask_number

DEFAULT_ID_TYPE = "RESIDENT_ID"


class PersonKey(NamedTuple):
    """A natural person's key: ``id_type`` and the normalised ``id_number``.

    Its printed form is masked, so a key that reaches a log or a message never shows the full
    number (PIPL).
    """

    id_type: str
    id_number: str

    @classmethod
    def of(cls, id_type: str | None, id_number: str, today: date | None = None) -> PersonKey:
        """The validated, normalised key (``InvalidIdentifier`` when the number is invalid)."""
        kind = (id_type or DEFAULT_ID_TYPE).strip().upper()
        return cls(kind, normalise_person_id(kind, id_number, today))

    @property
    def masked(self) -> str:
        """``RESIDENT_ID 110105********0021``."""
        return f"{self.id_type} {mask_number(self.id_number)}"

    def __repr__(self) -> str:
        return f"PersonKey({self.masked})"

    def __str__(self) -> str:
        return self.__repr__()


class SubjectKey(BaseModel):
    """An enterprise (``uscc``) or a person (``id_type`` + ``id_number``): exactly one."""

    model_config = ConfigDict(frozen=True)

    uscc: str | None = None
    id_type: str | None = None
    id_number: str | None = None

    @classmethod
    def enterprise(cls, uscc: str) -> SubjectKey:
        """The key of an enterprise."""
        return cls(uscc=uscc)

    @classmethod
    def person(cls, id_type: str, id_number: str) -> SubjectKey:
        """The key of a natural person."""
        return cls(id_type=id_type, id_number=id_number)

    @classmethod
    def of_person(cls, key: PersonKey) -> SubjectKey:
        """The subject key of a person key."""
        return cls(id_type=key.id_type, id_number=key.id_number)

    def normalised(self) -> SubjectKey:
        """The validated key (USCC check characters, normalised ID) or ``InvalidInput``."""
        if self.uscc is not None and self.id_number is None:
            return SubjectKey(uscc=validate_uscc(self.uscc))
        if self.uscc is None and self.id_number is not None:
            return SubjectKey.of_person(PersonKey.of(self.id_type, self.id_number))
        raise InvalidInput("a subject is either a USCC or an (id_type, id_number) pair")

    @property
    def person_key(self) -> PersonKey | None:
        """The person key, or None for an enterprise."""
        if self.id_type is None or self.id_number is None:
            return None
        return PersonKey(self.id_type, self.id_number)

    def __repr__(self) -> str:
        person = self.person_key
        return f"SubjectKey({person.masked if person else self.uscc})"
