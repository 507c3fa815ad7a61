"""Survey answers (a workshop's organisers) and the profile changes imports propose (the
institution)."""

from __future__ import annotations

from typing import Literal

from service.client.calls import Call, parsed, raw
from service.client.methods import operation
from service.client.operations.common import INSTITUTIONS, WORKSHOPS, keyed
from service.workshops.survey_schemas import ProposalPublic, SurveyAnswersPublic


class Survey:
    """Read what participants answered, and decide the profile changes their answers propose."""

    @operation
    def list_survey_answers(self, workshop_id: int) -> Call[list[SurveyAnswersPublic]]:
        """List the participants' Q2-Q4 survey answers by name (the workshop's organisers,
        admins)."""
        return Call(
            "GET",
            f"{WORKSHOPS}/{workshop_id}/survey-answers",
            parsed(list[SurveyAnswersPublic]),
        )

    @operation
    def export_survey_answers(self, workshop_id: int) -> Call[bytes]:
        """Download the survey answers as CSV, UTF-8 with a byte-order mark (the workshop's
        organisers, admins)."""
        return Call("GET", f"{WORKSHOPS}/{workshop_id}/survey-answers/export", raw)

    @operation
    def list_proposals(self, institution_id: int) -> Call[list[ProposalPublic]]:
        """List the changes workshops' survey imports propose for a profile, newest first
        (its key or an admin)."""
        return Call(
            "GET", f"{INSTITUTIONS}/{institution_id}/proposals", parsed(list[ProposalPublic])
        )

    @operation
    def accept_proposal(
        self, institution_id: int, proposal_id: int, idempotency_key: str | None = None
    ) -> Call[ProposalPublic]:
        """Apply an open proposal's changes to the profile (its key or an admin; 409 if
        already decided)."""
        return decided(institution_id, proposal_id, "accept", idempotency_key)

    @operation
    def dismiss_proposal(
        self, institution_id: int, proposal_id: int, idempotency_key: str | None = None
    ) -> Call[ProposalPublic]:
        """Dismiss an open proposal, leaving the profile as it is (its key or an admin; 409
        if already decided)."""
        return decided(institution_id, proposal_id, "dismiss", idempotency_key)


def decided(
    institution_id: int,
    proposal_id: int,
    decision: Literal["accept", "dismiss"],
    idempotency_key: str | None,
) -> Call[ProposalPublic]:
    """The call that decides an open proposal."""
    return Call(
        "POST",
        f"{INSTITUTIONS}/{institution_id}/proposals/{proposal_id}/{decision}",
        parsed(ProposalPublic),
        headers=keyed(idempotency_key),
    )
