"""If-Match on every change of an existing claim or coverage: optional on claim actions but
checked when sent, required on a coverage PATCH; a stale version answers 412 and changes
nothing."""

from __future__ import annotations

from typing import Any

from billing_routes import path_params
from fastapi import FastAPI

from rcm_shared.http import if_match_header, required_if_match_header
from rcm_shared.testing.routes import api_routes, dependency_calls


def visit(code: str, charge: str) -> dict[str, Any]:
    return {"procedure_code": code, "modifiers": [], "units": 1, "charge": charge,
            "diagnosis_pointers": [1]}


def test_every_change_of_a_claim_or_coverage_reads_if_match(app: FastAPI) -> None:
    # A status inquiry asks the payer about the claim and an appeal disputes its denial with
    # the payer: neither changes anything of the claim.
    changes = [route for route in api_routes(app)
               if route.methods & {"POST", "PATCH"}
               and path_params(route.path) & {"claim_id", "coverage_id"}
               and route.path not in ("/v1/claims/{claim_id}/status-inquiries",
                                      "/v1/claims/{claim_id}/appeals")]
    assert {route.path for route in changes} == {
        "/v1/claims/{claim_id}/submit", "/v1/claims/{claim_id}/resubmit",
        "/v1/claims/{claim_id}/void", "/v1/claims/{claim_id}/corrections",
        "/v1/claims/{claim_id}", "/v1/claims/{claim_id}/cancel",
        "/v1/coverages/{coverage_id}"}
    for route in changes:
        assert {if_match_header, required_if_match_header} & dependency_calls(route), route.path


async def stale_then_current(billing, claim: dict[str, Any], action: str,
                             body: dict[str, Any] | None = None) -> dict[str, Any]:
    url = f"/v1/claims/{claim['id']}/{action}"
    stale = await billing.http.post(url, json=body,
                                    headers={"If-Match": str(claim["version"] - 1)})
    assert stale.status_code == 412, stale.text
    assert stale.headers["content-type"] == "application/problem+json"
    assert stale.json()["current_version"] == claim["version"]
    unchanged = await billing.get(f"/v1/claims/{claim['id']}")
    assert (unchanged["status"], unchanged["version"]) == (claim["status"], claim["version"])
    current = await billing.http.post(url, json=body,
                                      headers={"If-Match": f'"{claim["version"]}"'})
    assert current.status_code in (200, 201), current.text
    return current.json()


async def test_submit_and_void_check_the_version_sent(billing) -> None:
    claim = await billing.covered_claim(payer_id="MOCK-HMO")
    submitted = await stale_then_current(billing, claim, "submit")
    assert submitted["status"] == "submitted"
    await billing.process()
    paid = await billing.get(f"/v1/claims/{claim['id']}")
    voided = await stale_then_current(billing, paid, "void")
    assert voided["status"] == "voided"
    await billing.process()


async def test_resubmit_checks_the_version_sent(billing) -> None:
    encounter = billing.coding.add(lines=[visit("99213", "150.00")])
    coverage = await billing.coverage(encounter["patient"]["id"], member_id="W000000000")
    claim = await billing.claim_for(encounter)
    rejected = await billing.submitted_and_processed(claim["id"])
    assert rejected["status"] == "rejected"
    await billing.http.patch(f"/v1/coverages/{coverage['id']}",
                             json={"member_id": "W300000011"}, headers={"If-Match": "1"})
    resubmitted = await stale_then_current(billing, rejected, "resubmit")
    assert (resubmitted["status"], resubmitted["submission_count"]) == ("submitted", 2)
    await billing.process()


async def test_correction_checks_the_version_sent(billing) -> None:
    encounter = billing.coding.add(lines=[visit("97810", "80.00")])
    await billing.coverage(encounter["patient"]["id"])
    original = await billing.claim_for(encounter)
    denied = await billing.submitted_and_processed(original["id"])
    assert denied["status"] == "denied"
    billing.coding.recode(encounter, lines=[visit("99213", "150.00")])
    replacement = await stale_then_current(billing, denied, "corrections",
                                           {"encounter_coding_version": 2})
    assert (replacement["frequency_code"], replacement["replaces_claim_id"]) == (
        "7", original["id"])
    # The original moved on: its old version is stale for any further action.
    again = await billing.http.post(f"/v1/claims/{original['id']}/void",
                                    headers={"If-Match": str(denied["version"])})
    assert again.status_code == 412


async def test_a_coverage_patch_needs_if_match(billing) -> None:
    coverage = await billing.coverage("MRN-IF-MATCH")
    url = f"/v1/coverages/{coverage['id']}"
    missing = await billing.http.patch(url, json={"group_number": "G-9"})
    assert (missing.status_code, missing.json()["current_version"]) == (428, 1)
    stale = await billing.http.patch(url, json={"group_number": "G-9"},
                                     headers={"If-Match": "0"})
    assert stale.status_code == 412
    assert (await billing.get(url))["group_number"] == "G-100"
