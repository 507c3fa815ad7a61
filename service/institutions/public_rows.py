"""The public views of institutions read straight from their stored rows, for lists of
suggestions: one query per up to 900 ids, no ORM objects, no second validation.

A match request reads the views of the partners it suggests that its worker has not kept
(``public_views``), about ten at a time, on every request at 100k profiles. Two costs were
the reading's own, not the database's (measured in a served worker at 100k: 18% of the
time it held the GIL under eight clients, two thirds of it these two):

- an ``IN`` of as many bound parameters as ids is rendered again at every execution (an
  "expanding" parameter): the statements here have a fixed number of parameters, a few
  sizes, each compiled once, the ids repeated to fill one;
- validating each row again (phrase lists de-duplicated, strings checked) repeats what
  was checked when the row was written: every write goes through the same models. The
  view is built from the row as stored; only what the database hands back in another
  form is converted (the kind's text to its enum, a naive SQLite time to UTC), so the
  view equals ``crud.to_public`` of the row, and its JSON too.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import BindParameter, Select, bindparam
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from service.db import MAX_BOUND_VALUES
from service.institutions.models import Institution, InstitutionPublic, Partnership
from service.values.times import as_utc
from service.values.validation import Kind

__all__ = ["public_profiles"]

# The statement sizes: a chunk of ids is read by the smallest that holds it.
_SIZES = (16, 64, 256, MAX_BOUND_VALUES)
_TABLE = Institution.__table__  # type: ignore[attr-defined]
# The stored columns a public view shows (its partners come from Partnership).
_COLUMNS = tuple(name for name in InstitutionPublic.model_fields if name != "existing_partners")


@functools.cache
def _statement(size: int) -> Select[Any]:
    """The query of the views of ``size`` ids (bound as ``id0``...), built once per size:
    building a statement and its cache key cost as much as running it."""
    ids: list[BindParameter[int]] = [bindparam(f"id{at}") for at in range(size)]
    return (
        sa_select(*(_TABLE.c[name] for name in _COLUMNS), _TABLE.c.website_private)
        .add_columns(col(Partnership.partner_id))
        .select_from(_TABLE)
        .outerjoin(Partnership, col(Partnership.institution_id) == _TABLE.c.id)
        .where(_TABLE.c.id.in_(ids))
        .order_by(_TABLE.c.id, col(Partnership.partner_id))
    )


def _chunks(ids: Sequence[int]) -> Iterator[tuple[Select[Any], dict[str, int]]]:
    """Each chunk of ids with the statement that reads it, the last id repeated to fill it."""
    for start in range(0, len(ids), MAX_BOUND_VALUES):
        chunk = ids[start : start + MAX_BOUND_VALUES]
        size = next(size for size in _SIZES if size >= len(chunk))
        filled = [*chunk, *[chunk[-1]] * (size - len(chunk))]
        yield _statement(size), {f"id{at}": pid for at, pid in enumerate(filled)}


def public_profiles(*, session: Session, ids: Sequence[int]) -> dict[int, InstitutionPublic]:
    """Return the public views of these institutions with their declared partners, by id.

    The same views as ``crud.to_public`` without ``partner``: a private website is left
    out. Unknown ids are left out.
    """
    found: dict[int, dict[str, Any]] = {}
    for statement, bound in _chunks(sorted(set(ids))):
        for row in session.connection().execute(statement, bound).mappings():
            fields = found.get(row["id"])
            if fields is None:
                fields = found[row["id"]] = {name: row[name] for name in _COLUMNS}
                fields["existing_partners"] = []
                if row["website_private"]:
                    fields["website"] = None
            if row["partner_id"] is not None:
                fields["existing_partners"].append(row["partner_id"])
    return {pid: _view(fields) for pid, fields in found.items()}


def _view(fields: dict[str, Any]) -> InstitutionPublic:
    """The view of a stored row, which was validated when it was written."""
    fields["kind"] = Kind(fields["kind"])
    fields["created_at"] = as_utc(fields["created_at"])
    fields["updated_at"] = as_utc(fields["updated_at"])
    return InstitutionPublic.model_construct(**fields)
