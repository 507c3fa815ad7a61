"""A domain refusal met by a page, the one way: the status it answers and the message
the visitor reads, in the visitor's language.

An operation refuses with a ``service.errors`` type, as it does for the API. A button
that writes (accept, approve, express interest) answers a refusal with the error page:
``refused_as_page``. A form that writes is shown again with the messages:
``form_refusal`` gives the status and the messages by field (``""`` for the whole form),
for the form's page to render (``service.web.submit`` does it for invalid input).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from service.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    TooManyRequests,
    TvetMatchError,
)
from service.web import forms
from service.web.i18n import Translator
from service.web.pages import PageRefusal

# The status of each refusal, as the API answers it too.
STATUS: dict[type[TvetMatchError], int] = {
    NotFound: 404,
    Forbidden: 403,
    Conflict: 409,
    TooManyRequests: 429,
    InvalidInput: 422,
}


def _status(error: TvetMatchError) -> int:
    return next(code for kind, code in STATUS.items() if isinstance(error, kind))


@contextmanager
def refused_as_page(
    *,
    not_found: str = "error.not_found",
    forbidden: str = "error.forbidden",
    conflict: str | None = None,
) -> Iterator[None]:
    """Answer a refusal raised in the block with the error page and the message key named
    for its kind; a conflict without a message is not expected here and is raised on."""
    messages: dict[type[TvetMatchError], str | None] = {
        NotFound: not_found,
        Forbidden: forbidden,
        Conflict: conflict,
    }
    try:
        yield
    except (NotFound, Forbidden, Conflict) as refusal:
        message = next(key for kind, key in messages.items() if isinstance(refusal, kind))
        if message is None:
            raise
        raise PageRefusal(_status(refusal), message) from refusal


@dataclass(frozen=True, slots=True)
class FormRefusal:
    """A refused write as its form shows it again: the status, the messages by field and,
    after a cap, the seconds to wait."""

    status: int
    messages: dict[str, list[str]]
    retry_after: int | None = None


def form_refusal(
    refusal: TvetMatchError,
    t: Translator,
    fields: Sequence[str],
    messages: Mapping[type[TvetMatchError], str] | None = None,
) -> FormRefusal:
    """Return how a form shows ``refusal``: invalid input beside its fields, any other
    refusal as the message (translated) that ``messages`` gives its kind, for the form."""
    if isinstance(refusal, InvalidInput):
        return FormRefusal(422, forms.messages(refusal.errors, t, fields))
    said = next(text for kind, text in (messages or {}).items() if isinstance(refusal, kind))
    retry_after = refusal.retry_after if isinstance(refusal, TooManyRequests) else None
    return FormRefusal(_status(refusal), {"": [said]}, retry_after)
