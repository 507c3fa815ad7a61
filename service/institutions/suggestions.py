"""Partner suggestions: rank in the index, then attach each partner's public profile and
put the reasons in words in the reader's language."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sqlmodel import Session

from matching import Match, Profile, Reason
from matching.explain import LANGUAGES, say
from service.institutions import crud
from service.institutions.index import MatchIndex
from service.institutions.profiles import to_profile
from service.institutions.schemas import MatchComponents, MatchFilters, MatchItem, MatchList


def suggest(
    *,
    session: Session,
    index: MatchIndex,
    query: Profile,
    filters: MatchFilters,
    language: str,
    exclude: frozenset[int] = frozenset(),
) -> MatchList:
    """Return the best partners for ``query``, best first, with public profiles and the
    reasons in ``language``.

    ``exclude`` names institutions never to suggest (e.g. after a declined meeting request).
    """
    matches = index.rank(
        query,
        k=filters.limit,
        where=replace(filters.candidate_filter(), exclude=exclude),
        diversity=filters.diversity,
        exposure=filters.exposure,
    )
    return match_list(session=session, index=index, matches=matches, language=language)


def suggest_for(
    *,
    session: Session,
    index: MatchIndex,
    institution_id: int,
    filters: MatchFilters,
    language: str,
    rest_days: int,
    partner_ids: Sequence[int] | None = None,
) -> MatchList:
    """Return the best partners for a stored institution: never its declared partners, nor
    one whose meeting request with it was declined or withdrawn in the last ``rest_days``.

    The institution is asked about as the index holds it (as fresh as the candidates it is
    ranked against), else as stored; ``partner_ids`` are its declared partners when the
    caller has already read them. Raises :class:`NotFound` when no institution has this id.
    """
    query = index.profile(institution_id)
    if query is None:  # not indexed: deleted, or written by another instance just now
        row = crud.existing_institution(session=session, institution_id=institution_id)
        if partner_ids is None:
            partner_ids = crud.partners_of(session=session, institution_ids=[institution_id])[
                institution_id
            ]
        query = to_profile(row, partner_ids)
    return suggest(
        session=session,
        index=index,
        query=query,
        filters=filters,
        language=language,
        exclude=index.resting.read(session=session, institution_id=institution_id, days=rest_days),
    )


def said(why: Sequence[Reason], language: str) -> list[str]:
    """Put reasons in words in ``language`` (English when it is none we write)."""
    language = language if language in LANGUAGES else "en"
    return [say(reason, language) for reason in why]


def match_list(
    *, session: Session, index: MatchIndex, matches: Sequence[Match], language: str
) -> MatchList:
    """Return ranked institutions with their public profiles, in the order given, with
    the reasons in ``language``."""
    public = index.public.read(session=session, ids=[match.id for match in matches])
    items = [
        MatchItem(
            institution=public[match.id],
            score=match.score,
            components=MatchComponents.model_validate(match.components, from_attributes=True),
            reasons=said(match.why, language),
        )
        # A partner deleted between ranking and this read is left out, not shown stale.
        for match in matches
        if match.id in public
    ]
    return MatchList(items=items)
