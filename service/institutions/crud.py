"""Institution storage: keyword-only functions, session in, model out. Never commits."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from sqlalchemy import func, tuple_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select

from service.db import MAX_BOUND_VALUES
from service.errors import DuplicateInstitution, FieldError, InvalidInput, Location, NotFound
from service.http.etags import bump_versions
from service.institutions.models import (
    IndexChange,
    Institution,
    InstitutionCreate,
    InstitutionPrivate,
    InstitutionPublic,
    InstitutionUpdate,
    Partnership,
)
from service.values.times import utc_now
from service.values.validation import name_key
from service.webhooks.outbox import Event, EventType, enqueue, wanted
from service.workshops.models import Outcome

# Recorded outcomes that link two institutions in the partner graph.
WORKED_WITH = ("met", "mou_signed")

T = TypeVar("T")
# Where item ``index`` of a request sits, followed by the rest of the path to a field.
Locate = Callable[..., Location]


def _chunks(items: Sequence[T], size: int = MAX_BOUND_VALUES) -> Iterable[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _refresh_derived(row: Institution) -> None:
    """Recompute the columns kept only for uniqueness and search."""
    row.name_key = name_key(row.name)
    row.fields_text = "\n".join(row.fields).casefold()
    row.search_text = "\n".join(
        [
            row.name,
            row.city or "",
            *row.fields,
            *row.needs,
            *row.offers,
            *row.programs,
            row.description,
        ]
    ).casefold()


def record_changes(*, session: Session, institution_ids: Iterable[int | None]) -> None:
    """Log changed institutions so every service instance's index catches up, and count
    the change in their versions (their ETags)."""
    changed = [pid for pid in dict.fromkeys(institution_ids) if pid]
    log_index_changes(session=session, institution_ids=changed)
    bump_versions(session, Institution, changed)


def log_index_changes(*, session: Session, institution_ids: Iterable[int]) -> None:
    """Log institutions whose indexed profile changed while their row did not (a recorded
    outcome adds a partner-graph edge), so every service instance's index catches up."""
    session.add_all(IndexChange(institution_id=pid) for pid in dict.fromkeys(institution_ids))


def _announce(session: Session, event_type: EventType, rows: Sequence[Institution]) -> None:
    """Enqueue an event per written institution, with its public profile (the outbox)."""
    if not wanted(session, event_type):
        return
    partners = partners_of(session=session, institution_ids=[row.id for row in rows if row.id])
    enqueue(
        session,
        [
            Event(
                event_type,
                {"institution": to_public(row, partners[row.id]).model_dump(mode="json")},
            )
            for row in rows
            if row.id is not None
        ],
    )


def get_institution(*, session: Session, institution_id: int) -> Institution | None:
    """Return the institution with this id, or ``None``."""
    return session.get(Institution, institution_id)


def existing_institution(*, session: Session, institution_id: int) -> Institution:
    """Return the institution with this id; :class:`NotFound` (404) when there is none."""
    row = session.get(Institution, institution_id)
    if row is None:
        raise NotFound("institution", institution_id)
    return row


def get_by_name(*, session: Session, name: str, country: str) -> Institution | None:
    """Return the institution with this name (compared loosely) in this country, or ``None``."""
    statement = select(Institution).where(
        Institution.name_key == name_key(name), Institution.country == country
    )
    return session.exec(statement).first()


def partners_of(*, session: Session, institution_ids: Sequence[int]) -> dict[int, list[int]]:
    """Return the declared partner ids of each institution, in ascending order."""
    partners: dict[int, list[int]] = {pid: [] for pid in institution_ids}
    for chunk in _chunks(list(institution_ids)):
        statement = (
            select(Partnership)
            .where(col(Partnership.institution_id).in_(chunk))
            .order_by(col(Partnership.institution_id), col(Partnership.partner_id))
        )
        for link in session.exec(statement):
            partners[link.institution_id].append(link.partner_id)
    return partners


