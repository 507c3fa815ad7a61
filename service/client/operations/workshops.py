"""Workshops: participants, survey imports, pairing runs, schedules, exports, outcomes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from service.client.calls import API_PREFIX, Call, Tagged, body, clean, nothing, parsed, raw, tagged
from service.client.methods import operation, paged
from service.client.operations.common import (
    WORKSHOPS,
    Data,
    keyed,
    page_params,
    precondition,
)
from service.workshops.adjustments import RunAdjustment
from service.workshops.country_groups import CountryGroups
from service.workshops.import_schemas import ImportPlanPublic, ImportResult
from service.workshops.invitations import InvitationIn, InvitationPage, InvitationPublic
from service.workshops.models import WorkshopCreate, WorkshopPublic, WorkshopUpdate
from service.workshops.participant_reports import (
    OwnPairs,
    OwnReportIn,
    RemindersSent,
    ReportStatus,
)
from service.workshops.schemas import (
    OutcomeIn,
    OutcomePublic,
    PairingDiff,
    PairingRequest,
    PairingRunPage,
    PairingRunPublic,
    ParticipantPage,
    SchedulePublic,
    ScheduleRequest,
    WorkshopReport,
)
from service.workshops.survey import XLSX_MEDIA, sniff

ExportKind = Literal["pairs", "alternates", "schedule", "ics", "html"]


class Workshops:
    """Run a matchmaking workshop, from its participants to what came of its pairs."""

    @operation
    def create_workshop(
        self, workshop: WorkshopCreate | Data, idempotency_key: str | None = None
    ) -> Call[WorkshopPublic]:
        """Create a workshop (admins)."""
        return Call(
            "POST",
            WORKSHOPS,
            parsed(WorkshopPublic),
            json=body(workshop),
            headers=keyed(idempotency_key),
        )

    @operation
    def list_workshops(self) -> Call[list[WorkshopPublic]]:
        """List workshops, newest first."""
        return Call("GET", WORKSHOPS, parsed(list[WorkshopPublic]))

    @operation
    def read_workshop(self, workshop_id: int) -> Call[WorkshopPublic]:
        """Read a workshop."""
        return Call("GET", f"{WORKSHOPS}/{workshop_id}", parsed(WorkshopPublic))

    @operation
    def read_workshop_tagged(self, workshop_id: int) -> Call[Tagged[WorkshopPublic]]:
        """Read a workshop and its ETag, to change it later with ``if_match``."""
        return Call("GET", f"{WORKSHOPS}/{workshop_id}", tagged(WorkshopPublic))

    @operation
    def update_workshop(
        self, workshop_id: int, changes: WorkshopUpdate | Data, if_match: str | None = None
    ) -> Call[Tagged[WorkshopPublic]]:
        """Change a workshop; with ``if_match``, only if unchanged since (else 412)."""
        return Call(
            "PATCH",
            f"{WORKSHOPS}/{workshop_id}",
            tagged(WorkshopPublic),
            json=body(changes),
            headers=precondition(if_match),
        )

    @operation
    def set_participants(self, workshop_id: int, institution_ids: Sequence[int]) -> Call[None]:
        """Replace the workshop's participants."""
        data = {"institution_ids": list(institution_ids)}
        return Call("PUT", f"{WORKSHOPS}/{workshop_id}/participants", nothing, json=data)

    @operation
    def list_participants(
        self,
        workshop_id: int,
        *,
        limit: int = 20,
        offset: int | None = None,
        cursor: str | None = None,
    ) -> Call[ParticipantPage]:
        """Return one page of the workshop's participants, by id."""
        return Call(
            "GET",
            f"{WORKSHOPS}/{workshop_id}/participants",
            parsed(ParticipantPage),
            params=page_params(limit, offset, cursor),
        )

    iter_participants = paged(list_participants)

    @operation
    def import_survey(
        self,
        workshop_id: int,
        csv: bytes,
        *,
        dry_run: bool = False,
        encoding: str = "utf-8",
        idempotency_key: str | None = None,
    ) -> Call[ImportResult | ImportPlanPublic]:
        """Import a survey CSV or .xlsx workbook into a workshop, all or nothing; ``dry_run``
        only reports. A workbook is recognised by its bytes and sent with its media type."""
        reader = parsed(ImportPlanPublic if dry_run else ImportResult)
        media = XLSX_MEDIA if sniff(csv) == "xlsx" else "text/csv"
        return Call(
            "POST",
            f"{WORKSHOPS}/{workshop_id}/imports",
            reader,
            params={"dry_run": str(dry_run).lower(), "encoding": encoding},
            content=csv,
            headers={"content-type": media, **keyed(idempotency_key)},
        )

    @operation
    def run_pairing(
        self, workshop_id: int, rules: PairingRequest | Data, idempotency_key: str | None = None
    ) -> Call[PairingRunPublic]:
        """Pre-pair the workshop's participants under ``rules``; the run is stored."""
        return Call(
            "POST",
            f"{WORKSHOPS}/{workshop_id}/pairings",
            parsed(PairingRunPublic),
            json=body(rules),
            headers=keyed(idempotency_key),
        )

    @operation
    def list_pairings(
        self,
        workshop_id: int,
        *,
        limit: int = 20,
        offset: int | None = None,
        cursor: str | None = None,
    ) -> Call[PairingRunPage]:
        """Return one page of the workshop's pairing runs, oldest first."""
        return Call(
            "GET",
            f"{WORKSHOPS}/{workshop_id}/pairings",
            parsed(PairingRunPage),
            params=page_params(limit, offset, cursor),
        )

    iter_pairings = paged(list_pairings)

    @operation
    def read_pairing(self, workshop_id: int, number: int) -> Call[PairingRunPublic]:
        """Read one pairing run."""
        return Call("GET", f"{WORKSHOPS}/{workshop_id}/pairings/{number}", parsed(PairingRunPublic))

    @operation
    def diff_pairings(self, workshop_id: int, number: int, against: int) -> Call[PairingDiff]:
        """Compare two pairing runs."""
        return Call(
            "GET",
            f"{WORKSHOPS}/{workshop_id}/pairings/{number}/diff",
            parsed(PairingDiff),
            params={"against": against},
        )

    @operation
    def adjust_pairing(
        self,
        workshop_id: int,
        number: int,
        adjustment: RunAdjustment | Data,
        idempotency_key: str | None = None,
    ) -> Call[PairingRunPublic]:
        """Lock or forbid one of a run's pairs, or swap two pairs' partners, and pair again
        (organisers, admins): the answer is a new run; the adjusted one stays."""
        return Call(
            "POST",
            f"{WORKSHOPS}/{workshop_id}/pairings/{number}/adjustments",
            parsed(PairingRunPublic),
            json=body(adjustment),
            headers=keyed(idempotency_key),
        )

    @operation
    def make_schedule(
        self,
        workshop_id: int,
        number: int,
        request: ScheduleRequest | Data,
        idempotency_key: str | None = None,
    ) -> Call[SchedulePublic]:
        """Put a run's pairs into time slots and tables."""
        return Call(
            "POST",
            f"{WORKSHOPS}/{workshop_id}/pairings/{number}/schedule",
            parsed(SchedulePublic),
            json=body(request),
            headers=keyed(idempotency_key),
        )

    @operation
    def read_schedule(self, workshop_id: int, number: int) -> Call[SchedulePublic]:
        """Read a run's timetable."""
        return Call(
            "GET", f"{WORKSHOPS}/{workshop_id}/pairings/{number}/schedule", parsed(SchedulePublic)
        )

    @operation
    def export_pairing(
        self,
        workshop_id: int,
        number: int,
        what: ExportKind = "pairs",
        institution_id: int | None = None,
    ) -> Call[bytes]:
        """Download a run's pairs, alternates or timetable (CSV), .ics or HTML."""
        return Call(
            "GET",
            f"{WORKSHOPS}/{workshop_id}/pairings/{number}/export",
            raw,
            params=clean({"what": what, "institution_id": institution_id}),
        )

    @operation
    def record_outcome(
        self, workshop_id: int, outcome: OutcomeIn | Data, idempotency_key: str | None = None
    ) -> Call[OutcomePublic]:
        """Record what happened to a pair: met, MoU signed or declined."""
        return Call(
            "POST",
            f"{WORKSHOPS}/{workshop_id}/outcomes",
            parsed(OutcomePublic),
            json=body(outcome),
            headers=keyed(idempotency_key),
        )

    @operation
    def list_outcomes(self, workshop_id: int) -> Call[list[OutcomePublic]]:
        """List a workshop's recorded outcomes by pair."""
        return Call("GET", f"{WORKSHOPS}/{workshop_id}/outcomes", parsed(list[OutcomePublic]))

    @operation
    def workshop_report(self, workshop_id: int, run: int | None = None) -> Call[WorkshopReport]:
        """Compare a run's suggestions with what happened."""
        return Call(
            "GET",
            f"{WORKSHOPS}/{workshop_id}/report",
            parsed(WorkshopReport),
            params=clean({"run": run}),
        )

    @operation
    def list_country_groups(self) -> Call[CountryGroups]:
        """List the country groups pairing rules can name, with members, source and date."""
        return Call("GET", f"{API_PREFIX}/country-groups", parsed(CountryGroups))

    @operation
    def list_report_links(self, workshop_id: int) -> Call[list[ReportStatus]]:
        """Who has reported on its pairs of the latest run, with each one's private link."""
        return Call("GET", f"{WORKSHOPS}/{workshop_id}/report-links", parsed(list[ReportStatus]))

    @operation
    def send_reminders(
        self, workshop_id: int, *, language: str | None = None
    ) -> Call[RemindersSent]:
        """Email their links to the participants that have not answered (mail configured);
        ``language`` (en or zh) is the emails' where a participant's is not known."""
        headers = {"Accept-Language": language} if language else {}
        return Call(
            "POST", f"{WORKSHOPS}/{workshop_id}/reminders", parsed(RemindersSent), headers=headers
        )

    @operation
    def read_own_pairs(self, workshop_id: int) -> Call[OwnPairs]:
        """Read the calling participant's pairs of the latest run and both sides' reports."""
        return Call("GET", f"{WORKSHOPS}/{workshop_id}/my-pairs", parsed(OwnPairs))

    @operation
    def report_own_outcome(self, workshop_id: int, report: OwnReportIn | Data) -> Call[OwnPairs]:
        """Report met, MoU signed or declined for one of the caller's own partners."""
        return Call(
            "POST", f"{WORKSHOPS}/{workshop_id}/my-outcomes", parsed(OwnPairs), json=body(report)
        )

    @operation
    def invite_institution(
        self,
        workshop_id: int,
        invitation: InvitationIn | Data,
        *,
        language: str | None = None,
        idempotency_key: str | None = None,
    ) -> Call[InvitationPublic]:
        """Email an invitation to join the workshop (mail configured); ``language`` (en or
        zh) is the email's where the recipient's profile does not say one."""
        headers = keyed(idempotency_key)
        if language:
            headers["Accept-Language"] = language
        return Call(
            "POST",
            f"{WORKSHOPS}/{workshop_id}/invitations",
            parsed(InvitationPublic),
            json=body(invitation),
            headers=headers,
        )

    @operation
    def list_invitations(
        self,
        workshop_id: int,
        *,
        limit: int = 20,
        offset: int | None = None,
        cursor: str | None = None,
    ) -> Call[InvitationPage]:
        """Return one page of the workshop's invitations, newest first, and who joined."""
        return Call(
            "GET",
            f"{WORKSHOPS}/{workshop_id}/invitations",
            parsed(InvitationPage),
            params=page_params(limit, offset, cursor),
        )

    iter_invitations = paged(list_invitations)
