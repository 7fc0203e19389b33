"""/docs and /redoc work with no network: every address their pages name is the service's
own, and each answers."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from rcm_shared.app import create_service_app
from rcm_shared.settings import ServiceSettings

# src="...", href="...", spec-url="..." and Swagger UI's `url: '...'`.
ADDRESS = re.compile(r"""(?:src|href|spec-url|url)\s*[=:]\s*['"]([^'"]+)['"]""")


@pytest.fixture(scope="module")
async def client() -> AsyncIterator[httpx.AsyncClient]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield

    async def readiness(app: FastAPI) -> dict[str, Any]:
        return {}

    app = create_service_app(name="docs", title="docs", description="", version="0",
                             settings=ServiceSettings(), lifespan=lifespan,
                             readiness=readiness)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://service.test") as http:
        yield http


@pytest.mark.parametrize("page, addresses", [
    ("/docs", {"/docs-assets/swagger-ui-bundle.js", "/docs-assets/swagger-ui.css",
               "/docs-assets/favicon.png", "/openapi.json"}),
    ("/redoc", {"/docs-assets/redoc.standalone.js", "/docs-assets/favicon.png",
                "/openapi.json"}),
])
async def test_a_page_names_only_the_services_own_assets_and_each_answers(
    client: httpx.AsyncClient, page: str, addresses: set[str]
) -> None:
    html = await client.get(page)
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert set(ADDRESS.findall(html.text)) == addresses
    assert not re.search(r"https?://|//[a-z]", html.text), "no CDN, no fonts, no validator"
    for address in addresses:
        answer = await client.get(address)
        assert answer.status_code == 200 and answer.content, address


async def test_swagger_ui_does_not_send_the_document_to_a_validator(
    client: httpx.AsyncClient
) -> None:
    assert '"validatorUrl": null' in (await client.get("/docs")).text


async def test_the_pages_and_assets_are_not_operations_of_the_api(
    client: httpx.AsyncClient
) -> None:
    paths = (await client.get("/openapi.json")).json()["paths"]
    assert not [path for path in paths if path.startswith(("/docs", "/redoc"))]