def worked_with(*, session: Session, institution_ids: Sequence[int]) -> dict[int, list[int]]:
    """Return whom each institution met or signed an MoU with at a workshop, ascending.

    These outcomes are edges of the partner graph (matching.graph), like declared
    partnerships; a declined meeting is not.
    """
    linked: dict[int, set[int]] = {pid: set() for pid in institution_ids}
    for chunk in _chunks(list(institution_ids)):
        statement = select(Outcome.institution_a, Outcome.institution_b).where(
            col(Outcome.status).in_(WORKED_WITH),
            col(Outcome.institution_a).in_(chunk) | col(Outcome.institution_b).in_(chunk),
        )
        for a, b in session.exec(statement):
            for one, other in ((a, b), (b, a)):
                if one in linked:
                    linked[one].add(other)
    return {pid: sorted(others) for pid, others in linked.items()}


def to_public(row: Institution, partners: list[int], *, partner: bool = False) -> InstitutionPublic:
    """Return the public view of a stored institution; a private website only for an
    accepted ``partner``."""
    update: dict[str, object] = {"existing_partners": partners}
    if row.website_private and not partner:
        update["website"] = None
    return InstitutionPublic.model_validate(row, update=update)


def to_private(row: Institution, partners: list[int]) -> InstitutionPrivate:
    """Return the view of a stored institution that includes its contact email."""
    return InstitutionPrivate.model_validate(row, update={"existing_partners": partners})


def _check_partners(
    *, session: Session, wanted: Sequence[tuple[Location, int, int | None]]
) -> None:
    """Refuse partner ids that name no institution or the institution itself.

    ``wanted`` holds (where in the request, partner id, the declaring institution's id).
    """
    ids = sorted({partner for _, partner, _ in wanted})
    known: set[int | None] = set()
    for chunk in _chunks(ids):
        known.update(
            session.exec(select(col(Institution.id)).where(col(Institution.id).in_(chunk)))
        )
    errors = [
        FieldError(loc, f"no institution has id {partner}")
        for loc, partner, _ in wanted
        if partner not in known
    ]
    errors += [
        FieldError(loc, "an institution cannot be its own partner")
        for loc, partner, owner in wanted
        if partner == owner
    ]
    if errors:
        raise InvalidInput(errors)


def _check_new_names(*, session: Session, items: Sequence[InstitutionCreate], at: Locate) -> None:
    """Refuse names that repeat within ``items`` or that are already stored."""
    seen: dict[tuple[str, str], int] = {}
    for index, item in enumerate(items):
        key = (name_key(item.name), item.country)
        if key in seen:
            raise DuplicateInstitution(item.name, item.country, None, at(index, "name"))
        seen[key] = index
    for chunk in _chunks(list(seen)):
        statement = select(Institution.id, Institution.name_key, Institution.country).where(
            tuple_(col(Institution.name_key), col(Institution.country)).in_(chunk)
        )
        for existing_id, key_name, country in session.exec(statement):
            index = seen[(key_name, country)]
            raise DuplicateInstitution(items[index].name, country, existing_id, at(index, "name"))


def _flush_names(
    *, session: Session, names: Sequence[tuple[str, str]], at: Locate, own_id: int | None = None
) -> None:
    """Flush; when another request stored one of these (name, country) pairs since they
    were checked, refuse as duplicates are refused, naming the stored institution."""
    try:
        session.flush()
    except IntegrityError as error:
        keys = [(name_key(name), country) for name, country in names]
        # This transaction is spoilt; a connection of its own sees what the other committed.
        with session.get_bind().engine.connect() as connection:
            statement = select(Institution.id, Institution.name_key, Institution.country).where(
                tuple_(col(Institution.name_key), col(Institution.country)).in_(keys)
            )
            stored = {(key, country): id_ for id_, key, country in connection.execute(statement)}
        for index, key in enumerate(keys):
            if stored.get(key, own_id) != own_id:
                name, country = names[index]
                raise DuplicateInstitution(name, country, stored[key], at(index, "name")) from error
        raise


def create_institutions(
    *, session: Session, items: Sequence[InstitutionCreate], bulk: bool = False
) -> list[Institution]:
    """Store new institutions in order and return them with their ids; all or nothing.

    ``bulk`` says the request body was a list, so error locations carry the item index.
    """

    def at(index: int, *rest: str | int) -> Location:
        return ("body", index, *rest) if bulk else ("body", *rest)

    _check_new_names(session=session, items=items, at=at)
    _check_partners(
        session=session,
        wanted=[
            (at(index, "existing_partners", j), partner, None)
            for index, item in enumerate(items)
            for j, partner in enumerate(item.existing_partners)
        ],
    )
    rows = []
    for item in items:
        row = Institution.model_validate(item.model_dump(exclude={"existing_partners"}))
        _refresh_derived(row)
        rows.append(row)
    session.add_all(rows)
    _flush_names(session=session, names=[(item.name, item.country) for item in items], at=at)
    for row, item in zip(rows, items, strict=True):
        assert row.id is not None
        session.add_all(
            Partnership(institution_id=row.id, partner_id=partner)
            for partner in item.existing_partners
        )
    record_changes(session=session, institution_ids=[row.id for row in rows])
    session.flush()
    _announce(session, EventType.institution_created, rows)
    return rows


