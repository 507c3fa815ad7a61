"""The delivery worker: sends pending webhook deliveries from the outbox, and retries.

One thread per service instance (started in the lifespan) claims due deliveries, POSTs
each signed body, and records the attempt. Claiming is one ``UPDATE ... WHERE id IN
(SELECT ... FOR UPDATE SKIP LOCKED)`` that stamps the rows with a claim token and pushes
their due time a lease ahead: on PostgreSQL several instances skip each other's rows,
on SQLite the statement is atomic. A worker that dies mid-attempt leaves its claim to
lapse, and the delivery is tried again after the lease: delivery is at least once, and
the unchanging ``Webhook-Id`` lets a receiver drop a repeat.

A failed attempt (no answer, or a status outside 2xx; redirects are not followed) is
retried on the ``service.webhooks.backoff`` schedule; after the last attempt the delivery is dead.
Unless private targets are allowed, a URL whose host resolves to a loopback, private,
link-local or otherwise non-public address is refused at each attempt.
"""

from __future__ import annotations

import ipaddress
import logging
import secrets
import socket
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

import httpx
from sqlalchemy import Engine, update
from sqlmodel import col, select

from service.config import Settings
from service.db import make_engine, session_scope
from service.values.times import utc_now
from service.webhooks.backoff import Backoff
from service.webhooks.models import Webhook, WebhookAttempt, WebhookDelivery, WebhookEvent
from service.webhooks.outbox import body_of, event_id
from service.webhooks.signing import signed_headers

log = logging.getLogger(__name__)

_ERROR_LENGTH = 500


class TargetRefused(Exception):
    """The webhook's host is not a public address, and private targets are not allowed."""


