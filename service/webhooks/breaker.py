"""The circuit breaker: a webhook that keeps failing is parked, then probed, then resumed.

After ``failures`` failed attempts in a row a webhook is parked for ``cooldown`` seconds:
its deliveries stay pending, keep their attempt counts, and take no delivery slot. Once
the time has passed the breaker is half-open: the worker sends one delivery at a time
to a webhook (``service.webhooks.claims``), so a single attempt probes it. A success
closes the breaker (the count starts again); a failure parks it for another cooldown.
The state is in the webhook's row, so every instance sharing the database obeys it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from service.values.times import as_utc
from service.webhooks.models import Webhook

BreakerState = Literal["active", "parked", "probing"]


@dataclass(frozen=True, slots=True)
class Breaker:
    """Park a webhook for ``cooldown`` seconds after ``failures`` failed attempts in a row."""

    failures: int
    cooldown: float

    def __post_init__(self) -> None:
        if self.failures < 1 or self.cooldown < 0:
            raise ValueError("failures must be at least 1 and cooldown not negative")

    def record(self, hook: Webhook, *, delivered: bool, now: datetime) -> None:
        """Count one attempt's outcome on the webhook; park it if it failed once too often."""
        if delivered:
            hook.consecutive_failures = 0
            hook.parked_until = None
            return
        hook.consecutive_failures += 1
        if hook.consecutive_failures >= self.failures:
            hook.parked_until = now + timedelta(seconds=self.cooldown)


def state_of(hook: Webhook, now: datetime) -> BreakerState:
    """``parked`` while resting, ``probing`` once the rest is over until an attempt succeeds."""
    if hook.parked_until is None:
        return "active"
    return "parked" if as_utc(hook.parked_until) > now else "probing"
