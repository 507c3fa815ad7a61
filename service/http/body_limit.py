"""Request body limits per route: large for uploads, small for everything else.

Survey imports and bulk creation take files of up to ``max_body_bytes`` (64 MiB by
default); every other route takes ``max_request_body_bytes`` (1 MiB). A body declared
larger (``Content-Length``) is refused with 413 before a byte of it is read; a body sent
without a length is counted as it arrives and refused once it passes the limit, so a
flood of large bodies to ordinary routes cannot fill the server's memory.
"""

from __future__ import annotations

import re

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The routes that take uploads: the API's survey import and bulk creation, and the
# organiser console's survey form (its dry run and its apply).
UPLOAD_PATHS = re.compile(
    r"^(?:/api/v1/workshops/\d+/imports|/api/v1/institutions/bulk"
    r"|/workshops/\d+/import(?:/apply)?)/?$"
)


def is_upload(path: str) -> bool:
    """Whether requests to this path may carry an upload-sized body."""
    return UPLOAD_PATHS.match(path) is not None


def body_too_large(limit: int) -> HTTPException:
    """Return the 413 for a body past ``limit`` bytes (the problem handlers answer it)."""
    return HTTPException(413, f"The request body is larger than {limit} bytes, this route's limit.")


class RouteBodyLimit:
    """ASGI middleware counting the body of every route that takes no uploads.

    FastAPI's own limit (``max_body_size``) is the upload limit, and it applies it again
    at each route, so the lower limit is counted here, as the body arrives: past it, the
    app's next read raises a 413 that the problem handlers answer.
    """

    def __init__(self, app: ASGIApp, *, max_body_size: int) -> None:
        self.app = app
        self.max_body_size = max_body_size

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or is_upload(scope["path"]):
            await self.app(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_size:
                    raise body_too_large(self.max_body_size)
            return message

        await self.app(scope, counted, send)
