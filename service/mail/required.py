"""The API's answer when an operation must send email and cannot: 503, saying why.

Three operations cannot do their work without email (a claim is checked by a link, an
invitation and a reminder are emails): each names what to do instead when no mail
server is configured, and what was not sent when the server refuses; nothing is kept
then.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager

from fastapi import HTTPException

from service.deps import SettingsDep
from service.mail.sender import Mailer, MailFailed, mailer_for

__all__ = ["NO_MAIL_ANSWER", "mail_taken", "mailer_or_503"]

NO_MAIL_ANSWER = {
    "description": "No mail server is configured, or it did not take the email; nothing was kept.",
}


def mailer_or_503(instead: str) -> Callable[[SettingsDep], Awaitable[Mailer]]:
    """A dependency giving the configured mailer, or answering 503 with ``instead``: what
    the caller can do without email."""

    async def mailer(settings: SettingsDep) -> Mailer:
        # async: no IO (reading settings).
        found = mailer_for(settings)
        if found is None:
            raise HTTPException(503, f"no mail server is configured: {instead}")
        return found

    return mailer


@contextmanager
def mail_taken(what: str) -> Iterator[None]:
    """Answer 503 "the mail server did not take the ``what``" when sending fails."""
    try:
        yield
    except MailFailed as failed:
        raise HTTPException(503, f"the mail server did not take the {what}") from failed
