"""From a coded visit in coding-service to a paid claim, a remittance and a patient statement
in billing-service, both running as real processes and driven over HTTP, billing reaching the
mock payer as a clearinghouse over HTTP, a third process.

Every amount is checked to the cent against what the mock payer's data files (fee schedule,
plan deductible, copay and coinsurance) make of the claim, and every line of every remittance
must balance: billed = paid + the sum of its adjustments.
"""

from __future__ import annotations

import csv
import itertools
import json
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Protocol

import httpx
import pytest
from billing_events import SECRET_A
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.claim import Claim
from fhir.resources.R4B.encounter import Encounter
from fhir.resources.R4B.explanationofbenefit import ExplanationOfBenefit
from fhir_bundles import as_fhir_json, charge_item, encounter_bundle
from payer_files import denial_835

from billing_service.x12.syntax import read_interchange
from billing_service.x12.validation import pyx12_findings

pytestmark = pytest.mark.integration

MOCK_PAYER_DATA = Path(__file__).resolve().parents[2] / "mockpayer" / "data"
CLINIC_A_KEY = "demo-key-clinic-a"
CLINIC_B_KEY = "demo-key-clinic-b"
# Valid NPIs (Luhn over the 80840 prefix).
BILLING_NPI = "1234567893"
RENDERING_NPI = "1245319599"
CENT = Decimal("0.01")
# coding-service sends webhooks within a second or two of the change.
WEBHOOK_PATIENCE_SECONDS = 30
ZERO = Decimal("0.00")


class Process(Protocol):
    log: Path

    def start(self) -> None: ...
    def wait_ready(self) -> None: ...
    def stop(self) -> None: ...


class Services(Protocol):
    """What the harness in conftest.py yields."""

    coding_url: str
    billing_url: str
    coding_log: Path
    billing_log: Path
    coding: Process
    clearinghouse: Process | None


# --- the mock payer's terms, read from its data files -----------------------------------


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _data_rows(name: str) -> list[dict[str, str]]:
    lines = [line for line in (MOCK_PAYER_DATA / name).read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines))


@dataclass(frozen=True)
class Plan:
    deductible: Decimal
    copay: Decimal
    coinsurance_percent: Decimal
    out_of_pocket_max: Decimal


@dataclass(frozen=True)
class Line:
    """A service line as coded: what the claim bills."""

    procedure_code: str
    charge: str
    units: int = 1
    modifiers: tuple[str, ...] = ()
    pointers: tuple[int, ...] = (1,)
    # The line's own dates, NDC and the like, as coding-service takes them.
    facts: tuple[tuple[str, Any], ...] = ()

    def body(self) -> dict[str, Any]:
        return {"procedure_code": self.procedure_code, "modifiers": list(self.modifiers),
                "units": self.units, "charge": self.charge,
                "diagnosis_pointers": list(self.pointers), **dict(self.facts)}


@dataclass(frozen=True)
class ExpectedLine:
    billed: Decimal
    allowed: Decimal
    paid: Decimal
    adjustments: tuple[tuple[str, str, Decimal], ...]
    rarc: tuple[str, ...] = ()

    def total(self, group: str, carc: str | None = None) -> Decimal:
        return sum((amount for g, c, amount in self.adjustments
                    if g == group and (carc is None or c == carc)), ZERO)


