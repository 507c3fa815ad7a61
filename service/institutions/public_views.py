"""The public views of suggested institutions, read once and kept until they change.

A list of suggestions shows each partner's public profile. Reading ten of them back from
the database for every match request cost a fifth of the request's CPU (a query, then a
validated model per row), while the same popular partners are suggested again and again.
The index keeps them until the change log names them (``service.institutions.kept``:
every write that changes what GET shows logs the institution), so a view is as fresh as
the ranking it comes with, in this instance at once and in others after their next poll
of the change log.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from service.institutions import public_rows
from service.institutions.kept import KeptUntilChanged
from service.institutions.models import InstitutionPublic

__all__ = ["DEFAULT_KEPT", "PublicViews"]

# Views kept per process (~3 KB each), the longest kept dropped first. The partners a
# ranking returns are concentrated on well-connected institutions, so a few thousand
# answer most requests even at a million profiles.
DEFAULT_KEPT = 5_000


class PublicViews(KeptUntilChanged[InstitutionPublic]):
    """Public views of institutions by id, each read from the database at most once
    between two changes of that institution."""

    def __init__(self, kept: int = DEFAULT_KEPT) -> None:
        super().__init__(kept)

    def read(self, *, session: Session, ids: Sequence[int]) -> dict[int, InstitutionPublic]:
        """Return the public views of these institutions by id; unknown ids are left out."""
        stamp, found = self.kept(ids)
        missing = [pid for pid in ids if pid not in found]
        if not missing:
            return found
        fresh = public_rows.public_profiles(session=session, ids=missing)
        self.keep(stamp, fresh)
        return found | fresh