def update_institution(
    *, session: Session, row: Institution, changes: InstitutionUpdate
) -> Institution:
    """Apply the fields set in ``changes`` to ``row``."""
    data = changes.model_dump(exclude_unset=True)
    for required in ("name", "country", "kind", "website_private"):
        if required in data and data[required] is None:
            raise InvalidInput([FieldError(("body", required), "may be changed but not cleared")])
    partners = data.pop("existing_partners", None)
    for list_field in ("fields", "needs", "offers", "programs", "languages"):
        if list_field in data and data[list_field] is None:
            data[list_field] = []
    if "description" in data and data["description"] is None:
        data["description"] = ""
    new_name, new_country = data.get("name", row.name), data.get("country", row.country)
    existing = get_by_name(session=session, name=new_name, country=new_country)
    if existing is not None and existing.id != row.id:
        raise DuplicateInstitution(new_name, new_country, existing.id, ("body", "name"))
    row.sqlmodel_update(data)
    _refresh_derived(row)
    row.updated_at = utc_now()
    session.add(row)
    _flush_names(
        session=session,
        names=[(new_name, new_country)],
        at=lambda _index, *rest: ("body", *rest),
        own_id=row.id,
    )
    if partners is not None:
        assert row.id is not None
        _check_partners(
            session=session,
            wanted=[(("body", "existing_partners", j), p, row.id) for j, p in enumerate(partners)],
        )
        session.exec(delete(Partnership).where(col(Partnership.institution_id) == row.id))
        session.add_all(Partnership(institution_id=row.id, partner_id=p) for p in partners)
    record_changes(session=session, institution_ids=[row.id])
    session.flush()
    _announce(session, EventType.institution_updated, [row])
    return row


def delete_institution(*, session: Session, row: Institution) -> None:
    """Delete an institution and every partnership that names it."""
    assert row.id is not None
    linked = partners_of(session=session, institution_ids=[row.id])[row.id]
    linked += declared_by(session=session, institution_id=row.id)
    record_changes(session=session, institution_ids=[row.id, *linked])
    session.exec(
        delete(Partnership).where(
            (col(Partnership.institution_id) == row.id) | (col(Partnership.partner_id) == row.id)
        )
    )
    session.delete(row)
    session.flush()


def count_institutions(*, session: Session) -> int:
    """Return how many institutions are stored."""
    return session.exec(select(func.count()).select_from(Institution)).one()


def all_institutions(*, session: Session, ids: Sequence[int] | None = None) -> list[Institution]:
    """Return the institutions with these ids (every one for ``None``), in id order."""
    if ids is None:
        return list(session.exec(select(Institution).order_by(col(Institution.id))))
    rows: list[Institution] = []
    for chunk in _chunks(sorted(set(ids))):
        statement = select(Institution).where(col(Institution.id).in_(chunk))
        rows.extend(session.exec(statement.order_by(col(Institution.id))))
    return rows


def declared_by(*, session: Session, institution_id: int) -> list[int]:
    """Return the ids of institutions that declared this one as a partner."""
    statement = select(Partnership.institution_id).where(
        col(Partnership.partner_id) == institution_id
    )
    return sorted(session.exec(statement))


def add_partners(*, session: Session, institution_id: int, partner_ids: Sequence[int]) -> None:
    """Declare partnerships for an institution, skipping ones already declared."""
    known = set(partners_of(session=session, institution_ids=[institution_id])[institution_id])
    session.add_all(
        Partnership(institution_id=institution_id, partner_id=partner)
        for partner in dict.fromkeys(partner_ids)
        if partner not in known and partner != institution_id
    )
    record_changes(session=session, institution_ids=[institution_id])
    session.flush()
