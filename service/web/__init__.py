"""Web pages for institutions and organisers, server-rendered over the same service layer
as the API (see docs/web.md).

``router`` holds every page under ``/web`` (kept out of the OpenAPI schema);
``mount_static`` serves the stylesheets, scripts and fonts they use from ``/web/static``.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from service.web import account, browse, console, insight, runs
from service.web.pages import PREFIX, STATIC_DIR, STATIC_PREFIX

__all__ = ["mount_static", "router"]

router = APIRouter(prefix=PREFIX, include_in_schema=False)
for _pages in (browse, account, console, runs, insight):
    router.include_router(_pages.router)


def mount_static(app: FastAPI) -> None:
    """Serve the pages' static files (stylesheets, scripts, fonts) under ``/web/static``."""
    app.mount(STATIC_PREFIX, StaticFiles(directory=STATIC_DIR), name="web-static")
