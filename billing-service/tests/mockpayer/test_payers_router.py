"""GET /v1/payers over the mock payer adapter."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from billing_service.payers.router import router
from rcm_shared.auth import ApiKeyRegistry, demo_api_keys
from rcm_shared.problems import install_problem_handlers

CLINIC_A = {"Authorization": "Bearer demo-key-clinic-a"}


@pytest.fixture
async def client(make_adapter) -> AsyncIterator[httpx.AsyncClient]:
    app = FastAPI()
    install_problem_handlers(app)
    app.state.api_keys = ApiKeyRegistry(demo_api_keys())
    app.state.payer_adapter = make_adapter()
    app.include_router(router)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://billing.test"
    ) as http:
        yield http


async def test_lists_payers_with_plans_and_money_as_strings(client):
    response = await client.get("/v1/payers", headers=CLINIC_A)
    assert response.status_code == 200
    payers = {payer["payer_id"]: payer for payer in response.json()["items"]}
    assert list(payers) == ["MOCK-HMO", "MOCK-MCR", "MOCK-OLD", "MOCK-PPO", "MOCK-SUPP"]
    assert payers["MOCK-OLD"]["active"] is False
    # SBR09 of a claim to each plan: Medicare Part B is MB.
    assert {code: payer["plans"][0]["claim_filing_indicator"]
            for code, payer in payers.items()} == {
        "MOCK-HMO": "HM", "MOCK-MCR": "MB", "MOCK-OLD": "12", "MOCK-PPO": "12",
        "MOCK-SUPP": "CI"}
    assert payers["MOCK-PPO"]["plans"] == [
        {
            "code": "PPO-GOLD",
            "name": "Mock PPO Gold",
            "kind": "ppo",
            "claim_filing_indicator": "12",
            "deductible": "500.00",
            "copay": "0.00",
            "coinsurance_percent": "20",
            "out_of_pocket_max": "3000.00",
            "accepts_frequency_codes": ["1", "7", "8"],
            "timely_filing_days": 180,
        }
    ]
    # Each plan's timely filing limit: Medicare's a year from the date of service.
    assert {code: payer["plans"][0]["timely_filing_days"]
            for code, payer in payers.items()} == {
        "MOCK-HMO": 90, "MOCK-MCR": 365, "MOCK-OLD": 90, "MOCK-PPO": 180, "MOCK-SUPP": 365}
    assert payers["MOCK-HMO"]["plans"][0]["copay"] == "25.00"
    assert payers["MOCK-MCR"]["plans"][0]["accepts_frequency_codes"] == ["1"]


async def test_one_payer_by_id(client):
    response = await client.get("/v1/payers/MOCK-MCR", headers=CLINIC_A)
    assert response.status_code == 200
    assert response.json()["plans"][0]["deductible"] == "257.00"


async def test_unknown_payer_is_a_404_problem(client):
    response = await client.get("/v1/payers/ACME", headers=CLINIC_A)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_a_malformed_payer_id_is_a_422_naming_the_parameter(client):
    response = await client.get("/v1/payers/bad%20id", headers=CLINIC_A)
    assert response.status_code == 422
    assert response.json()["issues"][0]["path"] == "path:payer_id"


async def test_payers_need_an_api_key(client):
    assert (await client.get("/v1/payers")).status_code == 401
