"""Domain errors raised below the routes; ``service.http.problems`` maps them to HTTP."""

from __future__ import annotations

from dataclasses import dataclass

Location = tuple[str | int, ...]


class TvetMatchError(Exception):
    """Base of every error the service raises on purpose."""


class NotFound(TvetMatchError):
    """Nothing of this kind has this id (answered 404).

    ``kind`` names the resource ("institution", "workshop", "pairing run", "key",
    "opportunity", "saved search", "webhook", "schedule"); ``detail`` replaces the
    message when "no <kind> has id <id>" would not say it.
    """

    def __init__(self, kind: str, resource_id: int, detail: str | None = None) -> None:
        super().__init__(detail or f"no {kind} has id {resource_id}")
        self.kind = kind
        self.resource_id = resource_id


def unknown_run(workshop_id: int, number: int) -> NotFound:
    """The workshop has no pairing run with this number."""
    return NotFound("pairing run", number, f"workshop {workshop_id} has no pairing run {number}")


class NoSchedule(NotFound):
    """The pairing run has no timetable yet (answered like a missing resource: 404)."""

    def __init__(self, number: int) -> None:
        detail = f"pairing run {number} has no schedule yet; POST one to its schedule first"
        super().__init__("schedule", number, detail)


class DuplicateInstitution(TvetMatchError):
    """An institution with the same name already exists in the same country."""

    def __init__(self, name: str, country: str, existing_id: int | None, loc: Location) -> None:
        where = f" (id {existing_id})" if existing_id is not None else ""
        super().__init__(f"an institution named '{name}' in {country} already exists{where}")
        self.existing_id = existing_id
        self.loc = loc


@dataclass(frozen=True, slots=True)
class FieldError:
    """One refused field: where it is in the request, and why."""

    loc: Location
    msg: str
    type: str = "value_error"
    # Values for saying ``msg`` in another language (the catalogue's ``refusal.<type>``).
    params: tuple[tuple[str, str | int | float], ...] = ()


class InvalidInput(TvetMatchError):
    """Input that passed the schema but breaks a rule that needs the database to check."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{'.'.join(map(str, e.loc))}: {e.msg}" for e in errors))
        self.errors = errors


class NotAuthenticated(TvetMatchError):
    """The request needs a valid key and has none, or a bad one."""


class Forbidden(TvetMatchError):
    """The caller's key does not allow this."""


class PreconditionFailed(TvetMatchError):
    """An ``If-Match`` names a version the resource no longer has (or never had)."""

    def __init__(self, message: str, current_etag: str) -> None:
        super().__init__(message)
        self.current_etag = current_etag


class NotModified(TvetMatchError):
    """The client already holds the current version (``If-None-Match``): answer 304."""

    def __init__(self, etag: str) -> None:
        super().__init__(f"not modified: {etag}")
        self.etag = etag


class Conflict(TvetMatchError):
    """The request cannot be done in the resource's present state (answered 409)."""


class TooManyRequests(TvetMatchError):
    """A cap the caller reached (answered 429, ``Retry-After`` in whole seconds)."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
