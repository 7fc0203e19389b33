"""/v1/coverages: payer and plan checked against the adapter, dates, tenants, If-Match."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

CLINIC_B = {"Authorization": "Bearer demo-key-clinic-b"}


def body(**fields: Any) -> dict[str, Any]:
    return {
        "patient_id": f"MRN-{uuid.uuid4().hex[:8]}", "payer_id": "MOCK-PPO",
        "member_id": "W123456789", "group_number": "G-100", "relationship": "self",
        "subscriber": {"first_name": "Ana", "last_name": "Silva", "birth_date": "1980-02-01",
                       "sex": "F"},
        "effective_from": "2026-01-01", "effective_to": None, **fields,
    }


def paths(response: httpx.Response) -> list[str]:
    assert response.headers["content-type"] == "application/problem+json"
    return [i["path"] for i in response.json()["issues"]]


async def test_create_then_read_with_etag(client: httpx.AsyncClient) -> None:
    created = await client.post("/v1/coverages", json=body(plan_code="PPO-GOLD"))
    assert created.status_code == 201
    coverage = created.json()
    assert created.headers["etag"] == '"1"'
    assert created.headers["location"] == f"/v1/coverages/{coverage['id']}"
    assert coverage["plan_code"] == "PPO-GOLD"
    assert coverage["subscriber"]["last_name"] == "Silva"
    fetched = await client.get(f"/v1/coverages/{coverage['id']}")
    assert fetched.status_code == 200
    assert fetched.json() == coverage
    assert fetched.headers["etag"] == '"1"'


async def test_unknown_payer_or_plan_names_the_field(client: httpx.AsyncClient) -> None:
    unknown_payer = await client.post("/v1/coverages", json=body(payer_id="ACME"))
    assert unknown_payer.status_code == 422
    assert paths(unknown_payer) == ["$.payer_id"]
    assert "MOCK-PPO" in unknown_payer.json()["issues"][0]["message"]
    unknown_plan = await client.post("/v1/coverages", json=body(plan_code="HMO-SELECT"))
    assert unknown_plan.status_code == 422
    assert paths(unknown_plan) == ["$.plan_code"]


async def test_bad_fields_answer_422_naming_them(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/coverages", json=body(
        relationship="cousin", effective_from="2026-05-01", effective_to="2026-04-30",
        member_id="W 1", extra="no",
    ))
    assert response.status_code == 422
    assert set(paths(response)) == {"$.relationship", "$.effective_to", "$.member_id", "$.extra"}
    bad_sex = await client.post("/v1/coverages", json=body(
        subscriber={"first_name": "A", "last_name": "B", "birth_date": "1980-01-01", "sex": "X"}))
    assert paths(bad_sex) == ["$.subscriber.sex"]


async def test_list_by_patient_and_day_in_force(client: httpx.AsyncClient) -> None:
    patient = f"MRN-{uuid.uuid4().hex[:8]}"
    old = (await client.post("/v1/coverages", json=body(
        patient_id=patient, effective_from="2024-01-01", effective_to="2025-12-31"))).json()
    new = (await client.post("/v1/coverages", json=body(
        patient_id=patient, effective_from="2026-01-01"))).json()
    everything = (await client.get("/v1/coverages", params={"patient_id": patient})).json()
    assert [c["id"] for c in everything["items"]] == [old["id"], new["id"]]
    in_2025 = (await client.get("/v1/coverages",
                                params={"patient_id": patient, "active_on": "2025-06-01"})).json()
    assert [c["id"] for c in in_2025["items"]] == [old["id"]]
    first = (await client.get("/v1/coverages", params={"patient_id": patient, "limit": 1})).json()
    assert [c["id"] for c in first["items"]] == [old["id"]]
    second = (await client.get("/v1/coverages", params={
        "patient_id": patient, "limit": 1, "cursor": first["next_cursor"]})).json()
    assert [c["id"] for c in second["items"]] == [new["id"]]
    assert second["next_cursor"] is None


async def test_bad_cursor_is_a_400(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/coverages", params={"cursor": "not-a-cursor"})
    assert response.status_code == 400
    assert response.json()["issues"][0]["path"] == "query:cursor"


async def test_another_tenant_sees_404(client: httpx.AsyncClient) -> None:
    coverage = (await client.post("/v1/coverages", json=body())).json()
    response = await client.get(f"/v1/coverages/{coverage['id']}", headers=CLINIC_B)
    assert response.status_code == 404
    patch = await client.patch(f"/v1/coverages/{coverage['id']}", headers={**CLINIC_B,
                               "If-Match": "1"}, json={"member_id": "W999999999"})
    assert patch.status_code == 404
    listed = await client.get("/v1/coverages", headers=CLINIC_B,
                              params={"patient_id": coverage["patient_id"]})
    assert listed.json()["items"] == []


async def test_patch_needs_the_current_version(client: httpx.AsyncClient) -> None:
    coverage = (await client.post("/v1/coverages", json=body())).json()
    url = f"/v1/coverages/{coverage['id']}"
    missing = await client.patch(url, json={"member_id": "W111111111"})
    assert missing.status_code == 428
    stale = await client.patch(url, json={"member_id": "W111111111"}, headers={"If-Match": "7"})
    assert stale.status_code == 412
    fixed = await client.patch(url, json={"member_id": "W111111111", "effective_to": "2026-12-31"},
                               headers={"If-Match": '"1"'})
    assert fixed.status_code == 200
    assert fixed.headers["etag"] == '"2"'
    assert fixed.json()["member_id"] == "W111111111"
    assert fixed.json()["effective_to"] == "2026-12-31"
    assert fixed.json()["group_number"] == "G-100"
    reopened = await client.patch(url, json={"effective_to": None}, headers={"If-Match": "2"})
    assert reopened.json()["effective_to"] is None


async def test_patch_refuses_nulls_and_reversed_windows(client: httpx.AsyncClient) -> None:
    coverage = (await client.post("/v1/coverages", json=body())).json()
    url = f"/v1/coverages/{coverage['id']}"
    null_member = await client.patch(url, json={"member_id": None}, headers={"If-Match": "1"})
    assert null_member.status_code == 422
    assert paths(null_member) == ["$.member_id"]
    reversed_window = await client.patch(url, json={"effective_to": "2025-01-01"},
                                         headers={"If-Match": "1"})
    assert reversed_window.status_code == 422
    assert paths(reversed_window) == ["$.effective_to"]
    unchanged = await client.get(url)
    assert unchanged.json()["version"] == 1


def subscriber(first_name: str) -> dict[str, str]:
    return {"first_name": first_name, "last_name": "Silva", "birth_date": "1980-02-01",
            "sex": "F"}


@pytest.mark.parametrize("text", ["G\x00100", "G\x1b[31m", "G\x7f"])
async def test_control_characters_are_refused_and_nothing_is_kept(client: httpx.AsyncClient,
                                                                  text: str) -> None:
    # PostgreSQL cannot store a NUL in text: it answered 500; SQLite kept it as sent.
    patient = f"MRN-{uuid.uuid4().hex[:8]}"
    for fields, path in (({"group_number": text}, "$.group_number"),
                         ({"subscriber": subscriber(text)}, "$.subscriber.first_name")):
        created = await client.post("/v1/coverages", json=body(patient_id=patient, **fields))
        assert created.status_code == 422
        assert paths(created) == [path]
        url = f"/v1/coverages/{(await client.post('/v1/coverages', json=body())).json()['id']}"
        patched = await client.patch(url, json=fields, headers={"If-Match": "1"})
        assert patched.status_code == 422
        assert paths(patched) == [path]
        unchanged = (await client.get(url)).json()
        assert (unchanged["version"], unchanged["group_number"]) == (1, "G-100")
        assert unchanged["subscriber"]["first_name"] == "Ana"
    listed = await client.get("/v1/coverages", params={"patient_id": patient})
    assert listed.json()["items"] == []


# --- priority: one coverage of each priority per patient on any date ----------------------


async def test_priority_defaults_to_primary(client: httpx.AsyncClient) -> None:
    created = await client.post("/v1/coverages", json=body())
    assert created.json()["priority"] == "primary"


async def test_a_second_primary_on_overlapping_dates_is_a_409_and_is_not_kept(
    client: httpx.AsyncClient,
) -> None:
    first = (await client.post("/v1/coverages", json=body(effective_to="2026-06-30"))).json()
    patient = first["patient_id"]
    clash = await client.post("/v1/coverages", json=body(
        patient_id=patient, payer_id="MOCK-HMO", member_id="H12345678",
        effective_from="2026-06-30"))
    assert clash.status_code == 409
    problem = clash.json()
    assert [(i["rule"], i["path"]) for i in problem["issues"]] == [
        ("coverage.priority_taken", "$.priority")]
    assert first["id"] in problem["detail"]
    listed = await client.get("/v1/coverages", params={"patient_id": patient})
    assert [c["id"] for c in listed.json()["items"]] == [first["id"]]
    # The day after the first one ends, a new primary is no clash.
    following = await client.post("/v1/coverages", json=body(
        patient_id=patient, payer_id="MOCK-HMO", member_id="H12345678",
        effective_from="2026-07-01"))
    assert following.status_code == 201


async def test_primary_secondary_and_tertiary_side_by_side(client: httpx.AsyncClient) -> None:
    patient = f"MRN-{uuid.uuid4().hex[:8]}"
    for priority, payer, member in (("primary", "MOCK-MCR", "1EG4TE5MK74"),
                                    ("secondary", "MOCK-SUPP", "S100000001"),
                                    ("tertiary", "MOCK-PPO", "W123456789")):
        created = await client.post("/v1/coverages", json=body(
            patient_id=patient, payer_id=payer, member_id=member, priority=priority))
        assert created.status_code == 201, created.text
        assert created.json()["priority"] == priority
    second_secondary = await client.post("/v1/coverages", json=body(
        patient_id=patient, payer_id="MOCK-HMO", member_id="H12345678", priority="secondary"))
    assert second_secondary.status_code == 409
    # Another patient's priorities are their own.
    assert (await client.post("/v1/coverages", json=body(priority="secondary"))).status_code == 201


async def test_patch_into_a_taken_priority_or_window_is_a_409_and_changes_nothing(
    client: httpx.AsyncClient,
) -> None:
    primary = (await client.post("/v1/coverages", json=body(effective_to="2026-03-31"))).json()
    patient = primary["patient_id"]
    later = (await client.post("/v1/coverages", json=body(
        patient_id=patient, payer_id="MOCK-HMO", member_id="H12345678",
        effective_from="2026-04-01"))).json()
    reopened = await client.patch(f"/v1/coverages/{primary['id']}", json={"effective_to": None},
                                  headers={"If-Match": "1"})
    assert reopened.status_code == 409
    moved = await client.patch(f"/v1/coverages/{later['id']}",
                               json={"effective_from": "2026-03-01"}, headers={"If-Match": "1"})
    assert moved.status_code == 409
    demoted = await client.patch(f"/v1/coverages/{later['id']}",
                                 json={"priority": "secondary", "effective_from": "2026-03-01"},
                                 headers={"If-Match": "1"})
    assert demoted.status_code == 200
    assert (demoted.json()["priority"], demoted.json()["version"]) == ("secondary", 2)
    unchanged = (await client.get(f"/v1/coverages/{primary['id']}")).json()
    assert (unchanged["effective_to"], unchanged["version"]) == ("2026-03-31", 1)
    nulled = await client.patch(f"/v1/coverages/{later['id']}", json={"priority": None},
                                headers={"If-Match": "2"})
    assert nulled.status_code == 422
    assert [i["rule"] for i in nulled.json()["issues"]] == ["coverage.required"]


async def test_unknown_priority_is_a_422_naming_the_field(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/coverages", json=body(priority="quaternary"))
    assert response.status_code == 422
    assert paths(response) == ["$.priority"]


SUBSCRIBER_ADDRESS = {"line1": "12 Oak Avenue", "line2": None, "city": "Chicago", "state": "IL",
                      "postal_code": "60601"}


def dependent(address: dict[str, Any] | None, **fields: Any) -> dict[str, Any]:
    subscriber = {"first_name": "Rui", "last_name": "Silva", "birth_date": "1975-06-30",
                  "sex": "M"}
    if address is not None:
        subscriber["address"] = address
    return body(relationship="child", subscriber=subscriber, **fields)


async def test_a_subscriber_who_is_not_the_patient_needs_an_address(
    client: httpx.AsyncClient,
) -> None:
    missing = await client.post("/v1/coverages", json=dependent(None))
    assert missing.status_code == 422
    assert [(i["rule"], i["path"]) for i in missing.json()["issues"]] == [
        ("coverage.subscriber_address", "$.subscriber.address")]
    created = await client.post("/v1/coverages", json=dependent(SUBSCRIBER_ADDRESS))
    assert created.status_code == 201, created.text
    assert created.json()["subscriber"]["address"] == SUBSCRIBER_ADDRESS
    # The patient is the subscriber: the patient's own address is sent.
    self_coverage = await client.post("/v1/coverages", json=body())
    assert self_coverage.status_code == 201
    assert self_coverage.json()["subscriber"]["address"] is None


@pytest.mark.parametrize(("change", "rule"), [
    ({"state": "XX"}, ("address.state", "$.subscriber.address.state")),
    ({"postal_code": "606"}, ("address.postal_code", "$.subscriber.address.postal_code")),
])
async def test_the_subscriber_address_is_a_usps_one(client: httpx.AsyncClient,
                                                    change: dict[str, str],
                                                    rule: tuple[str, str]) -> None:
    response = await client.post("/v1/coverages",
                                 json=dependent({**SUBSCRIBER_ADDRESS, **change}))
    assert response.status_code == 422
    assert [(i["rule"], i["path"]) for i in response.json()["issues"]] == [rule]


async def test_a_patch_keeps_a_dependent_with_an_address(client: httpx.AsyncClient) -> None:
    coverage = (await client.post("/v1/coverages", json=body())).json()
    url = f"/v1/coverages/{coverage['id']}"
    to_child = await client.patch(url, json={"relationship": "child"}, headers={"If-Match": "1"})
    assert to_child.status_code == 422
    assert [i["rule"] for i in to_child.json()["issues"]] == ["coverage.subscriber_address"]
    assert (await client.get(url)).json()["relationship"] == "self"
    subscriber = {**coverage["subscriber"], "address": SUBSCRIBER_ADDRESS}
    fixed = await client.patch(url, json={"relationship": "child", "subscriber": subscriber},
                               headers={"If-Match": "1"})
    assert fixed.status_code == 200, fixed.text
    assert fixed.json()["subscriber"]["address"]["city"] == "Chicago"
