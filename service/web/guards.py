"""Who may open which page: the API's role rules (``service.auth.keys``), answered as pages.

A visitor without a key is asked to sign in (401) before anything is looked up; a key
that may not change this profile or run this workshop is refused (403), and nothing is
written.
"""

from __future__ import annotations

from sqlmodel import Session

from service.auth.keys import Role
from service.errors import NotFound
from service.institutions import crud
from service.institutions.models import Institution
from service.web.pages import PageRefusal, Visitor, require_key
from service.workshops.models import Workshop


def editable_institution(visitor: Visitor, session: Session, institution_id: int) -> Institution:
    """Return the institution if the visitor's key may change it (its own key, admins)."""
    require_key(visitor)
    row = crud.get_institution(session=session, institution_id=institution_id)
    if row is None and visitor.caller.role is Role.admin:
        raise NotFound("institution", institution_id)
    # Another institution's key gets the same answer for a missing id: it learns nothing.
    if row is None or not visitor.caller.may_edit(row.id):
        raise PageRefusal(403, "error.not_your_profile")
    return row


def runnable_workshop(visitor: Visitor, session: Session, workshop_id: int) -> Workshop:
    """Return the workshop if the visitor's key may run it (its organisers, admins)."""
    require_key(visitor)
    row = session.get(Workshop, workshop_id)
    if row is None:
        raise NotFound("workshop", workshop_id)
    if not visitor.caller.may_run_workshop(row.id):
        raise PageRefusal(403, "error.not_your_workshop")
    return row
