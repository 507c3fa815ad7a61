"""Who is looking at a page: the key cookie, and the CSRF token every form carries.

Signing in stores the pasted API key in an HttpOnly, SameSite=Strict cookie (Secure on
https); each request authenticates it exactly as the API authenticates a bearer header,
so a revoked key stops working in the browser at once.

CSRF: a random nonce lives in its own HttpOnly cookie; a form's token is
``HMAC-SHA256(nonce, "csrf|" + SHA-256(key cookie))``, so it belongs to both this browser
and this sign-in. Another site can neither read the nonce nor compute a token, and a
token shown before signing in does not work after. No server secret is needed, so
several instances and restarts accept each other's tokens.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from service.auth.keys import ANONYMOUS, Caller, authenticate
from service.errors import NotAuthenticated

KEY_COOKIE = "tvm_key"
CSRF_COOKIE = "tvm_csrf"
CSRF_FIELD = "csrf_token"
MAX_KEY_LENGTH = 200
_SESSION_SECONDS = 8 * 60 * 60  # a working day at a workshop


def signed_in_key(request: Request) -> str:
    """Return the key the browser signed in with ('' when none)."""
    return request.cookies.get(KEY_COOKIE, "")[:MAX_KEY_LENGTH]


def caller_of(request: Request, session: Session) -> Caller:
    """Return the caller the key cookie names (anonymous when none, unknown or revoked)."""
    key = signed_in_key(request)
    if not key:
        return ANONYMOUS
    try:
        return authenticate(session, f"Bearer {key}", request.app.state.admin_token)
    except NotAuthenticated:
        return ANONYMOUS


def check_key(request: Request, session: Session, key: str) -> Caller:
    """Return the caller a pasted key names; raise NotAuthenticated when it names nobody."""
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or any(c.isspace() for c in key):
        raise NotAuthenticated("this key is unknown or has been revoked")
    caller = authenticate(session, f"Bearer {key}", request.app.state.admin_token)
    return caller


def _set_cookie(
    request: Request, response: Response, name: str, value: str, max_age: int | None = None
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )


def sign_in(request: Request, response: Response, key: str) -> None:
    """Keep the key in the browser (HttpOnly, SameSite=Strict, Secure on https)."""
    _set_cookie(request, response, KEY_COOKIE, key.strip(), max_age=_SESSION_SECONDS)


def sign_out(request: Request, response: Response) -> None:
    """Forget the key."""
    response.delete_cookie(
        KEY_COOKIE, path="/", secure=request.url.scheme == "https", httponly=True, samesite="strict"
    )


def _token(nonce: str, key: str) -> str:
    subject = "csrf|" + hashlib.sha256(key.encode()).hexdigest()
    return hmac.new(nonce.encode(), subject.encode(), hashlib.sha256).hexdigest()


class Csrf:
    """The CSRF nonce of one request: the browser's, or a new one to set on the answer."""

    def __init__(self, request: Request) -> None:
        self._request = request
        sent = request.cookies.get(CSRF_COOKIE, "")
        self.is_new = not (16 <= len(sent) <= 64)
        self.nonce = secrets.token_urlsafe(32) if self.is_new else sent

    def token(self) -> str:
        """Return the token the forms on this page carry."""
        return _token(self.nonce, signed_in_key(self._request))

    def accepts(self, token: str) -> bool:
        """Whether a submitted token belongs to this browser and sign-in."""
        if self.is_new or not token:
            return False
        return hmac.compare_digest(token.encode(), self.token().encode())

    def keep(self, response: Response) -> None:
        """Send a new nonce to the browser (no-op when it already has one)."""
        if self.is_new:
            _set_cookie(self._request, response, CSRF_COOKIE, self.nonce)
