"""Idempotency-Key on every coding-service write: a retry answers the first response."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest
from coding_factories import CLINIC_B, clean_codes, encounter_body
from coding_flows import coded_encounter, create_encounter, finalized_encounter
from fastapi import FastAPI

from coding_service.dependencies import idempotency_store
from rcm_shared.db import utcnow
from rcm_shared.routing import TransactionalRoute
from rcm_shared.testing.routes import api_routes, dependency_calls

# Writes that are reads in disguise: nothing is created or changed.
STATELESS_POSTS = {"/v1/validate", "/v1/validate/batch"}


def new_key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


def test_every_write_endpoint_takes_an_idempotency_key(app: FastAPI) -> None:
    writes = [
        route for route in api_routes(app)
        if route.methods & {"POST", "PUT", "PATCH"} and route.path not in STATELESS_POSTS
    ]
    assert len(writes) >= 7
    for route in writes:
        assert idempotency_store.dependency in dependency_calls(route), route.path
        assert isinstance(route.original_route, TransactionalRoute), route.path
    schema = app.openapi()
    for route in writes:
        for method in route.methods & {"POST", "PUT", "PATCH"}:
            parameters = schema["paths"][route.path][method.lower()].get("parameters", [])
            header = next(p for p in parameters if p["name"] == "Idempotency-Key")
            assert header["in"] == "header" and header["schema"]["maxLength"] == 255


async def replayed(client: httpx.AsyncClient, method: str, url: str, **kwargs: Any
                   ) -> tuple[httpx.Response, httpx.Response]:
    first = await client.request(method, url, **kwargs)
    second = await client.request(method, url, **kwargs)
    assert second.status_code == first.status_code, second.text
    assert second.content == first.content
    assert second.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    return first, second


async def events_of(client: httpx.AsyncClient, encounter_id: str) -> list[str]:
    page = (await client.get(f"/v1/encounters/{encounter_id}/events")).json()
    return [e["type"] for e in page["items"]]


async def test_create_replays_201_with_its_location_and_etag(client) -> None:
    first, second = await replayed(client, "POST", "/v1/encounters", json=encounter_body(),
                                   headers=new_key())
    assert first.status_code == 201
    assert second.headers["location"] == first.headers["location"]
    assert second.headers["etag"] == first.headers["etag"]


async def test_put_codes_replay_does_not_bump_the_version(client) -> None:
    encounter = await create_encounter(client)
    url = f"/v1/encounters/{encounter['id']}/codes"
    first, _ = await replayed(client, "PUT", url, json=clean_codes(),
                              headers={"If-Match": "1", **new_key()})
    assert first.json()["version"] == 2
    assert (await client.get(f"/v1/encounters/{encounter['id']}")).json()["version"] == 2


async def test_finalize_replay_answers_200_not_409_and_publishes_once(client) -> None:
    encounter = await coded_encounter(client)
    url = f"/v1/encounters/{encounter['id']}/finalize"
    first, _ = await replayed(client, "POST", url, headers=new_key())
    assert first.status_code == 200 and first.json()["status"] == "finalized"
    assert (await events_of(client, encounter["id"])).count("encounter.finalized") == 1
    # Without the key the same call is a new request, and a finalized encounter refuses it.
    assert (await client.post(url)).status_code == 409


async def test_reopen_replay_starts_one_coding_version(client) -> None:
    encounter = await finalized_encounter(client)
    url = f"/v1/encounters/{encounter['id']}/reopen"
    first, _ = await replayed(client, "POST", url, json={"reason": "late note"},
                              headers=new_key())
    assert first.json()["coding_version"] == 2
    assert (await events_of(client, encounter["id"])).count("encounter.reopened") == 1


async def test_query_and_answer_replays_act_once(client) -> None:
    encounter = await coded_encounter(client)
    url = f"/v1/encounters/{encounter['id']}/queries"
    first, _ = await replayed(client, "POST", url, json={"question": "Which knee?"},
                              headers=new_key())
    queries = first.json()["queries"]
    assert first.status_code == 201 and len(queries) == 1
    answer_url = f"{url}/{queries[0]['id']}/answer"
    answered, _ = await replayed(client, "POST", answer_url, json={"answer": "Right."},
                                 headers=new_key())
    assert answered.json()["status"] == "open"
    now = (await client.get(f"/v1/encounters/{encounter['id']}")).json()
    assert len(now["queries"]) == 1 and now["queries"][0]["status"] == "answered"


async def test_webhook_create_replays_the_same_subscription(client) -> None:
    body = {"url": "https://hooks.example.test/replay", "events": ["encounter.finalized"]}
    first, _ = await replayed(client, "POST", "/v1/webhooks", json=body, headers=new_key())
    listed = (await client.get("/v1/webhooks", params={"limit": 200})).json()["items"]
    assert [w["id"] for w in listed].count(first.json()["id"]) == 1
    assert sum(w["url"] == body["url"] for w in listed) == 1
    await client.delete(f"/v1/webhooks/{first.json()['id']}")


async def test_the_same_key_with_another_body_answers_422(client) -> None:
    headers = new_key()
    assert (await client.post("/v1/encounters", json=encounter_body(),
                              headers=headers)).status_code == 201
    other = await client.post("/v1/encounters", json=encounter_body(), headers=headers)
    assert other.status_code == 422
    assert other.headers["content-type"] == "application/problem+json"
    assert other.json()["issues"][0]["path"] == "header:Idempotency-Key"


async def test_the_same_key_on_another_endpoint_answers_422(client) -> None:
    encounter = await coded_encounter(client)
    headers = new_key()
    await client.post(f"/v1/encounters/{encounter['id']}/queries", json={"question": "?"},
                      headers=headers)
    reused = await client.post(f"/v1/encounters/{encounter['id']}/finalize", headers=headers)
    assert reused.status_code == 422


@pytest.mark.parametrize("key, status", [("k" * 255, 201), ("k" * 256, 400), ("", 400)])
async def test_key_length_is_checked(client, key: str, status: int) -> None:
    response = await client.post("/v1/encounters", json=encounter_body(),
                                 headers={"Idempotency-Key": key})
    assert response.status_code == status, response.text
    if status == 400:
        assert response.json()["issues"][0]["path"] == "header:Idempotency-Key"


async def test_keys_are_per_tenant(client) -> None:
    headers = new_key()
    mine = await client.post("/v1/encounters", json=encounter_body(), headers=headers)
    theirs = await client.post("/v1/encounters", json=encounter_body(),
                               headers={**headers, **CLINIC_B})
    assert theirs.status_code == 201 and "idempotent-replayed" not in theirs.headers
    assert theirs.json()["id"] != mine.json()["id"]


async def test_an_error_answer_is_not_kept(client) -> None:
    encounter = await create_encounter(client)
    codes = clean_codes()
    codes["diagnoses"][0]["code"] = "E11"  # a header code: finalize refuses it
    fixed = await client.put(f"/v1/encounters/{encounter['id']}/codes", json=codes,
                             headers={"If-Match": "1"})
    headers = new_key()
    url = f"/v1/encounters/{encounter['id']}/finalize"
    assert (await client.post(url, headers=headers)).status_code == 422
    await client.put(f"/v1/encounters/{encounter['id']}/codes", json=clean_codes(),
                     headers={"If-Match": str(fixed.json()["version"])})
    retried = await client.post(url, headers=headers)
    assert retried.status_code == 200 and "idempotent-replayed" not in retried.headers


async def test_an_expired_key_acts_again(client, monkeypatch: pytest.MonkeyPatch) -> None:
    encounter = await coded_encounter(client)
    url = f"/v1/encounters/{encounter['id']}/queries"
    headers = new_key()
    await client.post(url, json={"question": "?"}, headers=headers)
    later = utcnow() + timedelta(hours=24, minutes=1)
    monkeypatch.setattr(idempotency_store, "clock", lambda: later)
    again = await client.post(url, json={"question": "?"}, headers=headers)
    assert again.status_code == 201 and "idempotent-replayed" not in again.headers
    assert len(again.json()["queries"]) == 2


async def test_concurrent_retries_create_one_query(client) -> None:
    encounter = await coded_encounter(client)
    url = f"/v1/encounters/{encounter['id']}/queries"
    headers = new_key()
    responses = await asyncio.gather(*(
        client.post(url, json={"question": "Left or right?"}, headers=headers)
        for _ in range(4)
    ))
    assert {r.status_code for r in responses} == {201}
    assert len({r.content for r in responses}) == 1
    assert sum("idempotent-replayed" in r.headers for r in responses) == 3
    now = (await client.get(f"/v1/encounters/{encounter['id']}")).json()
    assert len(now["queries"]) == 1
    assert (await events_of(client, encounter["id"])).count("encounter.query_opened") == 1
