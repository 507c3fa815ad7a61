"""Opportunities on the pages: browse and filter open offers and calls, read one, publish
and close one's own, express and withdraw interest; the owner sees who is interested and
answers with a meeting request. Every POST calls the operation the API calls
(``service.opportunities.operations``); a refusal shows the form again with its message.
"""

from __future__ import annotations

from math import ceil
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session, col, select

from service.auth.keys import Role
from service.deps import IndexDep, SessionDep, SettingsDep
from service.errors import Conflict, FieldError, Forbidden
from service.http.pagination import PageParams
from service.opportunities import crud as opportunities
from service.opportunities import interest, operations
from service.opportunities.models import Direction, Opportunity, OpportunityInterest
from service.opportunities.schemas import (
    InterestCreate,
    InterestPublic,
    OpportunityCreate,
    OpportunityFilters,
)
from service.values.codes import COUNTRIES, LANGUAGES
from service.web import forms
from service.web.browse import kind_options
from service.web.pages import (
    PREFIX,
    FormDep,
    PageRefusal,
    PageRoute,
    Visitor,
    VisitorDep,
    redirect,
    render,
    require_key,
    text,
)
from service.web.refusals import form_refusal, refused_as_page
from service.web.submit import submit

router = APIRouter(route_class=PageRoute)

PAGE_SIZE = 20
MAX_PAGE = 10_000
INTERESTED_SHOWN = 100
SEARCH_FIELDS = ("q", "direction", "type", "country", "field")
PUBLISH_FIELDS = (
    "type",
    "direction",
    "title",
    "text",
    "fields",
    "eligible_countries",
    "eligible_kinds",
    "capacity",
    "deadline",
    "language",
)
_PICKED = ("eligible_countries", "eligible_kinds")
_FLASHES = ("published", "closed", "interest", "withdrawn")


def _check_reads(visitor: Visitor, reads_require_key: bool) -> None:
    if reads_require_key and not visitor.signed_in:
        raise PageRefusal(401, "error.sign_in_needed")


def _publisher(visitor: Visitor) -> int:
    """The visitor's institution id; only an institution's key publishes on the pages."""
    require_key(visitor)
    if visitor.caller.role is not Role.institution or visitor.caller.institution_id is None:
        raise PageRefusal(403, "opp.institutions_only")
    return visitor.caller.institution_id


def _opportunity(session: Session, opportunity_id: int) -> Opportunity:
    with refused_as_page(not_found="opp.unknown"):
        return opportunities.get(session=session, opportunity_id=opportunity_id)


def _options(request: Request, visitor: Visitor) -> dict[str, Any]:
    """The pick lists, labelled in the visitor's language (the API's codes as values)."""
    t = visitor.t
    language = t.language
    return {
        "types": [
            (str(entry["id"]), str(entry["labels"].get(language) or entry["labels"]["en"]))
            for entry in request.app.state.taxonomy["programs"]
        ],
        "directions": [(d.value, t(f"opp.direction.{d.value}")) for d in Direction],
        "countries": sorted(((c, t.country(c)) for c in COUNTRIES), key=lambda o: o[1]),
        "kinds": kind_options(t),
        "languages": sorted(((c, t.language_name(c)) for c in LANGUAGES), key=lambda o: o[1]),
    }


def _page_url(values: dict[str, str], number: int) -> str:
    query = {name: value for name, value in values.items() if value}
    return f"{PREFIX}/opportunities?{urlencode({**query, 'page': number})}"


