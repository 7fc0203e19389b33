"""The claim data an encounter carries beyond its codes (patient address, referring provider,
service facility, prior authorization, per-line dates and NDC), from the request to the frozen
coding version billing reads, each field's rule both ways, and codes stored in canonical form."""

from __future__ import annotations

from copy import deepcopy
from typing import Any

import pytest
from coding_factories import encounter_body

ADDRESS = {"line1": "12 Main St", "line2": None, "city": "Albany", "state": "NY",
           "postal_code": "12207-1234"}
FACILITY = {"name": "Albany General Hospital", "npi": "1245319599",
            "address": {"line1": "1 Hospital Way", "line2": "Suite 4", "city": "Albany",
                        "state": "ny", "postal_code": "12208"}}
REFERRING = {"npi": "1234567893", "first_name": "Grace", "last_name": "Hopper"}
DRUG_LINE = {"procedure_code": "j3301", "modifiers": [], "units": 4, "charge": "40.00",
             "diagnosis_pointers": [1],
             "ndc": {"code": "0003-0293-05", "unit": "ML", "quantity": "1.000"}}


def _with_claim_data(**overrides: Any) -> dict[str, Any]:
    body = encounter_body(referring_provider=deepcopy(REFERRING),
                          service_facility=deepcopy(FACILITY),
                          prior_authorization="PA-2026-000123", place_of_service="22")
    body["patient"]["address"] = deepcopy(ADDRESS)
    body.update(overrides)
    return body


async def test_claim_data_travels_from_the_request_to_the_coding_version(client):
    created = (await client.post("/v1/encounters", json=_with_claim_data())).json()
    assert created["patient"]["address"] == {**ADDRESS, "postal_code": "122071234"}
    assert created["referring_provider"] == REFERRING
    assert created["service_facility"]["address"]["state"] == "NY"
    assert created["prior_authorization"] == "PA-2026-000123"
    url = f"/v1/encounters/{created['id']}"
    codes = {"diagnoses": [{"code": "m17.11"}],
             "service_lines": [{"procedure_code": "20610", "modifiers": ["rt"], "units": 1,
                                "charge": "240.00", "diagnosis_pointers": [1],
                                "date_of_service": "2026-05-03"},
                               DRUG_LINE]}
    saved = await client.put(f"{url}/codes", json=codes, headers={"If-Match": "1"})
    assert saved.status_code == 200, saved.text
    stored = saved.json()
    assert [d["code"] for d in stored["diagnoses"]] == ["M17.11"]
    assert stored["service_lines"][0]["modifiers"] == ["RT"]
    assert stored["service_lines"][0]["date_of_service"] == "2026-05-03"
    assert stored["service_lines"][1]["procedure_code"] == "J3301"
    assert stored["service_lines"][1]["ndc"] == {"code": "00003029305", "unit": "ML",
                                                 "quantity": "1.000"}
    assert not [i for i in stored["issues"] if i["severity"] == "error"], stored["issues"]
    finalized = await client.post(f"{url}/finalize", headers={"If-Match": "2"})
    assert finalized.status_code == 200, finalized.text
    version = (await client.get(f"{url}/coding-versions/1")).json()
    assert version["patient"]["address"]["postal_code"] == "122071234"
    assert version["referring_provider"] == REFERRING
    assert version["service_facility"]["name"] == "Albany General Hospital"
    assert version["prior_authorization"] == "PA-2026-000123"
    assert version["service_lines"][1]["ndc"]["code"] == "00003029305"


async def test_an_encounter_without_claim_data_answers_nulls(client):
    created = (await client.post("/v1/encounters", json=encounter_body())).json()
    assert created["patient"]["address"] is None
    assert created["referring_provider"] is None and created["service_facility"] is None
    assert created["prior_authorization"] is None


async def _rules(client, body: dict[str, Any]) -> dict[str, list[str]]:
    answer = await client.post("/v1/validate", json=body)
    assert answer.status_code == 200, answer.text
    found: dict[str, list[str]] = {}
    for issue in answer.json()["issues"]:
        found.setdefault(issue["rule"], []).append(issue["path"])
    return found


def _validate_body(lines: list[dict[str, Any]] | None = None, **facts: Any) -> dict[str, Any]:
    body = _with_claim_data(**facts)
    del body["external_id"]
    body["diagnoses"] = [{"code": "M17.11"}]
    body["service_lines"] = lines or [{"procedure_code": "20610", "modifiers": ["RT"],
                                       "units": 1, "charge": "240.00",
                                       "diagnosis_pointers": [1]}]
    return body


async def test_the_clean_claim_data_gives_no_issue(client):
    assert await _rules(client, _validate_body()) == {}


