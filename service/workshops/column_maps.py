"""Headers a workshop's organisers matched to survey columns: remembered per workshop, so
the next file with the same headers imports without asking again."""

from __future__ import annotations

from collections.abc import Mapping

from sqlmodel import Session, col, select

from service.db import committed
from service.errors import FieldError, InvalidInput
from service.workshops.models import SurveyColumnMap
from service.workshops.survey.columns import BY_KEY, header_key


def mapping_for(*, session: Session, workshop_id: int) -> dict[str, str]:
    """Return the workshop's matched headers: folded header -> column key."""
    rows = session.exec(
        select(SurveyColumnMap).where(col(SurveyColumnMap.workshop_id) == workshop_id)
    )
    return {row.header: row.column for row in rows}


def remember(*, session: Session, workshop_id: int, matched: Mapping[str, str]) -> None:
    """Store headers (as written) matched to column keys, and commit."""
    with committed(session):
        for header, column in matched.items():
            if column not in BY_KEY:
                raise InvalidInput([FieldError(("columns", header), "is not a survey column")])
            key = header_key(header)[:200]
            row = session.get(SurveyColumnMap, (workshop_id, key))
            if row is None:
                row = SurveyColumnMap(workshop_id=workshop_id, header=key, column=column)
            row.column = column
            session.add(row)
