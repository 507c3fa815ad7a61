"""Liveness."""

from __future__ import annotations

from fastapi import APIRouter

from service.deps import IndexDep
from service.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/healthz", operation_id="health")
def health(index: IndexDep) -> Health:
    """Say the service is up and how many institutions it can suggest."""
    return Health(status="ok", institutions=len(index))
