"""The investigator explorer: ``/explore`` and its static files (offline; no CDN).

The page is plain HTML, CSS and JavaScript with a vendored cytoscape.js; it calls the ``/v1`` API
with the API key the user types (kept in ``sessionStorage``). Nothing here touches the database.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, RedirectResponse
from pydantic import BaseModel

from tracer.api.deps import PrincipalDep
from tracer.domain.errors import NotFound

STATIC_DIR = Path(__file__).parent / "static"
_MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    "": "text/plain; charset=utf-8",
}
#: Only same-origin scripts and API calls; no frames, no plugins, no referrer. Inline styles are
#: allowed because cytoscape.js injects one small stylesheet for its container.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; "
        "form-action 'none'; "
        "frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}

router = APIRouter(include_in_schema=False)


def _static(relative: str) -> FileResponse:
    """A file under ``static/`` with a known type; ``NotFound`` for anything else."""
    path = (STATIC_DIR / relative).resolve()
    if not path.is_relative_to(STATIC_DIR.resolve()) or not path.is_file():
        raise NotFound("no such explorer file")
    media_type = _MEDIA_TYPES.get(path.suffix)
    if media_type is None:
        raise NotFound("no such explorer file")
    return FileResponse(path, media_type=media_type, headers=SECURITY_HEADERS)


@router.get("/explore")
def explore() -> FileResponse:
    """The explorer page."""
    return _static("index.html")


@router.get("/")
def root() -> RedirectResponse:
    """``/`` → ``/explore``: a browser pointed at the server finds the explorer."""
    return RedirectResponse("/explore", status_code=307)


@router.get("/explore/")
def explore_slash() -> RedirectResponse:
    """``/explore/`` → ``/explore`` (relative asset URLs assume the latter)."""
    return RedirectResponse("/explore", status_code=308)


class Session(BaseModel):
    """Who the page is logged in as (the key's id, name, role and department)."""

    key_id: str
    name: str
    role: str
    department: str | None


@router.get("/explore/session")
def explore_session(principal: PrincipalDep) -> Session:
    """Check the presented key (401 problem+json when unknown) and tell its role."""
    return Session(
        key_id=principal.key_id,
        name=principal.name,
        role=principal.role.value,
        department=principal.department,
    )


@router.get("/explore/static/{relative:path}")
def explore_static(relative: str) -> FileResponse:
    """The page's scripts, styles and the vendored library."""
    return _static(relative)
