"""The language an institution reads its email in: the interface language it last used
on the pages (registering, signing in), kept so that mail it did not ask for (a meeting
request, an answer to one) arrives in that language rather than in the sender's."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String
from sqlmodel import Field, SQLModel

from service.values.times import utc_now


class MailLanguage(SQLModel, table=True):
    """One institution's email language (``en`` or ``zh``)."""

    __tablename__ = "mail_language"

    institution_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("institution.id", ondelete="CASCADE"), primary_key=True
        )
    )
    language: str = Field(sa_type=String(8))
    updated_at: datetime = Field(
        default_factory=utc_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
