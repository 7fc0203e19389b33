"""Tenant isolation on every billing endpoint: clinic-b's key on clinic-a's resources finds
nothing and changes nothing.

The endpoints come from the app's routes. Every path parameter must be known here, either as a
tenant's resource (clinic-b gets 404 for clinic-a's) or as reference data; every write without
one, which could name clinic-a's resources in its body, must have its own test below. So a new
endpoint fails this module until it is covered.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from billing_events import CODING_TENANTS, SECRET_B, deliver
from billing_providers import RENDERING_PROVIDER
from billing_routes import SIGNED_ROUTES, filled, path_params
from billing_workers import RecordingPayer, worker_state
from fastapi import FastAPI
from payer_files import valid_npi
from sqlalchemy import select

from billing_service.main import create_app, payer_conversation
from billing_service.models import PayerJob
from billing_service.x12.remit835 import FUNCTIONAL_ID as REMITTANCE
from billing_service.x12.syntax import read_interchange
from rcm_shared.testing.routes import operations

CLINIC_B = {"Authorization": "Bearer demo-key-clinic-b"}
X12 = {"Content-Type": "application/edi-x12"}
# Reference data, the same for every tenant.
REFERENCE_PARAMS = {"payer_id": "MOCK-PPO"}
# Valid bodies, so a request reaches the tenant check instead of stopping at validation.
BODIES: dict[tuple[str, str], Any] = {
    ("PATCH", "/v1/coverages/{coverage_id}"): {"member_id": "W300000002"},
    ("POST", "/v1/claims/{claim_id}/corrections"): {"encounter_coding_version": 1},
    ("POST", "/v1/claims/{claim_id}/appeals"): {"level": 1, "reason": "Documented."},
    ("PATCH", "/v1/providers/{npi}"): {"taxonomy": "207R00000X"},
    ("PATCH", "/v1/claims/{claim_id}"): {"coverage_id": "5a1b3c9e-0000-4000-8000-000000000000"},
    ("POST", "/v1/patients/{patient_id}/payments"): {"amount": "10.00", "method": "cash"},
    ("POST", "/v1/patients/{patient_id}/refunds"): {"amount": "10.00", "method": "cash"},
    ("POST", "/v1/patients/{patient_id}/adjustments"): {"amount": "1.00", "reason": "courtesy"},
}
# Writes without a path parameter, each with its own test in this module.
BODY_CHECKED = {
    ("POST", "/v1/coverages"): "test_a_coverage_clinic_b_records_is_its_own",
    ("POST", "/v1/providers"): "test_a_provider_clinic_b_registers_is_its_own",
    ("POST", "/v1/claims"): "test_clinic_b_cannot_build_from_clinic_a_encounter_or_coverage",
    ("POST", "/v1/claims/x12-batch"): "test_clinic_a_claims_are_unknown_to_clinic_b_export",
    ("POST", "/v1/remittances"): "test_an_835_clinic_b_uploads_never_posts_to_clinic_a",
    ("POST", "/v1/admin/process"): "test_clinic_b_processing_sends_none_of_clinic_a_claims",
    ("POST", "/v1/webhooks/coding"): "test_a_signed_event_of_clinic_b_cannot_bill_clinic_a",
    ("POST", "/v1/eligibility-checks"): "test_clinic_b_cannot_check_clinic_a_coverage",
    ("POST", "/v1/estimates"): "test_clinic_b_cannot_estimate_on_clinic_a_coverage",
    # A payer is reference data; the contract with it is each tenant's own.
    **{(method, "/v1/payers/{payer_id}/contract"): "test_a_contract_is_the_tenants_own"
       for method in ("GET", "PUT", "DELETE")},
}


@pytest.fixture(scope="module")
async def clinic_a(app: FastAPI, coding) -> dict[str, str]:
    """Clinic-a's resources: a coverage, a claim paid by the payer (with its 835), and the
    encounter it was built from."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://billing.test",
                                 headers={"Authorization": "Bearer demo-key-clinic-a"}) as http:
        encounter = coding.add()
        member_id = f"W{700_100_000 + uuid.uuid4().int % 99_999:09d}"
        # A provider only clinic-a registered (both register the NPIs the claims bill with).
        npi = valid_npi(f"{uuid.uuid4().int % 10**9:09d}")
        assert (await http.post("/v1/providers", json={**RENDERING_PROVIDER, "npi": npi,
                                                       "last_name": "Okafor"})
                ).status_code == 201
        coverage = (await http.post("/v1/coverages", json={
            "patient_id": encounter["patient"]["id"], "payer_id": "MOCK-PPO",
            "member_id": member_id, "relationship": "self",
            "subscriber": {"first_name": "Ana", "last_name": "Silva",
                           "birth_date": "1980-02-01", "sex": "F"},
            "effective_from": "2020-01-01"})).json()
        claim = (await http.post("/v1/claims",
                                 json={"encounter_id": encounter["encounter_id"]})).json()
        assert (await http.post(f"/v1/claims/{claim['id']}/submit")).status_code == 200
        payer = RecordingPayer(app.state.payer_adapter)
        state = worker_state(app, payer)
        await payer_conversation(state).send_due("clinic-a")
        for _ in range(2):
            await payer_conversation(state).poll()
        paid = (await http.get(f"/v1/claims/{claim['id']}")).json()
        assert paid["status"] == "paid", paid
        check = (await http.post("/v1/eligibility-checks", json={
            "coverage_id": coverage["id"], "date_of_service": "2026-06-01"})).json()
    remittance = next(text for text in payer.received
                      if read_interchange(text).groups[0].functional_id == REMITTANCE
                      and paid["patient_control_number"] in text)
    return {
        "claim_id": claim["id"],
        "check_id": check["id"],
        "coverage_id": coverage["id"],
        "patient_id": encounter["patient"]["id"],
        "encounter_id": encounter["encounter_id"],
        "member_id": member_id,
        "patient_control_number": paid["patient_control_number"],
        "payer_claim_control_number": paid["payer_claim_control_number"],
        "version": str(paid["version"]),
        "remittance": remittance,
        "npi": npi,
    }


