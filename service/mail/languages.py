"""Which language an email is written in, and its strings from the interface catalogues.

An email the reader asked for on a page (a sign-in link, a claim's check) is written in
that page's language. Any other email is written in the language its reader institution
last used on the pages (``MailLanguage``), else English. The strings are the pages' own
catalogues (``service.i18n.locales``), so every mail has its ``zh`` twin checked there.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from service.db import committed
from service.i18n import CATALOGUES, DEFAULT, Translator
from service.mail.models import MailLanguage
from service.values.times import utc_now


def translator(language: str) -> Translator:
    """Return the catalogue of ``language``, or English's when it has none."""
    return Translator(language if language in CATALOGUES else DEFAULT)


def reading_language(*, session: Session, institution_id: int) -> str:
    """Return the language this institution reads email in (English until it uses a page)."""
    row = session.get(MailLanguage, institution_id)
    return row.language if row is not None and row.language in CATALOGUES else DEFAULT


def remember_language(*, session: Session, institution_id: int, language: str) -> None:
    """Store the interface language an institution is using, and commit (no-op if unchanged)."""
    if language not in CATALOGUES:
        return
    row = session.get(MailLanguage, institution_id)
    if row is not None and row.language == language:
        return
    try:
        with committed(session):
            row = row or MailLanguage(institution_id=institution_id, language=language)
            row.language = language
            row.updated_at = utc_now()
            session.add(row)
    except IntegrityError:
        # Another request stored it at the same moment (or the profile was just deleted);
        # either way there is nothing more to keep.
        session.rollback()


def language_for(*, session: Session, institution_id: int | None, fallback: str) -> str:
    """Return the language this institution last used on the pages, if it ever did; else
    ``fallback`` (for mail an organiser sends: the organiser's own interface language)."""
    row = None if institution_id is None else session.get(MailLanguage, institution_id)
    if row is not None and row.language in CATALOGUES:
        return row.language
    return fallback if fallback in CATALOGUES else DEFAULT
