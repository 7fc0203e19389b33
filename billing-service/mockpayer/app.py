"""The mock clearinghouse app (`mockpayer serve`): the mock payer behind HTTP, on its own
database, reached by billing with PAYER_ADAPTER=http."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from sqlalchemy import text

from billing_service import __version__
from mockpayer.config import Settings, get_settings
from mockpayer.payer import MockPayer
from mockpayer.router import router
from rcm_shared.app import create_service_app, freeze_startup_objects
from rcm_shared.db import create_engine, session_factory
from rcm_shared.logging import configure_logging

DESCRIPTION = """A mock clearinghouse in front of the mock payer: submit 837P claim files,
collect the 277CA acknowledgments and 835 remittances answering them, list the payers. Each
API key is an account's credential; an account reaches only its own submissions and files.
Authenticate with `Authorization: Bearer <api-key>`."""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging("mockpayer", settings.log_level)
        engine = create_engine(settings.database_url)
        app.state.engine = engine
        app.state.payer = MockPayer(session_factory(engine), settings.mock_payer)
        freeze_startup_objects()
        try:
            yield
        finally:
            await engine.dispose()

    async def readiness(app: FastAPI) -> dict[str, Any]:
        async with app.state.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return {"database": "ok"}

    app = create_service_app(
        name="mockpayer",
        title="mock clearinghouse",
        description=DESCRIPTION,
        version=__version__,
        settings=settings,
        lifespan=lifespan,
        readiness=readiness,
    )
    app.include_router(router)
    return app