@dataclass(frozen=True)
class Expected:
    """A claim as the mock payer's published terms price it, and the member's plan-year
    totals (deductible met, out of pocket) after it."""

    status: str
    lines: tuple[ExpectedLine, ...]
    deductible_met: Decimal
    out_of_pocket_met: Decimal

    @property
    def billed(self) -> Decimal:
        return sum((line.billed for line in self.lines), ZERO)

    @property
    def allowed(self) -> Decimal:
        return sum((line.allowed for line in self.lines), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((line.paid for line in self.lines), ZERO)

    def total(self, group: str, carc: str | None = None) -> Decimal:
        return sum((line.total(group, carc) for line in self.lines), ZERO)


class PayerTerms:
    """The payers' default plans, fee schedules and exclusions from the mock payer's files.

    Pricing follows the contract: allowed = fee schedule x units capped at the charge, CO-45
    for the rest; then the per-visit copay (PR-3) on the first office visit, the deductible
    (PR-1) from what the member has left of it, coinsurance (PR-2) on the rest, rounded to
    the cent; a non-covered code is denied CO-96 with its remark code.
    """

    def __init__(self) -> None:
        payers = json.loads((MOCK_PAYER_DATA / "payers.json").read_text())["payers"]
        self.plans = {}
        self.preventive = {payer["payer_id"]: set(payer["preventive_codes"]) for payer in payers}
        for payer in payers:
            plan = next(p for p in payer["plans"] if p["code"] == payer["default_plan"])
            self.plans[payer["payer_id"]] = Plan(
                Decimal(plan["deductible"]), Decimal(plan["copay"]),
                Decimal(plan["coinsurance_percent"]), Decimal(plan["out_of_pocket_max"]))
        self.fees = {(row["payer_id"], row["procedure_code"]): Decimal(row["allowed"])
                     for row in _data_rows("fee_schedule.csv")}
        self.non_covered = {(row["payer_id"], row["procedure_code"]): row["rarc"]
                            for row in _data_rows("non_covered.csv")}
        self.bundled = {(row["column1"], row["column2"]) for row in _data_rows("bundling.csv")}

    def price(self, payer_id: str, lines: list[Line], *, deductible_met: Decimal = ZERO,
              out_of_pocket_met: Decimal = ZERO) -> Expected:
        codes = {line.procedure_code for line in lines}
        # Bundled pairs and preventive services are outside what these terms price.
        assert not {(a, b) for a in codes for b in codes} & self.bundled
        assert not codes & self.preventive[payer_id]
        plan = self.plans[payer_id]
        copay_taken = False
        priced = []
        for line in lines:
            charge = Decimal(line.charge)
            remark = self.non_covered.get((payer_id, line.procedure_code))
            if remark is not None:
                priced.append(ExpectedLine(charge, ZERO, ZERO, (("CO", "96", charge),),
                                           (remark,)))
                continue
            allowed = min(charge, self.fees[(payer_id, line.procedure_code)] * line.units)
            copay = ZERO
            office_visit = line.procedure_code.isdigit() and (
                99202 <= int(line.procedure_code) <= 99499)
            if not copay_taken and office_visit:
                copay_taken = True
                copay = min(plan.copay, allowed)
            deductible = min(max(ZERO, plan.deductible - deductible_met), allowed - copay)
            coinsurance = cents((allowed - copay - deductible) * plan.coinsurance_percent / 100)
            deductible_met += deductible
            out_of_pocket_met += copay + deductible + coinsurance
            # These scenarios stay under the out-of-pocket maximum, where the plan pays all.
            assert out_of_pocket_met <= plan.out_of_pocket_max
            adjustments = [("CO", "45", charge - allowed), ("PR", "3", copay),
                           ("PR", "1", deductible), ("PR", "2", coinsurance)]
            priced.append(ExpectedLine(
                charge, allowed, allowed - copay - deductible - coinsurance,
                tuple(a for a in adjustments if a[2] != ZERO)))
        denied = sum(1 for line in priced if line.allowed == ZERO and line.total("CO", "96"))
        status = ("denied" if denied == len(priced) else
                  "partially_paid" if denied else "paid")
        return Expected(status, tuple(priced), deductible_met, out_of_pocket_met)


@pytest.fixture(scope="module")
def terms() -> PayerTerms:
    return PayerTerms()


# --- driving the services over HTTP -----------------------------------------------------


def money(value: Decimal) -> str:
    """A Decimal as the API writes money: two places."""
    return str(cents(value))


def day_of_service(days_ago: int = 3) -> date:
    """Recent enough for every mock payer's timely-filing limit, never in the future."""
    return date.today() - timedelta(days=days_ago)


@dataclass
class Patient:
    id: str
    first_name: str
    last_name: str
    birth_date: str
    street: str
    sex: str = "F"

    def body(self) -> dict[str, Any]:
        return {"id": self.id, "first_name": self.first_name, "last_name": self.last_name,
                "birth_date": self.birth_date, "sex": self.sex,
                "address": {"line1": self.street, "line2": None, "city": "Springfield",
                            "state": "IL", "postal_code": "62704"}}


FIRST_NAMES = ("Ottoline", "Perpetua", "Isolde", "Marguerite", "Philippa", "Clementine",
               "Euphemia", "Wilhelmina", "Rosamund", "Leocadia", "Seraphina", "Hyacinth")
LAST_NAMES = ("Quillfeather", "Thornbury", "Ashcombe", "Fairweather", "Holloway", "Blackwood",
              "Winterbourne", "Lockridge", "Pemberton", "Ravensworth", "Kingsley", "Marchbanks")
_numbers = itertools.count(1)


class Clinic:
    """One tenant's EHR integration and biller: codes visits in coding-service and bills
    them in billing-service, over HTTP with the tenant's demo key."""

    def __init__(self, services: Services, phi: set[str], key: str = CLINIC_A_KEY) -> None:
        headers = {"Authorization": f"Bearer {key}"}
        self.coding = httpx.Client(base_url=services.coding_url, headers=headers, timeout=30)
        self.billing = httpx.Client(base_url=services.billing_url, headers=headers, timeout=30)
        # Every name, birth date and member id sent: none may reach a log.
        self.phi = phi

    def close(self) -> None:
        self.coding.close()
        self.billing.close()

    def new_patient(self) -> Patient:
        number = next(_numbers)
        patient = Patient(
            id=f"MRN-{number}",
            first_name=FIRST_NAMES[number % len(FIRST_NAMES)],
            last_name=LAST_NAMES[number % len(LAST_NAMES)],
            birth_date=(date(1950, 1, 1) + timedelta(days=397 * (number % 40))).isoformat(),
            street=f"{number} Quillfeather Lane",
        )
        self.phi.update({patient.first_name, patient.last_name, patient.birth_date,
                         patient.street})
        return patient

    def new_member_id(self, payer_id: str) -> str:
        """A member nobody else in the run uses, so its accumulators start at zero."""
        number = 500_000_000 + next(_numbers)
        member_id = {"MOCK-PPO": f"W{number:09d}",
                     "MOCK-HMO": f"H{number % 100_000_000:08d}"}[payer_id]
        self.phi.add(member_id)
        return member_id

    # coding-service

    def coded_encounter(self, patient: Patient, lines: list[Line], *,
                        diagnoses: tuple[str, ...] = ("E11.9",),
                        date_of_service: date | None = None,
                        **facts: Any) -> dict[str, Any]:
        """A new encounter with its codes, finalized at coding version 1. `facts`: more
        encounter fields (referring_provider, service_facility, prior_authorization...)."""
        created = self.coding.post("/v1/encounters", json={
            "external_id": f"ehr-visit-{next(_numbers)}",
            "patient": patient.body(),
            "date_of_service": (date_of_service or day_of_service()).isoformat(),
            "place_of_service": "11",
            "rendering_provider_npi": RENDERING_NPI,
            "billing_provider_npi": BILLING_NPI,
            **facts,
        })
        assert created.status_code == 201, created.text
        encounter = created.json()
        self.put_codes(encounter, lines, diagnoses)
        return self.finalize(encounter["id"])

    def put_codes(self, encounter: dict[str, Any], lines: list[Line],
                  diagnoses: tuple[str, ...]) -> dict[str, Any]:
        response = self.coding.put(
            f"/v1/encounters/{encounter['id']}/codes",
            json={"diagnoses": [{"code": code} for code in diagnoses],
                  "service_lines": [line.body() for line in lines]},
            headers={"If-Match": str(encounter["version"])},
        )
        assert response.status_code == 200, response.text
        coded = response.json()
        assert not [i for i in coded["issues"] if i["severity"] == "error"], coded["issues"]
        return coded

    def finalize(self, encounter_id: str) -> dict[str, Any]:
        response = self.coding.post(f"/v1/encounters/{encounter_id}/finalize")
        assert response.status_code == 200, response.text
        finalized = response.json()
        assert finalized["status"] == "finalized"
        return finalized

    def recode(self, encounter: dict[str, Any], lines: list[Line],
               diagnoses: tuple[str, ...]) -> dict[str, Any]:
        """Reopen the finalized encounter, code it again and finalize the next version."""
        reopened = self.coding.post(f"/v1/encounters/{encounter['id']}/reopen",
                                    json={"reason": "Coding corrected after a denial"},
                                    headers={"If-Match": str(encounter["version"])})
        assert reopened.status_code == 200, reopened.text
        self.put_codes(reopened.json(), lines, diagnoses)
        return self.finalize(encounter["id"])

    # billing-service

    def coverage(self, patient: Patient, payer_id: str, member_id: str,
                 priority: str = "primary") -> dict[str, Any]:
        response = self.billing.post("/v1/coverages", json={
            "patient_id": patient.id, "payer_id": payer_id, "member_id": member_id,
            "group_number": "G-100", "relationship": "self",
            "subscriber": {k: v for k, v in patient.body().items() if k != "id"},
            "effective_from": date(day_of_service().year - 1, 1, 1).isoformat(),
            "effective_to": None, "priority": priority,
        })
        assert response.status_code == 201, response.text
        return response.json()

    def claim(self, encounter: dict[str, Any]) -> dict[str, Any]:
        response = self.billing.post("/v1/claims", json={"encounter_id": encounter["id"]})
        assert response.status_code == 201, response.text
        claim = response.json()
        assert claim["status"] == "ready"
        assert not [i for i in claim["scrub_issues"] if i["severity"] == "error"]
        return claim

    def act(self, claim_id: str, action: str) -> dict[str, Any]:
        response = self.billing.post(f"/v1/claims/{claim_id}/{action}")
        assert response.status_code == 200, response.text
        return response.json()

    def process(self) -> dict[str, Any]:
        response = self.billing.post("/v1/admin/process")
        assert response.status_code == 200, response.text
        outcome = response.json()
        assert outcome["pending_jobs"] == 0, outcome
        return outcome

    def get(self, path: str) -> Any:
        response = self.billing.get(path)
        assert response.status_code == 200, response.text
        return response.json()

    def submitted_and_processed(self, claim_id: str) -> dict[str, Any]:
        assert self.act(claim_id, "submit")["status"] == "submitted"
        self.process()
        return self.get(f"/v1/claims/{claim_id}")

    def actions(self, claim_id: str) -> list[str]:
        history = self.get(f"/v1/claims/{claim_id}/events")["items"]
        return [event["action"] for event in history]


@pytest.fixture(scope="module")
def phi() -> set[str]:
    return set()


@pytest.fixture(scope="module")
def clinic(services: Services, phi: set[str]) -> Iterator[Clinic]:
    driver = Clinic(services, phi)
    yield driver
    driver.close()


@pytest.fixture(scope="module")
def other_clinic(services: Services, phi: set[str]) -> Iterator[Clinic]:
    driver = Clinic(services, phi, CLINIC_B_KEY)
    yield driver
    driver.close()


# --- the story ---------------------------------------------------------------------------

DIABETES, HYPERTENSION, LOW_BACK_PAIN, RIGHT_KNEE_PAIN = "E11.9", "I10", "M54.50", "M25.561"
# Acupuncture: excluded by the commercial and HMO plans (CO-96).
ACUPUNCTURE = Line("97810", "80.00")


def assert_balanced(remittance: dict[str, Any]) -> None:
    assert remittance["remittances"], "no remittance posted"
    for posted in remittance["remittances"]:
        for line in posted["lines"]:
            adjusted = sum((Decimal(a["amount"]) for a in line["adjustments"]), ZERO)
            assert Decimal(line["billed"]) == Decimal(line["paid"]) + adjusted, line


def assert_lines(posted: dict[str, Any], expected: Expected, *, reversal: bool = False) -> None:
    """The remittance's lines are the expected ones (negated for a reversal), to the cent."""

    def written(value: Decimal) -> str:
        return money(ZERO - value if reversal else value)

    assert len(posted["lines"]) == len(expected.lines)
    for line, want in zip(posted["lines"], expected.lines, strict=True):
        assert (line["billed"], line["allowed"], line["paid"]) == (
            written(want.billed), written(want.allowed), written(want.paid))
        assert sorted((a["group"], a["carc"], a["amount"]) for a in line["adjustments"]) == sorted(
            (group, carc, written(value)) for group, carc, value in want.adjustments)
        assert tuple(line["rarc"]) == want.rarc


def assert_adjudicated(clinic: Clinic, claim_id: str, expected: Expected) -> dict[str, Any]:
    """The claim, its remittance and the remittance's totals all carry the expected money."""
    claim = clinic.get(f"/v1/claims/{claim_id}")
    patient_share = expected.total("PR")
    assert (claim["status"], claim["paid_amount"], claim["patient_responsibility"],
            claim["adjustment_amount"], claim["balance"]) == (
        expected.status, money(expected.paid), money(patient_share),
        money(expected.billed - expected.paid), "0.00")
    remittance = clinic.get(f"/v1/claims/{claim_id}/remittance")
    assert_balanced(remittance)
    [posted] = remittance["remittances"]
    assert (posted["status"], posted["payer_claim_control_number"]) == (
        expected.status, claim["payer_claim_control_number"])
    assert_lines(posted, expected)
    assert remittance["totals"] == {
        "billed": money(expected.billed), "allowed": money(expected.allowed),
        "paid": money(expected.paid), "patient_responsibility": money(patient_share),
        "adjustments": money(expected.billed - expected.paid), "balance": "0.00",
        "underpaid": "0.00",
    }
    return claim


def assert_statement_item(item: dict[str, Any], claim_id: str, expected: Expected) -> None:
    assert item["claim_id"] == claim_id
    assert (item["billed"], item["allowed"], item["insurance_paid"], item["plan_discount"],
            item["you_owe"]) == (
        money(expected.billed), money(expected.allowed), money(expected.paid),
        money(expected.total("CO", "45")), money(expected.total("PR")))


def covered_patient(clinic: Clinic, payer_id: str) -> tuple[Patient, dict[str, Any]]:
    patient = clinic.new_patient()
    coverage = clinic.coverage(patient, payer_id, clinic.new_member_id(payer_id))
    return patient, coverage


def test_clean_claim_is_paid_with_copay_and_coinsurance(clinic: Clinic, terms: PayerTerms) -> None:
    patient, _ = covered_patient(clinic, "MOCK-HMO")
    lines = [Line("99214", "200.00", pointers=(1, 2)), Line("36415", "15.00")]
    encounter = clinic.coded_encounter(patient, lines, diagnoses=(DIABETES, HYPERTENSION))
    assert encounter["coding_version"] == 1

    claim = clinic.claim(encounter)
    assert (claim["encounter_id"], claim["coding_version"], claim["frequency_code"],
            claim["total_charge"], claim["payer_id"]) == (
        encounter["id"], 1, "1", "215.00", "MOCK-HMO")
    assert claim["patient"] == patient.body()
    assert claim["diagnoses"] == [DIABETES, HYPERTENSION]
    assert [(ln["procedure_code"], ln["charge"], ln["diagnosis_pointers"]) for ln in
            claim["lines"]] == [("99214", "200.00", [1, 2]), ("36415", "15.00", [1])]

    # The same coding version billed again is the same claim.
    again = clinic.billing.post("/v1/claims", json={"encounter_id": encounter["id"]})
    assert (again.status_code, again.json()["id"]) == (200, claim["id"])

    clinic.submitted_and_processed(claim["id"])
    expected = terms.price("MOCK-HMO", lines)
    assert expected.status == "paid" and expected.total("PR", "3") > ZERO
    assert expected.total("PR", "2") > ZERO and expected.paid > ZERO
    paid = assert_adjudicated(clinic, claim["id"], expected)
    assert paid["payer_claim_control_number"].startswith("HMO")

    events = clinic.get(f"/v1/claims/{claim['id']}/events")["items"]
    assert [(e["action"], e["from"], e["to"], e["actor"] == "payer") for e in events] == [
        ("create", None, "ready", False), ("submit", "ready", "submitted", False),
        ("acknowledge", "submitted", "accepted", True), ("adjudicate", "accepted", "paid", True)]
    assert set(events[-1]["carc"]) == {"CO-45", "PR-3", "PR-2"}

    statement = clinic.get(f"/v1/patients/{patient.id}/statement")
    [item] = statement["claims"]
    assert_statement_item(item, claim["id"], expected)
    explained = {e["kind"]: e["amount"] for e in item["explanation"]}
    assert explained == {
        "plan_discount": money(expected.total("CO", "45")),
        "insurance_paid": money(expected.paid),
        "copay": money(expected.total("PR", "3")),
        "coinsurance": money(expected.total("PR", "2")),
    }
    assert statement["summary"] == f"You owe ${money(expected.total('PR'))} for 1 visit."

    listed = clinic.get(f"/v1/claims?patient_id={patient.id}&status=paid")
    assert [c["id"] for c in listed["items"]] == [claim["id"]]
    worklist = clinic.get("/v1/worklist")
    assert claim["id"] not in {i["claim_id"] for i in worklist["items"]}


def test_what_the_encounter_says_beyond_codes_reaches_the_837p(clinic: Clinic) -> None:
    """Entered in coding-service, read by billing over HTTP, written into the 837P."""
    patient, _ = covered_patient(clinic, "MOCK-HMO")
    day = day_of_service()
    lines = [Line("20610", "200.00", facts=(
                 ("date_of_service", (day - timedelta(days=1)).isoformat()),
                 ("date_of_service_to", day.isoformat()))),
             Line("J3301", "40.00", units=4, facts=(
                 ("ndc", {"code": "0003-0293-05", "unit": "ML", "quantity": "1.000"}),))]
    encounter = clinic.coded_encounter(
        patient, lines, date_of_service=day,
        referring_provider={"npi": "1467560003", "first_name": "Ngozi", "last_name": "Okafor"},
        service_facility={"name": "Springfield Surgery Center", "npi": None,
                          "address": {"line1": "9 Hospital Road", "city": "Springfield",
                                      "state": "IL", "postal_code": "62702-0002"}},
        prior_authorization="PA-2026-0042")
    claim = clinic.claim(encounter)
    text = clinic.billing.get(f"/v1/claims/{claim['id']}/x12")
    assert text.status_code == 200, text.text
    assert pyx12_findings(text.text) == []
    found = [(seg.id, seg.elements) for _, transaction in read_interchange(text.text)
             .transactions() for seg in transaction.segments]
    assert ("N3", (patient.street,)) in found  # 2010BA: the patient is the subscriber
    assert ("REF", ("G1", "PA-2026-0042")) in found
    assert ("NM1", ("DN", "1", "Okafor", "Ngozi", "", "", "", "XX", "1467560003")) in found
    assert ("NM1", ("77", "2", "Springfield Surgery Center")) in found
    assert ("N4", ("Springfield", "IL", "627020002")) in found
    assert ("DTP", ("472", "RD8", f"{day - timedelta(days=1):%Y%m%d}-{day:%Y%m%d}")) in found
    assert ("LIN", ("", "N4", "00003029305")) in found
    assert ("CTP", ("", "", "", "1", "ML")) in found


def test_billing_reaches_the_payer_over_http_as_a_clearinghouse(
    clinic: Clinic, services: Services, terms: PayerTerms
) -> None:
    """The claim goes out as an 837P to the mock clearinghouse's process, and its 277CA and
    835 come back from there, as they would from a real clearinghouse."""
    assert services.clearinghouse is not None
    patient, _ = covered_patient(clinic, "MOCK-PPO")
    lines = [Line("99213", "150.00")]
    claim = clinic.claim(clinic.coded_encounter(patient, lines))
    clinic.submitted_and_processed(claim["id"])
    assert_adjudicated(clinic, claim["id"], terms.price("MOCK-PPO", lines))
    log = services.clearinghouse.log.read_text()
    for route in ("/v1/payers", "/v1/submissions", "/v1/files", "/v1/files/acknowledgments"):
        assert f'"route":"{route}"' in log, route


def test_identical_claim_sent_again_is_denied_as_a_duplicate(
    clinic: Clinic, terms: PayerTerms
) -> None:
    patient, _ = covered_patient(clinic, "MOCK-HMO")
    lines = [Line("99213", "150.00")]
    first = clinic.claim(clinic.coded_encounter(patient, lines))
    clinic.submitted_and_processed(first["id"])
    assert_adjudicated(clinic, first["id"], terms.price("MOCK-HMO", lines))

    # The same visit keyed in twice by the EHR: another encounter, the very same claim.
    again = clinic.claim(clinic.coded_encounter(patient, lines))
    assert again["id"] != first["id"]
    clinic.submitted_and_processed(again["id"])
    duplicate = Expected("denied", tuple(
        ExpectedLine(Decimal(ln.charge), ZERO, ZERO, (("CO", "18", Decimal(ln.charge)),))
        for ln in lines), ZERO, ZERO)
    assert_adjudicated(clinic, again["id"], duplicate)
    [posted] = clinic.get(f"/v1/claims/{again['id']}/remittance")["remittances"]
    assert posted["remark_codes"] == ["N522"]


def test_whole_allowed_amount_to_the_deductible_is_paid_zero_not_denied(
    clinic: Clinic, terms: PayerTerms
) -> None:
    patient, _ = covered_patient(clinic, "MOCK-PPO")
    lines = [Line("99213", "150.00")]
    claim = clinic.claim(clinic.coded_encounter(patient, lines))
    done = clinic.submitted_and_processed(claim["id"])

    expected = terms.price("MOCK-PPO", lines)
    assert expected.total("PR", "1") == expected.allowed > ZERO
    assert_adjudicated(clinic, claim["id"], expected)
    assert (done["status"], done["paid_amount"]) == ("paid", "0.00")
    assert done["patient_responsibility"] == money(expected.allowed)

    [item] = clinic.get(f"/v1/patients/{patient.id}/statement")["claims"]
    assert_statement_item(item, claim["id"], expected)
    assert item["status_text"] == "Your insurer processed this visit."
    deductible = next(e for e in item["explanation"] if e["kind"] == "deductible")
    assert deductible["amount"] == money(expected.allowed)


def test_partially_paid_when_one_line_is_not_covered(clinic: Clinic, terms: PayerTerms) -> None:
    patient, _ = covered_patient(clinic, "MOCK-HMO")
    lines = [Line("99213", "150.00"), replace(ACUPUNCTURE, pointers=(2,))]
    claim = clinic.claim(clinic.coded_encounter(patient, lines,
                                                diagnoses=(DIABETES, LOW_BACK_PAIN)))
    clinic.submitted_and_processed(claim["id"])

    expected = terms.price("MOCK-HMO", lines)
    assert expected.status == "partially_paid" and expected.paid > ZERO
    assert_adjudicated(clinic, claim["id"], expected)
    last = clinic.get(f"/v1/claims/{claim['id']}/events")["items"][-1]
    assert (last["action"], last["to"]) == ("adjudicate", "partially_paid")
    assert "CO-96" in last["carc"] and "N130" in last["rarc"]

    [item] = clinic.get(f"/v1/patients/{patient.id}/statement")["claims"]
    assert_statement_item(item, claim["id"], expected)
    declined = next(e for e in item["explanation"] if e["kind"] == "declined")
    assert declined["amount"] == money(expected.total("CO", "96"))


def test_an_encounter_of_fourteen_diagnoses_and_sixty_lines_is_billed_as_several_claims(
    clinic: Clinic,
) -> None:
    patient, _ = covered_patient(clinic, "MOCK-HMO")
    diagnoses = (DIABETES, HYPERTENSION, LOW_BACK_PAIN, RIGHT_KNEE_PAIN, "J06.9", "R51.9",
                 "E78.5", "K21.9", "F41.1", "G47.00", "N39.0", "Z79.4", "J45.909", "L40.0")
    codes = ["36415", "81002", "85025", "80053", "93000", "71046", "73560", "96372"]
    # Told apart by their charge; each points at three of the fourteen.
    lines = [Line("99214", "200.00", pointers=(1, 6, 10))] + [
        Line(codes[n % len(codes)], f"{20 + n}.00",
             pointers=(n % 14 + 1, (n + 5) % 14 + 1, (n + 9) % 14 + 1))
        for n in range(1, 60)]
    encounter = clinic.coded_encounter(patient, lines, diagnoses=diagnoses)
    first = clinic.claim(encounter)
    claims = sorted(clinic.get(f"/v1/claims?encounter_id={encounter['id']}&limit=100")["items"],
                    key=lambda c: c["split"]["index"])
    assert first["id"] == claims[0]["id"] and len(claims) == first["split"]["of"] >= 2

    own = {line.charge: {diagnoses[p - 1] for p in line.pointers} for line in lines}
    billed = []
    for claim in claims:
        assert len(claim["diagnoses"]) <= 12 and len(claim["lines"]) <= 50
        for line in claim["lines"]:
            assert {claim["diagnoses"][p - 1] for p in line["diagnosis_pointers"]} == own[
                line["charge"]]
            billed.append(line["charge"])
        x12 = clinic.billing.get(f"/v1/claims/{claim['id']}/x12")
        assert x12.status_code == 200, x12.text
        assert pyx12_findings(x12.text) == []
    assert sorted(billed) == sorted(line.charge for line in lines)

    for claim in claims:
        assert clinic.act(claim["id"], "submit")["status"] == "submitted"
    clinic.process()
    assert {clinic.get(f"/v1/claims/{c['id']}")["status"] for c in claims} <= {
        "paid", "partially_paid"}


def test_denied_for_a_non_covered_code_goes_to_the_worklist(
    clinic: Clinic, terms: PayerTerms
) -> None:
    patient, _ = covered_patient(clinic, "MOCK-PPO")
    lines = [ACUPUNCTURE]
    claim = clinic.claim(clinic.coded_encounter(patient, lines, diagnoses=(LOW_BACK_PAIN,)))
    denied = clinic.submitted_and_processed(claim["id"])

    expected = terms.price("MOCK-PPO", lines)
    assert expected.status == "denied"
    assert_adjudicated(clinic, claim["id"], expected)
    assert denied["allowed_actions"] == ["correct", "void"]

    [item] = [i for i in clinic.get("/v1/worklist")["items"] if i["claim_id"] == claim["id"]]
    assert (item["kind"], item["status"], item["total_charge"]) == ("denied", "denied", "80.00")
    assert "CO-96" in item["carc"] and "N130" in item["rarc"]
    assert f"/v1/claims/{claim['id']}/corrections" in item["next_step"]

    [line] = clinic.get(f"/v1/patients/{patient.id}/statement")["claims"]
    assert (line["you_owe"], line["insurance_paid"]) == ("0.00", "0.00")
    assert line["status_text"] == "Your insurer declined to pay for this visit."


def unknown_member_id(payer_id: str) -> str:
    """The member the mock payer's roster lists as not on file."""
    members = json.loads((MOCK_PAYER_DATA / "members.json").read_text())["members"]
    return next(m["member_id"] for m in members
                if m["payer_id"] == payer_id and m.get("found") is False)


def test_rejected_for_an_unknown_member_is_fixed_resubmitted_and_paid(
    clinic: Clinic, terms: PayerTerms, phi: set[str]
) -> None:
    patient = clinic.new_patient()
    wrong_member = unknown_member_id("MOCK-PPO")
    phi.add(wrong_member)
    coverage = clinic.coverage(patient, "MOCK-PPO", wrong_member)
    lines = [Line("99214", "200.00")]
    claim = clinic.claim(clinic.coded_encounter(patient, lines))

    rejected = clinic.submitted_and_processed(claim["id"])
    assert (rejected["status"], rejected["allowed_actions"], rejected["payer_claim_control_number"]
            ) == ("rejected", ["resubmit", "change_coverage", "cancel"], None)
    assert [e["code"] for e in rejected["payer_errors"]] == ["A7:33"]
    [item] = [i for i in clinic.get("/v1/worklist")["items"] if i["claim_id"] == claim["id"]]
    assert item["kind"] == "rejected"
    assert rejected["payer_errors"][0]["message"] in item["reason"]
    assert clinic.billing.post(f"/v1/claims/{claim['id']}/void").status_code == 409

    fixed = clinic.billing.patch(
        f"/v1/coverages/{coverage['id']}", json={"member_id": clinic.new_member_id("MOCK-PPO")},
        headers={"If-Match": str(coverage["version"])})
    assert fixed.status_code == 200, fixed.text
    assert fixed.json()["version"] == coverage["version"] + 1
    resubmitted = clinic.act(claim["id"], "resubmit")
    assert (resubmitted["status"], resubmitted["submission_count"],
            resubmitted["payer_errors"]) == ("submitted", 2, [])
    clinic.process()

    assert_adjudicated(clinic, claim["id"], terms.price("MOCK-PPO", lines))
    assert clinic.actions(claim["id"]) == [
        "create", "submit", "acknowledge", "resubmit", "acknowledge", "adjudicate"]
    worklist = clinic.get("/v1/worklist")
    assert claim["id"] not in {i["claim_id"] for i in worklist["items"]}


def test_correction_after_a_denial_replaces_the_claim_and_is_paid(
    clinic: Clinic, terms: PayerTerms
) -> None:
    patient, _ = covered_patient(clinic, "MOCK-HMO")
    first_lines = [ACUPUNCTURE]
    encounter = clinic.coded_encounter(patient, first_lines, diagnoses=(LOW_BACK_PAIN,))
    original = clinic.claim(encounter)
    denied = clinic.submitted_and_processed(original["id"])
    assert denied["status"] == "denied"

    # The coder finds the visit was an office visit: reopen, recode, finalize version 2.
    corrected_lines = [Line("99213", "150.00")]
    recoded = clinic.recode(encounter, corrected_lines, (LOW_BACK_PAIN,))
    assert (recoded["status"], recoded["coding_version"]) == ("finalized", 2)
    response = clinic.billing.post(f"/v1/claims/{original['id']}/corrections",
                                   json={"encounter_coding_version": 2})
    assert response.status_code == 201, response.text
    replacement = response.json()
    assert (replacement["status"], replacement["frequency_code"], replacement["coding_version"],
            replacement["original_payer_claim_number"], replacement["replaces_claim_id"]) == (
        "ready", "7", 2, denied["payer_claim_control_number"], original["id"])
    assert [ln["procedure_code"] for ln in replacement["lines"]] == ["99213"]

    clinic.submitted_and_processed(replacement["id"])
    assert_adjudicated(clinic, replacement["id"], terms.price("MOCK-HMO", corrected_lines))

    replaced = clinic.get(f"/v1/claims/{original['id']}")
    assert (replaced["status"], replaced["replaced_by_claim_id"], replaced["allowed_actions"],
            replaced["paid_amount"], replaced["patient_responsibility"], replaced["balance"]) == (
        "replaced", replacement["id"], [], "0.00", "0.00", "0.00")
    # The payer reversed the denied original when it took the replacement.
    remittance = clinic.get(f"/v1/claims/{original['id']}/remittance")
    assert_balanced(remittance)
    assert [r["status"] for r in remittance["remittances"]] == ["denied", "reversed"]
    denial = terms.price("MOCK-HMO", first_lines)
    assert_lines(remittance["remittances"][0], denial)
    assert_lines(remittance["remittances"][1], denial, reversal=True)
    assert clinic.actions(original["id"])[-2:] == ["correct", "reversal"]

    statement = clinic.get(f"/v1/patients/{patient.id}/statement")
    assert [c["claim_id"] for c in statement["claims"]] == [replacement["id"]]


def test_void_recoups_the_payment(clinic: Clinic, terms: PayerTerms) -> None:
    patient, _ = covered_patient(clinic, "MOCK-HMO")
    lines = [Line("99213", "150.00")]
    claim = clinic.claim(clinic.coded_encounter(patient, lines))
    clinic.submitted_and_processed(claim["id"])
    expected = terms.price("MOCK-HMO", lines)
    assert_adjudicated(clinic, claim["id"], expected)

    voided = clinic.act(claim["id"], "void")
    assert (voided["status"], voided["allowed_actions"]) == ("voided", [])
    clinic.process()
    after = clinic.get(f"/v1/claims/{claim['id']}")
    assert (after["status"], after["paid_amount"], after["patient_responsibility"],
            after["adjustment_amount"], after["balance"]) == (
        "voided", "0.00", "0.00", "0.00", "0.00")
    remittance = clinic.get(f"/v1/claims/{claim['id']}/remittance")
    assert_balanced(remittance)
    assert [(r["status"], r["paid"]) for r in remittance["remittances"]] == [
        ("paid", money(expected.paid)), ("reversed", money(ZERO - expected.paid))]
    assert_lines(remittance["remittances"][1], expected, reversal=True)
    assert remittance["totals"]["paid"] == "0.00"
    assert clinic.actions(claim["id"])[-3:] == ["void", "void_accepted", "reversal"]

    assert clinic.billing.post(f"/v1/claims/{claim['id']}/void").status_code == 409
    # Nothing stands for the visit any more, so the patient has no statement.
    assert clinic.billing.get(f"/v1/patients/{patient.id}/statement").status_code == 404


def test_second_claim_gets_what_is_left_of_the_deductible(
    clinic: Clinic, terms: PayerTerms
) -> None:
    patient, _ = covered_patient(clinic, "MOCK-PPO")
    first_lines = [Line("99215", "300.00"), Line("73560", "60.00", pointers=(2,))]
    second_lines = [Line("99215", "300.00")]
    follow_up = day_of_service()
    # Both visits in one plan year, where the accumulator carries over.
    first_visit = max(follow_up - timedelta(days=7), date(follow_up.year, 1, 1))

    first = clinic.claim(clinic.coded_encounter(
        patient, first_lines, diagnoses=(DIABETES, RIGHT_KNEE_PAIN), date_of_service=first_visit))
    clinic.submitted_and_processed(first["id"])
    first_expected = terms.price("MOCK-PPO", first_lines)
    assert first_expected.paid == ZERO
    assert_adjudicated(clinic, first["id"], first_expected)

    second = clinic.claim(clinic.coded_encounter(patient, second_lines,
                                                 date_of_service=follow_up))
    clinic.submitted_and_processed(second["id"])
    second_expected = terms.price("MOCK-PPO", second_lines,
                                  deductible_met=first_expected.deductible_met,
                                  out_of_pocket_met=first_expected.out_of_pocket_met)
    plan = terms.plans["MOCK-PPO"]
    # The second claim meets exactly what the first left of the deductible, then coinsurance.
    assert second_expected.total("PR", "1") == plan.deductible - first_expected.total("PR", "1")
    assert second_expected.total("PR", "2") > ZERO and second_expected.paid > ZERO
    assert_adjudicated(clinic, second["id"], second_expected)

    statement = clinic.get(f"/v1/patients/{patient.id}/statement")
    for item, claim, expected in zip(statement["claims"], (first, second),
                                     (first_expected, second_expected), strict=True):
        assert_statement_item(item, claim["id"], expected)
    both = first_expected.total("PR") + second_expected.total("PR")
    assert statement["totals"] == {
        "billed": money(first_expected.billed + second_expected.billed),
        "insurance_paid": money(second_expected.paid),
        "plan_discount": money(first_expected.total("CO", "45")
                               + second_expected.total("CO", "45")),
        "you_owe": money(both),
        "payments": "0.00", "refunds": "0.00", "write_offs": "0.00",
        "still_owed": money(both), "awaiting_insurance": "0.00", "balance": money(both),
    }
    assert statement["summary"] == f"You owe ${money(both)} for 2 visits."


def test_another_tenant_sees_none_of_it(
    clinic: Clinic, other_clinic: Clinic, terms: PayerTerms
) -> None:
    patient, _ = covered_patient(clinic, "MOCK-PPO")
    encounter = clinic.coded_encounter(patient, [Line("99213", "150.00")])
    claim = clinic.claim(encounter)

    for path in (f"/v1/claims/{claim['id']}", f"/v1/claims/{claim['id']}/events",
                 f"/v1/claims/{claim['id']}/remittance", f"/v1/patients/{patient.id}/statement"):
        response = other_clinic.billing.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("application/problem+json")
        assert patient.last_name not in response.text
    assert other_clinic.billing.post(f"/v1/claims/{claim['id']}/submit").status_code == 404
    # coding-service itself refuses clinic B the encounter billing would build from.
    stolen = other_clinic.billing.post("/v1/claims", json={"encounter_id": encounter["id"]})
    assert stolen.status_code == 404, stolen.text
    assert other_clinic.get(f"/v1/claims?patient_id={patient.id}")["items"] == []

    # Clinic B's own unsent claim is all its A/R, and clinic A cannot see it.
    own_patient, _ = covered_patient(other_clinic, "MOCK-PPO")
    own = other_clinic.claim(other_clinic.coded_encounter(own_patient,
                                                          [Line("99212", "95.00")]))
    assert clinic.billing.get(f"/v1/claims/{own['id']}").status_code == 404
    aging = other_clinic.get("/v1/worklist")["aging"]
    assert {b["label"]: (b["count"], b["amount"]) for b in aging["buckets"]} == {
        "0-30": (1, "95.00"), "31-60": (0, "0.00"), "61-90": (0, "0.00"), "90+": (0, "0.00")}


def test_coding_service_down_answers_503_and_keeps_nothing(
    own_services: Services, phi: set[str]
) -> None:
    with closing(Clinic(own_services, phi)) as clinic:
        patient, _ = covered_patient(clinic, "MOCK-PPO")
        encounter = clinic.coded_encounter(patient, [Line("99213", "150.00")])

        own_services.coding.stop()
        down = clinic.billing.post("/v1/claims", json={"encounter_id": encounter["id"]})
        assert down.status_code == 503, down.text
        assert int(down.headers["retry-after"]) > 0
        assert down.headers["content-type"].startswith("application/problem+json")
        assert clinic.get("/v1/claims")["items"] == []

        own_services.coding.start()
        own_services.coding.wait_ready()
        claim = clinic.claim(encounter)
        assert [c["id"] for c in clinic.get("/v1/claims")["items"]] == [claim["id"]]


def billed_by_webhook(clinic: Clinic, encounter_id: str) -> dict[str, Any]:
    """The claim billing built when coding-service's webhook delivered the finalization."""
    deadline = time.monotonic() + WEBHOOK_PATIENCE_SECONDS
    while time.monotonic() < deadline:
        events = clinic.get("/v1/coding-events?limit=200")["items"]
        received = [e for e in events if e["encounter_id"] == encounter_id]
        if received:
            [event] = received
            assert (event["outcome"], event["source"]) == ("created", "webhook"), event
            return clinic.get(f"/v1/claims/{event['claim_id']}")
        time.sleep(0.1)
    raise AssertionError(f"no webhook delivered encounter {encounter_id}")


def test_a_worker_process_takes_a_submitted_claim_to_paid_by_itself(
    clinic: Clinic, billing_worker: subprocess.Popen[bytes], terms: PayerTerms
) -> None:
    """The API processes run no payer loop here: `billing-service worker` does it alone, and
    stops cleanly on SIGTERM."""
    patient, _ = covered_patient(clinic, "MOCK-PPO")
    lines = [Line("99213", "150.00")]
    claim = clinic.claim(clinic.coded_encounter(patient, lines))
    assert clinic.act(claim["id"], "submit")["status"] == "submitted"
    deadline = time.monotonic() + 60
    while clinic.get(f"/v1/claims/{claim['id']}")["status"] in ("submitted", "accepted"):
        assert time.monotonic() < deadline, "the worker did not finish the claim"
        assert billing_worker.poll() is None, "the worker exited"
        time.sleep(0.1)
    assert_adjudicated(clinic, claim["id"], terms.price("MOCK-PPO", lines))
    billing_worker.send_signal(signal.SIGTERM)
    assert billing_worker.wait(timeout=15) == 0


def test_no_patient_data_reaches_the_logs(
    clinic: Clinic, services: Services, phi: set[str], terms: PayerTerms
) -> None:
    """Last in the module: after every story above, plus one of its own that also passes
    through the webhook consumer, both X12 exports and a remittance upload."""
    subscribed = clinic.coding.post("/v1/webhooks", json={
        "url": f"{services.billing_url}/v1/webhooks/coding",
        "events": ["encounter.finalized"], "secret": SECRET_A})
    assert subscribed.status_code == 201, subscribed.text
    patient, coverage = covered_patient(clinic, "MOCK-HMO")
    encounter = clinic.coded_encounter(patient, [Line("99213", "150.00")])
    claim = billed_by_webhook(clinic, encounter["id"])
    for response in (clinic.billing.get(f"/v1/claims/{claim['id']}/x12"),
                     clinic.billing.post("/v1/claims/x12-batch",
                                         json={"claim_ids": [claim["id"]]})):
        assert response.status_code == 200, response.text
        # The 837P carries the patient: the files do, the logs must not.
        assert patient.last_name.lower() in response.text.lower()
    submitted = clinic.act(claim["id"], "submit")
    uploaded = clinic.billing.post("/v1/remittances", headers={
        "Content-Type": "application/edi-x12"}, content=denial_835(
        submitted["patient_control_number"], "HMO-PHI-1", "TRACE-PHI-1",
        patient=(patient.last_name.upper(), patient.first_name.upper()),
        member_id=coverage["member_id"]))
    assert uploaded.status_code == 200 and uploaded.json()["posted"] == 1, uploaded.text
    clinic.process()
    clinic.get(f"/v1/patients/{patient.id}/statement")
    clinic.get("/v1/worklist")

    coding_log = services.coding_log.read_text()
    billing_log = services.billing_log.read_text()
    assert services.clearinghouse is not None
    clearinghouse_log = services.clearinghouse.log.read_text()
    # The logs do record the traffic, so their silence on patients means something.
    assert '"route":"/v1/encounters/{encounter_id}/codes"' in coding_log
    for route in ("/v1/patients/{patient_id}/statement", "/v1/webhooks/coding",
                  "/v1/remittances", "/v1/claims/{claim_id}/x12", "/v1/claims/x12-batch"):
        assert f'"route":"{route}"' in billing_log, route
    assert "coding event consumed" in billing_log
    assert {patient.first_name, patient.last_name, patient.birth_date,
            coverage["member_id"]} <= phi
    # An 835 may write names in capitals: any case counts.
    logs = (coding_log + billing_log + clearinghouse_log).lower()
    leaked = {value for value in phi if value.lower() in logs}
    assert leaked == set()


def test_fhir_round_trip_a_bundle_in_the_coded_encounter_the_claim_and_its_eob_out(
    clinic: Clinic, terms: PayerTerms
) -> None:
    """An EHR speaking only FHIR R4: a Bundle codes the visit, the encounter reads back as a
    FHIR Encounter with the same codes, and once billed and paid the claim and its
    adjudication read as a FHIR Claim and a CARIN Blue Button ExplanationOfBenefit, to the
    cent. Every resource parses with the FHIR R4 models."""
    patient, coverage = covered_patient(clinic, "MOCK-HMO")
    lines = [Line("99214", "200.00", pointers=(1, 2))]
    bundle = encounter_bundle(
        patient_id=patient.id, date_of_service=day_of_service().isoformat(),
        diagnoses=(DIABETES, HYPERTENSION),
        charges=[charge_item("99214", "200.00", [DIABETES, HYPERTENSION])])
    address = patient.body()["address"]
    bundle["entry"][0]["resource"] |= {
        "name": [{"family": patient.last_name, "given": [patient.first_name]}],
        "birthDate": patient.birth_date,
        "address": [{"line": [address["line1"]], "city": address["city"],
                     "state": address["state"], "postalCode": address["postal_code"]}]}
    bundle["entry"][2]["resource"]["identifier"][0]["value"] = RENDERING_NPI
    posted = clinic.coding.post("/fhir/R4/Bundle", content=as_fhir_json(bundle),
                                headers={"Content-Type": "application/fhir+json"})
    assert posted.status_code == 201, posted.text
    assert Bundle.model_validate_json(posted.content).type == "transaction-response"

    read = clinic.coding.get(posted.headers["location"])
    assert read.headers["content-type"] == "application/fhir+json"
    encounter = Encounter.model_validate_json(read.content)
    contained = {resource.id: resource for resource in encounter.contained}
    assert [contained[d.condition.reference[1:]].code.coding[0].code
            for d in encounter.diagnosis] == [DIABETES, HYPERTENSION]
    [charge] = [r for r in encounter.contained if r.get_resource_type() == "ChargeItem"]
    assert (charge.code.coding[0].code, Decimal(str(charge.priceOverride.value))) == (
        "99214", Decimal("200.00"))

    claim = clinic.claim(clinic.finalize(encounter.id))
    clinic.submitted_and_processed(claim["id"])
    expected = terms.price("MOCK-HMO", lines)

    fhir_claim = Claim.model_validate_json(
        clinic.billing.get(f"/fhir/R4/Claim/{claim['id']}").content)
    assert [(i.productOrService.coding[0].code, Decimal(str(i.net.value)), i.diagnosisSequence)
            for i in fhir_claim.item] == [("99214", Decimal("200.00"), [1, 2])]
    assert fhir_claim.insurance[0].coverage.reference == f"Coverage/{coverage['id']}"
    answer = clinic.billing.get(f"/fhir/R4/ExplanationOfBenefit/{claim['id']}")
    assert answer.status_code == 200, (answer.text, clinic.get(f"/v1/claims/{claim['id']}"))
    eob = ExplanationOfBenefit.model_validate_json(answer.content)
    amounts = {a.category.coding[0].code: Decimal(str(a.amount.value))
               for a in eob.item[0].adjudication}
    [line] = expected.lines
    assert (amounts["submitted"], amounts["eligible"], amounts["paidtoprovider"],
            amounts["copay"], amounts["coinsurance"], amounts["discount"]) == (
        line.billed, line.allowed, line.paid, line.total("PR", "3"), line.total("PR", "2"),
        line.total("CO", "45"))


# --- the second payer: coordination of benefits ---------------------------------------------
# Each story checks, per visit: billed = every payer's payment + the payers' contractual
# adjustments + what the patient owes after the last payer.


def visit_claims(clinic: Clinic, encounter_id: str) -> list[dict[str, Any]]:
    listed = clinic.get(f"/v1/claims?encounter_id={encounter_id}")["items"]
    return [claim for claim in listed if claim["status"] not in ("replaced", "voided",
                                                                 "canceled")]


def assert_visit_balances(clinic: Clinic, encounter_id: str, billed: Decimal) -> Decimal:
    """The visit's identity over its standing claims; returns what the patient owes."""
    claims = visit_claims(clinic, encounter_id)
    view = clinic.get(f"/v1/claims/{claims[0]['id']}/remittance")
    paid = sum((Decimal(part["paid"]) for part in view["payers"]
                if part["status"] not in ("replaced", "voided", "canceled")), ZERO)
    contractual = ZERO
    for claim in claims:
        for posted in clinic.get(f"/v1/claims/{claim['id']}/remittance")["remittances"]:
            for adjustment in [*posted["claim_adjustments"],
                               *(a for line in posted["lines"] for a in line["adjustments"])]:
                # A denial as another payer's to pay first (CO-22) writes nothing off: the
                # next payer was billed the charge instead.
                if adjustment["group"] == "CO" and adjustment["carc"] not in ("22", "27", "109"):
                    contractual += Decimal(adjustment["amount"])
    owed = Decimal(view["patient_owes"])
    assert paid + contractual + owed == billed, (paid, contractual, owed, billed)
    # The patient's account says the same: the ledger's balance is what is owed.
    patient_id = claims[0]["patient"]["id"]
    ledger = clinic.get(f"/v1/patients/{patient_id}/ledger?limit=200")
    statement = clinic.get(f"/v1/patients/{patient_id}/statement")
    assert Decimal(ledger["balance"]) == Decimal(statement["totals"]["balance"]) == owed, (
        ledger, statement["totals"])
    assert statement["totals"]["awaiting_insurance"] == "0.00"
    return owed


def secondary_837p(clinic: Clinic, claim_id: str) -> str:
    response = clinic.billing.get(f"/v1/claims/{claim_id}/x12")
    assert response.status_code == 200, response.text
    assert pyx12_findings(response.text) == []
    return response.text


def test_commercial_primary_then_commercial_secondary(clinic: Clinic) -> None:
    patient = clinic.new_patient()
    clinic.coverage(patient, "MOCK-PPO", clinic.new_member_id("MOCK-PPO"))
    clinic.coverage(patient, "MOCK-HMO", clinic.new_member_id("MOCK-HMO"), "secondary")
    encounter = clinic.coded_encounter(patient, [Line("99213", "150.00")])
    primary = clinic.claim(encounter)
    # The PPO allows 118.30 (CO-45 31.70), all of it to its 500.00 deductible.
    first = clinic.submitted_and_processed(primary["id"])
    assert (first["paid_amount"], first["patient_responsibility"]) == ("0.00", "118.30")
    [_, secondary] = visit_claims(clinic, encounter["id"])
    assert (secondary["payer_sequence"], secondary["status"]) == ("secondary", "ready")
    text = secondary_837p(clinic, secondary["id"])
    segments = [seg for _, t in read_interchange(text).transactions() for seg in t.segments]
    # Loop 2320 carries the PPO's 835: paid 0.00, the patient left 118.30.
    assert [(s.element(1), s.element(2)) for s in segments if s.id == "AMT"
            and s.element(1) in ("D", "EAF")][:2] == [("D", "0"), ("EAF", "118.3")]
    second = clinic.submitted_and_processed(secondary["id"])
    # As primary the HMO pays 104.65 less the 25.00 copay and 10% of 79.65 (7.97): 71.68.
    assert (second["paid_amount"], second["patient_responsibility"]) == ("71.68", "46.62")
    assert assert_visit_balances(clinic, encounter["id"], Decimal("150.00")) == Decimal("46.62")


def test_medicare_crosses_over_to_the_supplement(clinic: Clinic) -> None:
    patient = clinic.new_patient()
    clinic.coverage(patient, "MOCK-MCR", "1EG4TE5MK74")
    clinic.coverage(patient, "MOCK-SUPP", "S100000001", "secondary")
    encounter = clinic.coded_encounter(patient, [Line("99214", "200.00")])
    medicare = clinic.submitted_and_processed(clinic.claim(encounter)["id"])
    # 129.00 allowed, all of it to the Part B deductible; forwarded with MA18.
    assert (medicare["paid_amount"], medicare["patient_responsibility"]) == ("0.00", "129.00")
    remittance = clinic.get(f"/v1/claims/{medicare['id']}/remittance")
    assert "MA18" in remittance["remittances"][0]["remark_codes"]
    [_, crossed] = visit_claims(clinic, encounter["id"])
    assert (crossed["status"], crossed["payer_id"]) == ("crossed_over", "MOCK-SUPP")
    clinic.process()
    supplement = clinic.get(f"/v1/claims/{crossed['id']}")
    assert (supplement["status"], supplement["paid_amount"],
            supplement["patient_responsibility"]) == ("paid", "129.00", "0.00")
    assert supplement["submission_count"] == 0
    assert assert_visit_balances(clinic, encounter["id"], Decimal("200.00")) == ZERO


def test_a_co_22_denial_goes_to_the_next_payer_as_primary(clinic: Clinic) -> None:
    patient = clinic.new_patient()
    clinic.coverage(patient, "MOCK-PPO", "W100000004")
    clinic.coverage(patient, "MOCK-HMO", clinic.new_member_id("MOCK-HMO"), "secondary")
    encounter = clinic.coded_encounter(patient, [Line("99213", "150.00")])
    denied = clinic.submitted_and_processed(clinic.claim(encounter)["id"])
    assert denied["status"] == "denied"
    remittance = clinic.get(f"/v1/claims/{denied['id']}/remittance")
    assert [(a["group"], a["carc"]) for a in remittance["remittances"][0]["lines"][0][
        "adjustments"]] == [("CO", "22")]
    [_, moved] = visit_claims(clinic, encounter["id"])
    text = secondary_837p(clinic, moved["id"])
    assert "SBR*P*" in text and "SVD*" not in text
    paid = clinic.submitted_and_processed(moved["id"])
    assert (paid["paid_amount"], paid["patient_responsibility"]) == ("71.68", "32.97")
    assert assert_visit_balances(clinic, encounter["id"], Decimal("150.00")) == Decimal("32.97")


def test_a_corrected_primary_paid_by_both_corrects_the_secondary(clinic: Clinic) -> None:
    patient = clinic.new_patient()
    clinic.coverage(patient, "MOCK-PPO", clinic.new_member_id("MOCK-PPO"))
    clinic.coverage(patient, "MOCK-HMO", clinic.new_member_id("MOCK-HMO"), "secondary")
    encounter = clinic.coded_encounter(patient, [Line("99213", "150.00")])
    primary = clinic.claim(encounter)
    clinic.submitted_and_processed(primary["id"])
    [_, secondary] = visit_claims(clinic, encounter["id"])
    assert clinic.submitted_and_processed(secondary["id"])["paid_amount"] == "71.68"

    recoded = clinic.recode(encounter, [Line("99214", "200.00")], ("E11.9",))
    response = clinic.billing.post(f"/v1/claims/{primary['id']}/corrections",
                                   json={"encounter_coding_version": recoded["coding_version"]})
    assert response.status_code == 201, response.text
    corrected = clinic.submitted_and_processed(response.json()["id"])
    # The reversal gave the 118.30 of deductible back; 167.70 allowed now goes to it.
    assert (corrected["paid_amount"], corrected["patient_responsibility"]) == ("0.00", "167.70")
    replaced = clinic.get(f"/v1/claims/{secondary['id']}")
    replacement = clinic.get(f"/v1/claims/{replaced['replaced_by_claim_id']}")
    assert (replacement["frequency_code"], replacement["prior_claim_id"]) == (
        "7", corrected["id"])
    final = clinic.submitted_and_processed(replacement["id"])
    # The HMO took back its 71.68 and pays 148.35 less 25.00 and 10% of 123.35: 111.01.
    assert (final["paid_amount"], final["patient_responsibility"]) == ("111.01", "56.69")
    for taken_back in (primary["id"], secondary["id"]):
        assert clinic.get(f"/v1/claims/{taken_back}")["paid_amount"] == "0.00"
    assert assert_visit_balances(clinic, encounter["id"], Decimal("200.00")) == Decimal("56.69")