def markers(a: dict[str, str]) -> list[str]:
    return [a[k] for k in ("claim_id", "coverage_id", "patient_id", "encounter_id", "member_id",
                           "patient_control_number", "payer_claim_control_number", "npi")]


async def test_every_endpoint_hides_clinic_a_from_clinic_b(app: FastAPI, client, clinic_a
                                                           ) -> None:
    checked: set[tuple[str, str]] = set()
    for method, route in operations(app):
        if route.path in SIGNED_ROUTES:
            assert (method, route.path) in BODY_CHECKED
            continue
        tenant_params = path_params(route.path) - set(REFERENCE_PARAMS)
        url = filled(route.path, {**REFERENCE_PARAMS, **clinic_a})
        if tenant_params:
            body = BODIES.get((method, route.path))
            if route.body_field is not None and route.body_field.field_info.is_required():
                assert body is not None, f"{method} {route.path}: add a valid body here"
            headers = {**CLINIC_B, "If-Match": "1"} if method == "PATCH" else CLINIC_B
            response = await client.request(method, url, json=body, headers=headers)
            assert response.status_code == 404, f"{method} {route.path}: {response.text}"
            assert response.headers["content-type"] == "application/problem+json"
            # Beyond the ids clinic-b sent (the problem's instance is the path).
            assert not [m for m in markers(clinic_a) if m in response.text and m not in url]
        elif (method, route.path) in BODY_CHECKED:
            pass
        elif method == "GET":
            response = await client.get(url, params={"limit": 200}, headers=CLINIC_B)
            assert response.status_code == 200, f"{route.path}: {response.text}"
            leaked = [m for m in markers(clinic_a) if m in response.text]
            assert leaked == [], f"GET {route.path} shows clinic-a's {leaked}"
        else:
            assert (method, route.path) in BODY_CHECKED, (
                f"{method} {route.path}: add a test that clinic-b cannot reach clinic-a "
                "through its body, and list it in BODY_CHECKED")
        checked.add((method, route.path))
    assert {("GET", "/v1/claims/{claim_id}/remittance"), ("GET", "/v1/audit"),
            ("PATCH", "/v1/coverages/{coverage_id}"), ("GET", "/v1/coding-events"),
            ("GET", "/v1/providers/{npi}"), ("PATCH", "/v1/providers/{npi}"),
            ("GET", "/v1/providers"),
            ("POST", "/v1/claims/{claim_id}/void"), ("GET", "/v1/claims/{claim_id}/x12"),
            ("GET", "/v1/patients/{patient_id}/statement")} <= checked


