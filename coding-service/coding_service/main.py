"""The coding-service app factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from sqlalchemy import text

from coding_service import __version__
from coding_service.codesets.loader import load_code_sets
from coding_service.codesets.router import router as codesets_router
from coding_service.config import Settings, get_settings
from coding_service.encounters.router import router as encounters_router
from coding_service.encounters.router import validate_router
from coding_service.feed.router import router as feed_router
from rcm_shared.app import create_service_app
from rcm_shared.db import create_engine, session_factory
from rcm_shared.logging import configure_logging

DESCRIPTION = """Validates and stores ICD-10-CM and CPT/HCPCS code assignments for encounters,
and publishes finalized encounters. Authenticate with `Authorization: Bearer <api-key>`."""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging("coding-service", settings.log_level)
        engine = create_engine(settings.database_url)
        app.state.engine = engine
        app.state.sessionmaker = session_factory(engine)
        app.state.code_sets = load_code_sets(settings.codeset_cache_dir)
        try:
            yield
        finally:
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
    )
    for router in (encounters_router, validate_router, codesets_router, feed_router):
        app.include_router(router)
    return app
