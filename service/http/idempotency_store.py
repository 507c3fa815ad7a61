"""Idempotency keys in the database: claim a key, mark the request's writes, keep its answer.

A POST sent with ``Idempotency-Key`` first *claims* the key for its caller: one row
insert, made unique by ``key_hash``, so that of several service instances on one
database exactly one request wins the claim. The request then runs. When it commits
its own writes, the same transaction marks the claim ``effects_committed`` (a session
hook below), so the database never holds the request's writes without the claim that
says they were made. Then the answer is stored on the claim. A retry finds:

* the answer: it is sent again, and nothing runs twice;
* a claim without answer or writes, still fresh: the first request is in flight (409);
* such a claim older than :data:`IN_FLIGHT_LEASE`: its request died before writing;
  the retry takes the claim over and runs. Should the first request be alive after
  all, its commit finds the claim no longer its own and fails: never both;
* a claim whose writes are committed but whose answer is missing (the process died
  between the two): the request happened; it is not run again (409 says so).

Keys are scoped to the caller (a hash of the ``Authorization`` header, or the client
address without one), and expire ``ttl`` after their claim. The answer's body can hold
an API key shown only once, so it is stored encrypted with a key stream derived from
the idempotency key, which only the client knows (the row keeps a hash of it).
"""

from __future__ import annotations

import hashlib
import secrets
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Engine, and_, delete, event, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlmodel import col

from service.errors import TvetMatchError
from service.http.idempotency_models import IdempotencyRecord
from service.values.times import utc_now

IN_FLIGHT_LEASE = timedelta(seconds=60)
_CLAIM_ATTEMPTS = 3
_STREAM_LABEL = b"tvet-match idempotent answer v1"


class ClaimLost(TvetMatchError):
    """A retry took this request's idempotency claim over while it ran (answered 409)."""


@dataclass(frozen=True, slots=True)
class RequestKey:
    """One caller's idempotency key and the request sent with it."""

    scope: str
    key: str
    method: str
    target: str
    fingerprint: str

    @property
    def key_hash(self) -> str:
        """What the database stores instead of the key."""
        return hashlib.sha256(f"{self.scope}\n{self.key}".encode()).hexdigest()


@dataclass(slots=True)
class Claim:
    """This request holds the key; ``owner`` tells its claim from a later takeover."""

    record_id: int
    owner: str
    effects_committed: bool = False


@dataclass(frozen=True, slots=True)
class Answer:
    """A stored answer, decrypted: what the first request was told."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why this request may not run now: the key is in use or was used otherwise."""

    status: int
    detail: str
    retry_after: int | None = None
    other_request: str | None = field(default=None)


def fingerprint(method: str, target: str, content_type: str, body: bytes) -> str:
    """Return what tells two requests sent with one key apart."""
    digest = hashlib.sha256()
    for part in (method.encode(), target.encode(), content_type.encode()):
        digest.update(part + b"\n")
    digest.update(body)
    return digest.hexdigest()


def _keystream(request: RequestKey, nonce: str, length: int) -> bytes:
    material = b"\0".join(
        [_STREAM_LABEL, nonce.encode(), request.scope.encode(), request.key.encode()]
    )
    return hashlib.shake_256(material).digest(length)


def _xor(data: bytes, stream: bytes) -> bytes:
    return (int.from_bytes(data, "big") ^ int.from_bytes(stream, "big")).to_bytes(len(data), "big")


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; every stored time is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=utc_now().tzinfo)


def _unwritten(record_id: int, owner: str) -> ColumnElement[bool]:
    """The claim ``record_id`` while ``owner`` holds it and it has marked no writes."""
    table = IdempotencyRecord
    return and_(
        col(table.id) == record_id,
        col(table.nonce) == owner,
        col(table.effects_committed).is_(False),
    )


def claim(engine: Engine, request: RequestKey, *, ttl: timedelta) -> Claim | Answer | Refusal:
    """Claim ``request``'s key, or return the stored answer, or why it cannot run now."""
    for _ in range(_CLAIM_ATTEMPTS):
        now = utc_now()
        owner = secrets.token_hex(16)
        try:
            with engine.begin() as connection:
                inserted = connection.execute(
                    insert(IdempotencyRecord)
                    .values(
                        key_hash=request.key_hash,
                        fingerprint=request.fingerprint,
                        method=request.method,
                        target=request.target,
                        claimed_at=now,
                        expires_at=now + ttl,
                        effects_committed=False,
                        nonce=owner,
                    )
                    .returning(col(IdempotencyRecord.id))
                ).scalar_one()
            assert inserted is not None
            return Claim(record_id=inserted, owner=owner)
        except IntegrityError:
            pass  # claimed before: see by whom, and how far it got
        outcome = _existing(engine, request, now=now, owner=owner, ttl=ttl)
        if outcome is not None:
            return outcome
    return Refusal(409, "this Idempotency-Key is being claimed by another request", 1)


