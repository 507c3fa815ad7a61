"""Signing in by a one-time link sent to the institution's contact email (also how a lost
key is recovered). Without SMTP settings the pages say plainly that it is unavailable."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.auth.sign_in_links import LINK_MINUTES, issue_links, redeem
from service.deps import SessionDep, SettingsDep
from service.mail.languages import remember_language
from service.mail.sender import MailFailed, mailer_for
from service.web.pages import PREFIX, FormDep, PageRoute, VisitorDep, render, text
from service.web.session import sign_in

log = logging.getLogger(__name__)
router = APIRouter(route_class=PageRoute)
_MAX_EMAIL = 320


def _sign_in_page(
    request: Request, visitor: VisitorDep, *, notice: str = "", error: str = "", status: int = 200
) -> Response:
    context = {
        "error": None,
        "key_error": None,
        "next": "",
        "email_notice": notice,
        "email_error": error,
    }
    return render(request, visitor, "sign_in.html", context, status_code=status)


@router.post("/sign-in/email")
def email_link_submit(
    request: Request,
    visitor: VisitorDep,
    form: FormDep,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    """Email a sign-in link to the institutions using this address (the answer is the same
    whether or not one does, so the page does not tell who is registered)."""
    t = visitor.t
    mailer = mailer_for(settings)
    if mailer is None:
        return _sign_in_page(request, visitor, error=t("sign_in.email_unavailable"), status=503)
    email = text(form, "email").strip()[:_MAX_EMAIL]
    if "@" not in email:
        return _sign_in_page(request, visitor, error=t("sign_in.email_invalid"), status=422)
    links = issue_links(session=session, email=email)
    base = settings.public_url.rstrip("/")
    try:
        for institution, token in links:
            mailer.send(
                to=email,
                subject=t("mail.sign_in.subject", name=institution.name),
                body=t(
                    "mail.sign_in.body",
                    name=institution.name,
                    link=f"{base}{PREFIX}/sign-in/link?token={token}",
                    minutes=LINK_MINUTES,
                ),
            )
    except MailFailed:
        return _sign_in_page(request, visitor, error=t("sign_in.email_failed"), status=503)
    return _sign_in_page(request, visitor, notice=t("sign_in.email_sent", minutes=LINK_MINUTES))


@router.get("/sign-in/link")
def email_link_page(request: Request, visitor: VisitorDep) -> Response:
    """Ask for one click before using the link: mail scanners that open links do not."""
    token = request.query_params.get("token", "")[:100]
    return render(request, visitor, "sign_in_link.html", {"token": token, "failed": False})


@router.post("/sign-in/link")
def email_link_redeem(
    request: Request, visitor: VisitorDep, form: FormDep, session: SessionDep
) -> Response:
    """Use the link once: sign this browser in with a new key, shown once to keep."""
    redeemed = redeem(session=session, token=text(form, "token").strip())
    if redeemed is None:
        context = {"token": "", "failed": True}
        return render(request, visitor, "sign_in_link.html", context, status_code=400)
    institution_id, key = redeemed
    remember_language(session=session, institution_id=institution_id, language=visitor.t.language)
    context = {"key": key, "institution_id": institution_id, "registered": False}
    response = render(request, visitor, "new_key.html", context)
    sign_in(request, response, key)
    return response
