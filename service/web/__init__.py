"""Web pages for institutions and organisers, server-rendered over the same service layer
as the API (see docs/web.md).

``router`` holds every page under ``/web`` (kept out of the OpenAPI schema);
``mount_static`` serves the stylesheets, scripts and fonts they use from ``/web/static``.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response
from starlette.types import Scope

from service.web import (
    account,
    browse,
    claims,
    console,
    email_sign_in,
    follow_up,
    insight,
    invitations,
    meetings,
    my_partners,
    opportunities,
    partners,
    proposals,
    register,
    runs,
    setup,
)
from service.web.pages import PREFIX, STATIC_DIR, STATIC_PREFIX

__all__ = ["STATIC_PREFIX", "mount_static", "router"]

router = APIRouter(prefix=PREFIX, include_in_schema=False)
for _pages in (
    browse,
    account,
    partners,
    setup,
    email_sign_in,
    register,
    claims,
    console,
    runs,
    insight,
    meetings,
    my_partners,
    follow_up,
    invitations,
    opportunities,
    proposals,
):
    router.include_router(_pages.router)


class _Assets(StaticFiles):
    """Static files that browsers may keep for an hour without asking again."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        response.headers.setdefault("Cache-Control", "public, max-age=3600")
        return response


def mount_static(app: FastAPI) -> None:
    """Serve the pages' static files (stylesheets, scripts, fonts) under ``/web/static``."""
    app.mount(STATIC_PREFIX, _Assets(directory=STATIC_DIR), name="web-static")