@router.get("/opportunities")
def browse_opportunities(
    request: Request, visitor: VisitorDep, session: SessionDep, settings: SettingsDep
) -> Response:
    """Open offers and calls, filtered by text, direction, type, country and field."""
    _check_reads(visitor, settings.reads_require_key)
    values = {name: request.query_params.get(name, "").strip() for name in SEARCH_FIELDS}
    number = forms.number(request.query_params.get("page", ""))
    number = number if isinstance(number, int) and 1 <= number <= MAX_PAGE else 1
    data: dict[str, Any] = {name: value for name, value in values.items() if value}
    data.update(limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE)
    if "country" in data:
        data["country"] = data["country"].upper()
    filters, errors = forms.validate(OpportunityFilters, forms.Parsed(data=data))
    context: dict[str, Any] = {
        **_options(request, visitor),
        "values": values,
        "errors": forms.messages(errors, visitor.t, SEARCH_FIELDS),
        "items": [],
        "total": 0,
        "previous_url": None,
        "next_url": None,
        "number": number,
        "pages": 1,
    }
    if filters is not None:
        window = opportunities.list_opportunities(session=session, filters=filters)
        rows, total = window.rows, window.total
        pages = max(1, ceil(total / PAGE_SIZE))
        context.update(
            items=opportunities.publics(session=session, rows=rows),
            total=total,
            pages=pages,
            previous_url=_page_url(values, number - 1) if number > 1 else None,
            next_url=_page_url(values, number + 1) if number < pages else None,
        )
    status_code = 200 if filters is not None else 422
    return render(request, visitor, "opportunities.html", context, status_code=status_code)


def _interested(session: Session, opportunity_id: int, institution_id: int | None) -> bool:
    statement = select(OpportunityInterest.id).where(
        col(OpportunityInterest.opportunity_id) == opportunity_id,
        col(OpportunityInterest.institution_id) == institution_id,
    )
    return institution_id is not None and session.exec(statement).first() is not None


def _opportunity_page(
    request: Request,
    visitor: Visitor,
    session: Session,
    row: Opportunity,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, list[str]] | None = None,
    status_code: int = 200,
) -> Response:
    assert row.id is not None
    (public,) = opportunities.publics(session=session, rows=[row])
    own_id = visitor.caller.institution_id
    owner = visitor.signed_in and visitor.caller.may_edit(row.institution_id)
    interested_in: list[InterestPublic] = []
    interested_total = 0
    if owner:
        window, interested_in = interest.listing(
            session=session, opportunity_id=row.id, params=PageParams(limit=INTERESTED_SHOWN)
        )
        interested_total = window.total
    flashes = [key for key in _FLASHES if request.query_params.get(key)]
    context: dict[str, Any] = {
        "item": public,
        "type_label": dict(_options(request, visitor)["types"]).get(public.type, public.type),
        "owner": owner,
        "may_express": own_id is not None and own_id != row.institution_id,
        "interested": _interested(session, row.id, own_id),
        "interest": interested_in,
        "interest_total": interested_total,
        "values": values or {},
        "errors": errors or {},
        "flash": visitor.t(f"opp.flash.{flashes[0]}") if flashes else "",
    }
    return render(request, visitor, "opportunity.html", context, status_code=status_code)