def check_public_host(url: str) -> None:
    """Raise TargetRefused unless every address the URL's host resolves to is public."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        found = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (OSError, ValueError) as error:
        raise TargetRefused(f"cannot resolve {host!r}: {error}") from error
    for *_, address in found:
        ip = ipaddress.ip_address(str(address[0]).split("%")[0])
        if not ip.is_global:
            raise TargetRefused(f"{host!r} resolves to {ip}, which is not a public address")


@dataclass(frozen=True, slots=True)
class _Outcome:
    status_code: int | None
    error: str | None
    duration_ms: int

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


_MAX_WAIT = 60.0  # seconds between rounds while the database keeps failing


class DeliveryWorker:
    """Sends due deliveries every ``poll_seconds`` until closed."""

    def __init__(
        self,
        engine: Engine,
        *,
        backoff: Backoff,
        poll_seconds: float = 1.0,
        timeout_seconds: float = 10.0,
        allow_private_targets: bool = False,
        batch: int = 20,
        lease_seconds: float | None = None,
        dispose_engine: bool = False,
    ) -> None:
        self._engine = engine
        self._dispose_engine = dispose_engine
        self._backoff = backoff
        self._poll_seconds = poll_seconds
        self._timeout = timeout_seconds
        self._allow_private = allow_private_targets
        self._batch = batch
        # Long enough for an attempt that runs into its timeout; a claim that outlives
        # it belonged to a worker that died, and the delivery is taken again.
        lease = lease_seconds if lease_seconds is not None else 3 * timeout_seconds + 5
        self._lease = timedelta(seconds=lease)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._client = httpx.Client(timeout=timeout_seconds, follow_redirects=False)

    def start(self) -> None:
        """Start the worker thread (not when polling is off: ``poll_seconds`` 0)."""
        if self._poll_seconds <= 0 or self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="webhook-delivery", daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Stop after the attempt in progress; unsent deliveries stay pending in the database."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self._timeout + 10)
            self._thread = None
        self._client.close()
        if self._dispose_engine:
            self._engine.dispose()

    def run_once(self) -> int:
        """Claim the due deliveries and attempt each; return how many were attempted."""
        claim = secrets.token_hex(16)
        ids = self._claim(claim)
        for delivery_id in ids:
            if self._stop.is_set():
                break  # the claim lapses and the delivery is picked up after a restart
            self._attempt(delivery_id, claim)
        return len(ids)

    def _run(self) -> None:
        failures = 0  # rounds failed in a row: the wait doubles, and one traceback is logged
        while not self._stop.is_set():
            try:
                busy = self.run_once() > 0
            except Exception as error:  # the worker must outlive a database hiccup
                failures += 1
                if failures == 1:
                    log.exception("webhook delivery round failed; backing off")
                else:
                    log.warning("webhook delivery round %d in a row failed: %s", failures, error)
                busy = False
            else:
                if failures:
                    log.warning("webhook delivery works again after %d failed rounds", failures)
                failures = 0
            if not busy:
                self._stop.wait(min(self._poll_seconds * 2 ** min(failures, 16), _MAX_WAIT))

    def _claim(self, claim: str) -> list[int]:
        now = utc_now()
        due = (
            select(WebhookDelivery.id)
            .where(col(WebhookDelivery.status) == "pending")
            .where(col(WebhookDelivery.next_attempt_at) <= now)
            .order_by(col(WebhookDelivery.next_attempt_at), col(WebhookDelivery.id))
            .limit(self._batch)
            .with_for_update(skip_locked=True)
        )
        statement = (
            update(WebhookDelivery)
            .where(col(WebhookDelivery.id).in_(due.scalar_subquery()))
            .values(claim=claim, next_attempt_at=now + self._lease)
            .returning(col(WebhookDelivery.id))
        )
        with session_scope(self._engine) as session:
            return sorted(session.exec(statement).scalars().all())

    def _attempt(self, delivery_id: int, claim: str) -> None:
        with session_scope(self._engine) as session:
            delivery = session.get(WebhookDelivery, delivery_id)
            if delivery is None:  # its webhook was deleted meanwhile
                return
            hook = session.get(Webhook, delivery.webhook_id)
            event = session.get(WebhookEvent, delivery.event_id)
        if hook is None or event is None:
            return
        outcome = self._send(hook, event)
        self._record(delivery_id, claim, outcome)

    def _send(self, hook: Webhook, event: WebhookEvent) -> _Outcome:
        started = time.perf_counter()
        body = body_of(event)
        headers = signed_headers(
            hook.secret, event_id=event_id(event), timestamp=int(time.time()), body=body
        )
        status_code: int | None = None
        error: str | None = None
        try:
            if not self._allow_private:
                check_public_host(hook.url)
            # Streamed and never read: a receiver's answer body is of no use here.
            with self._client.stream("POST", hook.url, content=body, headers=headers) as answer:
                status_code = answer.status_code
            if not 200 <= status_code < 300:
                error = f"answered {status_code}"
        except TargetRefused as refused:
            error = f"refused: {refused}"
        except Exception as failure:  # no answer: refused, timed out, TLS, a URL httpx rejects
            error = f"{type(failure).__name__}: {failure}"
        duration_ms = round((time.perf_counter() - started) * 1000)
        return _Outcome(status_code, error[:_ERROR_LENGTH] if error else None, duration_ms)

    def _record(self, delivery_id: int, claim: str, outcome: _Outcome) -> None:
        now = utc_now()
        with session_scope(self._engine) as session:
            delivery = session.get(WebhookDelivery, delivery_id)
            if delivery is None or delivery.claim != claim:
                return  # deleted, or taken over by another worker after our claim lapsed
            session.add(
                WebhookAttempt(
                    delivery_id=delivery_id,
                    attempted_at=now,
                    status_code=outcome.status_code,
                    error=outcome.error,
                    duration_ms=outcome.duration_ms,
                )
            )
            delivery.attempts += 1
            delivery.claim = None
            delivery.last_status_code = outcome.status_code
            delivery.last_error = outcome.error
            if outcome.delivered:
                delivery.status = "delivered"
                delivery.finished_at = now
            elif (delay := self._backoff.delay_after(delivery.attempts)) is None:
                delivery.status = "dead"
                delivery.finished_at = now
            else:
                delivery.next_attempt_at = now + timedelta(seconds=delay)
            session.add(delivery)
        if not outcome.delivered:
            log.info("webhook delivery %d failed: %s", delivery_id, outcome.error)


def worker_for(settings: Settings) -> DeliveryWorker:
    """Return the delivery worker the settings describe (not started).

    It has an engine of its own, closed with it: its connections never wait behind the
    requests' in the pool, and it leaves none open whatever becomes of the app's engine.
    """
    return DeliveryWorker(
        make_engine(settings),
        dispose_engine=True,
        backoff=Backoff(
            base=settings.webhook_backoff_seconds, max_attempts=settings.webhook_max_attempts
        ),
        poll_seconds=settings.webhook_poll_seconds,
        timeout_seconds=settings.webhook_timeout_seconds,
        allow_private_targets=settings.webhook_allow_private_targets,
    )
