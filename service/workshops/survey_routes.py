"""Survey answers (for the workshop's organisers) and profile proposals (for the institution)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from service.deps import EditableInstitutionDep, IndexDep, RunnableWorkshopDep, SessionDep
from service.http.idempotency import IdempotentPostRoute
from service.http.schemas import PROBLEM_RESPONSES
from service.values.validation import MAX_ID
from service.workshops import answers, proposals
from service.workshops.exports import CSV_MEDIA, answers_csv
from service.workshops.survey_schemas import ProposalPublic, SurveyAnswersPublic

router = APIRouter(responses=PROBLEM_RESPONSES, route_class=IdempotentPostRoute)
ProposalId = Annotated[int, Path(ge=1, le=MAX_ID, description="The proposal's id.")]


@router.get(
    "/workshops/{workshop_id:int}/survey-answers",
    operation_id="list_survey_answers",
    tags=["workshops"],
)
def list_survey_answers(row: RunnableWorkshopDep, session: SessionDep) -> list[SurveyAnswersPublic]:
    """The participants' Q2-Q4 survey answers (challenges, strategies, wishes), by name."""
    assert row.id is not None
    return answers.list_answers(session=session, workshop_id=row.id)


@router.get(
    "/workshops/{workshop_id:int}/survey-answers/export",
    operation_id="export_survey_answers",
    tags=["workshops"],
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
def export_survey_answers(row: RunnableWorkshopDep, session: SessionDep) -> Response:
    """Download the survey answers as CSV (UTF-8 with a byte-order mark, for Excel and WPS)."""
    assert row.id is not None
    body = answers_csv(answers.list_answers(session=session, workshop_id=row.id))
    disposition = f'attachment; filename="workshop-{row.id}-survey-answers.csv"'
    return Response(body, media_type=CSV_MEDIA, headers={"Content-Disposition": disposition})


@router.get(
    "/institutions/{institution_id:int}/proposals",
    operation_id="list_proposals",
    tags=["institutions"],
)
def list_proposals(row: EditableInstitutionDep, session: SessionDep) -> list[ProposalPublic]:
    """Changes workshops' survey imports propose for this profile, newest first (its key
    or an admin only)."""
    return proposals.list_proposals(session=session, institution=row)


@router.post(
    "/institutions/{institution_id:int}/proposals/{proposal_id:int}/accept",
    operation_id="accept_proposal",
    tags=["institutions"],
)
def accept_proposal(
    row: EditableInstitutionDep, proposal_id: ProposalId, session: SessionDep, index: IndexDep
) -> ProposalPublic:
    """Apply an open proposal's changes to the profile (409 if already decided)."""
    return proposals.accept(session=session, index=index, institution=row, proposal_id=proposal_id)


@router.post(
    "/institutions/{institution_id:int}/proposals/{proposal_id:int}/dismiss",
    operation_id="dismiss_proposal",
    tags=["institutions"],
)
def dismiss_proposal(
    row: EditableInstitutionDep, proposal_id: ProposalId, session: SessionDep
) -> ProposalPublic:
    """Dismiss an open proposal; the profile is left as it is (409 if already decided)."""
    return proposals.dismiss(session=session, institution=row, proposal_id=proposal_id)
