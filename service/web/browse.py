"""Public pages: the directory (search and filters, paged) and an institution's page with
its suggested partners, score bars and reasons."""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from matching import Concept, Taxonomy
from service.claims.operations import is_claimed
from service.deps import IndexDep, SessionDep, SettingsDep
from service.http.pagination import PageParams, Window
from service.http.problems import field_errors
from service.institutions import crud, directory, listing
from service.institutions.models import Institution
from service.institutions.schemas import MatchFilters
from service.institutions.suggestions import suggest_for
from service.meetings.operations import have_agreed
from service.values.validation import CountryCode, Kind, SearchText
from service.web import forms
from service.web.i18n import Translator
from service.web.pages import PREFIX, PageRefusal, PageRoute, Visitor, VisitorDep, render

router = APIRouter(route_class=PageRoute)

PAGE_SIZE = 20
SUGGESTIONS = 10
MAX_PAGE = 100_000
SEARCH_FIELDS = ("q", "country", "kind", "field", "page")


class DirectoryQuery(BaseModel):
    """The directory's filters, checked by the API's own types."""

    model_config = ConfigDict(extra="ignore")

    q: SearchText | None = None
    country: CountryCode | None = None
    kind: Kind | None = None
    field: str | None = None
    page: int = Field(default=1, ge=1, le=MAX_PAGE)


@dataclass(frozen=True, slots=True)
class Listing:
    """One page of the directory and the links around it."""

    rows: list[Institution]
    total: int
    number: int
    pages: int
    first: int
    last: int
    previous_url: str | None
    next_url: str | None


def _check_reads(visitor: Visitor, reads_require_key: bool) -> None:
    if reads_require_key and not visitor.signed_in:
        raise PageRefusal(401, "error.sign_in_needed")


def kind_options(t: Translator) -> list[tuple[str, str]]:
    """The kinds of institution, labelled in the visitor's language."""
    return [(kind.value, t(f"kind.{kind.value}")) for kind in Kind]


def _concepts(taxonomy: Taxonomy | None) -> list[Concept]:
    return directory.field_concepts(taxonomy) if taxonomy is not None else []


def _page_url(values: dict[str, str], number: int) -> str:
    query = {name: value for name, value in values.items() if value and name != "page"}
    if number > 1:
        query["page"] = str(number)
    return f"{PREFIX}/?{urlencode(query)}" if query else f"{PREFIX}/"


def _listing(page: Window[Institution], number: int, values: dict[str, str]) -> Listing:
    pages = max(1, ceil(page.total / PAGE_SIZE))
    first = (number - 1) * PAGE_SIZE + 1
    return Listing(
        rows=page.rows,
        total=page.total,
        number=number,
        pages=pages,
        first=first,
        last=first + len(page.rows) - 1,
        previous_url=_page_url(values, number - 1) if number > 1 else None,
        next_url=_page_url(values, number + 1) if number < pages else None,
    )


@router.get("/")
def directory_page(
    request: Request,
    visitor: VisitorDep,
    session: SessionDep,
    index: IndexDep,
    settings: SettingsDep,
) -> Response:
    """Search institutions by name or text, country, kind and technical field."""
    _check_reads(visitor, settings.reads_require_key)
    t = visitor.t
    values = {name: request.query_params.get(name, "").strip() for name in SEARCH_FIELDS}
    concepts = _concepts(index.taxonomy)
    context: dict[str, Any] = {
        "values": values,
        "errors": {},
        "page": None,
        "countries": sorted(
            ((code, t.country(code)) for code in listing.countries_present(session=session)),
            key=lambda option: option[1],
        ),
        "kinds": kind_options(t),
        "concepts": sorted(
            ((c.id, c.label([t.language])) for c in concepts), key=lambda option: option[1]
        ),
    }
    try:
        query = DirectoryQuery.model_validate({k: v for k, v in values.items() if v})
    except ValidationError as error:
        context["errors"] = forms.messages(field_errors(error.errors()), t, SEARCH_FIELDS)
        return render(request, visitor, "directory.html", context, status_code=422)
    field = next((c for c in concepts if c.id == query.field), None)
    if query.field and field is None:
        context["errors"] = {"field": [t("directory.unknown_field")]}
        return render(request, visitor, "directory.html", context, status_code=422)
    found = directory.search(
        session=session,
        taxonomy=index.taxonomy,
        country=query.country,
        kind=query.kind,
        field=field,
        q=query.q,
        params=PageParams(limit=PAGE_SIZE, offset=(query.page - 1) * PAGE_SIZE),
    )
    context["page"] = _listing(found, query.page, values)
    return render(request, visitor, "directory.html", context)


@router.get("/institutions/{institution_id:int}")
def institution_page(
    institution_id: int,
    request: Request,
    visitor: VisitorDep,
    session: SessionDep,
    index: IndexDep,
    settings: SettingsDep,
) -> Response:
    """An institution's public profile and its best partners, with reasons."""
    _check_reads(visitor, settings.reads_require_key)
    row = crud.existing_institution(session=session, institution_id=institution_id)
    assert row.id is not None
    partner_ids = crud.partners_of(session=session, institution_ids=[row.id])[row.id]
    values = {
        "partners_from": request.query_params.get("partners_from", "abroad"),
        "kind": request.query_params.get("kind", ""),
    }
    kinds = [kind for kind in Kind if kind.value == values["kind"]]
    filters = MatchFilters(
        limit=SUGGESTIONS, cross_border=values["partners_from"] != "anywhere", kind=kinds
    )
    matches = suggest_for(
        session=session,
        index=index,
        institution_id=row.id,
        filters=filters,
        language=visitor.t.language,
        rest_days=settings.meeting_rest_days,
        partner_ids=partner_ids,
    )
    t = visitor.t
    caller = visitor.caller
    partner = caller.may_edit(row.id) or (
        caller.institution_id is not None
        and have_agreed(session=session, a=caller.institution_id, b=row.id)
    )
    context = {
        "row": crud.to_public(row, partner_ids, partner=partner),
        "partners": crud.all_institutions(session=session, ids=partner_ids),
        "suggestions": matches.items,
        "editable": visitor.caller.may_edit(row.id),
        "claimed": is_claimed(session=session, institution_id=row.id),
        "saved": request.query_params.get("saved") == "1",
        "values": values,
        "scopes": [("abroad", t("suggest.abroad")), ("anywhere", t("suggest.anywhere"))],
        "kinds": kind_options(t),
    }
    return render(request, visitor, "institution.html", context)
