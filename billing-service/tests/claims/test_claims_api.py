"""/v1/claims: building from coding-service, idempotency, failures upstream, tenants,
the scrubber at submit, and the state machine's 409s over HTTP."""

from __future__ import annotations

from typing import Any

import httpx

CLINIC_B = {"Authorization": "Bearer demo-key-clinic-b"}


async def claims_of(client: httpx.AsyncClient, patient_id: str) -> list[dict[str, Any]]:
    response = await client.get("/v1/claims", params={"patient_id": patient_id})
    assert response.status_code == 200
    return response.json()["items"]


async def test_claim_is_built_from_the_frozen_coding(billing) -> None:
    encounter = billing.coding.add(
        diagnoses=["e119", "I10"],
        lines=[{"procedure_code": "99214", "modifiers": ["25"], "units": 1, "charge": "180.00",
                "diagnosis_pointers": [1, 2]},
               {"procedure_code": "36415", "modifiers": [], "units": 1, "charge": "12.35",
                "diagnosis_pointers": [1]}],
    )
    coverage = await billing.coverage(encounter["patient"]["id"])
    response = await billing.http.post("/v1/claims",
                                       json={"encounter_id": encounter["encounter_id"]})
    assert response.status_code == 201
    claim = response.json()
    assert response.headers["location"] == f"/v1/claims/{claim['id']}"
    assert response.headers["etag"] == '"1"'
    assert claim["status"] == "ready"
    assert claim["allowed_actions"] == ["submit", "change_coverage", "cancel"]
    assert claim["frequency_code"] == "1"
    assert claim["coverage_id"] == coverage["id"]
    assert claim["payer_id"] == "MOCK-PPO"
    assert claim["diagnoses"] == ["E11.9", "I10"]
    assert [(ln["procedure_code"], ln["charge"], ln["diagnosis_pointers"], ln["modifiers"])
            for ln in claim["lines"]] == [("99214", "180.00", [1, 2], ["25"]),
                                          ("36415", "12.35", [1], [])]
    assert claim["total_charge"] == "192.35"
    assert claim["balance"] == "192.35"
    assert claim["scrub_issues"] == []
    assert len(claim["patient_control_number"]) == 20
    # The caller's own key went to coding-service.
    assert billing.coding.requests[-1].headers["authorization"] == "Bearer demo-key-clinic-a"


async def test_same_coding_version_twice_returns_the_same_claim(billing) -> None:
    encounter = billing.coding.add()
    await billing.coverage(encounter["patient"]["id"])
    first = await billing.http.post("/v1/claims", json={"encounter_id": encounter["encounter_id"]})
    again = await billing.http.post("/v1/claims", json={"encounter_id": encounter["encounter_id"]})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert len(await claims_of(billing.http, encounter["patient"]["id"])) == 1
    # A new coding version of a visit a payer holds is its correction, not a second claim.
    await billing.act(first.json()["id"], "submit")
    billing.coding.recode(encounter, lines=[{"procedure_code": "99212", "units": 1,
                                             "charge": "90.00", "diagnosis_pointers": [1]}])
    newer = await billing.http.post("/v1/claims", json={"encounter_id": encounter["encounter_id"]})
    assert (newer.status_code, newer.json()["claim_id"]) == (409, first.json()["id"])


async def test_encounter_not_finalized_is_a_409(billing) -> None:
    encounter = billing.coding.add(status="needs_clarification")
    await billing.coverage(encounter["patient"]["id"])
    response = await billing.http.post("/v1/claims",
                                       json={"encounter_id": encounter["encounter_id"]})
    assert response.status_code == 409
    assert response.json()["encounter_status"] == "needs_clarification"
    assert f"/v1/encounters/{encounter['encounter_id']}/finalize" in response.json()["detail"]
    assert await claims_of(billing.http, encounter["patient"]["id"]) == []


async def test_unknown_encounter_is_a_404(billing) -> None:
    response = await billing.http.post("/v1/claims", json={"encounter_id": "enc-missing"})
    assert response.status_code == 404


async def test_coding_service_down_answers_503_with_retry_after_and_keeps_nothing(
    billing,
) -> None:
    encounter = billing.coding.add()
    await billing.coverage(encounter["patient"]["id"])
    billing.coding.failures[:] = [httpx.ConnectError("refused"), 503, httpx.ReadTimeout("slow")]
    asked_before = len(billing.coding.requests)
    response = await billing.http.post("/v1/claims",
                                       json={"encounter_id": encounter["encounter_id"]})
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert response.headers["content-type"] == "application/problem+json"
    assert len(billing.coding.requests) - asked_before == 3
    assert await claims_of(billing.http, encounter["patient"]["id"]) == []


