"""Before and after the claim, with both services and the mock clearinghouse as real
processes driven over HTTP: eligibility checks (270/271) and patient estimates before the
claim, claim status inquiries (276/277) after it. Figures come from the mock payer's data
files; every X12 file exchanged passes the independent validator (linuxforhealth-x12)."""

from __future__ import annotations

import csv
import itertools
import json
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from x12_independent import assert_valid

pytestmark = pytest.mark.integration

MOCK_PAYER_DATA = Path(__file__).resolve().parents[2] / "mockpayer" / "data"
HEADERS = {"Authorization": "Bearer demo-key-clinic-a"}
BILLING_NPI = "1234567893"
RENDERING_NPI = "1245319599"
_numbers = itertools.count(1)


def fee(payer_id: str, code: str) -> Decimal:
    lines = [line for line in (MOCK_PAYER_DATA / "fee_schedule.csv").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    return next(Decimal(row["allowed"]) for row in csv.DictReader(lines)
                if row["payer_id"] == payer_id and row["procedure_code"] == code)


def plan(payer_id: str) -> dict[str, Any]:
    payers = json.loads((MOCK_PAYER_DATA / "payers.json").read_text())["payers"]
    payer = next(p for p in payers if p["payer_id"] == payer_id)
    return next(p for p in payer["plans"] if p["code"] == payer["default_plan"])


def day_of_service() -> date:
    return date.today() - timedelta(days=3)


class Clinic:
    def __init__(self, coding_url: str, billing_url: str) -> None:
        self.coding = httpx.Client(base_url=coding_url, headers=HEADERS, timeout=30)
        self.billing = httpx.Client(base_url=billing_url, headers=HEADERS, timeout=30)

    def close(self) -> None:
        self.coding.close()
        self.billing.close()

    def covered_patient(self, payer_id: str, member_id: str | None = None
                        ) -> tuple[str, dict[str, Any]]:
        number = next(_numbers)
        patient_id = f"MRN-BA-{number}"
        member_id = member_id or {
            "MOCK-PPO": f"W{600_000_000 + number:09d}",
            "MOCK-HMO": f"H{60_000_000 + number:08d}",
            "MOCK-MCR": f"7CC7CC7CC{number:02d}"}[payer_id]
        response = self.billing.post("/v1/coverages", json={
            "patient_id": patient_id, "payer_id": payer_id, "member_id": member_id,
            "relationship": "self",
            "subscriber": {"first_name": "Ottoline", "last_name": "Ashcombe",
                           "birth_date": "1961-04-02", "sex": "F"},
            "effective_from": date(day_of_service().year - 1, 1, 1).isoformat()})
        assert response.status_code == 201, response.text
        return patient_id, response.json()

    def coded_encounter(self, patient_id: str, lines: list[tuple[str, str]]) -> dict[str, Any]:
        created = self.coding.post("/v1/encounters", json={
            "external_id": f"ehr-ba-{next(_numbers)}",
            "patient": {"id": patient_id, "first_name": "Ottoline", "last_name": "Ashcombe",
                        "birth_date": "1961-04-02", "sex": "F",
                        "address": {"line1": "1 Elm Street", "line2": None,
                                    "city": "Springfield", "state": "IL",
                                    "postal_code": "62701"}},
            "date_of_service": day_of_service().isoformat(), "place_of_service": "11",
            "rendering_provider_npi": RENDERING_NPI, "billing_provider_npi": BILLING_NPI})
        assert created.status_code == 201, created.text
        encounter = created.json()
        coded = self.coding.put(
            f"/v1/encounters/{encounter['id']}/codes",
            json={"diagnoses": [{"code": "E11.9"}],
                  "service_lines": [{"procedure_code": code, "modifiers": [], "units": 1,
                                     "charge": charge, "diagnosis_pointers": [1]}
                                    for code, charge in lines]},
            headers={"If-Match": str(encounter["version"])})
        assert coded.status_code == 200, coded.text
        finalized = self.coding.post(f"/v1/encounters/{encounter['id']}/finalize")
        assert finalized.status_code == 200, finalized.text
        return finalized.json()

    def claim(self, encounter: dict[str, Any]) -> dict[str, Any]:
        response = self.billing.post("/v1/claims", json={"encounter_id": encounter["id"]})
        assert response.status_code == 201, response.text
        return response.json()

    def post(self, path: str, body: Any = None, expected: int = 200) -> Any:
        response = self.billing.post(path, json=body)
        assert response.status_code == expected, response.text
        return response.json()

    def get(self, path: str) -> Any:
        response = self.billing.get(path)
        assert response.status_code == 200, response.text
        return response.json()

    def check(self, coverage_id: str, day: date) -> tuple[dict[str, Any], dict[str, str]]:
        result = self.post("/v1/eligibility-checks", {
            "coverage_id": coverage_id, "date_of_service": day.isoformat(),
            "service_type_codes": ["30"]}, expected=201)
        return result, self.get(f"/v1/eligibility-checks/{result['id']}/x12")


@pytest.fixture(scope="module")
def clinic(services: Any) -> Iterator[Clinic]:
    driver = Clinic(services.coding_url, services.billing_url)
    yield driver
    driver.close()


def test_eligibility_before_the_visit(clinic: Clinic) -> None:
    # An active member who met part of the deductible with an earlier, paid visit.
    patient_id, coverage = clinic.covered_patient("MOCK-PPO")
    claim = clinic.claim(clinic.coded_encounter(patient_id, [("99213", "150.00")]))
    clinic.post(f"/v1/claims/{claim['id']}/submit")
    clinic.post("/v1/admin/process")
    assert clinic.get(f"/v1/claims/{claim['id']}")["status"] == "paid"
    gold = plan("MOCK-PPO")
    met = fee("MOCK-PPO", "99213")
    active, active_files = clinic.check(coverage["id"], day_of_service())
    assert active["status"] == "active"
    assert active["plan"] == {"code": gold["code"], "name": gold["name"]}
    assert active["benefits"] == {
        "deductible": {"amount": gold["deductible"],
                       "remaining": f"{Decimal(gold['deductible']) - met:.2f}"},
        "out_of_pocket": {"amount": gold["out_of_pocket_max"],
                          "remaining": f"{Decimal(gold['out_of_pocket_max']) - met:.2f}"},
        "copay": gold["copay"],
        "coinsurance_percent": f"{Decimal(gold['coinsurance_percent']):.2f}",
    }
    # A member the payer has no record of: AAA 75.
    _, unknown_coverage = clinic.covered_patient("MOCK-PPO", member_id="W000000000")
    unknown, unknown_files = clinic.check(unknown_coverage["id"], day_of_service())
    assert unknown["status"] == "error"
    assert [error["code"] for error in unknown["errors"]] == ["75"]
    assert "AAA*N**75*C~" in unknown_files["answer"]
    # A coverage that ended (members.json: W100000001 through 2026-03-31).
    _, ended_coverage = clinic.covered_patient("MOCK-PPO", member_id="W100000001")
    ended, ended_files = clinic.check(ended_coverage["id"], date(2026, 4, 1))
    assert ended["status"] == "inactive" and ended["benefits"] is None
    assert "DTP*347*D8*20260331~" in ended_files["answer"]
    assert clinic.get(f"/v1/coverages/{ended_coverage['id']}")["last_eligibility_check"][
        "id"] == ended["id"]
    assert_valid(*[text for files in (active_files, unknown_files, ended_files)
                   for text in (files["inquiry"], files["answer"])])


@pytest.mark.parametrize(("payer_id", "lines"), [
    ("MOCK-PPO", [("99214", "200.00"), ("36415", "15.00")]),
    ("MOCK-HMO", [("99213", "150.00"), ("93000", "40.00")]),
    ("MOCK-MCR", [("99215", "400.00"), ("85025", "30.00")]),
])
def test_an_estimate_equals_the_remittance_that_follows(
        clinic: Clinic, payer_id: str, lines: list[tuple[str, str]]) -> None:
    patient_id, coverage = clinic.covered_patient(payer_id)
    encounter = clinic.coded_encounter(patient_id, lines)
    estimate = clinic.post("/v1/estimates", {"encounter_id": encounter["id"],
                                             "coverage_id": coverage["id"]})
    claim = clinic.claim(encounter)
    clinic.post(f"/v1/claims/{claim['id']}/submit")
    clinic.post("/v1/admin/process")
    [remittance] = clinic.get(f"/v1/claims/{claim['id']}/remittance")["remittances"]
    named = {"1": "deductible", "3": "copay", "2": "coinsurance"}
    for estimated, paid in zip(estimate["lines"], remittance["lines"], strict=True):
        assert estimated["procedure_code"] == paid["procedure_code"]
        assert (estimated["allowed"], estimated["payer_pays"]) == (paid["allowed"], paid["paid"])
        owed = dict.fromkeys(named.values(), Decimal(0))
        for adjustment in paid["adjustments"]:
            if adjustment["group"] == "PR":
                owed[named[adjustment["carc"]]] += Decimal(adjustment["amount"])
        assert {k: Decimal(v) for k, v in estimated["patient_owes"].items() if k != "total"} \
            == owed
    assert estimate["totals"]["payer_pays"] == remittance["paid"]
    assert estimate["totals"]["patient_owes"]["total"] == remittance["patient_responsibility"]
    assert estimate["explanation"]


def test_status_inquiries_on_a_submitted_a_paid_and_an_unknown_claim(clinic: Clinic) -> None:
    patient_id, _ = clinic.covered_patient("MOCK-HMO")
    # Unknown to the payer: submitted in billing, still in its outbox.
    unknown = clinic.claim(clinic.coded_encounter(patient_id, [("99212", "90.00")]))
    clinic.post(f"/v1/claims/{unknown['id']}/submit")
    not_found = clinic.post(f"/v1/claims/{unknown['id']}/status-inquiries", expected=201)
    assert (not_found["status"]["category"], not_found["status"]["status_code"]) == \
        ("A4", "35")
    # Submitted and acknowledged by the payer, after one turn of its day: pending.
    clinic.post("/v1/admin/process?max_rounds=1")
    assert clinic.get(f"/v1/claims/{unknown['id']}")["status"] == "accepted"
    pending = clinic.post(f"/v1/claims/{unknown['id']}/status-inquiries", expected=201)
    assert (pending["status"]["category"], pending["status"]["status_code"]) == ("P1", "20")
    # Paid.
    clinic.post("/v1/admin/process")
    paid_claim = clinic.get(f"/v1/claims/{unknown['id']}")
    assert paid_claim["status"] == "paid"
    paid = clinic.post(f"/v1/claims/{unknown['id']}/status-inquiries", expected=201)
    assert (paid["status"]["category"], paid["status"]["status_code"]) == ("F1", "65")
    assert paid["status"]["paid"] == paid_claim["paid_amount"]
    assert paid["status"]["payer_claim_control_number"] == \
        paid_claim["payer_claim_control_number"]
    # A claim never sent has nothing to ask about.
    ready = clinic.claim(clinic.coded_encounter(patient_id, [("99213", "150.00")]))
    never = clinic.billing.post(f"/v1/claims/{ready['id']}/status-inquiries")
    assert never.status_code == 409
    assert_valid(*[text for inquiry in (not_found, pending, paid)
                   for text in (inquiry["inquiry"], inquiry["answer"])])
