"""The directory's search: the API's list filters, plus a technical field of the taxonomy.

A taxonomy field finds institutions in any language: "数控技术" and "CNC machining" both
mention the CNC field. The database narrows the candidates to fields containing one of
the field's labels or synonyms; the taxonomy's own matcher then confirms each one (so
"AI" does not find "maintenance"), exactly as the ranker reads fields.
"""

from __future__ import annotations

from sqlmodel import Session

from matching import Concept, Taxonomy
from service.http.pagination import PageParams, Window
from service.institutions import crud, listing
from service.institutions.models import Institution
from service.values.validation import name_key


def field_concepts(taxonomy: Taxonomy) -> list[Concept]:
    """Return the taxonomy's technical fields, in the order the taxonomy lists them."""
    return [concept for concept in taxonomy.concepts if concept.section == "field"]


def _names(concept: Concept) -> list[str]:
    names = [*concept.labels.values(), *(s for ss in concept.synonyms.values() for s in ss)]
    # The matcher also reads "robots" as "robot": look for the shorter form in the text.
    return sorted({name_key(name).removesuffix("s") for name in names})


def search(
    *,
    session: Session,
    taxonomy: Taxonomy | None,
    country: str | None = None,
    kind: str | None = None,
    field: Concept | None = None,
    q: str | None = None,
    params: PageParams,
) -> Window[Institution]:
    """Return a page of institutions in id order: the list filters, and ``field`` (a
    concept of ``taxonomy``) if given."""
    if field is None or taxonomy is None:
        return listing.list_institutions(
            session=session, params=params, country=country, kind=kind, q=q
        )
    conditions = listing.filter_conditions(country=country, kind=kind, q=q)
    found = [
        pid
        for pid, phrases in listing.fields_mentioning(
            session=session, any_of=_names(field), conditions=conditions
        )
        if any(field in taxonomy.find(phrase) for phrase in phrases)
    ]
    start = params.offset or 0
    rows = crud.all_institutions(session=session, ids=found[start : start + params.limit])
    # Matched by concept in Python, not by a select: paged by offset only.
    return Window(rows=rows, total=len(found), next_cursor=None)
