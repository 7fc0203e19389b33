"""What contract fuzzing found in billing-service, pinned so it stays fixed."""

from __future__ import annotations

import pytest
from fastapi import FastAPI


def documented(app: FastAPI, path: str, method: str) -> set[str]:
    return set(app.openapi()["paths"][path][method]["responses"])


async def test_an_unknown_encounter_is_a_documented_404(app: FastAPI, client) -> None:
    response = await client.post("/v1/claims", json={"encounter_id": "enc-nobody-has"})
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert {"404", "502", "503"} <= documented(app, "/v1/claims", "post")


async def test_a_remittance_in_another_media_type_is_a_documented_415(app: FastAPI,
                                                                      client) -> None:
    response = await client.post("/v1/remittances", json={"not": "an 835"})
    assert response.status_code == 415
    assert "415" in documented(app, "/v1/remittances", "post")


async def test_a_number_is_not_a_day_for_active_on(client) -> None:
    response = await client.get("/v1/coverages", params={"active_on": "1772409600"})
    assert response.status_code == 422
    assert response.json()["issues"][0]["path"] == "query:active_on"
    assert (await client.get("/v1/coverages", params={"active_on": "2026-03-02"})
            ).status_code == 200


@pytest.mark.parametrize("field", ["effective_from", "effective_to"])
async def test_a_number_is_not_a_coverage_date(client, field: str) -> None:
    body = {"patient_id": "MRN-DATES", "payer_id": "MOCK-PPO", "member_id": "W300000021",
            "relationship": "self", "effective_from": "2020-01-01",
            "subscriber": {"first_name": "Ana", "last_name": "Silva",
                           "birth_date": "1980-02-01", "sex": "F"}, field: 0}
    response = await client.post("/v1/coverages", json=body)
    assert response.status_code == 422
    assert f"$.{field}" in {i["path"] for i in response.json()["issues"]}


async def test_a_number_is_not_a_birth_date(client) -> None:
    body = {"patient_id": "MRN-DATES", "payer_id": "MOCK-PPO", "member_id": "W300000021",
            "relationship": "self", "effective_from": "2020-01-01",
            "subscriber": {"first_name": "Ana", "last_name": "Silva",
                           "birth_date": 315532800, "sex": "F"}}
    response = await client.post("/v1/coverages", json=body)
    assert response.status_code == 422
    assert "$.subscriber.birth_date" in {i["path"] for i in response.json()["issues"]}