def _existing(
    engine: Engine, request: RequestKey, *, now: datetime, owner: str, ttl: timedelta
) -> Claim | Answer | Refusal | None:
    """Return what an existing claim means for this request (``None``: claim again)."""
    table = IdempotencyRecord
    with engine.begin() as connection:
        record = connection.execute(
            select(table).where(col(table.key_hash) == request.key_hash)
        ).first()
        if record is None:
            return None
        if _aware(record.expires_at) <= now:
            connection.execute(delete(table).where(col(table.id) == record.id))
            return None
        if record.fingerprint != request.fingerprint:
            return Refusal(
                422,
                f"this Idempotency-Key was used for another request ({record.method} "
                f"{record.target}, or another body); use a new key for a new request",
                other_request=f"{record.method} {record.target}",
            )
        if record.status_code is not None and record.body is not None and record.nonce:
            body = _xor(record.body, _keystream(request, record.nonce, len(record.body)))
            headers = [(str(name), str(value)) for name, value in record.headers or []]
            return Answer(record.status_code, headers, body)
        if record.effects_committed:
            return Refusal(
                409,
                "the request first sent with this Idempotency-Key was carried out, but its "
                "answer was lost; it is not run again: read the resource to see the result",
            )
        if now - _aware(record.claimed_at) < IN_FLIGHT_LEASE:
            return Refusal(409, "a request with this Idempotency-Key is still being processed", 1)
        taken = connection.execute(
            update(table)
            .where(_unwritten(record.id, record.nonce))
            .values(nonce=owner, claimed_at=now, expires_at=now + ttl)
        )
        if taken.rowcount == 1:
            return Claim(record_id=record.id, owner=owner)
        return None


def store_answer(engine: Engine, request: RequestKey, held: Claim, answer: Answer) -> bool:
    """Keep the answer on the claim (encrypted); ``False`` if the claim was taken over."""
    stream = _keystream(request, held.owner, len(answer.body))
    table = IdempotencyRecord
    with engine.begin() as connection:
        stored = connection.execute(
            update(table)
            .where(col(table.id) == held.record_id, col(table.nonce) == held.owner)
            .values(
                status_code=answer.status,
                headers=[list(pair) for pair in answer.headers],
                body=_xor(answer.body, stream),
            )
        )
    return stored.rowcount == 1


def release(engine: Engine, held: Claim) -> None:
    """Give the key back (no writes were made, no answer kept): a retry will run."""
    with engine.begin() as connection:
        connection.execute(delete(IdempotencyRecord).where(_unwritten(held.record_id, held.owner)))


def purge_expired(engine: Engine) -> int:
    """Delete expired keys; return how many."""
    table = IdempotencyRecord
    with engine.begin() as connection:
        result = connection.execute(delete(table).where(col(table.expires_at) <= utc_now()))
    return int(result.rowcount)


# -- marking the request's own writes -------------------------------------------------------

# The claim of the request being handled; worker threads see it through their copied context.
current_claim: ContextVar[Claim | None] = ContextVar("current_claim", default=None)
_MARKED = "idempotency_marked"
_WROTE = "idempotency_wrote"


def _before_commit(session: Session) -> None:
    held = current_claim.get()
    if held is None or held.effects_committed:
        return
    if not (session.new or session.dirty or session.deleted or session.info.get(_WROTE)):
        return
    marked = session.execute(
        update(IdempotencyRecord)
        .where(_unwritten(held.record_id, held.owner))
        .values(effects_committed=True)
        .execution_options(synchronize_session=False)
    )
    if marked.rowcount != 1:  # type: ignore[attr-defined]
        raise ClaimLost(
            "a retry with the same Idempotency-Key took this request over; nothing was saved"
        )
    session.info[_MARKED] = True


def _after_flush(session: Session, _context: Any) -> None:
    if current_claim.get() is not None:
        session.info[_WROTE] = True


def _after_commit(session: Session) -> None:
    held = current_claim.get()
    if session.info.pop(_MARKED, False) and held is not None:
        held.effects_committed = True
    session.info.pop(_WROTE, None)


def _after_rollback(session: Session, _previous: Any) -> None:
    session.info.pop(_MARKED, None)
    session.info.pop(_WROTE, None)


def watch_sessions() -> None:
    """Mark a claim in the transaction that commits its request's writes (once per process)."""
    for name, hook in (
        ("before_commit", _before_commit),
        ("after_flush", _after_flush),
        ("after_commit", _after_commit),
        ("after_soft_rollback", _after_rollback),
    ):
        if not event.contains(Session, name, hook):
            event.listen(Session, name, hook)
