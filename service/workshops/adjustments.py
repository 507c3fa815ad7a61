"""Adjusting a pairing run: lock or forbid one of its pairs, or swap two pairs' partners.

An adjustment changes the run's rules, and the pairing runs again under them: the
result is a new run, so the one adjusted stays as it was, to compare with.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel, ValidationError

from service.errors import FieldError, InvalidInput
from service.http.problems import field_errors
from service.workshops.models import PairingRun
from service.workshops.schemas import IdPair, PairingRequest


class PairChange(BaseModel):
    """Lock one pair of the run (it must be made), or forbid it (it must not)."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["lock", "forbid"]
    pair: IdPair = Field(description="A pair of the run, as two institution ids.")


class PairSwap(BaseModel):
    """Swap the partners of two pairs of the run: a-b and c-d become a-d and c-b, locked,
    with a-b and c-d forbidden."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["swap"]
    pair: IdPair = Field(description="A pair of the run, as two institution ids.")
    swap_with: IdPair = Field(description="Another pair of the run, sharing nobody with pair.")


class RunAdjustment(RootModel[Annotated[PairChange | PairSwap, Field(discriminator="action")]]):
    """Lock or forbid one pair of the run, or swap the partners of two of its pairs."""


def _sorted(pair: list[int]) -> tuple[int, int]:
    a, b = sorted(pair)
    return (a, b)


def adjusted_rules(run: PairingRun, adjustment: RunAdjustment) -> PairingRequest:
    """Return the run's rules changed as ``adjustment`` says, or refuse (422) a pair that
    is not one of the run's."""
    change = adjustment.root
    pairs = run.result.pair_ids()
    first = _sorted(change.pair)
    if first not in pairs:
        raise InvalidInput(
            [FieldError(("body", "pair"), "is not a pair of this run", "not_run_pair")]
        )
    second = _sorted(change.swap_with) if isinstance(change, PairSwap) else None
    if second is not None and (second not in pairs or {*first} & {*second}):
        message = "is not another pair of this run sharing nobody with pair"
        raise InvalidInput([FieldError(("body", "swap_with"), message, "not_swap_pair")])
    rules: dict[str, Any] = dict(run.rules)
    locked = {_sorted(pair) for pair in rules["locked"]}
    forbidden = {_sorted(pair) for pair in rules["forbidden"]}
    if change.action == "lock":
        locked.add(first)
        forbidden.discard(first)
    elif change.action == "forbid":
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
