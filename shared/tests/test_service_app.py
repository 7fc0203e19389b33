"""The shared app factory: health, metrics, request ids, JSON access logs, body limits."""

from __future__ import annotations

import gc
import json
import logging
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel

from rcm_shared.app import create_service_app, freeze_startup_objects
from rcm_shared.auth import ApiKeyRecord, hash_key
from rcm_shared.logging import JsonFormatter
from rcm_shared.settings import ServiceSettings


class Note(BaseModel):
    text: str


def make_app(ready: bool = True, body_limits: dict[str, int] | None = None,
             **settings: Any) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield

    async def readiness(app: FastAPI) -> dict[str, Any]:
        if not ready:
            raise ConnectionError("database down")
        return {"database": "ok"}

    app = create_service_app(name="test", title="test", description="", version="0",
                             settings=ServiceSettings(**settings), lifespan=lifespan,
                             readiness=readiness, body_limits=body_limits)

    @app.post("/notes")
    async def post_note(note: Note) -> dict[str, int]:
        logging.getLogger("test").info("note received", extra={"patient": "Ada Lovelace"})
        return {"length": len(note.text)}

    return app


def client_for(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


async def test_health_readiness_and_metrics() -> None:
    async with client_for(make_app()) as client:
        assert (await client.get("/healthz")).json() == {"status": "ok"}
        ready = await client.get("/readyz")
        assert ready.status_code == 200 and ready.json()["checks"] == {"database": "ok"}
        metrics = await client.get("/metrics", headers=bearer("demo-key-metrics"))
    assert metrics.status_code == 200
    assert 'http_requests_total{method="GET",route="/readyz",status="200"} 1.0' in metrics.text


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.mark.parametrize(("headers", "status"), [
    ({}, 401),
    (bearer("not-a-key"), 401),
    (bearer("demo-key-clinic-a"), 403),  # admin of a tenant: the counts are every tenant's
    (bearer("demo-key-clinic-a-readonly"), 403),
])
async def test_metrics_need_a_key_with_the_metrics_scope(headers: dict[str, str],
                                                         status: int) -> None:
    async with client_for(make_app()) as client:
        response = await client.get("/metrics", headers=headers)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert "http_requests_total" not in response.text


async def test_a_configured_key_reads_metrics_only_with_the_scope() -> None:
    operator = ApiKeyRecord(key_sha256=hash_key("ops-key-0123456789"), tenant_id="ops",
                            scopes=["metrics:read"])
    tenant = ApiKeyRecord(key_sha256=hash_key("tenant-key-0123456"), tenant_id="t1")
    app = make_app(environment="production", database_url="postgresql+asyncpg://db/x",
                   api_keys=[operator, tenant])
    async with client_for(app) as client:
        assert (await client.get("/metrics", headers=bearer("ops-key-0123456789"))
                ).status_code == 200
        assert (await client.get("/metrics", headers=bearer("tenant-key-0123456"))
                ).status_code == 403
        assert (await client.get("/metrics", headers=bearer("demo-key-metrics"))
                ).status_code == 401


async def test_not_ready_is_503_with_retry_after() -> None:
    async with client_for(make_app(ready=False)) as client:
        response = await client.get("/readyz")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert response.headers["content-type"] == "application/problem+json"


async def test_request_id_is_echoed_or_made() -> None:
    async with client_for(make_app()) as client:
        given = await client.get("/healthz", headers={"X-Request-Id": "abc123"})
        made = await client.get("/healthz")
    assert given.headers["x-request-id"] == "abc123"
    assert len(made.headers["x-request-id"]) == 32


async def test_body_over_the_limit_is_413() -> None:
    async with client_for(make_app(max_body_bytes=100)) as client:
        response = await client.post("/notes", json={"text": "x" * 500})
        small = await client.post("/notes", json={"text": "ok"})
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert small.status_code == 200


async def test_a_path_can_have_its_own_body_limit() -> None:
    async def chunks():
        yield b'{"text": "'
        for _ in range(5):
            yield b"x" * 100
        yield b'"}'

    async with client_for(make_app(max_body_bytes=100, body_limits={"/notes": 1000})) as client:
        larger = await client.post("/notes", json={"text": "x" * 500})
        chunked = await client.post("/notes", content=chunks(),
                                    headers={"Content-Type": "application/json"})
        too_large = await client.post("/notes", json={"text": "x" * 1500})
        elsewhere = await client.post("/notes/", json={"text": "x" * 500})
    assert larger.status_code == 200 and chunked.status_code == 200
    assert too_large.status_code == 413
    assert too_large.json()["detail"] == "The request body exceeds 1000 bytes."
    assert elsewhere.status_code == 413


async def test_a_chunked_body_over_the_limit_is_413_not_a_parse_error() -> None:
    async def chunks():
        for _ in range(5):
            yield b'{"text": "' + b"x" * 100

    async with client_for(make_app(max_body_bytes=250)) as client:
        response = await client.post("/notes", content=chunks(),
                                     headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["type"].endswith("/too-large")


async def test_access_log_is_json_and_drops_unknown_extras(
    caplog: pytest.LogCaptureFixture,
) -> None:
    formatter = JsonFormatter("test")
    caplog.set_level(logging.INFO)
    async with client_for(make_app()) as client:
        await client.post("/notes?patient_id=MRN-1", json={"text": "Ada Lovelace"})
    # httpx's own line is the test client's, not the service's.
    lines = [json.loads(formatter.format(r)) for r in caplog.records if r.name != "httpx"]
    access = next(line for line in lines if line["logger"] == "rcm.access")
    assert access["route"] == "/notes" and access["status"] == 200
    assert access["method"] == "POST" and "latency_ms" in access
    assert all("Ada" not in json.dumps(line) and "MRN-1" not in json.dumps(line)
               for line in lines)


def test_what_start_up_built_is_left_out_of_full_collections() -> None:
    built_at_start = [object()]
    freeze_startup_objects()
    try:
        assert gc.get_freeze_count() > 0
        built_later = [object()]
        tracked = gc.get_objects()
        assert not any(item is built_at_start for item in tracked)
        assert any(item is built_later for item in tracked)
    finally:
        gc.unfreeze()
