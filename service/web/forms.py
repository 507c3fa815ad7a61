"""Form fields to API input, and the API's refusals to messages beside form fields.

Forms are read into the same pydantic models the API validates (``InstitutionUpdate``,
``PairingRequest``, ``ScheduleRequest``, ``OutcomeIn``), so a page refuses exactly what
the API refuses, with the API's own messages. Only what a form needs on top (a line of a
textarea that is not two ids, say) gets a message of its own, in the visitor's language.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from service.errors import FieldError
from service.http.problems import field_errors
from service.institutions.models import Institution
from service.web.i18n import Translator
from service.web.pages import text
from service.workshops.country_groups import members

M = TypeVar("M", bound=BaseModel)
# Separators people type between codes or ids: commas (also Chinese), semicolons, spaces.
_SEPARATORS = re.compile(r"[\s,;，；、]+")
_ID_SEPARATORS = re.compile(r"[^0-9]+")

PROFILE_LISTS = ("fields", "needs", "offers", "programs")
PROFILE_FIELDS = (
    "name",
    "country",
    "kind",
    "city",
    *PROFILE_LISTS,
    "languages",
    "description",
    "website",
    "website_private",
    "contact_email",
    "existing_partners",
)
RULE_FIELDS = (
    "max_partners",
    "min_partners",
    "min_score",
    "fairness",
    "cross_border_only",
    "china_with_asean_only",
    "country_groups",
    "named_group",
    "allowed_group_pairs",
    "forbidden",
    "locked",
    "max_partners_by_id",
)
SCHEDULE_FIELDS = (
    "starts_at",
    "slot_minutes",
    "break_minutes",
    "tables",
    "with_alternates",
    "unavailable",
)


@dataclass
class Parsed:
    """Input read from a form: the values for a model, and lines the form could not read."""

    data: dict[str, Any] = field(default_factory=dict)
    errors: list[FieldError] = field(default_factory=list)


def submitted(form: FormData, fields: Iterable[str]) -> dict[str, str]:
    """Return the text of these fields as sent, to show them again beside refusals."""
    return {name: joined(form, name) for name in fields}


def joined(form: FormData, name: str) -> str:
    """Return every value sent under ``name``, one a line: a textarea's lines, or the
    entries a picker lists as ticked boxes (see ``picked``)."""
    return "\n".join(value for value in form.getlist(name) if isinstance(value, str))


def picked(form: FormData, name: str, parts: Sequence[str]) -> str:
    """Return the form's entries for ``name`` plus the one a picker adds: the values of
    ``name_<part>`` (an institution chosen by name, a number...) as one more line.

    Pickers name institutions by id in hidden values, so people choose names and the API
    still reads ids. A half-filled picker adds a line its field's check refuses."""
    added = [text(form, f"{name}_{part}").strip() for part in parts]
    lines_ = [joined(form, name)]
    if any(added):
        lines_.append(" ".join(value or "?" for value in added))
    return "\n".join(line for line in lines_ if line)


def lines(value: str) -> list[str]:
    """Return the non-blank lines of a textarea, stripped."""
    return [line.strip() for line in value.splitlines() if line.strip()]


def words(value: str) -> list[str]:
    """Return the items of a list typed on one line ("km, en" or "km en")."""
    return [word for word in _SEPARATORS.split(value.strip()) if word]


def number(value: str) -> int | float | str | None:
    """Return a number typed in a field; text that is no number stays text, for the API's
    own check to refuse with its own message."""
    value = value.strip()
    if not value:
        return None
    for kind in (int, float):
        try:
            return kind(value)
        except ValueError:
            continue
    return value


def _or_none(value: str) -> str | None:
    return value.strip() or None


# -- institution profile ------------------------------------------------------------------


def profile_values(row: Institution, partners: Sequence[int]) -> dict[str, str]:
    """Return the edit form's fields filled from a stored profile."""
    return {
        "name": row.name,
        "country": row.country,
        "kind": str(row.kind),
        "city": row.city or "",
        **{name: "\n".join(getattr(row, name)) for name in PROFILE_LISTS},
        "languages": ", ".join(row.languages),
        "description": row.description,
        "website": row.website or "",
        "website_private": "on" if row.website_private else "",
        "contact_email": row.contact_email or "",
        "existing_partners": ", ".join(str(pid) for pid in partners),
    }


