"""Liveness, readiness and metrics, outside ``/api/v1``."""

from __future__ import annotations

import logging

from fastapi import APIRouter, HTTPException, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from service.deps import IndexDep
from service.http.observability import Metrics
from service.http.schemas import Health
from service.institutions.index import MatchIndex

log = logging.getLogger(__name__)

router = APIRouter(tags=["health"])
_PROBE_WRITE = text("UPDATE alembic_version SET version_num = version_num WHERE 1 = 0")


class Liveness(BaseModel):
    """The process is up."""

    status: str


@router.get("/healthz", operation_id="health")
def health(index: IndexDep) -> Health:
    """Say the service is up and how many institutions it can suggest."""
    return Health(status="ok", institutions=len(index))


@router.get("/livez", operation_id="liveness")
async def liveness() -> Liveness:
    """Say the process answers; touches neither the database nor the index."""
    return Liveness(status="ok")


@router.get(
    "/readyz",
    operation_id="readiness",
    responses={
        503: {
            "description": "The database refuses writes or does not answer, or the "
            "matching index is not loaded."
        }
    },
)
def readiness(request: Request) -> Health:
    """Say whether the service can answer: the database takes writes and the index is loaded."""
    index: MatchIndex | None = getattr(request.app.state, "index", None)
    engine: Engine | None = getattr(request.app.state, "engine", None)
    if index is None or engine is None:
        raise HTTPException(503, "The matching index is not loaded yet.")
    try:
        with engine.connect() as connection:
            # A write that changes nothing, rolled back: a read-only database (a standby,
            # a read-only file or mount) refuses it, where SELECT 1 would pass.
            connection.execute(_PROBE_WRITE)
            connection.rollback()
    except SQLAlchemyError as error:
        log.warning("not ready: the database refuses writes: %s", getattr(error, "orig", error))
        raise HTTPException(503, "The database does not answer or refuses writes.") from None
    return Health(status="ready", institutions=len(index))


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    """Prometheus metrics of this process."""
    recorded: Metrics = request.app.state.metrics
    return Response(generate_latest(recorded.registry), media_type=CONTENT_TYPE_LATEST)
