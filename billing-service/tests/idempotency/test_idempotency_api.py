"""Idempotency-Key on every billing write: a retry answers the first response and acts once;
the same key with another request answers 422; concurrent requests with one key act once."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
from billing_routes import STATELESS_POSTS
from fastapi import FastAPI
from payer_files import denial_835
from sqlalchemy import func, select

from billing_service.dependencies import idempotency_store
from billing_service.models import PayerJob
from rcm_shared.routing import TransactionalRoute
from rcm_shared.testing.routes import api_routes, dependency_calls

CLINIC_B = {"Authorization": "Bearer demo-key-clinic-b"}


def new_key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


def test_every_write_endpoint_takes_an_idempotency_key(app: FastAPI) -> None:
    writes = [route for route in api_routes(app)
              if route.methods & {"POST", "PUT", "PATCH"} and route.path not in STATELESS_POSTS]
    assert {route.path for route in writes} == {
        "/v1/coverages", "/v1/coverages/{coverage_id}", "/v1/claims",
        "/v1/claims/{claim_id}/submit", "/v1/claims/{claim_id}/resubmit",
        "/v1/claims/{claim_id}/void", "/v1/claims/{claim_id}/corrections", "/v1/remittances",
        "/v1/providers", "/v1/providers/{npi}", "/v1/eligibility-checks",
        "/v1/claims/{claim_id}", "/v1/claims/{claim_id}/cancel",
        "/v1/claims/{claim_id}/status-inquiries", "/v1/patients/{patient_id}/payments",
        "/v1/patients/{patient_id}/refunds", "/v1/patients/{patient_id}/adjustments",
        "/v1/payers/{payer_id}/contract", "/v1/claims/{claim_id}/appeals"}
    schema = app.openapi()
    for route in writes:
        # An upload committed in steps claims its key with the last one.
        assert {idempotency_store.dependency, idempotency_store.deferred} & set(
            dependency_calls(route)), route.path
        assert isinstance(route.original_route, TransactionalRoute), route.path
        for method in route.methods & {"POST", "PATCH"}:
            parameters = schema["paths"][route.path][method.lower()].get("parameters", [])
            header = next(p for p in parameters if p["name"] == "Idempotency-Key")
            assert header["in"] == "header" and header["schema"]["maxLength"] == 255


async def replayed(client: httpx.AsyncClient, method: str, url: str, **kwargs: Any
                   ) -> httpx.Response:
    first = await client.request(method, url, **kwargs)
    second = await client.request(method, url, **kwargs)
    assert second.status_code == first.status_code, second.text
    assert second.content == first.content
    assert second.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    return first


async def jobs_of(app: FastAPI, claim_id: str) -> int:
    async with app.state.sessionmaker() as session:
        return await session.scalar(select(func.count()).select_from(PayerJob)
                                    .where(PayerJob.claim_id == claim_id)) or 0


def coverage_body(patient_id: str, member_id: str = "W300000004") -> dict[str, Any]:
    return {"patient_id": patient_id, "payer_id": "MOCK-PPO", "member_id": member_id,
            "relationship": "self", "effective_from": "2020-01-01",
            "subscriber": {"first_name": "Ana", "last_name": "Silva",
                           "birth_date": "1980-02-01", "sex": "F"}}


async def test_coverage_create_replays_201_with_location_and_etag(billing) -> None:
    patient_id = f"MRN-IK-{uuid.uuid4().hex[:8]}"
    first = await replayed(billing.http, "POST", "/v1/coverages",
                           json=coverage_body(patient_id), headers=new_key())
    assert first.status_code == 201
    listed = await billing.get(f"/v1/coverages?patient_id={patient_id}")
    assert [c["id"] for c in listed["items"]] == [first.json()["id"]]


async def test_coverage_patch_replay_bumps_the_version_once(billing) -> None:
    coverage = await billing.coverage(f"MRN-IK-{uuid.uuid4().hex[:8]}")
    first = await replayed(billing.http, "PATCH", f"/v1/coverages/{coverage['id']}",
                           json={"group_number": "G-200"},
                           headers={"If-Match": "1", **new_key()})
    assert first.json()["version"] == 2
    assert (await billing.get(f"/v1/coverages/{coverage['id']}"))["version"] == 2


async def test_claim_create_replays_the_201_not_a_200(billing) -> None:
    encounter = billing.coding.add()
    await billing.coverage(encounter["patient"]["id"])
    first = await replayed(billing.http, "POST", "/v1/claims",
                           json={"encounter_id": encounter["encounter_id"]}, headers=new_key())
    assert first.status_code == 201
    # Without a key the same request is a new one: it finds the claim and says so.
    again = await billing.http.post("/v1/claims", json={"encounter_id": encounter["encounter_id"]})
    assert (again.status_code, again.json()["id"]) == (200, first.json()["id"])


async def test_submit_replay_queues_one_submission(app, billing) -> None:
    claim = await billing.covered_claim()
    first = await replayed(billing.http, "POST", f"/v1/claims/{claim['id']}/submit",
                           headers=new_key())
    assert (first.status_code, first.json()["submission_count"]) == (200, 1)
    assert await jobs_of(app, claim["id"]) == 1
    assert (await billing.http.post(f"/v1/claims/{claim['id']}/submit")).status_code == 409
    await billing.process()


async def test_resubmit_void_and_correction_replays_act_once(app, billing) -> None:
    encounter = billing.coding.add()
    coverage = await billing.coverage(encounter["patient"]["id"], member_id="W000000000")
    claim = await billing.claim_for(encounter)
    assert (await billing.submitted_and_processed(claim["id"]))["status"] == "rejected"
    await billing.http.patch(f"/v1/coverages/{coverage['id']}",
                             json={"member_id": f"W{700_200_000 + uuid.uuid4().int % 9999:09d}"},
                             headers={"If-Match": "1"})
    resubmitted = await replayed(billing.http, "POST", f"/v1/claims/{claim['id']}/resubmit",
                                 headers=new_key())
    assert resubmitted.json()["submission_count"] == 2
    assert await jobs_of(app, claim["id"]) == 2
    await billing.process()
    assert (await billing.get(f"/v1/claims/{claim['id']}"))["status"] == "paid"

    billing.coding.recode(encounter, lines=[{"procedure_code": "99214", "modifiers": [],
                                             "units": 1, "charge": "200.00",
                                             "diagnosis_pointers": [1]}])
    corrected = await replayed(billing.http, "POST", f"/v1/claims/{claim['id']}/corrections",
                               json={"encounter_coding_version": 2}, headers=new_key())
    assert corrected.status_code == 201
    claims = (await billing.get(f"/v1/claims?patient_id={encounter['patient']['id']}"))["items"]
    assert sorted(c["frequency_code"] for c in claims) == ["1", "7"]

    replacement = corrected.json()
    await billing.submitted_and_processed(replacement["id"])
    voided = await replayed(billing.http, "POST", f"/v1/claims/{replacement['id']}/void",
                            headers=new_key())
    assert voided.json()["status"] == "voided"
    assert await jobs_of(app, replacement["id"]) == 2  # its submission and one void
    await billing.process()


async def test_remittance_upload_replays_its_first_answer(billing) -> None:
    claim = await billing.covered_claim()
    submitted = await billing.act(claim["id"], "submit")
    text = denial_835(submitted["patient_control_number"], f"PPO-IK-{uuid.uuid4().hex[:6]}",
                      f"TRACE-IK-{uuid.uuid4().hex[:6]}")
    headers = {"Content-Type": "application/edi-x12", **new_key()}
    first = await replayed(billing.http, "POST", "/v1/remittances", content=text,
                           headers=headers)
    assert (first.json()["posted"], first.json()["previously_received"]) == (1, False)
    # Without the key, the same file is recognised as already received.
    again = await billing.http.post("/v1/remittances", content=text,
                                    headers={"Content-Type": "application/edi-x12"})
    assert again.json()["previously_received"] is True
    await billing.process()


async def test_the_same_key_with_another_request_answers_422(billing) -> None:
    headers = new_key()
    patient_id = f"MRN-IK-{uuid.uuid4().hex[:8]}"
    assert (await billing.http.post("/v1/coverages", json=coverage_body(patient_id),
                                    headers=headers)).status_code == 201
    other = await billing.http.post("/v1/coverages",
                                    json=coverage_body(patient_id, "W300000005"),
                                    headers=headers)
    assert other.status_code == 422
    assert other.headers["content-type"] == "application/problem+json"
    assert other.json()["issues"][0]["path"] == "header:Idempotency-Key"
    claim = await billing.covered_claim()
    elsewhere = await billing.http.post(f"/v1/claims/{claim['id']}/submit", headers=headers)
    assert elsewhere.status_code == 422
    assert (await billing.get(f"/v1/claims/{claim['id']}"))["status"] == "ready"


async def test_keys_are_per_tenant(billing) -> None:
    headers = new_key()
    mine = await billing.http.post("/v1/coverages", json=coverage_body("MRN-IK-TENANT"),
                                   headers=headers)
    theirs = await billing.http.post("/v1/coverages", json=coverage_body("MRN-IK-TENANT"),
                                     headers={**headers, **CLINIC_B})
    assert theirs.status_code == 201 and "idempotent-replayed" not in theirs.headers
    assert theirs.json()["id"] != mine.json()["id"]


async def test_an_error_answer_is_not_kept(billing) -> None:
    encounter = billing.coding.add()
    headers = new_key()
    body = {"encounter_id": encounter["encounter_id"]}
    # No coverage yet: nothing is built, and the key is free for the retry.
    assert (await billing.http.post("/v1/claims", json=body, headers=headers)).status_code == 422
    await billing.coverage(encounter["patient"]["id"])
    retried = await billing.http.post("/v1/claims", json=body, headers=headers)
    assert retried.status_code == 201 and "idempotent-replayed" not in retried.headers


async def test_a_key_too_long_is_a_400(billing) -> None:
    response = await billing.http.post("/v1/coverages", json=coverage_body("MRN-IK-LONG"),
                                       headers={"Idempotency-Key": "k" * 256})
    assert response.status_code == 400
    assert response.json()["issues"][0]["path"] == "header:Idempotency-Key"


async def test_concurrent_claim_requests_with_one_key_build_one_claim(app, billing) -> None:
    encounter = billing.coding.add()
    await billing.coverage(encounter["patient"]["id"])
    headers = new_key()
    responses = await asyncio.gather(*(
        billing.http.post("/v1/claims", json={"encounter_id": encounter["encounter_id"]},
                          headers=headers)
        for _ in range(4)))
    assert {r.status_code for r in responses} == {201}
    assert len({r.content for r in responses}) == 1
    assert sum("idempotent-replayed" in r.headers for r in responses) == 3
    claims = (await billing.get(f"/v1/claims?patient_id={encounter['patient']['id']}"))["items"]
    assert len(claims) == 1


async def test_concurrent_submits_with_one_key_queue_one_submission(app, billing) -> None:
    claim = await billing.covered_claim()
    headers = new_key()
    responses = await asyncio.gather(*(
        billing.http.post(f"/v1/claims/{claim['id']}/submit", headers=headers)
        for _ in range(4)))
    assert {r.status_code for r in responses} == {200}
    assert len({r.content for r in responses}) == 1
    assert await jobs_of(app, claim["id"]) == 1
    history = (await billing.get(f"/v1/claims/{claim['id']}/events"))["items"]
    assert [e["action"] for e in history].count("submit") == 1
    await billing.process()
