"""What every page shares: templates, who is looking, forms with CSRF, refusals as pages.

Routes in this package use :class:`PageRoute`, which turns refusals (sign-in needed,
not yours, unknown id, a form without its token) into an HTML page with the right
status, never a JSON problem document. Whatever the route wrote is rolled back, because
its session is closed without a commit.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Coroutine, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

import jinja2
from fastapi import Depends, Request
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData, UploadFile
from starlette.responses import RedirectResponse, Response

from service.auth.keys import ANONYMOUS, Caller, Role
from service.deps import SessionDep
from service.errors import (
    Forbidden,
    NotAuthenticated,
    NotFound,
)
from service.web import i18n
from service.web.session import CSRF_FIELD, Csrf, caller_of

PREFIX = "/web"
STATIC_PREFIX = f"{PREFIX}/static"
TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

# Scripts, styles, fonts and images from this site only; no inline script or style.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
_PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    # Pages can show a private contact email or a workshop's results: never keep them.
    "Cache-Control": "no-store",
}
_LANG_COOKIE_SECONDS = 365 * 24 * 60 * 60


@dataclass(frozen=True, slots=True)
class Visitor:
    """Who is looking at a page, in which language, and the CSRF state of the browser."""

    caller: Caller
    t: i18n.Translator
    csrf: Csrf

    @property
    def signed_in(self) -> bool:
        """Whether the browser holds a working key."""
        return self.caller.role is not Role.anonymous


def get_visitor(request: Request, session: SessionDep) -> Visitor:
    """Return who is looking (kept on the request, so a refusal page can use it too)."""
    visitor = Visitor(
        caller=caller_of(request, session),
        t=i18n.Translator(i18n.negotiate(request)),
        csrf=Csrf(request),
    )
    request.state.visitor = visitor
    return visitor


VisitorDep = Annotated[Visitor, Depends(get_visitor)]


class PageRefusal(Exception):
    """A page the visitor may not have: answered with ``status`` and a message key."""

    def __init__(self, status: int, message: str, **params: object) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.params = params


def require_key(visitor: Visitor) -> None:
    """Refuse (401: sign in) a visitor without a working key."""
    if not visitor.signed_in:
        raise PageRefusal(401, "error.sign_in_needed")


@cache
def _templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["percent"] = lambda value: f"{round(float(value) * 100)}%"
    return Jinja2Templates(env=env)


def _switch_urls(request: Request) -> dict[str, str]:
    """The current page in each interface language."""
    urls = {}
    for language in i18n.SUPPORTED:
        query = [(k, v) for k, v in request.query_params.multi_items() if k != i18n.LANG_PARAM]
        urls[language] = f"{request.url.path}?{urlencode([*query, (i18n.LANG_PARAM, language)])}"
    return urls


def finish(request: Request, visitor: Visitor, response: Response) -> Response:
    """Set the cookies and headers every page answer carries."""
    visitor.csrf.keep(response)
    if i18n.requested(request):
        response.set_cookie(
            i18n.LANG_COOKIE,
            visitor.t.language,
            max_age=_LANG_COOKIE_SECONDS,
            path="/",
            samesite="lax",
            secure=request.url.scheme == "https",
            httponly=True,
        )
    response.headers.update(_PAGE_HEADERS)
    return response


def render(
    request: Request,
    visitor: Visitor,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status_code: int = 200,
) -> Response:
    """Render a page template for the visitor."""
    values = {
        "v": visitor,
        "t": visitor.t,
        "lang": visitor.t.language,
        "html_lang": i18n.HTML_LANG[visitor.t.language],
        "endonyms": i18n.ENDONYMS,
        "switch_urls": _switch_urls(request),
        "csrf_field": CSRF_FIELD,
        "csrf_token": visitor.csrf.token(),
        "here": request.url.path,
        "prefix": PREFIX,
        "static": STATIC_PREFIX,
        **(context or {}),
    }
    response = _templates().TemplateResponse(request, template, values, status_code=status_code)
    return finish(request, visitor, response)


def redirect(request: Request, visitor: Visitor, url: str) -> Response:
    """Answer a form with 303 See Other (post, redirect, get)."""
    return finish(request, visitor, RedirectResponse(url, status_code=303))


def _refusal_page(request: Request, refusal: PageRefusal) -> Response:
    visitor: Visitor | None = getattr(request.state, "visitor", None)
    if visitor is None:  # refused before anyone was looked up: render as anonymous
        visitor = Visitor(ANONYMOUS, i18n.Translator(i18n.negotiate(request)), Csrf(request))
    message = visitor.t(refusal.message, **refusal.params)
    if refusal.status == 401:
        return render(
            request,
            visitor,
            "sign_in.html",
            {"error": message, "next": safe_next(request.url.path), "key_error": None},
            status_code=401,
        )
    return render(request, visitor, "error.html", {"message": message}, status_code=refusal.status)


_UNKNOWN = {
    "institution": "error.unknown_institution",
    "workshop": "error.unknown_workshop",
    "pairing run": "error.unknown_run",
}


def _as_refusal(error: Exception) -> PageRefusal | None:
    if isinstance(error, PageRefusal):
        return error
    if isinstance(error, NotFound) and error.kind in _UNKNOWN:
        return PageRefusal(404, _UNKNOWN[error.kind])
    if isinstance(error, NotAuthenticated):
        return PageRefusal(401, "error.sign_in_needed")
    if isinstance(error, Forbidden):
        return PageRefusal(403, "error.forbidden")
    return None


class PageRoute(APIRoute):
    """A route whose refusals are answered as pages in the visitor's language."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def answer(request: Request) -> Response:
            try:
                return await handler(request)
            except Exception as error:
                refusal = _as_refusal(error)
                if refusal is None:
                    raise
                return _refusal_page(request, refusal)

        return answer


def safe_next(url: str | None) -> str:
    """Return a place to go after signing in: a path of this site's pages, else the home."""
    if url and url.startswith(f"{PREFIX}/") and not url.startswith("//") and "\\" not in url:
        return url
    return f"{PREFIX}/"


async def _read_form(request: Request) -> AsyncIterator[FormData]:
    limit = request.app.state.settings.max_body_bytes
    form = await request.form(max_part_size=limit)
    try:
        yield form
    finally:
        await form.close()  # uploaded files are spooled to temporary files


def _checked_form(form: Annotated[FormData, Depends(_read_form)], visitor: VisitorDep) -> FormData:
    token = form.get(CSRF_FIELD)
    if not isinstance(token, str) or not visitor.csrf.accepts(token):
        raise PageRefusal(403, "error.csrf")
    return form


FormDep = Annotated[FormData, Depends(_checked_form)]
"""A submitted form whose CSRF token has been checked (every state-changing page uses it)."""


def text(form: FormData, name: str) -> str:
    """Return a text field of a form ('' when absent or a file)."""
    value = form.get(name)
    return value if isinstance(value, str) else ""


def upload(form: FormData, name: str) -> UploadFile | None:
    """Return a file field of a form, if one was sent."""
    value = form.get(name)
    return value if isinstance(value, UploadFile) else None