async def test_coding_service_down_on_the_second_call_keeps_nothing(billing) -> None:
    encounter = billing.coding.add()
    await billing.coverage(encounter["patient"]["id"])
    # The summary answers; the coding version never does.
    calls = 0
    handler = billing.coding._handle

    def fail_second(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        if "coding-versions" in request.url.path:
            return httpx.Response(502)
        return handler(request)

    billing.coding.transport.handler = fail_second
    try:
        response = await billing.http.post("/v1/claims",
                                           json={"encounter_id": encounter["encounter_id"]})
    finally:
        billing.coding.transport.handler = handler
    assert response.status_code == 503
    assert calls == 4  # one summary, three attempts at the coding version
    assert await claims_of(billing.http, encounter["patient"]["id"]) == []


async def test_transient_coding_failures_are_retried_through(billing) -> None:
    encounter = billing.coding.add()
    await billing.coverage(encounter["patient"]["id"])
    billing.coding.failures[:] = [500, httpx.ConnectError("refused")]
    response = await billing.http.post("/v1/claims",
                                       json={"encounter_id": encounter["encounter_id"]})
    assert response.status_code == 201


async def test_coding_client_errors_are_not_retried(billing) -> None:
    encounter = billing.coding.add()
    billing.coding.failures[:] = [400]
    asked_before = len(billing.coding.requests)
    response = await billing.http.post("/v1/claims",
                                       json={"encounter_id": encounter["encounter_id"]})
    assert response.status_code == 502
    assert len(billing.coding.requests) - asked_before == 1


async def test_another_tenants_encounter_and_claim_answer_404(billing) -> None:
    claim = await billing.covered_claim()
    for path in (f"/v1/claims/{claim['id']}", f"/v1/claims/{claim['id']}/events",
                 f"/v1/claims/{claim['id']}/remittance"):
        response = await billing.http.get(path, headers=CLINIC_B)
        assert response.status_code == 404, path
    for action in ("submit", "resubmit", "void"):
        response = await billing.http.post(f"/v1/claims/{claim['id']}/{action}",
                                           headers=CLINIC_B)
        assert response.status_code == 404, action
    # coding-service decides what tenant B may read: A's encounter is not found for B.
    response = await billing.http.post("/v1/claims", headers=CLINIC_B,
                                       json={"encounter_id": claim["encounter_id"]})
    assert response.status_code == 404
    listed = await billing.http.get("/v1/claims", headers=CLINIC_B,
                                    params={"patient_id": claim["patient"]["id"]})
    assert listed.json()["items"] == []


async def test_claim_needs_a_coverage_of_the_patient_in_force(billing) -> None:
    encounter = billing.coding.add()
    response = await billing.http.post("/v1/claims",
                                       json={"encounter_id": encounter["encounter_id"]})
    assert response.status_code == 422
    assert response.json()["issues"][0]["rule"] == "coverage.none_active"
    assert response.json()["issues"][0]["path"] == "$.coverage_id"
    someone_else = await billing.coverage("MRN-other")
    response = await billing.http.post("/v1/claims", json={
        "encounter_id": encounter["encounter_id"], "coverage_id": someone_else["id"]})
    assert response.status_code == 422
    assert response.json()["issues"][0]["rule"] == "coverage.patient_mismatch"
    response = await billing.http.post("/v1/claims", json={
        "encounter_id": encounter["encounter_id"], "coverage_id": "nope"})
    assert response.json()["issues"][0]["rule"] == "coverage.unknown"


async def test_explicit_coverage_wins_over_the_active_one(billing) -> None:
    encounter = billing.coding.add()
    patient = encounter["patient"]["id"]
    await billing.coverage(patient)
    hmo = await billing.coverage(patient, payer_id="MOCK-HMO", priority="secondary")
    claim = await billing.claim_for(encounter, coverage_id=hmo["id"])
    assert claim["payer_id"] == "MOCK-HMO"


async def test_a_claim_goes_first_to_the_primary_coverage(billing) -> None:
    encounter = billing.coding.add()
    patient = encounter["patient"]["id"]
    await billing.coverage(patient, payer_id="MOCK-HMO", priority="secondary")
    primary = await billing.coverage(patient, payer_id="MOCK-PPO")
    claim = await billing.claim_for(encounter)
    assert (claim["coverage_id"], claim["payer_sequence"]) == (primary["id"], "primary")


async def test_scrubber_errors_block_submission_until_fixed(billing) -> None:
    encounter = billing.coding.add()
    patient = encounter["patient"]["id"]
    coverage = await billing.coverage(patient, effective_from="2020-01-01",
                                      effective_to="2020-12-31")
    claim = await billing.claim_for(encounter, coverage_id=coverage["id"])
    assert [(i["rule"], i["severity"]) for i in claim["scrub_issues"]] == [
        ("coverage.not_active", "error")]
    refused = await billing.http.post(f"/v1/claims/{claim['id']}/submit")
    assert refused.status_code == 422
    assert [i["rule"] for i in refused.json()["issues"]] == ["coverage.not_active"]
    still = await billing.get(f"/v1/claims/{claim['id']}")
    assert (still["status"], still["version"]) == ("ready", 1)
    # Fixing the coverage clears the way.
    await billing.http.patch(f"/v1/coverages/{coverage['id']}", json={"effective_to": None},
                             headers={"If-Match": "1"})
    submitted = await billing.act(claim["id"], "submit")
    assert submitted["status"] == "submitted"
    assert submitted["scrub_issues"] == []


async def test_bad_npi_is_caught_before_the_payer(billing) -> None:
    claim = await billing.covered_claim(billing_npi="1234567890")
    assert [i["rule"] for i in claim["scrub_issues"]] == ["npi.check_digit"]
    refused = await billing.http.post(f"/v1/claims/{claim['id']}/submit")
    assert refused.status_code == 422
    assert refused.json()["issues"][0]["path"] == "$.billing_provider_npi"


async def test_illegal_actions_answer_409_naming_state_and_action(billing) -> None:
    claim = await billing.covered_claim()
    for action in ("resubmit", "void"):
        response = await billing.http.post(f"/v1/claims/{claim['id']}/{action}")
        assert response.status_code == 409
        problem = response.json()
        assert (problem["status"], problem["claim_status"], problem["action"]) == (
            409, "ready", action)
        assert problem["allowed_actions"] == ["submit", "change_coverage", "cancel"]
        assert "ready" in problem["detail"]
        # The detail names what works from there.
        assert f"POST /v1/claims/{claim['id']}/submit" in problem["detail"]
    correction = await billing.http.post(f"/v1/claims/{claim['id']}/corrections",
                                         json={"encounter_coding_version": 1})
    assert correction.status_code == 409
    assert correction.json()["action"] == "correct"
    await billing.act(claim["id"], "submit")
    again = await billing.http.post(f"/v1/claims/{claim['id']}/submit")
    assert again.status_code == 409
    assert again.json()["claim_status"] == "submitted"


async def test_stale_if_match_is_a_412(billing) -> None:
    claim = await billing.covered_claim()
    stale = await billing.http.post(f"/v1/claims/{claim['id']}/submit", headers={"If-Match": "9"})
    assert stale.status_code == 412
    current = await billing.http.post(f"/v1/claims/{claim['id']}/submit",
                                      headers={"If-Match": '"1"'})
    assert current.status_code == 200
    assert current.headers["etag"] == '"2"'


async def test_listing_filters_and_pages(billing) -> None:
    encounter = billing.coding.add(patient_id="MRN-list")
    second = billing.coding.add(patient_id="MRN-list")
    third = billing.coding.add(patient_id="MRN-list")
    await billing.coverage("MRN-list")
    first_claim = await billing.claim_for(encounter)
    second_claim = await billing.claim_for(second)
    hmo = await billing.coverage("MRN-list", payer_id="MOCK-HMO", priority="secondary")
    third_claim = await billing.claim_for(third, coverage_id=hmo["id"])
    await billing.act(second_claim["id"], "submit")

    async def ids(**params: Any) -> list[str]:
        response = await billing.http.get("/v1/claims", params={"patient_id": "MRN-list",
                                                                **params})
        assert response.status_code == 200
        return [c["id"] for c in response.json()["items"]]

    assert await ids() == [first_claim["id"], second_claim["id"], third_claim["id"]]
    assert await ids(status="submitted") == [second_claim["id"]]
    assert await ids(payer_id="MOCK-HMO") == [third_claim["id"]]
    page = (await billing.http.get("/v1/claims", params={"patient_id": "MRN-list",
                                                         "limit": 2})).json()
    rest = (await billing.http.get("/v1/claims", params={
        "patient_id": "MRN-list", "limit": 2, "cursor": page["next_cursor"]})).json()
    assert [c["id"] for c in page["items"] + rest["items"]] == await ids()
    assert rest["next_cursor"] is None
    bad = await billing.http.get("/v1/claims", params={"status": "lost"})
    assert bad.status_code == 422
    assert bad.json()["issues"][0]["path"] == "query:status"


async def test_bad_bodies_answer_422_naming_the_field(billing) -> None:
    response = await billing.http.post("/v1/claims", json={"encounter_id": "", "extra": 1})
    assert response.status_code == 422
    assert {i["path"] for i in response.json()["issues"]} == {"$.encounter_id", "$.extra"}
    claim = await billing.covered_claim()
    response = await billing.http.post(f"/v1/claims/{claim['id']}/corrections",
                                       json={"encounter_coding_version": 0})
    assert response.status_code == 422
    assert response.json()["issues"][0]["path"] == "$.encounter_coding_version"


async def test_a_claim_names_its_payer_in_order_its_split_and_its_prior_claim(billing) -> None:
    claim = await billing.covered_claim()
    assert (claim["payer_sequence"], claim["split"], claim["prior_claim_id"]) == (
        "primary", None, None)


async def test_listing_by_encounter_names_every_claim_of_the_encounter(billing) -> None:
    encounter = billing.coding.add(patient_id="MRN-by-encounter")
    other = billing.coding.add(patient_id="MRN-by-encounter")
    await billing.coverage("MRN-by-encounter")
    paid = await billing.submitted_and_processed((await billing.claim_for(encounter))["id"])
    await billing.claim_for(other)
    await billing.act(paid["id"], "void")
    billing.coding.recode(encounter, lines=[{"procedure_code": "99214", "modifiers": [],
                                             "units": 1, "charge": "200.00",
                                             "diagnosis_pointers": [1]}])
    rebilled = await billing.claim_for(encounter)

    listed = await billing.get(f"/v1/claims?encounter_id={encounter['encounter_id']}")
    assert [(c["id"], c["coding_version"], c["status"]) for c in listed["items"]] == [
        (paid["id"], 1, "voided"), (rebilled["id"], 2, "ready")]
    unknown = await billing.get("/v1/claims?encounter_id=enc-none")
    assert unknown["items"] == []
    bad = await billing.http.get("/v1/claims", params={"encounter_id": "bad id!"})
    assert bad.status_code == 422
    assert bad.json()["issues"][0]["path"] == "query:encounter_id"


async def test_a_claim_without_the_patients_address_cannot_be_submitted(billing) -> None:
    claim = await billing.covered_claim(patient_address=None)
    assert [(i["rule"], i["severity"]) for i in claim["scrub_issues"]] == [
        ("patient.address_missing", "error")]
    refused = await billing.http.post(f"/v1/claims/{claim['id']}/submit")
    assert refused.status_code == 422
    assert [i["rule"] for i in refused.json()["issues"]] == ["patient.address_missing"]
    # With the address on the encounter, the claim goes.
    addressed = await billing.covered_claim()
    assert addressed["scrub_issues"] == []
    assert (await billing.act(addressed["id"], "submit"))["status"] == "submitted"


async def test_a_drug_line_without_ndc_and_a_hospital_visit_without_facility_warn(
    billing,
) -> None:
    lines = [{"procedure_code": "J3301", "modifiers": [], "units": 4, "charge": "60.00",
              "diagnosis_pointers": [1]}]
    body = billing.coding.add(lines=lines)
    billing.coding.versions[("clinic-a", body["encounter_id"], 1)]["place_of_service"] = "22"
    await billing.coverage(body["patient"]["id"])
    claim = await billing.claim_for(body)
    assert sorted((i["rule"], i["path"], i["severity"]) for i in claim["scrub_issues"]) == [
        ("ndc.missing", "$.lines[0].ndc", "warning"),
        ("service_facility.missing", "$.service_facility", "warning")]
    # Warnings never block.
    assert (await billing.act(claim["id"], "submit"))["status"] == "submitted"
