"""After the workshop, each participant reports on its own pairs of the latest run (met,
MoU signed, declined) through a private link or its key. Never commits.

A report feeds the pair's outcome through :func:`outcomes.store_outcome`, the write the
organiser's recording uses. While one side has answered, its word is the outcome; when
both have and they differ, the outcome is the lesser of the two (declined < met < MoU
signed): an MoU counts once both sides say it was signed, and the note keeps both words.
An organiser's recording after the reports replaces the outcome, as any latest word does.
"""

from __future__ import annotations

import secrets
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session, col, select

from service.errors import FieldError, InvalidInput
from service.i18n import Translator
from service.institutions import crud
from service.institutions.models import Institution
from service.mail.sender import Mailer
from service.values.times import UtcDatetime, utc_now
from service.values.validation import Id
from service.workshops import outcomes
from service.workshops.models import OutcomeReport, ReportLink, Workshop
from service.workshops.participants import participant_ids
from service.workshops.runs import get_run, institution_ref, list_runs
from service.workshops.schemas import InstitutionRef, OutcomeIn

Status = Literal["met", "mou_signed", "declined"]
_RANK: dict[str, int] = {"declined": 0, "met": 1, "mou_signed": 2}


class OwnReportIn(BaseModel):
    """What a participant says happened with one of its partners. Unknown fields are refused."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"partner": 12, "status": "mou_signed"}]}
    )

    partner: Id = Field(description="The partner's institution id (one of its pairs).")
    status: Status


class OwnPair(BaseModel):
    """One of a participant's pairs in the latest run, and what each side reported."""

    partner: InstitutionRef
    score: float
    reported: Status | None
    partner_reported: Status | None


class OwnPairs(BaseModel):
    """A participant's pairs in the workshop's latest run (none before a run)."""

    workshop_id: int
    institution: InstitutionRef
    run: int | None
    pairs: list[OwnPair]


class ReportStatus(BaseModel):
    """Whether a participant has answered for each of its pairs, and its private link."""

    institution: InstitutionRef
    pairs: int
    answered: int
    done: bool = Field(description="Whether it has reported on every one of its pairs.")
    link: str = Field(description="Its private report page: no key needed.")
    has_email: bool
    reminded_at: UtcDatetime | None


class RemindersSent(BaseModel):
    """The participants just reminded by email."""

    reminded: list[InstitutionRef]


def agreed(statuses: list[str]) -> str:
    """Return the outcome both sides' reports support: the lesser of them."""
    return min(statuses, key=_RANK.__getitem__)


def link_path(token: str) -> str:
    """Return the page of a report link, below the site's address."""
    return f"/web/report/{token}"


def _latest_pairs(
    session: Session, workshop_id: int
) -> tuple[int | None, list[tuple[int, int, float]]]:
    listed = list_runs(session=session, workshop_id=workshop_id)
    if not listed:
        return None, []
    run = get_run(session=session, workshop_id=workshop_id, number=listed[-1].number)
    return run.number, [(p.a.id, p.b.id, p.score) for p in run.result.pairs]


def _reports(session: Session, workshop_id: int) -> dict[tuple[int, int], str]:
    rows = session.exec(select(OutcomeReport).where(col(OutcomeReport.workshop_id) == workshop_id))
    return {(row.institution_id, row.partner_id): row.status for row in rows}


def own_pairs(*, session: Session, workshop_id: int, institution_id: int) -> OwnPairs:
    """Return the participant's pairs of the latest run with both sides' reports."""
    number, pairs = _latest_pairs(session, workshop_id)
    partners = {
        (b if a == institution_id else a): score
        for a, b, score in pairs
        if institution_id in (a, b)
    }
    rows = crud.all_institutions(session=session, ids=[institution_id, *partners])
    refs = {row.id: institution_ref(row) for row in rows}
    said = _reports(session, workshop_id)
    return OwnPairs(
        workshop_id=workshop_id,
        institution=refs[institution_id],
        run=number,
        pairs=[
            OwnPair(
                partner=refs[pid],
                score=score,
                reported=said.get((institution_id, pid)),
                partner_reported=said.get((pid, institution_id)),
            )
            for pid, score in sorted(partners.items(), key=lambda item: -item[1])
        ],
    )


