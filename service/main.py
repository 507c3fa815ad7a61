"""Build the FastAPI application: lifespan, routers and error handlers."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from matching import Taxonomy
from seed import load_taxonomy
from service import crud
from service.auth import load_admin_token
from service.config import Settings, get_settings
from service.db import make_engine, session_scope
from service.index import MatchIndex
from service.migrate import upgrade
from service.problems import install_problem_handlers
from service.routes import health, institutions, keys, matches, taxonomy, workshops
from service.seeding import load_seed

log = logging.getLogger(__name__)

API_PREFIX = "/api/v1"

DESCRIPTION = """
Reciprocal partner suggestions for technical and vocational education (TVET)
institutions, companies and ministries: a good partner offers what you need **and**
needs what you offer. Every suggestion carries its score, the score's parts and the
reasons in words. Errors are RFC 9457 `application/problem+json` documents.
"""


def _prepare(app: FastAPI, settings: Settings) -> None:
    engine = make_engine(settings)
    upgrade(engine)
    if settings.is_embedded and settings.seed_on_empty:
        with session_scope(engine) as session:
            if crud.count_institutions(session=session) == 0:
                report = load_seed(session=session)
                log.info("loaded %d seed institutions into the empty database", len(report.created))
    index = MatchIndex(
        engine,
        refit_after_changes=settings.refit_after_changes,
        refit_unseen_share=settings.refit_unseen_share,
        taxonomy=Taxonomy.from_dict(app.state.taxonomy),
    )
    index.load()
    app.state.engine = engine
    app.state.index = index
    app.state.admin_token = load_admin_token(settings)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Return a new application; nothing is connected until its lifespan starts."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(_prepare, app, settings)
        log.info("ready with %d institutions", len(app.state.index))
        try:
            yield
        finally:
            app.state.engine.dispose()

    app = FastAPI(
        title="tvet-match",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.taxonomy = load_taxonomy()
    install_problem_handlers(app)
    app.include_router(institutions.router, prefix=API_PREFIX)
    app.include_router(matches.router, prefix=API_PREFIX)
    app.include_router(taxonomy.router, prefix=API_PREFIX)
    app.include_router(keys.router, prefix=API_PREFIX)
    app.include_router(workshops.router, prefix=API_PREFIX)
    app.include_router(health.router)

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/docs")

    return app
