"""POST /v1/validate/batch: many encounters in one request, each with its own result."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from coding_factories import clean_codes, encounter_body

from coding_service.validate.schemas import MAX_BATCH

pytestmark = pytest.mark.asyncio


def item(**overrides: Any) -> dict[str, Any]:
    body = encounter_body() | clean_codes()
    body.pop("external_id")
    return body | overrides


def bundled() -> dict[str, Any]:
    """93010 with 93000: an NCCI PTP pair of the shipped sample (modifier indicator 0)."""
    return item(service_lines=[
        {"procedure_code": "93000", "units": 1, "charge": "45.00", "diagnosis_pointers": [1]},
        {"procedure_code": "93010", "units": 1, "charge": "20.00", "diagnosis_pointers": [1]},
    ])


async def test_each_item_gets_the_result_post_validate_gives_it(client: httpx.AsyncClient):
    duplicate = item()
    duplicate["diagnoses"].append({"code": "E11.9"})
    items = [item(id="clean"), duplicate | {"id": "twice"}, bundled(), item(id="again")]
    response = await client.post("/v1/validate/batch", json={"items": items})
    assert response.status_code == 200, response.text
    body = response.json()
    assert [(r["index"], r["id"], r["valid"]) for r in body["items"]] == [
        (0, "clean", True), (1, "twice", False), (2, None, False), (3, "again", True)]
    assert (body["valid_count"], body["invalid_count"]) == (2, 2)
    for sent, result in zip(items, body["items"], strict=True):
        sent = {key: value for key, value in sent.items() if key != "id"}
        single = (await client.post("/v1/validate", json=sent)).json()
        assert {key: result[key] for key in ("valid", "icd10cm_edition", "issues")} == single
    assert any(i["rule"] == "ncci.ptp" for i in body["items"][2]["issues"])


async def test_a_full_batch_is_taken_and_one_more_item_is_refused(client: httpx.AsyncClient,
                                                                  settings):
    # Twelve diagnoses and six lines each: larger than the other endpoints' body limit.
    fat = item(diagnoses=[{"code": code} for code in (
        "E11.9", "I10", "E78.5", "J45.909", "K21.9", "F41.1", "G47.33", "N39.0", "M54.50",
        "R51.9", "E66.9", "Z79.4")])
    fat["service_lines"] = [
        {"procedure_code": code, "modifiers": [], "units": 1, "charge": "30.00",
         "diagnosis_pointers": [1, 2, 3, 4]}
        for code in ("99214", "93000", "36415", "85025", "80053", "81003")]
    content = json.dumps({"items": [fat] * MAX_BATCH}).encode()
    assert len(content) > settings.max_body_bytes
    full = await client.post("/v1/validate/batch", content=content,
                             headers={"Content-Type": "application/json"})
    assert full.status_code == 200, full.text
    results = full.json()["items"]
    assert len(results) == MAX_BATCH and full.json()["valid_count"] == MAX_BATCH
    over = await client.post("/v1/validate/batch", json={"items": [item()] * (MAX_BATCH + 1)})
    assert over.status_code == 422
    assert over.headers["content-type"].startswith("application/problem+json")
    assert [i["path"] for i in over.json()["issues"]] == ["$.items"]


async def test_an_empty_batch_is_refused(client: httpx.AsyncClient):
    response = await client.post("/v1/validate/batch", json={"items": []})
    assert response.status_code == 422
    assert [i["path"] for i in response.json()["issues"]] == ["$.items"]


async def test_a_repeated_id_is_refused_naming_the_item(client: httpx.AsyncClient):
    items = [item(id="a"), item(id="b"), item(id="a"), item()]
    response = await client.post("/v1/validate/batch", json={"items": items})
    assert response.status_code == 422
    assert [(i["rule"], i["path"]) for i in response.json()["issues"]] == [
        ("batch.duplicate_id", "$.items[2].id")]


async def test_a_malformed_item_is_refused_naming_its_field(client: httpx.AsyncClient):
    items = [item(), item(place_of_service="office"), item(unknown="x")]
    response = await client.post("/v1/validate/batch", json={"items": items})
    assert response.status_code == 422
    paths = {i["path"] for i in response.json()["issues"]}
    assert paths == {"$.items[1].place_of_service", "$.items[2].unknown"}


async def test_a_batch_needs_only_the_read_scope(client: httpx.AsyncClient):
    readonly = {"Authorization": "Bearer demo-key-clinic-a-readonly"}
    response = await client.post("/v1/validate/batch", json={"items": [item()]},
                                 headers=readonly)
    assert response.status_code == 200
    anonymous = await client.post("/v1/validate/batch", json={"items": [item()]},
                                  headers={"Authorization": ""})
    assert anonymous.status_code == 401