def read_profile(form: FormData, t: Translator) -> Parsed:
    """Read the edit form as a whole-profile change (every field is sent)."""
    parsed = Parsed()
    parsed.data = {
        "name": text(form, "name"),
        "country": text(form, "country").strip().upper(),
        "kind": text(form, "kind"),
        "city": _or_none(text(form, "city")),
        **{name: lines(text(form, name)) for name in PROFILE_LISTS},
        "languages": words(text(form, "languages")),
        "description": text(form, "description"),
        "website": _or_none(text(form, "website")),
        "website_private": bool(text(form, "website_private")),
        "contact_email": _or_none(text(form, "contact_email")),
    }
    partners: list[int] = []
    for word in words(joined(form, "existing_partners")):
        if word.isdigit():
            partners.append(int(word))
        else:
            parsed.errors.append(FieldError(("existing_partners",), t("form.not_an_id", text=word)))
    parsed.data["existing_partners"] = partners
    return parsed


# -- pairing rules ---------------------------------------------------------------------


def _pairs(
    parsed: Parsed, name: str, value: str, t: Translator, read: Callable[[str], Any | None]
) -> list[Any]:
    items = []
    for number_, line in enumerate(lines(value), start=1):
        item = read(line)
        if item is None:
            parsed.errors.append(
                FieldError((name,), t("form.at_item", n=number_, message=t(f"form.{name}.help")))
            )
        else:
            items.append(item)
    return items


def _id_pair(line: str) -> list[int] | None:
    ids = [int(part) for part in _ID_SEPARATORS.split(line) if part]
    return ids if len(ids) == 2 else None


def _id_and_number(line: str) -> tuple[str, int] | None:
    ids = [part for part in _ID_SEPARATORS.split(line) if part]
    return (ids[0], int(ids[1])) if len(ids) == 2 else None


def _country_and_group(line: str) -> tuple[str, str] | None:
    country, _, group = line.replace("=", " ").replace(":", " ").partition(" ")
    return (country.strip().upper(), group.strip()) if group.strip() else None


def _group_pair(line: str) -> list[str] | None:
    parts = line.split(",") if "," in line else line.split()
    names = [part.strip() for part in parts if part.strip()]
    return names if 1 <= len(names) <= 2 else None


def _add_named_group(parsed: Parsed, data: dict[str, Any], name: str, t: Translator) -> None:
    """Put every member of the served country group ``name`` in that group; a country the
    form's lines already place keeps its group."""
    if not name:
        return
    try:
        named = members(name)
    except KeyError:
        parsed.errors.append(FieldError(("named_group",), t("form.named_group.unknown")))
        return
    data["country_groups"] = {**dict.fromkeys(named, name), **data["country_groups"]}


def read_rules(form: FormData, t: Translator) -> Parsed:
    """Read the pairing-rules form."""
    parsed = Parsed()
    data: dict[str, Any] = {
        "max_partners": number(text(form, "max_partners")),
        "min_partners": number(text(form, "min_partners")),
        "min_score": number(text(form, "min_score")),
        "fairness": text(form, "fairness") or "none",
        "cross_border_only": text(form, "cross_border_only") == "on",
        "china_with_asean_only": text(form, "china_with_asean_only") == "on",
    }
    data["country_groups"] = dict(
        _pairs(parsed, "country_groups", text(form, "country_groups"), t, _country_and_group)
    )
    _add_named_group(parsed, data, text(form, "named_group").strip(), t)
    data["allowed_group_pairs"] = _pairs(
        parsed, "allowed_group_pairs", text(form, "allowed_group_pairs"), t, _group_pair
    )
    for name in ("forbidden", "locked"):
        data[name] = _pairs(parsed, name, picked(form, name, ("a", "b")), t, _id_pair)
    capacities = picked(form, "max_partners_by_id", ("who", "n"))
    data["max_partners_by_id"] = dict(
        _pairs(parsed, "max_partners_by_id", capacities, t, _id_and_number)
    )
    parsed.data = {name: value for name, value in data.items() if value is not None}
    return parsed


def rules_values(rules: Mapping[str, Any]) -> dict[str, str]:
    """Return the rules form's fields filled from stored (or default) rules."""
    return {
        "max_partners": str(rules["max_partners"]),
        "min_partners": str(rules["min_partners"]),
        "min_score": str(rules["min_score"]),
        "fairness": str(rules["fairness"]),
        "cross_border_only": "on" if rules["cross_border_only"] else "",
        "china_with_asean_only": "on" if rules["china_with_asean_only"] else "",
        "country_groups": "\n".join(f"{c} {g}" for c, g in rules["country_groups"].items()),
        "named_group": "",  # its countries are in country_groups once read
        "allowed_group_pairs": "\n".join(", ".join(p) for p in rules["allowed_group_pairs"]),
        "forbidden": "\n".join(f"{a} {b}" for a, b in rules["forbidden"]),
        "locked": "\n".join(f"{a} {b}" for a, b in rules["locked"]),
        "max_partners_by_id": "\n".join(f"{k} {v}" for k, v in rules["max_partners_by_id"].items()),
    }


# -- schedule and outcomes -----------------------------------------------------------------


