"""Result shapes shared by every query module: references to subjects, and ID redaction.

Engine functions return full identifiers inside ``PersonRef.id_number``; whoever presents a
result (CLI, API) calls ``redact`` unless the caller's role may see full numbers.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

SubjectKind = Literal["ENTERPRISE", "PERSON", "DEPARTMENT"]


def mask_number(id_number: str) -> str:
    """``110105199001010021`` → ``110105********0021``; short numbers keep 2 + 2 characters."""
    if len(id_number) >= 15:
        return id_number[:6] + "*" * (len(id_number) - 10) + id_number[-4:]
    if len(id_number) > 4:
        return id_number[:2] + "*" * (len(id_number) - 4) + id_number[-2:]
    return "*" * len(id_number)


class PersonRef(BaseModel):
    """A natural person as shown in results; ``id_number`` is removed by ``redact``."""

    model_config = ConfigDict(frozen=True)

    id_type: str
    id_number: str | None = None
    id_masked: str
    name: str | None = None

    @classmethod
    def of(cls, id_type: str, id_number: str, name: str | None = None) -> PersonRef:
        """A reference carrying both the full and the masked number."""
        masked = mask_number(id_number)
        return cls(id_type=id_type, id_number=id_number, id_masked=masked, name=name)


class EnterpriseRef(BaseModel):
    """An enterprise or organisation as shown in results."""

    model_config = ConfigDict(frozen=True)

    uscc: str
    name: str | None = None


def redact(document: Any, reveal: bool = False) -> Any:
    """A JSON-ready copy of ``document`` with every full person ID removed unless ``reveal``.

    Works on pydantic models, dicts and lists: any mapping with ``id_masked`` loses its
    ``id_number`` key.
    """
    if isinstance(document, BaseModel):
        document = document.model_dump(mode="json")
    if isinstance(document, dict):
        cleaned = {key: redact(value, reveal) for key, value in document.items()}
        if not reveal and "id_masked" in cleaned:
            cleaned.pop("id_number", None)
        return cleaned
    if isinstance(document, list):
        return [redact(item, reveal) for item in document]
    return document