@router.get("/opportunities/{opportunity_id:int}")
def opportunity_page(
    opportunity_id: int,
    request: Request,
    visitor: VisitorDep,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    """One opportunity; its owner also sees who is interested, and can close it."""
    _check_reads(visitor, settings.reads_require_key)
    return _opportunity_page(request, visitor, session, _opportunity(session, opportunity_id))


def _publish_page(
    request: Request,
    visitor: Visitor,
    values: dict[str, Any],
    errors: dict[str, list[str]],
    status_code: int = 200,
) -> Response:
    context = {**_options(request, visitor), "values": values, "errors": errors}
    return render(request, visitor, "opportunity_new.html", context, status_code=status_code)


@router.get("/opportunities/new")
def publish_page(request: Request, visitor: VisitorDep) -> Response:
    """The form publishing an offer or a call for the visitor's institution."""
    _publisher(visitor)
    return _publish_page(request, visitor, {"direction": "offer"}, {})


@router.post("/opportunities/new")
def publish_submit(
    request: Request, visitor: VisitorDep, form: FormDep, session: SessionDep, index: IndexDep
) -> Response:
    """Publish it (``operations.publish``), or show the refusals beside the fields."""
    _publisher(visitor)
    values: dict[str, Any] = forms.submitted(form, [f for f in PUBLISH_FIELDS if f not in _PICKED])
    for name in _PICKED:
        values[name] = [v for v in form.getlist(name) if isinstance(v, str) and v]
    data: dict[str, Any] = {
        "type": values["type"],
        "direction": values["direction"] or Direction.offer.value,
        "title": values["title"],
        "text": values["text"],
        "fields": forms.lines(values["fields"]),
        "eligible_countries": values["eligible_countries"],
        "eligible_kinds": values["eligible_kinds"],
        "capacity": forms.number(values["capacity"]),
        "deadline": values["deadline"].strip() or None,
        "language": values["language"].strip() or None,
    }

    def refused(errors: list[FieldError]) -> Response:
        messages = forms.messages(errors, visitor.t, PUBLISH_FIELDS)
        return _publish_page(request, visitor, values, messages, 422)

    def done(row: Opportunity) -> Response:
        return redirect(request, visitor, f"{PREFIX}/opportunities/{row.id}?published=1")

    return submit(
        OpportunityCreate,
        forms.Parsed(data=data),
        lambda created: operations.publish(
            session=session, index=index, caller=visitor.caller, data=created
        ),
        refused=refused,
        done=done,
    )


@router.post("/opportunities/{opportunity_id:int}/close")
def close_submit(
    opportunity_id: int, request: Request, visitor: VisitorDep, form: FormDep, session: SessionDep
) -> Response:
    """Close one's own opportunity (``operations.close``); another key changes nothing."""
    require_key(visitor)
    row = _opportunity(session, opportunity_id)
    if not visitor.caller.may_edit(row.institution_id):
        raise PageRefusal(403, "opp.not_yours")
    operations.close(session=session, row=row)
    return redirect(request, visitor, f"{PREFIX}/opportunities/{opportunity_id}?closed=1")


@router.post("/opportunities/{opportunity_id:int}/interest")
def interest_submit(
    opportunity_id: int,
    request: Request,
    visitor: VisitorDep,
    form: FormDep,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    """Express (or, with ``withdraw``, withdraw) the institution's interest, then go back:
    to the opportunity's page when sent from it (``from=opportunity``, which also shows a
    refusal beside the note), else to "my partners"."""
    require_key(visitor)
    row = _opportunity(session, opportunity_id)
    on_page = text(form, "from") == "opportunity"
    values = forms.submitted(form, ("note",))
    withdraw = bool(text(form, "withdraw"))
    t = visitor.t

    def again(status_code: int, errors: dict[str, list[str]]) -> Response:
        return _opportunity_page(
            request, visitor, session, row, values=values, errors=errors, status_code=status_code
        )

    data, invalid = forms.validate(InterestCreate, forms.Parsed(data={"note": values["note"]}))
    if data is None and not withdraw:
        if not on_page:
            raise PageRefusal(422, "me.interest_refused")
        return again(422, forms.messages(invalid, t, ("note",)))
    try:
        if withdraw:
            operations.withdraw_interest(session=session, caller=visitor.caller, opportunity=row)
        else:
            assert data is not None
            operations.express_interest(
                session=session,
                caller=visitor.caller,
                opportunity=row,
                data=data,
                max_open=settings.max_open_interests,
            )
    except (Forbidden, Conflict) as error:
        if not on_page:
            with refused_as_page(conflict="me.interest_refused"):
                raise
        refusal = form_refusal(
            error,
            t,
            ("note",),
            {Forbidden: t("opp.interest_forbidden"), Conflict: t("me.interest_refused")},
        )
        return again(refusal.status, refusal.messages)
    done = "withdrawn" if withdraw else "interest"
    back = f"{PREFIX}/opportunities/{opportunity_id}" if on_page else f"{PREFIX}/me"
    return redirect(request, visitor, f"{back}?{done}=1")
