"""The clinic's contract with a payer over real processes (both services and the mock
clearinghouse): the contract uploaded as CSV, a visit coded in coding-service and billed, the
mock payer paying by its own fee schedule, and the line it allowed below the contract found on
the claim's remittance and on the worklist, totalled for the payer, to the cent."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.integration

HEADERS = {"Authorization": "Bearer demo-key-clinic-a"}
FEE_SCHEDULE = Path(__file__).resolve().parents[2] / "mockpayer" / "data" / "fee_schedule.csv"
CONTRACT = "/v1/payers/MOCK-PPO/contract"
_numbers = itertools.count(1)


def mock_payer_allows(code: str) -> Decimal:
    """What the mock commercial PPO allows per unit of `code`, from its fee schedule."""
    rows = [line for line in FEE_SCHEDULE.read_text().splitlines()
            if line.strip() and not line.startswith("#")]
    return next(Decimal(row["allowed"]) for row in csv.DictReader(rows)
                if (row["payer_id"], row["procedure_code"]) == ("MOCK-PPO", code))


class Biller:
    def __init__(self, coding_url: str, billing_url: str) -> None:
        self.coding = httpx.Client(base_url=coding_url, headers=HEADERS, timeout=30)
        self.billing = httpx.Client(base_url=billing_url, headers=HEADERS, timeout=30)

    def close(self) -> None:
        self.coding.close()
        self.billing.close()

    def call(self, method: str, path: str, expected: int = 200, **kwargs: Any) -> Any:
        response = self.billing.request(method, path, **kwargs)
        assert response.status_code == expected, response.text
        return response.json() if response.content else None

    def underpayments(self) -> tuple[dict[str, tuple[int, Decimal]], Decimal]:
        summary = self.call("GET", "/v1/worklist?limit=200")["underpayments"]
        return ({p["payer_id"]: (p["claims"], Decimal(p["underpaid"]))
                 for p in summary["payers"]}, Decimal(summary["total"]))

    def paid_visit(self, lines: list[dict[str, Any]]) -> dict[str, Any]:
        """A covered patient's visit coded and finalized in coding-service, billed, and
        adjudicated by the mock payer."""
        number = next(_numbers)
        patient_id = f"MRN-PC-{number}"
        self.call("POST", "/v1/coverages", 201, json={
            "patient_id": patient_id, "payer_id": "MOCK-PPO",
            "member_id": f"W{710_000_000 + number:09d}", "relationship": "self",
            "subscriber": {"first_name": "Odile", "last_name": "Brandt",
                           "birth_date": "1968-03-09", "sex": "F"},
            "effective_from": "2020-01-01"})
        created = self.coding.post("/v1/encounters", json={
            "external_id": f"ehr-pc-{number}",
            "patient": {"id": patient_id, "first_name": "Odile", "last_name": "Brandt",
                        "birth_date": "1968-03-09", "sex": "F",
                        "address": {"line1": "9 Quarry Road", "line2": None,
                                    "city": "Springfield", "state": "IL",
                                    "postal_code": "62702"}},
            "date_of_service": (date.today() - timedelta(days=3)).isoformat(),
            "place_of_service": "11",
            "rendering_provider_npi": "1245319599", "billing_provider_npi": "1234567893"})
        assert created.status_code == 201, created.text
        encounter = created.json()
        coded = self.coding.put(f"/v1/encounters/{encounter['id']}/codes",
                                json={"diagnoses": [{"code": "M17.11"}], "service_lines": lines},
                                headers={"If-Match": str(encounter["version"])})
        assert coded.status_code == 200, coded.text
        finalized = self.coding.post(f"/v1/encounters/{encounter['id']}/finalize")
        assert finalized.status_code == 200, finalized.text
        claim = self.call("POST", "/v1/claims", 201, json={"encounter_id": encounter["id"]})
        self.call("POST", f"/v1/claims/{claim['id']}/submit")
        self.call("POST", "/v1/admin/process")
        return self.call("GET", f"/v1/claims/{claim['id']}")  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def biller(services: Any) -> Iterator[Biller]:
    driver = Biller(services.coding_url, services.billing_url)
    yield driver
    driver.close()


def test_a_line_the_payer_allowed_below_the_contract_is_found_on_the_worklist(
    biller: Biller,
) -> None:
    visit, injection = mock_payer_allows("99213"), mock_payer_allows("20610")
    # The code's own row is what the payer allows; the row for modifier 25, which the visit
    # line carries, is 11.70 more; the injection is contracted at what the payer allows; the
    # venipuncture has no rate.
    uploaded = biller.billing.put(CONTRACT, headers={"Content-Type": "text/csv"}, content=(
        "procedure_code,modifier,allowed\n"
        f"99213,,{visit}\n99213,25,{visit + Decimal('11.70')}\n20610,,{injection}\n"))
    assert uploaded.status_code == 200, uploaded.text
    try:
        assert [(r["procedure_code"], r["modifier"]) for r in uploaded.json()["rates"]] == [
            ("20610", None), ("99213", None), ("99213", "25")]
        before, total_before = biller.underpayments()

        claim = biller.paid_visit([
            {"procedure_code": "20610", "modifiers": [], "units": 1, "charge": "150.00",
             "diagnosis_pointers": [1]},
            {"procedure_code": "99213", "modifiers": ["25"], "units": 1, "charge": "150.00",
             "diagnosis_pointers": [1]},
            {"procedure_code": "36415", "modifiers": [], "units": 1, "charge": "10.00",
             "diagnosis_pointers": [1]}])
        assert claim["status"] == "paid", claim

        view = biller.call("GET", f"/v1/claims/{claim['id']}/remittance")
        [remittance] = view["remittances"]
        assert [(line["allowed"], line["expected"], line["underpaid"])
                for line in remittance["lines"]] == [
            (f"{injection}", f"{injection}", "0.00"),
            (f"{visit}", f"{visit + Decimal('11.70')}", "11.70"),
            ("3.90", None, None)]
        assert view["totals"]["underpaid"] == "11.70"

        items = biller.call("GET", "/v1/worklist?limit=200")["items"]
        [item] = [i for i in items if i["claim_id"] == claim["id"]]
        assert (item["kind"], item["underpaid"], item["payer_id"]) == (
            "underpaid", "11.70", "MOCK-PPO")
        after, total_after = biller.underpayments()
        claims_before, underpaid_before = before.get("MOCK-PPO", (0, Decimal("0.00")))
        assert after["MOCK-PPO"] == (claims_before + 1, underpaid_before + Decimal("11.70"))
        assert total_after - total_before == Decimal("11.70")

        # The patient's account is untouched by it: the ledger and the statement agree.
        patient_id = claim["patient"]["id"]
        ledger = biller.call("GET", f"/v1/patients/{patient_id}/ledger?limit=200")
        statement = biller.call("GET", f"/v1/patients/{patient_id}/statement")
        assert statement["totals"]["balance"] == ledger["balance"] == claim[
            "patient_responsibility"]
    finally:
        biller.call("DELETE", CONTRACT, 204)