@pytest.mark.parametrize(("where", "state", "rule_path"), [
    ("patient", "XX", "$.patient.address.state"),
    ("facility", "New York", "$.service_facility.address.state"),
])
async def test_a_state_that_is_no_usps_code_is_an_error(client, where, state, rule_path):
    body = _validate_body()
    target = body["patient"]["address"] if where == "patient" else \
        body["service_facility"]["address"]
    target["state"] = state
    assert (await _rules(client, body)) == {"address.state": [rule_path]}


@pytest.mark.parametrize("postal_code", ["1234", "12345-67", "ABCDE", "1234567890"])
async def test_a_zip_code_not_5_or_9_digits_is_an_error(client, postal_code):
    body = _validate_body()
    body["patient"]["address"]["postal_code"] = postal_code
    assert (await _rules(client, body)) == {"address.postal_code":
                                            ["$.patient.address.postal_code"]}


@pytest.mark.parametrize("postal_code", ["12207", "122071234", "12207-1234"])
async def test_a_5_or_9_digit_zip_code_is_accepted(client, postal_code):
    body = _validate_body()
    body["patient"]["address"]["postal_code"] = postal_code
    assert await _rules(client, body) == {}


@pytest.mark.parametrize(("field", "path"), [
    ("referring_provider", "$.referring_provider.npi"),
    ("service_facility", "$.service_facility.npi"),
])
async def test_a_referring_or_facility_npi_with_a_wrong_check_digit_is_an_error(
    client, field, path
):
    body = _validate_body()
    body[field]["npi"] = "1234567890"
    assert (await _rules(client, body)) == {"npi.check_digit": [path]}


@pytest.mark.parametrize(("dates", "rule", "path_end"), [
    ({"date_of_service": "2099-01-01"}, "service_line.date_future", "date_of_service"),
    ({"date_of_service_to": "2099-01-31"}, "service_line.date_future", "date_of_service_to"),
    ({"date_of_service": "1979-12-31"}, "service_line.date_before_birth", "date_of_service"),
    ({"date_of_service": "2026-05-04", "date_of_service_to": "2026-05-01"},
     "service_line.date_range", "date_of_service_to"),
    ({"date_of_service_to": "2026-05-01"}, "service_line.date_range", "date_of_service_to"),
])
async def test_a_line_date_outside_the_possible_is_an_error(client, dates, rule, path_end):
    line = {"procedure_code": "99213", "modifiers": [], "units": 1, "charge": "90.00",
            "diagnosis_pointers": [1], **dates}
    found = await _rules(client, _validate_body([line], place_of_service="11"))
    assert found == {rule: [f"$.service_lines[0].{path_end}"]}


async def test_a_line_date_range_within_the_possible_is_accepted(client):
    line = {"procedure_code": "99213", "modifiers": [], "units": 1, "charge": "90.00",
            "diagnosis_pointers": [1], "date_of_service": "2026-04-01",
            "date_of_service_to": "2026-04-30"}
    assert await _rules(client, _validate_body([line], place_of_service="11")) == {}


@pytest.mark.parametrize("ndc", ["00003029305", "0003-0293-05", "12345-678-90", "12345-6789-1"])
async def test_an_ndc_of_11_digits_or_a_hyphenated_layout_is_accepted(client, ndc):
    line = {**DRUG_LINE, "ndc": {**DRUG_LINE["ndc"], "code": ndc}}
    assert "ndc.format" not in await _rules(client, _validate_body([line]))


@pytest.mark.parametrize("ndc", ["1234567890", "123-45-67", "123456-789-01", "12345--67890"])
async def test_an_ndc_of_another_shape_is_an_error(client, ndc):
    line = {**DRUG_LINE, "ndc": {**DRUG_LINE["ndc"], "code": ndc}}
    assert (await _rules(client, _validate_body([line])))["ndc.format"] == [
        "$.service_lines[0].ndc.code"
    ]


@pytest.mark.parametrize(("change", "field"), [
    ({"prior_authorization": "x" * 51}, "prior_authorization"),
    ({"prior_authorization": "   "}, "prior_authorization"),
    ({"referring_provider": {"npi": "123", "first_name": "A", "last_name": "B"}},
     "referring_provider"),
    ({"service_facility": {"name": "X", "address": None}}, "service_facility"),
])
async def test_malformed_claim_data_is_refused_with_422(client, change, field):
    answer = await client.post("/v1/encounters", json=_with_claim_data(**change))
    assert answer.status_code == 422
    assert field in answer.text


async def test_an_ndc_unit_outside_the_837p_list_is_refused_with_422(client):
    line = {**DRUG_LINE, "ndc": {**DRUG_LINE["ndc"], "unit": "KG"}}
    answer = await client.post("/v1/validate", json=_validate_body([line]))
    assert answer.status_code == 422 and "unit" in answer.text
