"""An app whose settings name clinic-a's and clinic-b's coding-service keys and webhook
secrets, on the suite's database and fake coding-service."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from asgi_lifespan import LifespanManager
from billing_events import CODING_TENANTS
from fastapi import FastAPI

from billing_service.config import Settings
from billing_service.main import create_app


@pytest.fixture(scope="module")
async def events_app(settings: Settings, coding) -> AsyncIterator[FastAPI]:
    app = create_app(settings.model_copy(update={"coding_tenants": CODING_TENANTS}),
                     coding_transport=coding.transport)
    async with LifespanManager(app):
        yield app


@pytest.fixture(scope="module")
async def events_client(events_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=events_app),
                                 base_url="http://billing.test",
                                 headers={"Authorization": "Bearer demo-key-clinic-a"}) as http:
        yield http
