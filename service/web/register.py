"""Registering an institution on the web: a short profile form with pick lists from the
taxonomy, duplicates pointed at the existing profile, and the key shown once."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.auth.keys import Role
from service.deps import IndexDep, SessionDep, SettingsDep
from service.errors import DuplicateInstitution, InvalidInput
from service.institutions import operations
from service.institutions.models import InstitutionCreate
from service.mail.languages import remember_language
from service.values.codes import COUNTRIES, LANGUAGES
from service.web import forms
from service.web.browse import kind_options
from service.web.pages import (
    FormDep,
    PageRefusal,
    PageRoute,
    Visitor,
    VisitorDep,
    render,
    text,
)
from service.web.session import sign_in

router = APIRouter(route_class=PageRoute)

FIELDS = (
    "name",
    "country",
    "kind",
    "city",
    "fields",
    "programs",
    "languages",
    "needs",
    "offers",
    "description",
    "website",
    "website_private",
    "contact_email",
)
_PICKED = ("fields", "programs", "languages")


def _labelled(entries: list[dict[str, Any]], language: str) -> list[tuple[str, str]]:
    """Pick-list options: the English label is stored (what the matcher reads), the
    visitor's language is shown."""
    options = []
    for entry in entries:
        labels = entry["labels"]
        options.append((str(labels["en"]), str(labels.get(language) or labels["en"])))
    return sorted(options, key=lambda option: option[1])


def _check_open(visitor: Visitor, open_registration: bool) -> None:
    if not open_registration and visitor.caller.role not in (Role.admin, Role.organiser):
        raise PageRefusal(403, "register.closed")


def _page(
    request: Request,
    visitor: Visitor,
    values: dict[str, Any],
    errors: dict[str, list[str]],
    *,
    existing: int | None = None,
    status_code: int = 200,
) -> Response:
    t = visitor.t
    taxonomy = request.app.state.taxonomy
    context: dict[str, Any] = {
        "values": values,
        "errors": errors,
        "existing": existing,
        "countries": sorted(((c, t.country(c)) for c in COUNTRIES), key=lambda o: o[1]),
        "kinds": kind_options(t),
        "field_options": _labelled(taxonomy["fields"], t.language),
        "program_options": _labelled(taxonomy["programs"], t.language),
        "language_options": sorted(
            ((code, t.language_name(code)) for code in LANGUAGES), key=lambda o: o[1]
        ),
    }
    return render(request, visitor, "register.html", context, status_code=status_code)


@router.get("/register")
def register_page(request: Request, visitor: VisitorDep, settings: SettingsDep) -> Response:
    """The registration form."""
    _check_open(visitor, settings.open_registration)
    return _page(request, visitor, {"kind": "college"}, {})


@router.post("/register")
def register_submit(
    request: Request,
    visitor: VisitorDep,
    form: FormDep,
    session: SessionDep,
    index: IndexDep,
    settings: SettingsDep,
) -> Response:
    """Register the institution, sign this browser in with its new key and show the key."""
    _check_open(visitor, settings.open_registration)
    values: dict[str, Any] = forms.submitted(form, [f for f in FIELDS if f not in _PICKED])
    for name in _PICKED:
        values[name] = [v for v in form.getlist(name) if isinstance(v, str) and v]
    data = {
        "name": text(form, "name"),
        "country": text(form, "country").strip().upper(),
        "kind": text(form, "kind"),
        "city": text(form, "city").strip() or None,
        "fields": values["fields"],
        "programs": values["programs"],
        "languages": values["languages"],
        "needs": forms.lines(text(form, "needs")),
        "offers": forms.lines(text(form, "offers")),
        "description": text(form, "description"),
        "website": text(form, "website").strip() or None,
        "website_private": bool(text(form, "website_private")),
        "contact_email": text(form, "contact_email").strip() or None,
    }
    created, errors = forms.validate(InstitutionCreate, forms.Parsed(data=data))
    t = visitor.t
    if created is None:
        return _page(request, visitor, values, forms.messages(errors, t, FIELDS), status_code=422)
    try:
        registered = operations.register_institution(session=session, index=index, data=created)
    except InvalidInput as refused:
        messages = forms.messages(refused.errors, t, FIELDS)
        return _page(request, visitor, values, messages, status_code=422)
    except DuplicateInstitution as duplicate:
        messages = {"name": [t("register.duplicate")]}
        return _page(
            request, visitor, values, messages, existing=duplicate.existing_id, status_code=409
        )
    key = registered.api_key
    remember_language(session=session, institution_id=registered.id, language=t.language)
    context = {"key": key, "institution_id": registered.id, "registered": True}
    response = render(request, visitor, "new_key.html", context, status_code=201)
    sign_in(request, response, key)
    return response
