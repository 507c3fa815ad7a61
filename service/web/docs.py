"""``/docs``: Swagger UI from the vendored files, under the pages' Content-Security-Policy.

FastAPI's own page loads Swagger UI from a CDN (which fails offline and lies outside the
policy) and starts it with an inline script; this page loads everything from this site.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from service.web.pages import CONTENT_SECURITY_POLICY, STATIC_PREFIX

router = APIRouter(include_in_schema=False)

_VENDOR = f"{STATIC_PREFIX}/vendor/swagger-ui"
_PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tvet-match API</title>
<link rel="stylesheet" href="{_VENDOR}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi="/openapi.json"></div>
<script src="{_VENDOR}/swagger-ui-bundle.js"></script>
<script src="{STATIC_PREFIX}/docs.js"></script>
</body>
</html>
"""


@router.get("/docs")
def swagger_ui() -> HTMLResponse:
    """Serve the interactive API documentation."""
    return HTMLResponse(
        _PAGE,
        headers={
            "Content-Security-Policy": CONTENT_SECURITY_POLICY,
            "X-Content-Type-Options": "nosniff",
        },
    )
