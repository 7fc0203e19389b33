"""Fixtures for coding-service: one migrated throwaway database and one app per test run."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from coding_factories import CLINIC_A
from fastapi import FastAPI

from coding_service.config import Settings
from coding_service.main import create_app
from rcm_shared.testing import migrate, throwaway_database

SERVICE_DIR = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with throwaway_database("coding_test", tmp_path_factory.mktemp("db")) as url:
        migrate(SERVICE_DIR / "alembic.ini", url)
        yield url


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    # The code-set cache is shared across runs (var/cache), so only the first run builds it.
    # Webhook deliveries are driven by the tests themselves (deliver_due_once), never by a loop.
    return Settings(database_url=database_url,
                    codeset_cache_dir=SERVICE_DIR.parent / "var" / "cache",
                    webhook_worker_enabled=False)


@pytest.fixture(scope="session")
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    async with LifespanManager(application):
        yield application


@pytest.fixture(scope="session")
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://coding.test", headers=CLINIC_A
    ) as http:
        yield http
