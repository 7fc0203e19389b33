"""A patient's account over real processes (both services and the mock clearinghouse): the
copay taken at the front desk before there is any claim, then the payer's 835; a patient who
paid more than they owed, refunded the credit. After every step the ledger's balance is the
sum of its entries and the statement's balance, to the cent."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.integration

HEADERS = {"Authorization": "Bearer demo-key-clinic-a"}
_numbers = itertools.count(1)
SIGN = {"charge": 1, "refund": 1, "payer_payment": -1, "contractual_adjustment": -1,
        "patient_payment": -1, "write_off": -1}


class FrontDesk:
    def __init__(self, coding_url: str, billing_url: str) -> None:
        self.coding = httpx.Client(base_url=coding_url, headers=HEADERS, timeout=30)
        self.billing = httpx.Client(base_url=billing_url, headers=HEADERS, timeout=30)

    def close(self) -> None:
        self.coding.close()
        self.billing.close()

    def covered_patient(self, payer_id: str) -> str:
        number = next(_numbers)
        patient_id = f"MRN-PA-{number}"
        member_id = {"MOCK-PPO": f"W{700_000_000 + number:09d}",
                     "MOCK-HMO": f"H{70_000_000 + number:08d}"}[payer_id]
        self.post("/v1/coverages", {
            "patient_id": patient_id, "payer_id": payer_id, "member_id": member_id,
            "relationship": "self",
            "subscriber": {"first_name": "Perpetua", "last_name": "Quill",
                           "birth_date": "1970-06-12", "sex": "F"},
            "effective_from": "2020-01-01"}, expected=201)
        return patient_id

    def billed_visit(self, patient_id: str) -> dict[str, Any]:
        """A 99213 coded and finalized in coding-service, its claim built and submitted."""
        created = self.coding.post("/v1/encounters", json={
            "external_id": f"ehr-pa-{next(_numbers)}",
            "patient": {"id": patient_id, "first_name": "Perpetua", "last_name": "Quill",
                        "birth_date": "1970-06-12", "sex": "F",
                        "address": {"line1": "4 Mill Lane", "line2": None,
                                    "city": "Springfield", "state": "IL",
                                    "postal_code": "62701"}},
            "date_of_service": (date.today() - timedelta(days=4)).isoformat(),
            "place_of_service": "11",
            "rendering_provider_npi": "1245319599", "billing_provider_npi": "1234567893"})
        assert created.status_code == 201, created.text
        encounter = created.json()
        coded = self.coding.put(
            f"/v1/encounters/{encounter['id']}/codes",
            json={"diagnoses": [{"code": "E11.9"}],
                  "service_lines": [{"procedure_code": "99213", "modifiers": [], "units": 1,
                                     "charge": "150.00", "diagnosis_pointers": [1]}]},
            headers={"If-Match": str(encounter["version"])})
        assert coded.status_code == 200, coded.text
        assert self.coding.post(f"/v1/encounters/{encounter['id']}/finalize").status_code == 200
        claim = self.post("/v1/claims", {"encounter_id": encounter["id"]}, expected=201)
        self.post(f"/v1/claims/{claim['id']}/submit")
        return claim  # type: ignore[no-any-return]

    def post(self, path: str, body: Any = None, expected: int = 200) -> Any:
        response = self.billing.post(path, json=body)
        assert response.status_code == expected, response.text
        return response.json()

    def get(self, path: str) -> Any:
        response = self.billing.get(path)
        assert response.status_code == 200, response.text
        return response.json()

    def balanced(self, patient_id: str) -> dict[str, Any]:
        """Asserts the account adds up and returns the statement."""
        ledger = self.get(f"/v1/patients/{patient_id}/ledger?limit=200")
        total = sum((SIGN[i["kind"]] * abs(Decimal(i["amount"])) for i in ledger["items"]),
                    Decimal("0.00"))
        assert Decimal(ledger["balance"]) == total
        assert not ledger["items"] or Decimal(ledger["items"][-1]["balance"]) == total
        statement = self.get(f"/v1/patients/{patient_id}/statement")
        assert Decimal(statement["totals"]["balance"]) == total
        assert (Decimal(statement["totals"]["still_owed"])
                + Decimal(statement["totals"]["awaiting_insurance"])) == total
        return statement  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def desk(services: Any) -> Iterator[FrontDesk]:
    driver = FrontDesk(services.coding_url, services.billing_url)
    yield driver
    driver.close()


def test_copay_paid_at_the_visit_then_the_claim_paid(desk: FrontDesk) -> None:
    patient_id = desk.covered_patient("MOCK-HMO")
    copay = desk.post(f"/v1/patients/{patient_id}/payments",
                      {"amount": "25.00", "method": "card", "reference": "POS-881"},
                      expected=201)
    assert (copay["unapplied"], desk.balanced(patient_id)["totals"]["still_owed"]) == (
        "25.00", "-25.00")

    claim = desk.billed_visit(patient_id)
    desk.post("/v1/admin/process")
    paid = desk.get(f"/v1/claims/{claim['id']}")
    assert paid["status"] == "paid"
    statement = desk.balanced(patient_id)
    [line] = statement["claims"]
    assert ("copay", "25.00") in [(e["kind"], e["amount"]) for e in line["explanation"]]
    share = Decimal(paid["patient_responsibility"])
    totals = statement["totals"]
    assert Decimal(totals["you_owe"]) == share
    assert (totals["payments"], totals["awaiting_insurance"]) == ("25.00", "0.00")
    assert Decimal(totals["still_owed"]) == share - Decimal("25.00")
    kinds = [i["kind"] for i in desk.get(f"/v1/patients/{patient_id}/ledger")["items"]]
    assert kinds == ["patient_payment", "charge", "payer_payment", "contractual_adjustment"]


def test_a_patient_overpaid_and_refunded(desk: FrontDesk) -> None:
    patient_id = desk.covered_patient("MOCK-PPO")
    claim = desk.billed_visit(patient_id)
    desk.post("/v1/admin/process")
    share = Decimal(desk.get(f"/v1/claims/{claim['id']}")["patient_responsibility"])
    assert share > 0
    overpaid = share + Decimal("40.00")
    payment = desk.post(f"/v1/patients/{patient_id}/payments",
                        {"amount": f"{overpaid}", "method": "check", "reference": "2201"},
                        expected=201)
    assert payment["applied_to"] == [{"claim_id": claim["id"], "amount": f"{share}"}]
    assert payment["unapplied"] == "40.00"
    assert desk.balanced(patient_id)["totals"]["still_owed"] == "-40.00"

    credits = desk.get("/v1/worklist")["credits"]
    assert [c["credit"] for c in credits if c["patient_id"] == patient_id] == ["40.00"]
    refused = desk.post(f"/v1/patients/{patient_id}/refunds",
                        {"amount": "40.01", "method": "check"}, expected=422)
    assert refused["issues"][0]["path"] == "amount"
    desk.post(f"/v1/patients/{patient_id}/refunds",
              {"amount": "40.00", "method": "check", "reference": "2202"}, expected=201)
    statement = desk.balanced(patient_id)
    assert (statement["totals"]["still_owed"], statement["totals"]["balance"],
            statement["totals"]["refunds"]) == ("0.00", "0.00", "40.00")
    assert patient_id not in [c["patient_id"] for c in desk.get("/v1/worklist")["credits"]]
