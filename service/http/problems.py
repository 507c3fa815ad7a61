"""Every error leaves as an RFC 9457 ``application/problem+json`` document."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.types import ASGIApp, Receive, Scope, Send

from service.errors import (
    Conflict,
    DuplicateInstitution,
    FieldError,
    Forbidden,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    NotModified,
    PreconditionFailed,
    TooManyRequests,
)

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


def problem(
    status: int,
    detail: str | None = None,
    *,
    type_: str = "about:blank",
    errors: Sequence[FieldError] | None = None,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """Return a problem document response."""
    body: dict[str, Any] = {
        "type": type_,
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        **extra,
    }
    if errors is not None:
        body["errors"] = [{"loc": list(e.loc), "msg": e.msg, "type": e.type} for e in errors]
    return JSONResponse(
        jsonable_encoder(body),
        status_code=status,
        media_type=PROBLEM_JSON,
        headers=dict(headers) if headers else None,
    )


def _dotted(loc: Sequence[str | int]) -> str:
    return ".".join(str(part) for part in loc)


def field_errors(details: Iterable[Mapping[str, Any]]) -> list[FieldError]:
    """Return pydantic's error details as the refusals the API sends (the web forms too)."""
    errors = []
    for error in details:
        message = str(error.get("msg", "invalid"))
        # Pydantic prefixes messages of custom checks with "Value error, ".
        message = message.removeprefix("Value error, ")
        errors.append(FieldError(tuple(error.get("loc", ())), message, str(error.get("type"))))
    return errors


def _field_errors(exc: RequestValidationError) -> list[FieldError]:
    return field_errors(exc.errors())


def _summary(errors: Sequence[FieldError]) -> str:
    first = errors[0]
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{_dotted(first.loc)}: {first.msg}{more}"


async def _on_validation(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = _field_errors(exc)
    return problem(422, _summary(errors), errors=errors)


async def _on_invalid_input(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, InvalidInput)
    return problem(422, _summary(exc.errors), errors=exc.errors)


async def _on_unknown(_request: Request, exc: Exception) -> JSONResponse:
    return problem(404, str(exc))


async def _on_duplicate(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DuplicateInstitution)
    return problem(
        409,
        str(exc),
        errors=[FieldError(exc.loc, str(exc), "duplicate")],
        existing_id=exc.existing_id,
    )


async def _on_conflict(_request: Request, exc: Exception) -> JSONResponse:
    return problem(409, str(exc))


async def _on_not_authenticated(_request: Request, exc: Exception) -> JSONResponse:
    return problem(401, str(exc), headers={"WWW-Authenticate": "Bearer"})


async def _on_forbidden(_request: Request, exc: Exception) -> JSONResponse:
    return problem(403, str(exc))


async def _on_precondition_failed(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, PreconditionFailed)
    return problem(412, str(exc), headers={"ETag": exc.current_etag})


async def _on_too_many(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, TooManyRequests)
    return problem(429, str(exc), headers={"Retry-After": str(exc.retry_after)})


async def _on_not_modified(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, NotModified)
    return Response(status_code=304, headers={"ETag": exc.etag})


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def _allowed_methods(request: Request) -> str | None:
    """Every method some route answers on this path.

    Starlette names only the methods of the first route whose path matches, but a path
    such as ``/api/v1/keys`` is served by one route per method.
    """
    allowed = []
    for method in _METHODS:
        probe = {**request.scope, "method": method}
        if any(route.matches(probe)[0] is Match.FULL for route in request.app.router.routes):
            allowed.append(method)
    return ", ".join(allowed) or None


# The reason phrases Starlette gives a 413 without a detail (RFC 9110's, and RFC 7231's).
_BARE_413 = frozenset({"Content Too Large", HTTPStatus.REQUEST_ENTITY_TOO_LARGE.phrase})


async def _on_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 405 and (allowed := _allowed_methods(request)):
        headers["Allow"] = allowed
    detail = str(exc.detail)
    if exc.status_code == 413 and detail in _BARE_413:
        # FastAPI's own count (the upload limit, for every route) names no limit: say it.
        limit = request.app.state.settings.max_body_bytes
        detail = f"The request body is larger than {limit} bytes, this route's limit."
    return problem(exc.status_code, detail, headers=headers)


# SQLSTATE 25006: PostgreSQL refuses writes (a read-only replica, or
# default_transaction_read_only). SQLite's refusal is an OperationalError.
_READ_ONLY_SQLSTATE = "25006"
DATABASE_RETRY_SECONDS = 5


def is_database_outage(exc: Exception) -> bool:
    """Whether a database error is an outage (unreachable, read-only, out of connections)
    rather than a bug such as a broken constraint."""
    if isinstance(exc, PoolTimeout | OperationalError):
        return True
    if not isinstance(exc, DBAPIError):
        return False
    return exc.connection_invalidated or (
        getattr(exc.orig, "sqlstate", None) == _READ_ONLY_SQLSTATE
    )


def database_unavailable() -> JSONResponse:
    """Return the 503 sent while the database cannot take the request."""
    return problem(
        503,
        "The database is unavailable; try again shortly.",
        headers={"Retry-After": str(DATABASE_RETRY_SECONDS)},
    )


async def _on_database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    if not is_database_outage(exc):
        raise exc  # a bug, not an outage (e.g. IntegrityError): the 500 handler logs it
    # The driver's message only: the SQLAlchemy one carries the statement and parameters.
    reason = getattr(exc, "orig", None) or exc
    log.error("database unavailable on %s %s: %s", request.method, request.url.path, reason)
    return database_unavailable()


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(500, "The service failed unexpectedly; the error has been logged.")


def install_problem_handlers(app: FastAPI) -> None:
    """Map validation, domain and HTTP errors to problem documents."""
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(InvalidInput, _on_invalid_input)
    app.add_exception_handler(NotFound, _on_unknown)
    app.add_exception_handler(Conflict, _on_conflict)
    app.add_exception_handler(NotAuthenticated, _on_not_authenticated)
    app.add_exception_handler(Forbidden, _on_forbidden)
    app.add_exception_handler(DuplicateInstitution, _on_duplicate)
    app.add_exception_handler(PreconditionFailed, _on_precondition_failed)
    app.add_exception_handler(NotModified, _on_not_modified)
    app.add_exception_handler(TooManyRequests, _on_too_many)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(DBAPIError, _on_database_unavailable)
    app.add_exception_handler(PoolTimeout, _on_database_unavailable)
    app.add_exception_handler(Exception, _on_unexpected)


class DeclaredBodyLimit:
    """ASGI middleware: answer 413 as a problem document when ``Content-Length`` is too big.

    FastAPI's ``max_body_size`` counts bytes as they arrive and its 413 reaches the
    handlers above, except when the declared length is already over the limit: Starlette
    then answers in plain text from outside every handler. This answers that case first.
    """

    def __init__(self, app: ASGIApp, *, limit_for: Callable[[str], int | None]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and (limit := self.limit_for(scope["path"])) is not None:
            declared = Headers(scope=scope).get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                detail = (
                    f"The request body is larger than {limit} bytes, the most this route takes."
                )
                await problem(413, detail)(scope, receive, send)
                return
        await self.app(scope, receive, send)
