"""The coding-service app factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import text

from coding_service import __version__
from coding_service.codesets.loader import load_code_sets
from coding_service.codesets.router import router as codesets_router
from coding_service.config import Settings, get_settings
from coding_service.dependencies import audit_trail, idempotency_store
from coding_service.encounters.router import router as encounters_router
from coding_service.feed.router import router as feed_router
from coding_service.fhir import router as fhir
from coding_service.ncci.cache import NcciEditCache
from coding_service.openapi import AUDIT, DOCUMENT, READY_CHECKS
from coding_service.validate.router import router as validate_router
from coding_service.validate.schemas import MAX_BATCH_BODY_BYTES
from coding_service.validation.service import Validator
from coding_service.webhooks.delivery import DeliveryPolicy, deliver_due_once
from coding_service.webhooks.router import router as webhooks_router
from coding_service.webhooks.targets import delivery_transport
from rcm_shared.app import create_service_app, freeze_startup_objects
from rcm_shared.background import run_every, running
from rcm_shared.db import create_engine, session_factory
from rcm_shared.logging import configure_logging

DESCRIPTION = """Validates and stores ICD-10-CM and CPT/HCPCS code assignments for encounters,
and publishes finalized encounters. Authenticate with `Authorization: Bearer <api-key>`."""


def create_app(
    settings: Settings | None = None, *, webhook_transport: httpx.AsyncBaseTransport | None = None
) -> FastAPI:
    """`webhook_transport` replaces the network under webhook deliveries (tests)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging("coding-service", settings.log_level)
        engine = create_engine(settings.database_url)
        app.state.engine = engine
        sessionmaker = app.state.sessionmaker = session_factory(engine)
        app.state.code_sets = load_code_sets(settings.codeset_cache_dir)
        app.state.validator = Validator(app.state.code_sets, NcciEditCache(sessionmaker))
        # Redirects are not followed: a delivery goes to the URL the tenant registered.
        webhook_http = httpx.AsyncClient(
            transport=webhook_transport or delivery_transport(
                allow_private_targets=settings.private_webhook_targets_allowed),
            follow_redirects=False,
            headers={"User-Agent": f"coding-service/{__version__} webhooks"},
        )
        policy = DeliveryPolicy.from_settings(settings)

        async def deliver() -> None:
            await deliver_due_once(sessionmaker, webhook_http, policy)

        async def purge_idempotency_keys() -> None:
            async with sessionmaker() as session, session.begin():
                await idempotency_store.purge_expired(session)

        loops = [run_every(settings.idempotency_purge_interval_seconds, purge_idempotency_keys,
                           name="idempotency purge")]
        if settings.webhook_worker_enabled:
            loops.append(run_every(settings.webhook_poll_interval_seconds, deliver,
                                   name="webhook delivery"))
        freeze_startup_objects()
        try:
            async with running(*loops):
                yield
        finally:
            await webhook_http.aclose()
            await engine.dispose()

    async def readiness(app: FastAPI) -> dict[str, Any]:
        async with app.state.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return {"database": "ok", "code_sets": app.state.code_sets.summary()}

    app = create_service_app(
        name="coding-service",
        title="coding-service",
        description=DESCRIPTION,
        version=__version__,
        settings=settings,
        lifespan=lifespan,
        readiness=readiness,
        ready_checks=READY_CHECKS,
        document=DOCUMENT,
        body_limits={"/v1/validate/batch": max(MAX_BATCH_BODY_BYTES, settings.max_body_bytes)},
    )
    # The stateless read paths first: a request is matched against the routers in order.
    for router in (validate_router, codesets_router, encounters_router, feed_router,
                   webhooks_router, fhir.metadata, fhir.router, audit_trail.router(*AUDIT)):
        app.include_router(router)
    return app
