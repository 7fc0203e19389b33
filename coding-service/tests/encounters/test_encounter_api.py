"""The encounter lifecycle over HTTP: create, code, query, finalize, reopen, history."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from coding_factories import clean_codes, encounter_body

pytestmark = pytest.mark.asyncio


async def create(client: httpx.AsyncClient, **overrides: Any) -> dict[str, Any]:
    response = await client.post("/v1/encounters", json=encounter_body(**overrides))
    assert response.status_code == 201, response.text
    return response.json()


async def put_codes(client: httpx.AsyncClient, encounter: dict[str, Any],
                    codes: dict[str, Any] | None = None) -> httpx.Response:
    return await client.put(f"/v1/encounters/{encounter['id']}/codes",
                            json=codes if codes is not None else clean_codes(),
                            headers={"If-Match": str(encounter["version"])})


async def coded(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await put_codes(client, await create(client))
    assert response.status_code == 200, response.text
    return response.json()


async def test_create_returns_open_encounter_and_repost_returns_the_same(client) -> None:
    body = encounter_body()
    first = await client.post("/v1/encounters", json=body)
    assert first.status_code == 201
    created = first.json()
    assert created["status"] == "open" and created["version"] == 1
    assert created["coding_version"] == 1
    assert first.headers["ETag"] == '"1"'
    again = await client.post("/v1/encounters", json=body)
    assert again.status_code == 200
    assert again.json()["id"] == created["id"]


async def test_concurrent_creates_of_one_external_id_make_one_encounter(client) -> None:
    body = encounter_body()
    responses = await asyncio.gather(*(client.post("/v1/encounters", json=body)
                                       for _ in range(5)))
    assert sorted(r.status_code for r in responses) == [200, 200, 200, 200, 201]
    [encounter_id] = {r.json()["id"] for r in responses}
    events = (await client.get(f"/v1/encounters/{encounter_id}/events")).json()["items"]
    assert [e["type"] for e in events] == ["encounter.created"]
    # The new encounter's answer and a re-POST's answer are the same resource.
    created = next(r for r in responses if r.status_code == 201).json()
    assert all(r.json() == created for r in responses)


async def test_put_codes_stores_codes_and_reports_issues(client) -> None:
    encounter = await create(client)
    response = await put_codes(client, encounter)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["version"] == 2
    assert [d["code"] for d in body["diagnoses"]] == ["E11.9", "I10"]
    assert body["service_lines"][0]["charge"] == "180.00"
    assert [i for i in body["issues"] if i["severity"] == "error"] == []

    bad = clean_codes()
    bad["diagnoses"][0]["code"] = "E11"
    saved = await put_codes(client, body, bad)
    assert saved.status_code == 200, "saving does not require zero errors"
    rules = {i["rule"] for i in saved.json()["issues"]}
    assert "icd10cm.header_code" in rules


async def test_put_codes_needs_a_current_version(client) -> None:
    encounter = await create(client)
    url = f"/v1/encounters/{encounter['id']}/codes"
    missing = await client.put(url, json=clean_codes())
    assert missing.status_code == 428
    stale = await client.put(url, json=clean_codes(), headers={"If-Match": '"7"'})
    assert stale.status_code == 412
    assert stale.headers["content-type"] == "application/problem+json"
    quoted = await client.put(url, json=clean_codes(), headers={"If-Match": '"1"'})
    assert quoted.status_code == 200


async def test_finalize_freezes_a_coding_version_and_publishes_it(client) -> None:
    encounter = await coded(client)
    response = await client.post(f"/v1/encounters/{encounter['id']}/finalize")
    assert response.status_code == 200, response.text
    finalized = response.json()
    assert finalized["status"] == "finalized" and finalized["coding_version"] == 1

    snapshot = await client.get(f"/v1/encounters/{encounter['id']}/coding-versions/1")
    assert snapshot.status_code == 200
    assert [d["code"] for d in snapshot.json()["diagnoses"]] == ["E11.9", "I10"]
    assert snapshot.json()["patient"]["id"] == encounter["patient"]["id"]

    locked = await put_codes(client, finalized)
    assert locked.status_code == 409


async def test_finalize_with_errors_answers_422_and_changes_nothing(client) -> None:
    encounter = await create(client)
    codes = clean_codes()
    codes["diagnoses"][0]["code"] = "E11"
    coded_body = (await put_codes(client, encounter, codes)).json()
    response = await client.post(f"/v1/encounters/{encounter['id']}/finalize")
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"].endswith("/coding-errors")
    assert any(i["rule"] == "icd10cm.header_code" and i["path"] == "$.diagnoses[0].code"
               for i in problem["issues"])
    after = (await client.get(f"/v1/encounters/{encounter['id']}")).json()
    assert after["status"] == "open" and after["version"] == coded_body["version"]
    missing = await client.get(f"/v1/encounters/{encounter['id']}/coding-versions/1")
    assert missing.status_code == 404


async def test_reopen_starts_the_next_coding_version(client) -> None:
    encounter = await coded(client)
    await client.post(f"/v1/encounters/{encounter['id']}/finalize")
    reopened = await client.post(f"/v1/encounters/{encounter['id']}/reopen",
                                 json={"reason": "late documentation"})
    assert reopened.status_code == 200
    assert reopened.json()["status"] == "open" and reopened.json()["coding_version"] == 2
    codes = clean_codes()
    codes["diagnoses"] = [{"code": "I10"}]
    codes["service_lines"] = [codes["service_lines"][1]]
    codes["service_lines"][0]["diagnosis_pointers"] = [1]
    recoded = await put_codes(client, reopened.json(), codes)
    assert recoded.status_code == 200
    second = await client.post(f"/v1/encounters/{encounter['id']}/finalize")
    assert second.status_code == 200 and second.json()["coding_version"] == 2
    listed = (await client.get(f"/v1/encounters/{encounter['id']}/coding-versions")).json()
    versions = listed["items"]
    assert listed["next_cursor"] is None
    assert [v["coding_version"] for v in versions] == [1, 2]
    first = (await client.get(f"/v1/encounters/{encounter['id']}/coding-versions",
                              params={"limit": 1})).json()
    rest = (await client.get(f"/v1/encounters/{encounter['id']}/coding-versions",
                             params={"limit": 1, "cursor": first["next_cursor"]})).json()
    assert [v["coding_version"] for v in first["items"] + rest["items"]] == [1, 2]
    assert rest["next_cursor"] is None
    assert [d["code"] for d in versions[0]["diagnoses"]] == ["E11.9", "I10"]
    assert [d["code"] for d in versions[1]["diagnoses"]] == ["I10"]


@pytest.mark.parametrize("action", ["finalize", "reopen"])
async def test_illegal_transitions_answer_409(client, action: str) -> None:
    encounter = await coded(client)
    if action == "finalize":
        await client.post(f"/v1/encounters/{encounter['id']}/queries", json={"question": "?"})
    response = await client.post(f"/v1/encounters/{encounter['id']}/{action}")
    assert response.status_code == 409
    assert response.json()["status"] == 409


async def test_provider_queries_hold_the_encounter_until_answered(client) -> None:
    encounter = await coded(client)
    url = f"/v1/encounters/{encounter['id']}"
    first = await client.post(f"{url}/queries", json={"question": "Left or right knee?"})
    assert first.status_code == 201
    assert first.json()["status"] == "needs_clarification"
    second = await client.post(f"{url}/queries", json={"question": "Which diabetes type?"})
    queries = second.json()["queries"]
    assert [q["status"] for q in queries] == ["open", "open"]

    answered = await client.post(f"{url}/queries/{queries[0]['id']}/answer",
                                 json={"answer": "Right knee."})
    assert answered.json()["status"] == "needs_clarification", "one query is still open"
    twice = await client.post(f"{url}/queries/{queries[0]['id']}/answer", json={"answer": "x"})
    assert twice.status_code == 409
    done = await client.post(f"{url}/queries/{queries[1]['id']}/answer",
                             json={"answer": "Type 2."})
    assert done.json()["status"] == "open"
    assert (await client.post(f"{url}/finalize")).status_code == 200
    after_final = await client.post(f"{url}/queries", json={"question": "late?"})
    assert after_final.status_code == 409
    unknown = await client.post(f"{url}/queries/00000000-0000-0000-0000-000000000000/answer",
                                json={"answer": "x"})
    assert unknown.status_code == 404


async def test_every_change_is_an_event(client) -> None:
    encounter = await coded(client)
    await client.post(f"/v1/encounters/{encounter['id']}/finalize")
    events = (await client.get(f"/v1/encounters/{encounter['id']}/events")).json()["items"]
    assert [e["type"] for e in events] == [
        "encounter.created", "encounter.codes_updated", "encounter.finalized"]
    assert all(e["actor"].startswith("key:") for e in events)
    page = (await client.get(f"/v1/encounters/{encounter['id']}/events?limit=2")).json()
    assert len(page["items"]) == 2 and page["next_cursor"]
    rest = (await client.get(f"/v1/encounters/{encounter['id']}/events",
                             params={"cursor": page["next_cursor"]})).json()
    assert [e["type"] for e in rest["items"]] == ["encounter.finalized"]


async def test_list_filters_and_pages(client) -> None:
    patient = encounter_body()["patient"]
    made = [await create(client, patient=patient) for _ in range(3)]
    await client.post(f"/v1/encounters/{made[0]['id']}/queries", json={"question": "?"})
    page = (await client.get("/v1/encounters", params={"patient_id": patient["id"],
                                                        "limit": 2})).json()
    assert len(page["items"]) == 2 and page["next_cursor"]
    rest = (await client.get("/v1/encounters", params={"patient_id": patient["id"], "limit": 2,
                                                        "cursor": page["next_cursor"]})).json()
    seen = [e["id"] for e in page["items"] + rest["items"]]
    assert sorted(seen) == sorted(e["id"] for e in made) and rest["next_cursor"] is None
    waiting = (await client.get("/v1/encounters", params={"patient_id": patient["id"],
                                                           "status": "needs_clarification"}))
    assert [e["id"] for e in waiting.json()["items"]] == [made[0]["id"]]
    bad_cursor = await client.get("/v1/encounters", params={"cursor": "garbage"})
    assert bad_cursor.status_code == 400


async def test_validate_stores_nothing(client) -> None:
    body = encounter_body() | clean_codes()
    body["diagnoses"].append({"code": "E11.9"})
    response = await client.post("/v1/validate", json=body)
    assert response.status_code == 200
    result = response.json()
    assert result["valid"] is False
    assert any(i["rule"] == "diagnosis.duplicate" and i["path"] == "$.diagnoses[2].code"
               for i in result["issues"])
    listed = await client.get("/v1/encounters", params={"patient_id": body["patient"]["id"]})
    assert listed.json()["items"] == []
    clean = await client.post("/v1/validate", json=encounter_body() | clean_codes())
    assert clean.json()["valid"] is True
