"""When to retry a failed delivery: an exponential schedule with a ceiling."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Backoff:
    """Retry ``base * factor**(n - 1)`` seconds after the n-th failed attempt, at most ``cap``.

    After ``max_attempts`` attempts in all, the delivery is given up (dead).
    """

    base: float
    max_attempts: int
    factor: float = 2.0
    cap: float = 6 * 3600.0

    def __post_init__(self) -> None:
        if self.base < 0 or self.cap < 0:
            raise ValueError("base and cap must not be negative")
        if self.factor < 1:
            raise ValueError("factor must be at least 1")
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")

    def delay_after(self, attempts: int) -> float | None:
        """Seconds to wait after ``attempts`` failed attempts; ``None`` once they are used up."""
        if attempts < 1:
            raise ValueError("attempts counts from 1")
        if attempts >= self.max_attempts:
            return None
        # Stop growing once over the cap, so a huge attempt count cannot overflow.
        delay = self.base
        for _ in range(attempts - 1):
            delay *= self.factor
            if delay >= self.cap:
                return self.cap
        return min(delay, self.cap)

    def schedule(self) -> list[float]:
        """Every wait between attempts, in order (``max_attempts - 1`` of them)."""
        return [self.delay_after(n) or 0.0 for n in range(1, self.max_attempts)]
