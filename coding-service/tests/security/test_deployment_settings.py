"""coding-service's deployment guards: production refuses to start half-configured, CORS
answers only the configured origins, and oversize bodies are refused before they are read."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import AsyncIterator

import httpx
import pytest
from asgi_lifespan import LifespanManager
from coding_factories import CLINIC_A, encounter_body
from pydantic import ValidationError

from coding_service import cli
from coding_service.config import Settings, get_settings
from coding_service.main import create_app
from rcm_shared.auth import ApiKeyRecord, hash_key
from rcm_shared.settings import Environment

FRONT_END = "http://localhost:5173"
KEY = ApiKeyRecord(key_sha256=hash_key("prod-key-0123456789"), tenant_id="clinic-p",
                   scopes=["coding:read", "coding:write"])


@pytest.fixture(autouse=True)
def no_deployment_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ENVIRONMENT", "API_KEYS", "DATABASE_URL", "CORS_ORIGINS", "MAX_BODY_BYTES"):
        monkeypatch.delenv(name, raising=False)


def test_production_refuses_to_start_without_keys(monkeypatch, database_url) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("DATABASE_URL", database_url)
    with pytest.raises(ValidationError, match="API_KEYS"):
        create_app(Settings())


def test_production_refuses_to_start_on_the_default_database(monkeypatch) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("API_KEYS", f"[{KEY.model_dump_json()}]")
    with pytest.raises(ValidationError, match="DATABASE_URL"):
        create_app(Settings())


async def test_production_serves_only_its_configured_keys(monkeypatch, settings,
                                                          database_url) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("API_KEYS", f"[{KEY.model_dump_json()}]")
    monkeypatch.setenv("DATABASE_URL", database_url)
    production = Settings(codeset_cache_dir=settings.codeset_cache_dir,
                          webhook_worker_enabled=False)
    app = create_app(production)
    async with LifespanManager(app), httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://coding.test"
    ) as client:
        demo = await client.get("/v1/encounters", headers=CLINIC_A)
        configured = await client.get(
            "/v1/encounters", headers={"Authorization": "Bearer prod-key-0123456789"})
    assert demo.status_code == 401
    assert configured.status_code == 200 and configured.json()["items"] == []


@pytest.fixture(scope="module")
async def guarded(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    configured = settings.model_copy(update={"cors_origins": [FRONT_END],
                                             "max_body_bytes": 4096})
    app = create_app(configured)
    async with LifespanManager(app), httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://coding.test", headers=CLINIC_A
    ) as client:
        yield client


async def test_cors_preflight_allows_the_configured_origin(guarded) -> None:
    response = await guarded.options("/v1/encounters", headers={
        "Origin": FRONT_END, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type, idempotency-key, if-match",
    })
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == FRONT_END
    allowed = response.headers["access-control-allow-headers"].lower()
    assert "idempotency-key" in allowed and "if-match" in allowed


async def test_cors_refuses_other_origins(guarded) -> None:
    preflight = await guarded.options("/v1/encounters", headers={
        "Origin": "https://evil.example.test", "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 400
    assert "access-control-allow-origin" not in preflight.headers
    read = await guarded.get("/v1/encounters", headers={"Origin": "https://evil.example.test"})
    assert "access-control-allow-origin" not in read.headers


async def test_cors_exposes_the_headers_a_front_end_reads(guarded) -> None:
    response = await guarded.post("/v1/encounters", json=encounter_body(),
                                  headers={"Origin": FRONT_END, "Idempotency-Key": "cors-1"})
    assert response.status_code == 201
    assert response.headers["access-control-allow-origin"] == FRONT_END
    exposed = {h.strip().lower() for h in
               response.headers["access-control-expose-headers"].split(",")}
    assert {"etag", "location", "x-request-id", "idempotent-replayed"} <= exposed


async def test_development_allows_a_local_front_end_without_configuration(client) -> None:
    for origin in (FRONT_END, "http://127.0.0.1:3000", "http://localhost"):
        preflight = await client.options("/v1/encounters", headers={
            "Origin": origin, "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type, idempotency-key"})
        assert preflight.status_code == 200, origin
        assert preflight.headers["access-control-allow-origin"] == origin
    read = await client.get("/v1/encounters", headers={"Origin": FRONT_END})
    assert read.status_code == 200
    assert read.headers["access-control-allow-origin"] == FRONT_END


@pytest.mark.parametrize("origin", ["https://localhost:5173", "http://localhost.evil.test",
                                    "http://evil.test/http://localhost:5173"])
async def test_development_allows_no_other_origin_by_default(client, origin: str) -> None:
    preflight = await client.options("/v1/encounters", headers={
        "Origin": origin, "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 400
    assert "access-control-allow-origin" not in preflight.headers


async def test_production_allows_no_origin_unless_configured(settings: Settings) -> None:
    production = settings.model_copy(update={"environment": Environment.PRODUCTION})
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(production)),
                                 base_url="http://coding.test") as client:
        preflight = await client.options("/v1/encounters", headers={
            "Origin": FRONT_END, "Access-Control-Request-Method": "POST"})
        read = await client.get("/healthz", headers={"Origin": FRONT_END})
    assert preflight.status_code == 405
    assert "access-control-allow-origin" not in preflight.headers
    assert "access-control-allow-origin" not in read.headers


@pytest.mark.parametrize("value", [f'["{FRONT_END}", "https://coder.example.test"]',
                                   f"{FRONT_END},https://coder.example.test",
                                   f" {FRONT_END} , https://coder.example.test, "])
async def test_cors_origins_come_from_the_environment(monkeypatch, value: str) -> None:
    monkeypatch.setenv("CORS_ORIGINS", value)
    assert Settings().cors_origins == [FRONT_END, "https://coder.example.test"]


async def test_one_cors_origin_is_a_list_of_one(monkeypatch) -> None:
    monkeypatch.setenv("CORS_ORIGINS", FRONT_END)
    assert Settings().cors_origins == [FRONT_END]


def test_a_bad_setting_stops_the_command_with_one_line_naming_it(monkeypatch) -> None:
    monkeypatch.setenv("CORS_ORIGINS", "[http://localhost:3000")
    done = subprocess.run([sys.executable, "-m", "coding_service.cli", "migrate"],
                          capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout) == (2, "")
    [line] = done.stderr.splitlines()
    assert line.startswith("coding-service: bad setting: CORS_ORIGINS: not a valid JSON list")


def test_serve_stops_on_a_bad_setting_before_listening(monkeypatch, capsys) -> None:
    monkeypatch.setenv("WEBHOOK_BATCH_SIZE", "0")
    get_settings.cache_clear()
    assert cli.main(["serve", "--port", "9"]) == 2
    assert capsys.readouterr().err == (
        "coding-service: bad setting: WEBHOOK_BATCH_SIZE: Input should be greater than or "
        "equal to 1\n")


async def test_a_body_over_the_limit_answers_413_and_creates_nothing(guarded) -> None:
    body = encounter_body()
    body["patient"]["first_name"] = "A" * 5000
    response = await guarded.post("/v1/encounters", json=body)
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    found = await guarded.get("/v1/encounters", params={"patient_id": body["patient"]["id"]})
    assert found.json()["items"] == []
    assert (await guarded.post("/v1/encounters", json=encounter_body())).status_code == 201


async def test_a_streamed_body_over_the_limit_is_refused_too(guarded) -> None:
    async def chunks():
        for _ in range(10):
            yield b"x" * 1024

    response = await guarded.post("/v1/validate", content=chunks(),
                                  headers={"Content-Type": "application/json"})
    assert response.status_code == 413
