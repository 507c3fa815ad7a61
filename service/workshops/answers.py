"""Stored Q2-Q4 survey answers per workshop and institution: read, written, exported."""

from __future__ import annotations

from sqlmodel import Session, col, select

from service.institutions.models import Institution
from service.values.times import utc_now
from service.workshops.models import SurveyAnswer
from service.workshops.survey import SurveyAnswers
from service.workshops.survey_schemas import SurveyAnswersPublic


def store(
    *, session: Session, workshop_id: int, institution_id: int, answers: SurveyAnswers
) -> None:
    """Keep these answers for the institution at the workshop; no answer forgets earlier ones."""
    row = session.get(SurveyAnswer, (workshop_id, institution_id))
    if not answers:
        if row is not None:
            session.delete(row)
        return
    values = {
        "challenges": list(answers.challenges),
        "strategies": list(answers.strategies),
        "wishes": list(answers.wishes),
    }
    if row is None:
        keys = {"workshop_id": workshop_id, "institution_id": institution_id}
        session.add(SurveyAnswer.model_validate({**keys, **values}))
        return
    if {k: getattr(row, k) for k in values} != values:
        for key, value in values.items():
            setattr(row, key, value)
        row.updated_at = utc_now()
        session.add(row)


def list_answers(*, session: Session, workshop_id: int) -> list[SurveyAnswersPublic]:
    """Return the workshop's stored answers, by institution name."""
    statement = (
        select(SurveyAnswer, Institution)
        .join(Institution, col(Institution.id) == SurveyAnswer.institution_id)
        .where(col(SurveyAnswer.workshop_id) == workshop_id)
        .order_by(col(Institution.name_key), col(Institution.id))
    )
    return [
        SurveyAnswersPublic(
            institution_id=answer.institution_id,
            name=institution.name,
            country=institution.country,
            challenges=answer.challenges,
            strategies=answer.strategies,
            wishes=answer.wishes,
        )
        for answer, institution in session.exec(statement)
    ]
