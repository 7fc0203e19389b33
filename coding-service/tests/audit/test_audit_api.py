"""The audit trail: every read and change of an encounter, who and when, ids only."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from coding_factories import CLINIC_B, clean_codes
from coding_flows import create_encounter

READONLY = {"Authorization": "Bearer demo-key-clinic-a-readonly"}
CODER = {"Authorization": "Bearer demo-key-clinic-a-coder"}


async def trail(client: httpx.AsyncClient, resource_id: str, **params: Any
                ) -> list[dict[str, Any]]:
    response = await client.get("/v1/audit", params={"resource_type": "encounter",
                                                      "resource_id": resource_id, **params})
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def test_every_read_and_change_of_an_encounter_is_recorded(client) -> None:
    encounter = await create_encounter(client)
    url = f"/v1/encounters/{encounter['id']}"
    read = await client.get(url)
    await client.put(f"{url}/codes", json=clean_codes(), headers={"If-Match": "1"})
    await client.post(f"{url}/queries", json={"question": "Which knee?"})
    query_id = (await client.get(url)).json()["queries"][0]["id"]
    await client.post(f"{url}/queries/{query_id}/answer", json={"answer": "Right."})
    await client.post(f"{url}/finalize")
    await client.get(f"{url}/events")
    await client.get(f"{url}/coding-versions")
    await client.get(f"{url}/coding-versions/1")
    await client.post(f"{url}/reopen")

    entries = await trail(client, encounter["id"])
    assert [e["action"] for e in reversed(entries)] == [
        "create", "read", "update", "query", "read", "answer", "finalize",
        "read", "read", "read", "reopen"]
    newest_read = next(e for e in reversed(entries) if e["action"] == "read")
    assert newest_read["request_id"] == read.headers["x-request-id"]
    assert all(e["actor"].startswith("key:") and e["tenant_id"] == "clinic-a" for e in entries)
    assert all(e["resource_type"] == "encounter" for e in entries)


async def test_a_list_read_is_recorded_without_a_resource(client) -> None:
    listed = await client.get("/v1/encounters", params={"limit": 1})
    entries = (await client.get("/v1/audit", params={"resource_type": "encounter",
                                                      "limit": 5})).json()["items"]
    [entry] = [e for e in entries if e["request_id"] == listed.headers["x-request-id"]]
    assert entry["action"] == "list" and entry["resource_id"] is None


async def test_failed_requests_leave_no_entry(client) -> None:
    encounter = await create_encounter(client)
    url = f"/v1/encounters/{encounter['id']}"
    assert (await client.put(f"{url}/codes", json=clean_codes(),
                             headers={"If-Match": "9"})).status_code == 412
    assert (await client.post(f"{url}/reopen")).status_code == 409
    assert (await client.get(url, headers=CLINIC_B)).status_code == 404
    assert [e["action"] for e in await trail(client, encounter["id"])] == ["create"]
    theirs = (await client.get("/v1/audit", headers=CLINIC_B,
                               params={"resource_id": encounter["id"]})).json()
    assert theirs["items"] == []


async def test_entries_hold_ids_never_patient_data(client) -> None:
    encounter = await create_encounter(client)
    await client.get(f"/v1/encounters/{encounter['id']}")
    text = (await client.get("/v1/audit", params={"resource_id": encounter["id"]})).text
    patient = encounter["patient"]
    for value in (patient["id"], patient["first_name"], patient["last_name"],
                  patient["birth_date"], encounter["external_id"]):
        assert value not in text


async def test_the_trail_pages_newest_first(client) -> None:
    encounter = await create_encounter(client)
    for _ in range(3):
        await client.get(f"/v1/encounters/{encounter['id']}")
    first = (await client.get("/v1/audit", params={"resource_id": encounter["id"],
                                                    "limit": 3})).json()
    rest = (await client.get("/v1/audit", params={"resource_id": encounter["id"], "limit": 3,
                                                   "cursor": first["next_cursor"]})).json()
    ids = [e["id"] for e in first["items"] + rest["items"]]
    assert ids == sorted(ids, reverse=True) and len(ids) == 4
    assert [e["action"] for e in rest["items"]] == ["create"] and rest["next_cursor"] is None


async def test_webhook_changes_are_audited_too(client) -> None:
    created = await client.post("/v1/webhooks", json={
        "url": "https://audit.example.test/h", "events": ["encounter.finalized"]})
    webhook_id = created.json()["id"]
    await client.delete(f"/v1/webhooks/{webhook_id}")
    entries = (await client.get("/v1/audit", params={"resource_type": "webhook",
                                                      "resource_id": webhook_id})).json()
    assert [e["action"] for e in entries["items"]] == ["delete", "create"]


@pytest.mark.parametrize("headers", [READONLY, CODER], ids=["readonly", "coder"])
async def test_the_trail_needs_the_admin_scope(client, headers) -> None:
    response = await client.get("/v1/audit", headers=headers)
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("params", [{"resource_type": "Encounter!"}, {"limit": 0},
                                    {"cursor": "not-a-cursor"}, {"resource_id": "x" * 65}])
async def test_bad_filters_answer_4xx(client, params) -> None:
    response = await client.get("/v1/audit", params=params)
    assert response.status_code in (400, 422)
    assert response.headers["content-type"] == "application/problem+json"