def _unavailable(line: str) -> tuple[str, list[int]] | None:
    ids = [part for part in _ID_SEPARATORS.split(line) if part]
    return (ids[0], [int(slot) for slot in ids[1:]]) if len(ids) >= 2 else None


def read_schedule(form: FormData, t: Translator) -> Parsed:
    """Read the timetable form (times without an offset are the workshop's)."""
    parsed = Parsed()
    data: dict[str, Any] = {"starts_at": text(form, "starts_at").strip()}
    for name in ("slot_minutes", "break_minutes", "tables", "with_alternates"):
        data[name] = number(text(form, name))
    slots = picked(form, "unavailable", ("who", "slots"))
    data["unavailable"] = dict(_pairs(parsed, "unavailable", slots, t, _unavailable))
    parsed.data = {name: value for name, value in data.items() if value is not None}
    return parsed


def read_outcome(form: FormData, t: Translator) -> Parsed:
    """Read the outcome form: a pair ("12-30"), what happened, when, a note, the run."""
    parsed = Parsed()
    pair = _id_pair(text(form, "pair"))
    if pair is None:
        parsed.errors.append(FieldError(("pair",), t("form.pair.choose")))
    parsed.data = {
        "pair": pair or [],
        "status": text(form, "status"),
        "happened_on": _or_none(text(form, "happened_on")),
        "note": text(form, "note"),
        "run": number(text(form, "run")),
    }
    return parsed


# -- validation and messages -------------------------------------------------------------


def validate(model: type[M], parsed: Parsed) -> tuple[M | None, list[FieldError]]:
    """Validate parsed input with an API model; return it, or every refusal found."""
    try:
        value = model.model_validate(parsed.data)
    except ValidationError as error:
        return None, [*parsed.errors, *field_errors(error.errors())]
    if parsed.errors:
        return None, list(parsed.errors)
    return value, []


# The last number of a pydantic message: the limit in "Input should be less than or equal
# to 20", "String should have at most 200 characters".
_LIMIT = re.compile(r"(-?\d+(?:\.\d+)?)\D*$")


# The API's own checks (service.values.validation) raise value errors: known by their words.
_VALUE_ERRORS = (
    ("must be a number", "refusal.float_parsing"),
    ("must not be blank", "refusal.blank"),
    ("must be a date written", "refusal.date_parsing"),
    ("must be a date and time written", "refusal.datetime_parsing"),
    ("must be an http:// or https:// address", "refusal.website"),
    ("is not an IANA time zone name", "refusal.time_zone"),
)


# Values of a rule's refusal that are institution ids, said by name where the page knows it.
_INSTITUTION_PARAMS = ("a", "b", "participant")


def refusal(error: FieldError, t: Translator, names: Mapping[int, str] | None = None) -> str:
    """Return a refusal's message in the interface language.

    English shows the API's own message. Other languages translate the common kinds of
    schema refusal (``refusal.<type>`` in the catalogue: a missing value, a number out of
    bounds, text too long...). The workshop rules' refusals (a code as type, with
    ``params``) are said from the catalogue in every language, with the institutions'
    ``names`` in place of their ids where given."""
    key = f"refusal.{error.type}"
    if error.params and t.has(key):
        # A workshop rule's refusal, in any language, naming institutions as people know them.
        said = dict(error.params)
        for name, value in error.params:
            if name in _INSTITUTION_PARAMS and isinstance(value, int):
                said[name] = (names or {}).get(value, value)
            elif name == "country":
                said[name] = t.country(str(value))
        return t(key, **said)
    for words_, known in _VALUE_ERRORS:
        if error.type == "value_error" and words_ in error.msg:
            key = known
    if t.language == "en" or not t.has(key):
        return error.msg
    limit = _LIMIT.search(error.msg)
    return t(key, limit=limit.group(1) if limit else "")


def messages(
    errors: Iterable[FieldError],
    t: Translator,
    fields: Collection[str],
    names: Mapping[int, str] | None = None,
) -> dict[str, list[str]]:
    """Group refusals by form field, saying which entry or key; refusals of anything that
    is not one of ``fields`` go under "" (the form as a whole).

    API locations start with "body" (a request body) or "path"; forms name fields alone.
    """
    grouped: dict[str, list[str]] = {}
    for error in errors:
        loc = list(error.loc)
        if loc and loc[0] in ("body", "path"):
            loc = loc[1:]
        name = str(loc[0]) if loc else ""
        if name not in fields:
            name, loc = "", []
        message = refusal(error, t, names)
        if len(loc) > 1 and isinstance(loc[1], int):
            message = t("form.at_item", n=loc[1] + 1, message=message)
        elif len(loc) > 1:
            message = t("form.at_key", key=loc[1], message=message)
        grouped.setdefault(name, []).append(message)
    return grouped
