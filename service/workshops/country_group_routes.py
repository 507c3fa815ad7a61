"""Country groups, for clients and organisers choosing pairing rules."""

from __future__ import annotations

from fastapi import APIRouter

from service.deps import ReaderDep
from service.workshops.country_groups import CountryGroups, load_country_groups

router = APIRouter(tags=["workshops"])


@router.get("/country-groups", operation_id="list_country_groups")
def list_country_groups(_caller: ReaderDep) -> CountryGroups:
    """Country groups pairing rules can name (ASEAN...), with members, source and date.

    Read like the taxonomy (open unless reads need a key; a malformed key is refused):
    the groups are facts, not anyone's data."""
    return load_country_groups()
