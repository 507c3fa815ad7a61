"""Entity tags: an ``ETag`` on reads, ``If-None-Match`` (304) and ``If-Match`` (412).

A stored institution or workshop carries a ``version`` that every change to what GET
shows increases. Its ETag is made from that version and the moment the row was created
(and, for a workshop, its number of participants, which the deletion of an institution
can change). The creation moment is there because versions start again at 1 for a new
row, and SQLite gives a deleted row's id to the next one: without it, a client holding
the old row's tag would be told 304 about the new one. A row on a reused id is created
after the old row's deletion, so its creation moment is later; a tag could only repeat if
the server clock were set back past the old row's creation, onto the same microsecond,
and the new row reached the same version (see docs/api.md). The tag is strong: two
answers with one tag are byte for byte the same, so an institution's view with its
contact email has a tag of its own.

A conditional write first locks the row (a no-op UPDATE: a row lock on PostgreSQL, the
write lock on SQLite), then compares the tag of the row as it is now. So two writers
that read the same version cannot both pass: the second waits for the first to commit
and then sees the new version. That is the lost-update protection ``If-Match`` gives.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar

from fastapi import Header
from sqlalchemy import update
from sqlmodel import Session, col

from service.errors import NotModified, PreconditionFailed
from service.http.schemas import Problem
from service.institutions.models import Institution
from service.workshops.models import Workshop

CONDITION_HEADERS = ("If-Match", "If-None-Match")
_TAG = re.compile(r'\s*(W/)?("[\x21\x23-\x7e\x80-\xff]*")\s*(?:,|$)')
_MAX_HEADER = 1000

IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        max_length=_MAX_HEADER,
        description="Change only if the resource still has this ETag (else 412); `*` for "
        "any version. Send the ETag of your last read to protect against lost updates.",
    ),
]
IfNoneMatch = Annotated[
    str | None,
    Header(
        alias="If-None-Match",
        max_length=_MAX_HEADER,
        description="Answer 304 without a body if the resource still has one of these ETags.",
    ),
]


def _born(created_at: datetime) -> str:
    # SQLite gives the stored moment back without its zone (it is UTC); compare it so.
    if created_at.tzinfo is not None:
        created_at = created_at.astimezone(UTC).replace(tzinfo=None)
    return created_at.strftime("%Y%m%d%H%M%S%f")


def institution_etag(row: Institution, *, private: bool, partner: bool = False) -> str:
    """Return the ETag of an institution's public view, of the view with its email, or of
    the view an accepted partner reads (a private website shown)."""
    tag = f"{_born(row.created_at)}.{row.version}"
    if private:
        return f'"{tag}-private"'
    return f'"{tag}-partner"' if partner and row.website_private else f'"{tag}"'


def workshop_etag(row: Workshop, *, participants: int) -> str:
    """Return the ETag of a workshop as read (its participant count is part of it)."""
    return f'"{_born(row.created_at)}.{row.version}.{participants}"'


def _tags(header: str) -> list[tuple[bool, str]] | None:
    """Return (weak, opaque tag) for each tag in a list; ``None`` if it is not one."""
    tags = []
    position = 0
    while position < len(header):
        found = _TAG.match(header, position)
        if found is None or found.end() == position:
            return None
        tags.append((found.group(1) is not None, found.group(2)))
        position = found.end()
    return tags


def if_match_holds(header: str, current: str) -> bool:
    """Whether ``If-Match: header`` lets a change of a resource tagged ``current`` through.

    Strong comparison (RFC 9110, 13.1.1): a weak tag never matches.
    """
    if header.strip() == "*":
        return True
    tags = _tags(header) or []
    return any(not weak and tag == current for weak, tag in tags)


def if_none_match_holds(header: str, current: str) -> bool:
    """Whether ``If-None-Match: header`` asks for a full answer (else: 304 Not Modified).

    Weak comparison (RFC 9110, 13.1.2): ``W/"3"`` matches ``"3"``.
    """
    if header.strip() == "*":
        return False
    tags = _tags(header) or []
    return all(tag != current for _, tag in tags)


def check_not_modified(if_none_match: str | None, current: str) -> None:
    """Raise :class:`NotModified` if the client already holds this version."""
    if if_none_match is not None and not if_none_match_holds(if_none_match, current):
        raise NotModified(current)


Versioned = TypeVar("Versioned", Institution, Workshop)


def bump_versions(
    session: Session, model: type[Institution | Workshop], ids: Iterable[int]
) -> None:
    """Count a change to what GET shows of these rows, so their ETags change."""
    wanted = sorted(set(ids))
    if wanted:
        session.execute(
            update(model)
            .where(col(model.id).in_(wanted))
            .values(version=model.version + 1)
            .execution_options(synchronize_session="fetch")
        )


def lock_current(session: Session, row: Versioned) -> Versioned:
    """Lock a row for this transaction and reload it as it is now, version included."""
    model = type(row)
    session.execute(
        update(model)
        .where(col(model.id) == row.id)
        .values(version=model.version)
        .execution_options(synchronize_session=False)
    )
    session.refresh(row)
    return row


def check_if_match(if_match: str | None, current: str, *, what: str) -> None:
    """Raise :class:`PreconditionFailed` if ``If-Match`` names another version."""
    if if_match is not None and not if_match_holds(if_match, current):
        raise PreconditionFailed(
            f"the {what} changed since the version you sent in If-Match ({if_match.strip()}); "
            f"it is now {current}: read it again and reapply your change",
            current,
        )


_ETAG_HEADER = {
    "ETag": {
        "description": "The version of what this answer shows; send it back in If-Match "
        "(to change it) or If-None-Match (to read it only if it changed).",
        "schema": {"type": "string"},
    }
}
_TAGGED: dict[int | str, dict[str, Any]] = {200: {"headers": _ETAG_HEADER}}
_STALE: dict[int | str, dict[str, Any]] = {
    412: {
        "model": Problem,
        "content": {"application/problem+json": {}},
        "description": "If-Match names a version that is no longer current; `ETag` has "
        "the current one.",
    },
}
READ_RESPONSES = {
    **_TAGGED,
    304: {"description": "Not modified: the ETag in If-None-Match is still current."},
}
UPDATE_RESPONSES = {**_TAGGED, **_STALE}
DELETE_RESPONSES = _STALE
