"""The delivery worker: sends pending webhook deliveries from the outbox, and retries.

Each service instance (started in the lifespan) runs a dispatcher thread and a pool of
``TVETMATCH_WEBHOOK_CONCURRENCY`` attempt threads. The dispatcher claims due deliveries
in the database, fairly across owners and webhooks (``service.webhooks.claims``): a
claim stamps the row with a token and pushes its due time a lease ahead, so instances
sharing the database skip each other's rows. A worker that dies mid-attempt leaves its
claim to lapse, and the delivery is tried again after the lease: delivery is at least
once, and the unchanging ``webhook-id`` lets a receiver drop a repeat.

A failed attempt (no answer, or a status outside 2xx; redirects are not followed) is
retried on the ``service.webhooks.backoff`` schedule; after the last attempt the delivery
is dead. A webhook that keeps failing is parked by its circuit breaker
(``service.webhooks.breaker``). The host is resolved once per attempt and the connection
goes to the address resolved (``service.webhooks.addresses``); unless private targets
are allowed, an attempt whose host resolves to any non-public address is refused, and
recorded without naming the address.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy import Engine

from service.config import Settings
from service.db import make_engine, session_scope
from service.values.times import utc_now
from service.webhooks.addresses import Target, TargetRefused, resolve
from service.webhooks.backoff import Backoff
from service.webhooks.breaker import Breaker
from service.webhooks.claims import claim_due
from service.webhooks.models import Webhook, WebhookAttempt, WebhookDelivery, WebhookEvent
from service.webhooks.outbox import body_of, event_id
from service.webhooks.signing import signed_headers

log = logging.getLogger(__name__)

_ERROR_LENGTH = 500


def check_public_host(url: str) -> None:
    """Raise TargetRefused unless every address the URL's host resolves to is public."""
    resolve(url, allow_private=False)


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
    """Sends due deliveries, several at once, every ``poll_seconds`` until closed.

    One dispatcher thread claims as many deliveries as there are free slots
    (``concurrency``), fairly (``service.webhooks.claims``), and hands each to a pool of
    that many threads; it claims again as soon as an attempt ends, or after
    ``poll_seconds``.
    """

    def __init__(
        self,
        engine: Engine,
        *,
        backoff: Backoff,
        breaker: Breaker | None = None,
        poll_seconds: float = 1.0,
        timeout_seconds: float = 10.0,
        connect_timeout_seconds: float = 3.0,
        concurrency: int = 8,
        per_owner: int = 2,
        allow_private_targets: bool = False,
        batch: int = 20,
        lease_seconds: float | None = None,
        dispose_engine: bool = False,
    ) -> None:
        self._engine = engine
        self._dispose_engine = dispose_engine
        self._backoff = backoff
        self._breaker = breaker or Breaker(failures=5, cooldown=300.0)
        self._poll_seconds = poll_seconds
        self._timeout = timeout_seconds
        self._concurrency = concurrency
        self._per_owner = per_owner
        self._allow_private = allow_private_targets
        self._batch = batch
        # Long enough for an attempt that runs into its timeout; a claim that outlives
        # it belonged to a worker that died, and the delivery is taken again.
        lease = lease_seconds if lease_seconds is not None else 3 * timeout_seconds + 5
        self._lease = timedelta(seconds=lease)
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._busy = 0
        self._busy_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="webhook")
        # No kept-alive connections: they are keyed by address, and two webhooks on one
        # address may be different sites (another Host, another TLS server name). A short
        # connect timeout: an address that does not answer fails fast.
        self._client = httpx.Client(
            timeout=httpx.Timeout(
                timeout_seconds, connect=min(connect_timeout_seconds, timeout_seconds)
            ),
            follow_redirects=False,
            limits=httpx.Limits(max_keepalive_connections=0),
        )

    def start(self) -> None:
        """Start the dispatcher thread (not when polling is off: ``poll_seconds`` 0)."""
        if self._poll_seconds <= 0 or self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="webhook-delivery", daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Stop after the attempts in progress; unsent deliveries stay pending in the database."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=self._timeout + 10)
            self._thread = None
        # Claimed but not started: their claims lapse and they are sent after a restart.
        # Attempts in progress get as long as one may take (a name lookup is not bounded
        # by the HTTP timeout, so this is not left to the pool).
        self._pool.shutdown(wait=False, cancel_futures=True)
        deadline = time.monotonic() + self._timeout + 10
        while self._in_progress() and time.monotonic() < deadline:
            time.sleep(0.02)
        self._client.close()
        if self._dispose_engine:
            self._engine.dispose()

    def run_once(self) -> int:
        """Claim up to ``batch`` due deliveries, attempt them, and return how many."""
        claim = secrets.token_hex(16)
        ids = self._claim(claim, self._batch)
        wait([self._submit(delivery_id, claim) for delivery_id in ids])
        return len(ids)

    def _run(self) -> None:
        failures = 0  # rounds failed in a row: the wait doubles, and one traceback is logged
        while not self._stop.is_set():
            # Cleared before claiming, so an attempt that ends meanwhile wakes the next round.
            self._wake.clear()
            try:
                free = self._concurrency - self._in_progress()
                if free > 0:
                    claim = secrets.token_hex(16)
                    for delivery_id in self._claim(claim, free):
                        self._submit(delivery_id, claim)
            except Exception as error:  # the worker must outlive a database hiccup
                failures += 1
                if failures == 1:
                    log.exception("webhook delivery round failed; backing off")
                else:
                    log.warning("webhook delivery round %d in a row failed: %s", failures, error)
            else:
                if failures:
                    log.warning("webhook delivery works again after %d failed rounds", failures)
                failures = 0
            wait = self._poll_seconds
            if failures:
                wait = min(wait * 2 ** min(failures, 16), max(_MAX_WAIT, wait))
            self._wake.wait(wait)

    def _in_progress(self) -> int:
        with self._busy_lock:
            return self._busy

    def _submit(self, delivery_id: int, claim: str) -> Future[None]:
        with self._busy_lock:
            self._busy += 1
        future = self._pool.submit(self._attempt_logged, delivery_id, claim)
        future.add_done_callback(self._free)  # also when cancelled before it ran
        return future

    def _free(self, _done: Future[None]) -> None:
        with self._busy_lock:
            self._busy -= 1
        self._wake.set()

    def _attempt_logged(self, delivery_id: int, claim: str) -> None:
        try:
            if not self._stop.is_set():
                self._attempt(delivery_id, claim)
        except Exception:  # one attempt's trouble must not stop the others
            log.exception("webhook delivery %d: attempt failed to run", delivery_id)

    def _claim(self, claim: str, limit: int | None = None) -> list[int]:
        with session_scope(self._engine) as session:
            return claim_due(
                session,
                claim=claim,
                limit=self._batch if limit is None else limit,
                per_owner=self._per_owner,
                lease=self._lease,
                now=utc_now(),
            )

    def _attempt(self, delivery_id: int, claim: str) -> None:
        with session_scope(self._engine) as session:
            delivery = session.get(WebhookDelivery, delivery_id)
            if delivery is None or delivery.status != "pending":  # deleted, or cancelled
                return
            hook = session.get(Webhook, delivery.webhook_id)
            event = session.get(WebhookEvent, delivery.event_id)
        if hook is None or event is None:
            return
        outcome = self._send(hook, event)
        self._record(delivery_id, delivery.webhook_id, claim, outcome)

    def _send(self, hook: Webhook, event: WebhookEvent) -> _Outcome:
        started = time.perf_counter()
        body = body_of(event)
        headers = signed_headers(
            hook.secret, event_id=event_id(event), timestamp=int(time.time()), body=body
        )
        status_code: int | None = None
        error: str | None = None
        target: Target | None = None
        try:
            target = resolve(hook.url, allow_private=self._allow_private)
            headers["Host"] = target.host_header
            extensions = (
                {"sni_hostname": target.server_name} if target.url.scheme == "https" else {}
            )
            # Streamed and never read: a receiver's answer body is of no use here.
            with self._client.stream(
                "POST", target.url, content=body, headers=headers, extensions=extensions
            ) as answer:
                status_code = answer.status_code
            if not 200 <= status_code < 300:
                error = f"answered {status_code}"
        except TargetRefused as refused:
            error = f"refused: {refused}"
        except Exception as failure:  # no answer: refused, timed out, TLS, a URL httpx rejects
            error = f"{type(failure).__name__}: {failure}"
            if target is not None:  # the log is the registrant's: never show what a name is
                error = error.replace(target.url.host, target.server_name)
        duration_ms = round((time.perf_counter() - started) * 1000)
        return _Outcome(status_code, error[:_ERROR_LENGTH] if error else None, duration_ms)

    def _record(self, delivery_id: int, webhook_id: int, claim: str, outcome: _Outcome) -> None:
        now = utc_now()
        with session_scope(self._engine) as session:
            # Both locked (the webhook first, as deleting it does), so a cancellation or a
            # breaker change committed meanwhile is seen, not overwritten.
            hook = session.get(Webhook, webhook_id, with_for_update=True)
            delivery = session.get(WebhookDelivery, delivery_id, with_for_update=True)
            if hook is None or delivery is None or delivery.claim != claim:
                return  # deleted, or taken over by another worker after our claim lapsed
            self._breaker.record(hook, delivered=outcome.delivered, now=now)
            session.add(hook)
            session.add(_attempt_row(delivery_id, now, outcome))
            delivery.attempts += 1
            delivery.claim = None
            if delivery.status != "pending":
                return  # cancelled while this attempt ran: it is logged, the status stays
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


def _attempt_row(delivery_id: int, now: datetime, outcome: _Outcome) -> WebhookAttempt:
    return WebhookAttempt(
        delivery_id=delivery_id,
        attempted_at=now,
        status_code=outcome.status_code,
        error=outcome.error,
        duration_ms=outcome.duration_ms,
    )


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
        breaker=Breaker(
            failures=settings.webhook_breaker_failures,
            cooldown=settings.webhook_breaker_cooldown_seconds,
        ),
        poll_seconds=settings.webhook_poll_seconds,
        timeout_seconds=settings.webhook_timeout_seconds,
        connect_timeout_seconds=settings.webhook_connect_timeout_seconds,
        concurrency=settings.webhook_concurrency,
        per_owner=settings.webhook_owner_concurrency,
        allow_private_targets=settings.webhook_allow_private_targets,
    )
