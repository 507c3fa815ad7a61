"""Listing institutions: the API's filters, free-text search in any script, and paging."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from sqlalchemy import ColumnElement, or_
from sqlmodel import Session, col, select

from service.http.pagination import PageParams, Window, paginate
from service.institutions.models import Institution


def _like_pattern(text: str) -> str:
    # Stored text is NFC and search columns are case-folded; fold the pattern the same way.
    escaped = (
        unicodedata.normalize("NFC", text)
        .casefold()
        .replace("\\", "\\\\")
        .replace("%", "\\%")
        .replace("_", "\\_")
    )
    return f"%{escaped}%"


def filter_conditions(
    *,
    country: str | None = None,
    kind: str | None = None,
    field: str | None = None,
    q: str | None = None,
) -> list[ColumnElement[bool]]:
    """Return the conditions of the institution list's filters (see list_institutions)."""
    conditions: list[ColumnElement[bool]] = []
    if country:
        conditions.append(col(Institution.country) == country)
    if kind:
        conditions.append(col(Institution.kind) == kind)
    if field:
        conditions.append(col(Institution.fields_text).like(_like_pattern(field), escape="\\"))
    if q:
        for word in q.split():
            pattern = _like_pattern(word)
            conditions.append(col(Institution.search_text).like(pattern, escape="\\"))
    return conditions


def fields_mentioning(
    *, session: Session, any_of: Sequence[str], conditions: Sequence[ColumnElement[bool]] = ()
) -> list[tuple[int, list[str]]]:
    """Return (id, fields) of institutions whose fields contain any of these phrases
    (case-insensitively) and that meet ``conditions``, in id order."""
    mentions = [
        col(Institution.fields_text).like(_like_pattern(phrase), escape="\\")
        for phrase in any_of
        if phrase
    ]
    if not mentions:
        return []
    statement = (
        select(Institution.id, Institution.fields)
        .where(*conditions, or_(*mentions))
        .order_by(col(Institution.id))
    )
    return [(pid, list(fields)) for pid, fields in session.exec(statement) if pid is not None]


def countries_present(*, session: Session) -> list[str]:
    """Return the countries that have at least one institution, by code."""
    statement = select(Institution.country).distinct().order_by(col(Institution.country))
    return list(session.exec(statement))


def list_institutions(
    *,
    session: Session,
    params: PageParams,
    country: str | None = None,
    kind: str | None = None,
    field: str | None = None,
    q: str | None = None,
) -> Window[Institution]:
    """Return a page of institutions in id order, filtered, with the filtered total."""
    conditions = filter_conditions(country=country, kind=kind, field=field, q=q)
    return paginate(
        session=session,
        statement=select(Institution).where(*conditions),
        key=col(Institution.id),
        key_of=lambda row: row.id,
        params=params,
    )
