"""A page's form POST, the one way: read the form into the API's model, call the one
write operation the API calls too, then go on (303) or show the refusals beside the
fields (422).

The operations commit, or roll back what they wrote before refusing, so the page that
shows the refusals reads the database as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from fastapi.responses import Response
from pydantic import BaseModel

from service.errors import DuplicateInstitution, FieldError, InvalidInput
from service.web import forms

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


def submit(
    model: type[M],
    parsed: forms.Parsed,
    write: Callable[[M], T],
    *,
    refused: Callable[[list[FieldError]], Response],
    done: Callable[[T], Response],
) -> Response:
    """Validate ``parsed`` as ``model``, ``write`` it, and answer with ``done`` or with
    ``refused`` and every refusal (the form's, the model's or the operation's)."""
    value, errors = forms.validate(model, parsed)
    if value is None:
        return refused(errors)
    try:
        result = write(value)
    except InvalidInput as refusal:
        return refused(refusal.errors)
    except DuplicateInstitution as duplicate:
        return refused([FieldError(duplicate.loc, str(duplicate), "duplicate")])
    return done(result)
