"""Build the FastAPI application: lifespan, routers and error handlers."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import RedirectResponse
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp

from matching import Taxonomy
from seed import load_taxonomy
from service import web
from service.alerts import routes as saved_searches
from service.auth import routes as keys
from service.auth.keys import load_admin_token
from service.calendars import routes as calendars
from service.claims import routes as claims
from service.config import Settings, get_settings
from service.db import make_engine, session_scope
from service.http import health
from service.http.body_limit import RouteBodyLimit, is_upload
from service.http.etags import CONDITION_HEADERS
from service.http.idempotency import HEADER as IDEMPOTENCY_HEADER
from service.http.idempotency import REPLAYED_HEADER, install_idempotency
from service.http.observability import PROBE_PATHS, REQUEST_ID_HEADER, Metrics, RequestContext
from service.http.openapi import (
    declare_common_answers,
    declare_links,
    keyless_operations,
    mark_optional_keys,
)
from service.http.problems import DeclaredBodyLimit, install_problem_handlers
from service.http.query_models import document_query_models
from service.http.ratelimit import RateLimitMiddleware, RateLimits
from service.institutions import crud
from service.institutions import match_routes as matches
from service.institutions import routes as institutions
from service.institutions import taxonomy_routes as taxonomy
from service.institutions.generations import Generations
from service.institutions.index import MatchIndex
from service.institutions.match_requests import MatchRequests
from service.institutions.seeding import load_seed
from service.meetings import routes as meeting_requests
from service.migrations.runner import upgrade
from service.opportunities import routes as opportunities
from service.web import docs as web_docs
from service.webhooks import routes as webhooks
from service.webhooks.delivery import worker_for
from service.workshops import country_group_routes as country_groups
from service.workshops import invitation_routes, report_routes, survey_routes
from service.workshops import routes as workshops

log = logging.getLogger(__name__)

API_PREFIX = "/api/v1"

DESCRIPTION = """
Reciprocal partner suggestions for technical and vocational education (TVET)
institutions, companies and ministries: a good partner offers what you need **and**
needs what you offer. Every suggestion carries its score, the score's parts and the
reasons in words. Errors are RFC 9457 `application/problem+json` documents.
"""


def prepare_storage(settings: Settings, engine: Engine) -> None:
    """Migrate the database, and seed an empty embedded one: once per start."""
    upgrade(engine)
    if settings.is_embedded and settings.seed_on_empty:
        with session_scope(engine) as session:
            if crud.count_institutions(session=session) == 0:
                report = load_seed(session=session)
                log.info("loaded %d seed institutions into the empty database", len(report.created))


def _prepare(app: FastAPI, settings: Settings) -> None:
    engine = make_engine(settings)
    if settings.prepare_on_start:
        prepare_storage(settings, engine)
    index = MatchIndex(
        engine,
        refit_after_changes=settings.refit_after_changes,
        refit_unseen_share=settings.refit_unseen_share,
        taxonomy=Taxonomy.from_dict(app.state.taxonomy),
        generations=Generations(settings.data_dir / "index") if settings.index_files else None,
    )
    index.load()
    index.start_polling(settings.change_poll_seconds)
    app.state.engine = engine
    app.state.index = index
    app.state.admin_token = load_admin_token(settings)
    app.state.deliveries = worker_for(settings)
    app.state.deliveries.start()


class _Service(FastAPI):
    """FastAPI with the request context and the declared body limit outermost.

    Outside FastAPI's own layers (its 500 answer, its body limit), so that those answers
    carry a request id and are counted too, and a declared oversize body gets a problem
    document instead of Starlette's plain text.
    """

    def build_middleware_stack(self) -> ASGIApp:
        stack = super().build_middleware_stack()
        settings: Settings = self.state.settings
        stack = DeclaredBodyLimit(
            stack,
            limit_for=lambda path: (
                settings.max_body_bytes if is_upload(path) else settings.request_body_limit
            ),
        )
        return RequestContext(stack, metrics=self.state.metrics)

    def openapi(self) -> dict[str, Any]:
        """The OpenAPI document, with the query models read in one validation
        (``service.http.query_models``), the answers every operation can give, the links
        from each creation to its resource's operations, and where a key is optional
        (``service.http.openapi``)."""
        schema = document_query_models(super().openapi(), self.routes)
        schema = declare_links(declare_common_answers(schema))
        return mark_optional_keys(schema, self.state.keyless_operations)


def _add_middleware(app: FastAPI, settings: Settings) -> None:
    limits = RateLimits(
        every=settings.rate_limit,
        writes=settings.rate_limit_writes,
        storage=settings.rate_limit_storage,
    )
    # The pages' stylesheets, scripts and fonts are not counted: a venue's shared address
    # would spend its budget on them.
    app.add_middleware(
        RateLimitMiddleware,
        limits=limits,
        exempt=PROBE_PATHS,
        exempt_prefixes=(web.STATIC_PREFIX,),
    )
    # Outermost of ours, inside FastAPI's upload-sized limit: lowers it for other routes.
    app.add_middleware(RouteBodyLimit, max_body_size=settings.request_body_limit)
    if settings.cors_origins:  # added last, so outside the limit: 429s carry CORS headers
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=[
                "Authorization",
                "Content-Type",
                REQUEST_ID_HEADER,
                *CONDITION_HEADERS,
                IDEMPOTENCY_HEADER,
            ],
            expose_headers=[
                REQUEST_ID_HEADER,
                "Retry-After",
                "Location",
                "ETag",
                REPLAYED_HEADER,
            ],
        )


def create_app(settings: Settings | None = None) -> FastAPI:
    """Return a new application; nothing is connected until its lifespan starts."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(_prepare, app, settings)
        app.state.match_requests = MatchRequests(
            index=app.state.index,
            engine=app.state.engine,
            rest_days=settings.meeting_rest_days,
        )
        # The engine made here is the one closed here, whatever is in app.state by then:
        # the index's poller holds it too, and its connections must not outlive the app.
        engine: Engine = app.state.engine
        log.info("ready with %d institutions", len(app.state.index))
        try:
            yield
        finally:
            app.state.deliveries.close()
            app.state.match_requests.close()
            app.state.index.close()
            engine.dispose()

    app = _Service(
        docs_url=None,  # served from vendored files by service.web.docs
        title="tvet-match",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        max_body_size=settings.max_body_bytes,
    )
    app.state.settings = settings
    app.state.metrics = Metrics(app.state)
    app.state.taxonomy = load_taxonomy()
    install_problem_handlers(app)
    # Before the others, so inside them: a retry over the rate limit never reaches the store.
    install_idempotency(
        app, ttl_seconds=settings.idempotency_ttl_seconds, max_body_size=settings.max_body_bytes
    )
    _add_middleware(app, settings)
    api_routers = [
        r.router
        for r in (
            institutions,
            matches,
            taxonomy,
            keys,
            workshops,
            survey_routes,
            report_routes,
            invitation_routes,
            country_groups,
            opportunities,
            saved_searches,
            webhooks,
            meeting_requests,
            claims,
            calendars,
        )
    ]
    for router in api_routers:
        app.include_router(router, prefix=API_PREFIX)
    app.include_router(health.router)
    app.include_router(calendars.feed_router)
    app.include_router(web.router)
    app.include_router(web_docs.router)
    web.mount_static(app)
    app.state.keyless_operations = keyless_operations(api_routers, settings)

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/docs")

    return app
