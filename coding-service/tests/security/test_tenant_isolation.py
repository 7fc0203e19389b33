"""Tenant isolation on every endpoint: clinic-b's key on clinic-a's resources finds nothing.

The endpoints come from the app's routes. Every path parameter must be known here, either as
a tenant's resource (clinic-b gets 404 for clinic-a's) or as shared reference data, so a new
endpoint with a new parameter fails this test until it is covered.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from coding_factories import CLINIC_B, clean_codes, encounter_body
from coding_flows import coded_encounter
from fastapi import FastAPI

from rcm_shared.testing.routes import operations

# Reference data, the same for every tenant.
REFERENCE_PARAMS = {"code": {"/v1/codes/icd10cm/{code}": "E11.9",
                             "/v1/codes/procedures/{code}": "99213"}}
# Valid bodies, so a request reaches the tenant check instead of stopping at validation.
BODIES: dict[tuple[str, str], Any] = {
    ("PUT", "/v1/encounters/{encounter_id}/codes"): clean_codes(),
    ("POST", "/v1/encounters/{encounter_id}/queries"): {"question": "Which knee?"},
    ("POST", "/v1/encounters/{encounter_id}/queries/{query_id}/answer"): {"answer": "Left."},
    ("POST", "/v1/encounters/{encounter_id}/reopen"): {"reason": "late note"},
}
# Required query parameters of list and search routes.
QUERIES: dict[str, dict[str, str]] = {"/v1/codes/icd10cm": {"q": "diabetes"}}


@pytest.fixture(scope="module")
async def clinic_a(client: httpx.AsyncClient) -> dict[str, str]:
    """Clinic-a's resources: a finalized encounter with an answered query, a second encounter
    with an open query, and a webhook subscription."""
    encounter = await coded_encounter(client)
    url = f"/v1/encounters/{encounter['id']}"
    asked = await client.post(f"{url}/queries", json={"question": "Which knee?"})
    answered_query = asked.json()["queries"][0]["id"]
    await client.post(f"{url}/queries/{answered_query}/answer", json={"answer": "Right."})
    assert (await client.post(f"{url}/finalize")).status_code == 200
    waiting = await coded_encounter(client)
    open_query = (await client.post(f"/v1/encounters/{waiting['id']}/queries",
                                    json={"question": "Type 1 or 2?"})).json()["queries"][0]
    webhook = (await client.post("/v1/webhooks", json={
        "url": "https://clinic-a.example.test/hooks", "events": ["encounter.finalized"]})).json()
    return {
        "encounter_id": encounter["id"],
        "external_id": encounter["external_id"],
        "patient_id": encounter["patient"]["id"],
        "query_id": answered_query,
        "open_encounter_id": waiting["id"],
        "open_query_id": open_query["id"],
        "webhook_id": webhook["id"],
        "webhook_url": webhook["url"],
    }


def resource_url(path: str, a: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in REFERENCE_PARAMS:
            return REFERENCE_PARAMS[name][path]
        if name == "number":
            return "1"
        if name == "query_id":
            return a["open_query_id"]
        if name == "encounter_id" and "{query_id}" in path:
            return a["open_encounter_id"]
        assert name in a, f"{path}: add the path parameter '{name}' to this test"
        return a[name]

    return re.sub(r"\{(\w+)\}", value, path)


def a_markers(a: dict[str, str]) -> list[str]:
    return [a[k] for k in ("encounter_id", "external_id", "patient_id", "query_id",
                           "open_encounter_id", "open_query_id", "webhook_id", "webhook_url")]


async def test_every_endpoint_hides_clinic_a_from_clinic_b(app: FastAPI, client, clinic_a
                                                           ) -> None:
    checked: set[str] = set()
    for method, route in operations(app):
        params = set(re.findall(r"\{(\w+)\}", route.path))
        tenant_params = params - set(REFERENCE_PARAMS)
        url = resource_url(route.path, clinic_a)
        if tenant_params:
            body = BODIES.get((method, route.path))
            if route.body_field is not None and route.body_field.field_info.is_required():
                assert body is not None, f"{method} {route.path}: add a valid body here"
            response = await client.request(method, url, json=body, headers=CLINIC_B)
            assert response.status_code == 404, f"{method} {route.path}: {response.text}"
            assert response.headers["content-type"] == "application/problem+json"
            checked.add(route.path)
        elif method == "GET":
            required = {p.alias for p in route.dependant.query_params
                        if p.field_info.is_required()}
            query = QUERIES.get(route.path, {})
            assert required <= set(query), f"GET {route.path}: add its query parameters here"
            response = await client.get(url, params=query, headers=CLINIC_B)
            assert response.status_code == 200, f"{route.path}: {response.text}"
            leaked = [m for m in a_markers(clinic_a) if m in response.text]
            assert leaked == [], f"GET {route.path} shows clinic-a's {leaked}"
            checked.add(route.path)
    assert {"/v1/encounters/{encounter_id}", "/v1/webhooks/{webhook_id}/deliveries",
            "/v1/encounters/{encounter_id}/queries/{query_id}/answer", "/v1/events",
            "/v1/audit", "/v1/encounters", "/v1/webhooks"} <= checked


async def test_clinic_a_is_unchanged_by_clinic_b_attempts(client, clinic_a) -> None:
    encounter = (await client.get(f"/v1/encounters/{clinic_a['encounter_id']}")).json()
    assert encounter["status"] == "finalized" and encounter["coding_version"] == 1
    waiting = (await client.get(f"/v1/encounters/{clinic_a['open_encounter_id']}")).json()
    assert waiting["status"] == "needs_clarification"
    assert (await client.get(f"/v1/webhooks/{clinic_a['webhook_id']}")).status_code == 200


@pytest.mark.parametrize("params", [
    lambda a: {"patient_id": a["patient_id"]},
    lambda a: {"status": "finalized", "limit": 200},
])
async def test_clinic_b_searches_find_nothing_of_clinic_a(client, clinic_a, params) -> None:
    found = await client.get("/v1/encounters", params=params(clinic_a), headers=CLINIC_B)
    assert all(m not in found.text for m in a_markers(clinic_a))
    audit = await client.get("/v1/audit", params={"resource_id": clinic_a["encounter_id"]},
                             headers=CLINIC_B)
    assert audit.json()["items"] == []


async def test_clinic_b_creating_with_clinic_a_external_id_gets_its_own(client, clinic_a
                                                                        ) -> None:
    body = encounter_body(external_id=clinic_a["external_id"])
    theirs = await client.post("/v1/encounters", json=body, headers=CLINIC_B)
    assert theirs.status_code == 201
    assert theirs.json()["id"] != clinic_a["encounter_id"]
    assert theirs.json()["patient"]["id"] == body["patient"]["id"]
