"""Adjusting a pairing run: lock or forbid one of its pairs, or swap two pairs' partners.

An adjustment changes the run's rules, and the pairing runs again under them: the
result is a new run, so the one adjusted stays as it was, to compare with.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from service.errors import FieldError, InvalidInput
from service.http.problems import field_errors
from service.workshops.models import PairingRun
from service.workshops.schemas import IdPair, PairingRequest


class RunAdjustment(BaseModel):
    """Lock or forbid one pair of the run, or swap the partners of two of its pairs
    (a-b and c-d become a-d and c-b, locked, with a-b and c-d forbidden)."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["lock", "forbid", "swap"]
    pair: IdPair = Field(description="A pair of the run, as two institution ids.")
    swap_with: IdPair | None = Field(
        default=None, description="For swap: another pair of the run, sharing nobody with pair."
    )

    @model_validator(mode="after")
    def _swap_names_two_pairs(self) -> RunAdjustment:
        if self.action == "swap" and self.swap_with is None:
            raise ValueError("swap needs swap_with, a second pair of the run")
        if self.action != "swap" and self.swap_with is not None:
            raise ValueError("swap_with is only for swap")
        return self


def _sorted(pair: list[int]) -> tuple[int, int]:
    a, b = sorted(pair)
    return (a, b)


def adjusted_rules(run: PairingRun, adjustment: RunAdjustment) -> PairingRequest:
    """Return the run's rules changed as ``adjustment`` says, or refuse (422) a pair that
    is not one of the run's."""
    pairs = run.result.pair_ids()
    first = _sorted(adjustment.pair)
    if first not in pairs:
        raise InvalidInput([FieldError(("body", "pair"), "is not a pair of this run")])
    second = _sorted(adjustment.swap_with) if adjustment.swap_with is not None else None
    if second is not None and (second not in pairs or {*first} & {*second}):
        message = "is not another pair of this run sharing nobody with pair"
        raise InvalidInput([FieldError(("body", "swap_with"), message)])
    rules: dict[str, Any] = dict(run.rules)
    locked = {_sorted(pair) for pair in rules["locked"]}
    forbidden = {_sorted(pair) for pair in rules["forbidden"]}
    if adjustment.action == "lock":
        locked.add(first)
        forbidden.discard(first)
    elif adjustment.action == "forbid":
        forbidden.add(first)
        locked.discard(first)
    else:
        assert second is not None
        (a, b), (c, d) = first, second
        new = {_sorted([a, d]), _sorted([c, b])}
        locked = (locked - {first, second}) | new
        forbidden = (forbidden - new) | {first, second}
    rules["locked"] = [list(pair) for pair in sorted(locked)]
    rules["forbidden"] = [list(pair) for pair in sorted(forbidden)]
    try:
        return PairingRequest.model_validate(rules)
    except ValidationError as error:  # rules stored by an older version, say
        raise InvalidInput(field_errors(error.errors())) from error
