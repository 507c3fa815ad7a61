"""The TVET taxonomy, for clients building pick lists."""

from __future__ import annotations

from fastapi import APIRouter, Request

from service.deps import ReaderDep
from service.institutions.schemas import TaxonomyPublic

router = APIRouter(tags=["taxonomy"])


@router.get("/taxonomy", operation_id="read_taxonomy")
def read_taxonomy(request: Request, _caller: ReaderDep) -> TaxonomyPublic:
    """Canonical technical fields and program types, with labels and synonyms by language."""
    return TaxonomyPublic.model_validate(request.app.state.taxonomy)