async def test_clinic_b_cannot_check_clinic_a_coverage(client, clinic_a) -> None:
    response = await client.post("/v1/eligibility-checks", headers=CLINIC_B, json={
        "coverage_id": clinic_a["coverage_id"], "date_of_service": "2026-06-01"})
    assert response.status_code == 422
    assert [i["path"] for i in response.json()["issues"]] == ["$.coverage_id"]
    assert clinic_a["member_id"] not in response.text


async def test_clinic_b_cannot_estimate_on_clinic_a_coverage(client, clinic_a) -> None:
    for body in ({"coverage_id": clinic_a["coverage_id"], "date_of_service": "2026-06-01",
                  "lines": [{"procedure_code": "99213", "charge": "150.00"}]},
                 {"coverage_id": clinic_a["coverage_id"],
                  "encounter_id": clinic_a["encounter_id"]}):
        response = await client.post("/v1/estimates", headers=CLINIC_B, json=body)
        assert response.status_code == 422
        assert [i["path"] for i in response.json()["issues"]] == ["$.coverage_id"]
        assert clinic_a["member_id"] not in response.text


def test_every_body_check_is_a_test_here() -> None:
    for name in BODY_CHECKED.values():
        assert callable(globals().get(name)), name


async def test_clinic_a_is_unchanged_by_clinic_b_attempts(client, clinic_a) -> None:
    claim = (await client.get(f"/v1/claims/{clinic_a['claim_id']}")).json()
    assert (claim["status"], str(claim["version"])) == ("paid", clinic_a["version"])
    coverage = (await client.get(f"/v1/coverages/{clinic_a['coverage_id']}")).json()
    assert (coverage["version"], coverage["member_id"]) == (1, clinic_a["member_id"])
    provider = (await client.get(f"/v1/providers/{clinic_a['npi']}")).json()
    assert (provider["version"], provider["taxonomy"]) == (1, RENDERING_PROVIDER["taxonomy"])


async def test_a_provider_clinic_b_registers_is_its_own(client, clinic_a) -> None:
    theirs = await client.post("/v1/providers", headers=CLINIC_B, json={
        **RENDERING_PROVIDER, "npi": clinic_a["npi"], "last_name": "Other"})
    assert theirs.status_code == 201, theirs.text
    mine = (await client.get(f"/v1/providers/{clinic_a['npi']}")).json()
    assert mine["last_name"] == "Okafor"
    listed = (await client.get("/v1/providers", params={"limit": 200},
                               headers=CLINIC_B)).json()["items"]
    assert [p["last_name"] for p in listed if p["npi"] == clinic_a["npi"]] == ["Other"]


async def test_a_coverage_clinic_b_records_is_its_own(client, clinic_a) -> None:
    body = {"patient_id": clinic_a["patient_id"], "payer_id": "MOCK-PPO",
            "member_id": "W300000003", "relationship": "self",
            "subscriber": {"first_name": "Bo", "last_name": "Lee", "birth_date": "1990-01-01",
                           "sex": "M"}, "effective_from": "2020-01-01"}
    theirs = await client.post("/v1/coverages", json=body, headers=CLINIC_B)
    assert theirs.status_code == 201
    assert theirs.json()["id"] != clinic_a["coverage_id"]
    mine = (await client.get("/v1/coverages", params={"patient_id": clinic_a["patient_id"]}
                             )).json()["items"]
    assert [c["id"] for c in mine] == [clinic_a["coverage_id"]]


async def test_clinic_b_cannot_build_from_clinic_a_encounter_or_coverage(
    client, coding, clinic_a
) -> None:
    stolen = await client.post("/v1/claims", json={"encounter_id": clinic_a["encounter_id"]},
                               headers=CLINIC_B)
    assert stolen.status_code == 404, stolen.text
    own = coding.add(tenant="clinic-b", patient_id=clinic_a["patient_id"])
    borrowed = await client.post("/v1/claims", headers=CLINIC_B, json={
        "encounter_id": own["encounter_id"], "coverage_id": clinic_a["coverage_id"]})
    unknown = await client.post("/v1/claims", headers=CLINIC_B, json={
        "encounter_id": own["encounter_id"], "coverage_id": str(uuid.uuid4())})
    assert borrowed.status_code == unknown.status_code == 422
    assert borrowed.json()["issues"] == unknown.json()["issues"]


