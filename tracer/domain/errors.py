"""The error hierarchy: every error carries the HTTP status it maps to."""

from __future__ import annotations


class TracerError(Exception):
    """Root of the project's errors; ``status`` is the HTTP status it maps to."""

    status: int = 500
    title: str = "Internal error"


class InvalidInput(TracerError):
    """The caller sent something that cannot be accepted."""

    status = 422
    title = "Invalid input"


class NotFound(TracerError):
    """The requested subject, finding or resource does not exist."""

    status = 404
    title = "Not found"


class UnknownCode(NotFound):
    """A code (e.g. a measure code) its table does not have, as a resource that does not exist
    (404); ``valid_codes`` lists those it has (problem+json carries them as ``valid_codes``)."""

    def __init__(self, message: str, valid_codes: list[str]) -> None:
        super().__init__(f"{message}; valid: {', '.join(valid_codes)}")
        self.valid_codes = valid_codes


class Conflict(TracerError):
    """The request conflicts with the current state (e.g. an illegal status transition)."""

    status = 409
    title = "Conflict"


class Forbidden(TracerError):
    """The caller's role may not do this."""

    status = 403
    title = "Forbidden"


class Unauthorized(TracerError):
    """No or an unknown API key."""

    status = 401
    title = "Unauthorized"


class Unavailable(TracerError):
    """The database (or another dependency) cannot be reached right now."""

    status = 503
    title = "Service unavailable"


class InsufficientStorage(TracerError):
    """The server has too little room (e.g. disk) for what was asked."""

    status = 507
    title = "Insufficient storage"
