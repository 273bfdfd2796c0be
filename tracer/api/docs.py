"""The API's documentation pages, ``/docs`` (Swagger UI) and ``/redoc`` (ReDoc), offline.

FastAPI's own pages load their scripts from a CDN, on the origin where operators paste API keys,
and are blank without the internet. These pages load only the vendored copies under
``static/vendor/`` (served by the explorer's static route) and have no inline script: each is
started by a small file of ours under ``static/js/`` that reads the OpenAPI document's URL from
the page. Nothing here touches the database.
"""

from __future__ import annotations

import secrets
from html import escape

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from tracer.domain.errors import NotFound

#: Where ``explorer.explore_static`` serves ``static/``.
ASSETS = "/explore/static"
_SWAGGER = f"{ASSETS}/vendor/swagger-ui-dist"

#: Both pages' policy: nothing but same-origin scripts, styles and API calls. ``img-src data:``
#: because Swagger UI's icons are ``data:`` SVGs in its stylesheet. No ``'unsafe-inline'`` and
#: no ``'unsafe-eval'`` anywhere: neither library needs them (tests/browser/test_docs_browser.py).
POLICY = {
    "default-src": "'none'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "connect-src": "'self'",
    "base-uri": "'none'",
    "form-action": "'none'",
    "frame-ancestors": "'none'",
}
#: ReDoc's styled-components writes its rules into a ``<style>`` element it creates; ReDoc's
#: ``nonce`` option marks that element with the request's nonce. One more ``<style>`` (the
#: perfect-scrollbar rules) is inserted while the bundle loads, before any option can reach it:
#: two hashes allow it, of its content as inserted (empty) and once filled. Update them with the
#: bundle (the browser test then fails with a CSP violation that names the new hash).
REDOC_STYLE_HASHES = (
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
    "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='",
)
#: ReDoc builds its search index in a web worker made from a ``blob:`` URL.
REDOC_WORKERS = "blob:"


def security_headers(redoc_nonce: str | None = None) -> dict[str, str]:
    """The headers of ``/docs``, or with ``redoc_nonce`` of ``/redoc`` (its styles, its worker)."""
    policy = dict(POLICY)
    if redoc_nonce is not None:
        policy["style-src"] = " ".join(["'self'", f"'nonce-{redoc_nonce}'", *REDOC_STYLE_HASHES])
        policy["worker-src"] = REDOC_WORKERS
    return {
        "Content-Security-Policy": "; ".join(f"{name} {value}" for name, value in policy.items()),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
    }


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title}</title>
  <link rel="icon" type="image/png" href="{icon}">
{head}
</head>
<body>
  {body}
</body>
</html>
"""

router = APIRouter(include_in_schema=False)


def _page(request: Request, kind: str, head: list[str], body: str) -> str:
    """The HTML of a page; ``{openapi}`` in ``body`` becomes the OpenAPI document's URL."""
    openapi_url = request.app.openapi_url
    if not openapi_url:
        raise NotFound("the OpenAPI document is switched off")
    return _PAGE.format(
        title=escape(f"{request.app.title} – {kind}"),
        icon=f"{_SWAGGER}/favicon-32x32.png",
        head="\n".join(f"  {line}" for line in head),
        body=body.format(openapi=escape(openapi_url)),
    )


@router.get("/docs")
def swagger_ui(request: Request) -> HTMLResponse:
    """Swagger UI over the OpenAPI document: try the API with a key from the browser."""
    head = [
        f'<link rel="stylesheet" href="{_SWAGGER}/swagger-ui.css">',
        f'<script src="{_SWAGGER}/swagger-ui-bundle.js" defer></script>',
        f'<script src="{ASSETS}/js/swagger-init.js" defer></script>',
    ]
    body = '<div id="swagger-ui" data-openapi="{openapi}"></div>'
    return HTMLResponse(_page(request, "Swagger UI", head, body), headers=security_headers())


@router.get("/redoc")
def redoc(request: Request) -> HTMLResponse:
    """ReDoc over the OpenAPI document: the reference to read."""
    nonce = secrets.token_urlsafe(18)
    head = [
        f'<script src="{ASSETS}/vendor/redoc/redoc.standalone.js" defer></script>',
        f'<script src="{ASSETS}/js/redoc-init.js" defer></script>',
    ]
    body = f'<div id="redoc" data-openapi="{{openapi}}" data-style-nonce="{nonce}"></div>'
    html = _page(request, "ReDoc", head, body)
    return HTMLResponse(html, headers=security_headers(redoc_nonce=nonce))