async def test_clinic_a_claims_are_unknown_to_clinic_b_export(client, clinic_a) -> None:
    response = await client.post("/v1/claims/x12-batch", headers=CLINIC_B,
                                 json={"claim_ids": [clinic_a["claim_id"]]})
    random_id = str(uuid.uuid4())
    unknown = await client.post("/v1/claims/x12-batch", headers=CLINIC_B,
                                json={"claim_ids": [random_id]})
    assert response.status_code == unknown.status_code == 422
    # Word for word the answer for an id nobody has.
    assert response.text.replace(clinic_a["claim_id"], "ID") == unknown.text.replace(
        random_id, "ID")


async def test_an_835_clinic_b_uploads_never_posts_to_clinic_a(client, clinic_a) -> None:
    theirs = await client.post("/v1/remittances", content=clinic_a["remittance"],
                               headers={**CLINIC_B, **X12})
    assert theirs.status_code == 200, theirs.text
    results = [c for p in theirs.json()["payments"] for c in p["claims"]
               if c["patient_control_number"] == clinic_a["patient_control_number"]]
    assert [(r["outcome"], r["claim_id"]) for r in results] == [("refused", None)]
    # The same file from clinic-a finds its claim (already posted by the payer worker).
    mine = await client.post("/v1/remittances", content=clinic_a["remittance"], headers=X12)
    [result] = [c for p in mine.json()["payments"] for c in p["claims"]
                if c["patient_control_number"] == clinic_a["patient_control_number"]]
    assert (result["outcome"], result["claim_id"]) == ("ignored", clinic_a["claim_id"])


async def test_clinic_b_processing_sends_none_of_clinic_a_claims(app, client, billing) -> None:
    claim = await billing.covered_claim()
    await billing.act(claim["id"], "submit")
    processed = await client.post("/v1/admin/process", headers=CLINIC_B)
    assert processed.status_code == 200
    async with app.state.sessionmaker() as session:
        [status] = (await session.scalars(
            select(PayerJob.status).where(PayerJob.claim_id == claim["id"]))).all()
    assert status == "pending"
    assert (await billing.get(f"/v1/claims/{claim['id']}"))["status"] == "submitted"
    mine = await billing.process()
    assert mine["sent"] >= 1 and mine["pending_jobs"] == 0


async def test_a_signed_event_of_clinic_b_cannot_bill_clinic_a(
    settings, coding, billing
) -> None:
    encounter = coding.add()
    await billing.coverage(encounter["patient"]["id"])
    event = {**coding.last_event(), "tenant_id": "clinic-b"}
    app = create_app(settings.model_copy(update={"coding_tenants": CODING_TENANTS}),
                     coding_transport=coding.transport)
    async with LifespanManager(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://billing.test") as http:
        response = await deliver(http, event, SECRET_B)
    assert response.status_code == 200, response.text
    # billing read the encounter with clinic-b's key: coding-service knows no such encounter.
    assert (response.json()["event"]["outcome"], response.json()["event"]["claim_id"]) == (
        "skipped", None)
    assert (await billing.get(f"/v1/claims?patient_id={encounter['patient']['id']}")
            )["items"] == []


async def test_a_contract_is_the_tenants_own(client) -> None:
    path = "/v1/payers/MOCK-HMO/contract"
    mine = await client.put(path, json={"rates": [{"procedure_code": "99213",
                                                   "allowed": "111.11"}]})
    assert mine.status_code == 200, mine.text
    try:
        assert (await client.get(path, headers=CLINIC_B)).status_code == 404
        assert (await client.delete(path, headers=CLINIC_B)).status_code == 404
        theirs = await client.put(path, headers=CLINIC_B, json={"rates": [
            {"procedure_code": "99214", "allowed": "150.00"}]})
        assert theirs.status_code == 200, theirs.text
        assert (await client.delete(path, headers=CLINIC_B)).status_code == 204
        assert (await client.get(path)).json()["rates"] == [
            {"procedure_code": "99213", "modifier": None, "allowed": "111.11"}]
    finally:
        assert (await client.delete(path)).status_code == 204
