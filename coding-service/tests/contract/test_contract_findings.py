"""What contract fuzzing found in coding-service, pinned so it stays fixed."""

from __future__ import annotations

import pytest
from coding_factories import clean_codes, encounter_body
from fastapi import FastAPI


@pytest.mark.parametrize("field, value", [("date_of_service", 0),
                                          ("date_of_service", "1772409600")])
async def test_a_number_is_not_a_date_of_service(client, field: str, value: object) -> None:
    response = await client.post("/v1/encounters", json=encounter_body(**{field: value}))
    assert response.status_code == 422
    assert "$.date_of_service" in {i["path"] for i in response.json()["issues"]}


async def test_a_number_is_not_a_birth_date(client) -> None:
    body = encounter_body()
    body["patient"]["birth_date"] = 315532800
    response = await client.post("/v1/validate", json=body | clean_codes())
    assert response.status_code == 422
    assert "$.patient.birth_date" in {i["path"] for i in response.json()["issues"]}


@pytest.mark.parametrize("url, path", [
    ("/v1/codes/icd10cm/E11.9?date_of_service=0", "query:date_of_service"),
    ("/v1/encounters?updated_after=1772409600", "query:updated_after"),
])
async def test_numeric_dates_in_queries_are_refused(client, url: str, path: str) -> None:
    response = await client.get(url)
    assert response.status_code == 422
    assert response.json()["issues"][0]["path"] == path


@pytest.mark.parametrize("charge", [10**10, 180, 180.5])
async def test_a_charge_is_a_decimal_string_never_a_number(client, charge: object) -> None:
    codes = clean_codes()
    codes["service_lines"][0]["charge"] = charge
    response = await client.post("/v1/validate", json=encounter_body() | codes)
    assert response.status_code == 422
    assert "$.service_lines[0].charge" in {i["path"] for i in response.json()["issues"]}
    codes["service_lines"][0]["charge"] = "180"
    assert (await client.post("/v1/validate", json=encounter_body() | codes)).status_code == 200


async def test_a_body_that_is_not_json_is_a_documented_400(app: FastAPI, client) -> None:
    # Not even UTF-8: the framework answers 400 before any validation.
    response = await client.post("/v1/validate", content=b"(\x8a!\x0eA\xd4",
                                 headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    documented = app.openapi()["paths"]["/v1/validate"]["post"]["responses"]
    assert str(response.status_code) in documented


async def test_405_lists_every_method_of_the_path(client) -> None:
    item = await client.patch("/v1/webhooks/00000000-0000-0000-0000-000000000000")
    assert item.status_code == 405 and item.headers["allow"] == "DELETE, GET"
    collection = await client.put("/v1/encounters")
    assert collection.headers["allow"] == "GET, POST"


def test_the_document_says_what_the_service_does(app: FastAPI) -> None:
    schema = app.openapi()
    create = schema["paths"]["/v1/encounters"]["post"]["responses"]
    assert {"200", "201"} <= set(create), "a re-POST of an external_id answers 200"
    webhook_url = schema["components"]["schemas"]["WebhookCreate"]["properties"]["url"]
    assert webhook_url["pattern"] == "^[Hh][Tt][Tt][Pp][Ss]?://"
    finalize = schema["paths"]["/v1/encounters/{encounter_id}/finalize"]["post"]
    assert {"401", "403", "404", "409", "412", "422"} <= set(finalize["responses"])
    assert "428" not in finalize["responses"], "finalize applies without If-Match"
    [optional] = [p for p in finalize["parameters"] if p["name"] == "If-Match"]
    assert optional["required"] is False
    put_codes = schema["paths"]["/v1/encounters/{encounter_id}/codes"]["put"]
    assert "428" in put_codes["responses"]
    [required] = [p for p in put_codes["parameters"] if p["name"] == "If-Match"]
    assert required["required"] is True
