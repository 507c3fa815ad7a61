"""Paging long lists: ``limit`` with ``offset``, or an opaque ``cursor`` over a keyset.

A cursor names the key (an id, or a run number) of the last item of the page it came
with; the next page is the rows after that key, in key order. Rows added meanwhile get
larger keys and so appear at the end, and removed ones simply drop out: walking a list
by cursor neither repeats nor skips an item, which ``offset`` cannot promise when rows
are added or removed between calls. A newest-first list (alerts, deliveries, meeting
requests) walks its keys downwards: the next page is the rows before that key, and rows
added meanwhile are not met on the way (they are on the first page again).

This is the one paging type of the API. To page a new list: take :class:`PageParams`
(``PageQuery``; a subclass with its filters as ``Annotated[X, Depends(QueryModel(X))]``,
``service.http.query_models``), call :func:`paginate`
with the select and its key column, and answer a subclass of :class:`Page` (named for
its items, so the OpenAPI document keeps a readable schema name).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Generic, Self, TypeVar

from fastapi import Depends
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from sqlalchemy import func
from sqlalchemy.orm import Mapped
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from service.http.query_models import QueryModel
from service.values.validation import MAX_ID, drop_null

MAX_PAGE = 100
CURSOR_PATTERN = r"^[A-Za-z0-9_-]{1,200}$"
_CURSOR_VERSION = 1

T = TypeVar("T")
Item = TypeVar("Item")


def encode_cursor(after: int) -> str:
    """Return the opaque cursor of the page that follows key ``after``."""
    text = json.dumps({"v": _CURSOR_VERSION, "after": after}, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """Return the key a cursor continues after; ``ValueError`` if it is not one of ours."""
    refusal = ValueError("is not a cursor this service gave out; use a next_cursor as sent")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
    except (binascii.Error, ValueError) as error:
        raise refusal from error
    if not isinstance(data, dict) or data.get("v") != _CURSOR_VERSION:
        raise refusal
    after = data.get("after")
    if type(after) is not int or not 0 <= after <= MAX_ID:
        raise refusal
    return after


class PageParams(BaseModel):
    """Which page: ``limit`` items, after skipping ``offset`` or after a ``cursor``."""

    model_config = ConfigDict(extra="forbid")

    limit: int = Field(default=20, ge=1, le=MAX_PAGE, description="Items per page.")
    offset: int | None = Field(
        default=None,
        ge=0,
        le=MAX_ID,
        description="Items to skip (default 0). Not with `cursor`.",
        json_schema_extra=drop_null,
    )
    cursor: str | None = Field(
        default=None,
        pattern=CURSOR_PATTERN,
        description="Continue after the page that answered this `next_cursor`. Not with `offset`.",
        json_schema_extra=drop_null,
    )

    @field_validator("cursor")
    @classmethod
    def _one_way_of_paging(cls, cursor: str | None, info: ValidationInfo) -> str | None:
        if cursor is not None:
            if info.data.get("offset") is not None:
                raise ValueError("cannot be combined with offset: page by one or the other")
            decode_cursor(cursor)
        return cursor

    @property
    def after(self) -> int | None:
        """The key the page starts after, when paging by cursor."""
        return None if self.cursor is None else decode_cursor(self.cursor)


PageQuery = Annotated[PageParams, Depends(QueryModel(PageParams))]
"""A route's paging, read from the query string (declared last: ``QueryModel``)."""


class Page(BaseModel, Generic[Item]):
    """One page of a list, the total across all pages, and where the next page starts."""

    items: list[Item]
    total: int = Field(description="Items in the whole list (with the filters applied).")
    limit: int
    offset: int = Field(description="Items skipped before this page (0 when paging by cursor).")
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last page."
    )

    @classmethod
    def of(cls, window: Window[Any], items: Sequence[Item], params: PageParams) -> Self:
        """Return the page of ``items`` (``window``'s rows, converted) for ``params``."""
        return cls(
            items=list(items),
            total=window.total,
            limit=params.limit,
            offset=params.offset or 0,
            next_cursor=window.next_cursor,
        )


@dataclass(frozen=True, slots=True)
class Window(Generic[T]):
    """The rows of one page, the total row count and the next page's cursor."""

    rows: list[T]
    total: int
    next_cursor: str | None


def paginate(
    *,
    session: Session,
    statement: SelectOfScalar[T],
    key: Mapped[int] | Mapped[int | None],
    key_of: Callable[[T], int | None],
    params: PageParams,
    newest_first: bool = False,
) -> Window[T]:
    """Return the page of ``statement`` that ``params`` asks for, ordered by ``key``
    (largest first when ``newest_first``).

    ``statement`` carries the filters and no order; ``key`` is a unique, stable column
    (an id) and ``key_of`` reads it from a row.
    """
    total = session.exec(select(func.count()).select_from(statement.subquery())).one()
    column = col(key)
    if params.after is not None:
        statement = statement.where(
            column < params.after if newest_first else column > params.after
        )
    order = column.desc() if newest_first else column
    # One row more than asked for says whether another page follows.
    statement = statement.order_by(order).offset(params.offset or 0).limit(params.limit + 1)
    rows = list(session.exec(statement))
    last = key_of(rows[params.limit - 1]) if len(rows) > params.limit else None
    return Window(
        rows=rows[: params.limit],
        total=total,
        next_cursor=None if last is None else encode_cursor(last),
    )
