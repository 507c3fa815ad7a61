"""Claim writes as every caller makes them, the API's routes and the pages alike: the
change, its commit, then the email (the address check to the claimant, or on approval
the sign-in link that gives it a key), in the claimant's language.

``operations`` holds the rules; this module owns what follows a change, so the API and
the pages cannot drift apart on a step.
"""

from __future__ import annotations

import contextlib

from sqlmodel import Session

from service.auth.keys import Caller
from service.auth.sign_in_links import LINK_MINUTES
from service.claims import operations
from service.claims.models import ProfileClaim
from service.institutions.models import Institution
from service.mail.languages import remember_language, translator
from service.mail.sender import Mailer, MailFailed

PREFIX = "/web"


def request_claim(
    *,
    session: Session,
    mailer: Mailer,
    public_url: str,
    institution: Institution,
    email: str,
    claimant: str,
    note: str,
    language: str,
) -> ProfileClaim:
    """Store and commit a claim, then email the link that verifies its address (in the
    claimant's ``language``); raise :class:`MailFailed` if that email cannot be sent
    (the claim stays unverified and expires)."""
    row, token = operations.ask(
        session=session,
        institution=institution,
        email=email,
        claimant=claimant,
        note=note,
        language=translator(language).language,
    )
    t = translator(row.language)
    link = f"{public_url.rstrip('/')}{PREFIX}/claims/verify?token={token}"
    mailer.send(
        to=email,
        subject=t("mail.claim.subject", name=institution.name),
        body=t("mail.claim.body", name=institution.name, link=link),
    )
    return row


def decide_claim(
    *,
    session: Session,
    mailer: Mailer | None,
    public_url: str,
    caller: Caller,
    claim_id: int,
    approve: bool,
) -> tuple[ProfileClaim, Institution]:
    """Approve or reject a pending claim and commit; on approval email the claimant (in
    the language it claimed in) a one-time sign-in link that gives it the key."""
    claim, institution, links = operations.decide(
        session=session, caller=caller, claim_id=claim_id, approve=approve
    )
    if approve and institution.id is not None:
        # Mail the institution did not ask for (meeting requests) goes out in its language.
        remember_language(session=session, institution_id=institution.id, language=claim.language)
    t = translator(claim.language)
    base = public_url.rstrip("/")
    for linked, token in links:
        if mailer is None or linked.id != institution.id:
            continue
        # A failed email is logged by the sender; the claimant can still ask for a
        # sign-in link on the sign-in page, since the address is now the contact email.
        with contextlib.suppress(MailFailed):
            mailer.send(
                to=claim.email,
                subject=t("mail.sign_in.subject", name=institution.name),
                body=t(
                    "mail.claim.approved",
                    name=institution.name,
                    link=f"{base}{PREFIX}/sign-in/link?token={token}",
                    minutes=LINK_MINUTES,
                ),
            )
    return claim, institution