def store_report(
    *, session: Session, workshop_id: int, institution_id: int, data: OwnReportIn
) -> OwnPairs:
    """Keep the participant's report on one of its own pairs and write the pair's outcome."""
    mine = own_pairs(session=session, workshop_id=workshop_id, institution_id=institution_id)
    if data.partner not in {pair.partner.id for pair in mine.pairs}:
        raise InvalidInput(
            [
                FieldError(
                    ("body", "partner"), f"{data.partner} is not paired with you", "not_paired"
                )
            ]
        )
    row = session.get(OutcomeReport, (workshop_id, institution_id, data.partner)) or OutcomeReport(
        workshop_id=workshop_id, institution_id=institution_id, partner_id=data.partner, status=""
    )
    row.status = data.status
    session.add(row)
    session.flush()
    theirs = _reports(session, workshop_id).get((data.partner, institution_id))
    words = {institution_id: data.status, **({data.partner: theirs} if theirs else {})}
    names = {pair.partner.id: pair.partner.name for pair in mine.pairs}
    names[institution_id] = mine.institution.name
    note = "; ".join(f"{names[pid]} reported {status}" for pid, status in words.items())
    outcomes.store_outcome(
        session=session,
        workshop_id=workshop_id,
        data=OutcomeIn(
            pair=(institution_id, data.partner),
            status=agreed(list(words.values())),
            note=note,
            run=mine.run,
        ),
    )
    return own_pairs(session=session, workshop_id=workshop_id, institution_id=institution_id)


def ensure_links(*, session: Session, workshop_id: int) -> dict[int, ReportLink]:
    """Return every participant's report link, making the missing ones."""
    rows = {
        row.institution_id: row
        for row in session.exec(
            select(ReportLink).where(col(ReportLink.workshop_id) == workshop_id)
        )
    }
    for pid in participant_ids(session=session, workshop_id=workshop_id):
        if pid not in rows:
            rows[pid] = ReportLink(
                workshop_id=workshop_id, institution_id=pid, token=secrets.token_urlsafe(24)
            )
            session.add(rows[pid])
    session.flush()
    return rows


def link_holder(*, session: Session, token: str) -> ReportLink | None:
    """Return the report link with this token, if it is still a participant's."""
    row = session.exec(select(ReportLink).where(col(ReportLink.token) == token)).first()
    if row is None:
        return None
    present = participant_ids(session=session, workshop_id=row.workshop_id)
    return row if row.institution_id in present else None


def statuses(*, session: Session, workshop_id: int, public_url: str) -> list[ReportStatus]:
    """Return, for each participant with pairs in the latest run, how many it answered
    and its link on the site at ``public_url``."""
    _, pairs = _latest_pairs(session, workshop_id)
    links = ensure_links(session=session, workshop_id=workshop_id)
    said = _reports(session, workshop_id)
    partners: dict[int, list[int]] = {}
    for a, b, _score in pairs:
        partners.setdefault(a, []).append(b)
        partners.setdefault(b, []).append(a)
    rows = crud.all_institutions(session=session, ids=sorted(partners))
    listed = []
    for row in sorted(rows, key=lambda r: r.name.casefold()):
        if row.id is None or row.id not in links:
            continue  # paired in the run, no longer a participant
        answered = sum((row.id, pid) in said for pid in partners[row.id])
        listed.append(
            ReportStatus(
                institution=institution_ref(row),
                pairs=len(partners[row.id]),
                answered=answered,
                done=answered >= len(partners[row.id]),
                link=public_url.rstrip("/") + link_path(links[row.id].token),
                has_email=bool(row.contact_email),
                reminded_at=links[row.id].reminded_at,
            )
        )
    return listed


def remind(
    *, session: Session, mailer: Mailer, workshop: Workshop, status: ReportStatus, t: Translator
) -> None:
    """Email the participant its report link, written with ``t``, and note when it was
    reminded."""
    assert workshop.id is not None
    row = session.get(Institution, status.institution.id)
    assert row is not None
    assert row.contact_email, "only participants with an email are reminded"
    mailer.send(
        to=row.contact_email,
        subject=t("mail.reminder.subject", workshop=workshop.name),
        body=t(
            "mail.reminder.body",
            name=row.name,
            workshop=workshop.name,
            answered=status.answered,
            pairs=status.pairs,
            link=status.link,
        ),
    )
    stored = session.get(ReportLink, (workshop.id, row.id))
    assert stored is not None
    stored.reminded_at = utc_now()
    session.add(stored)
