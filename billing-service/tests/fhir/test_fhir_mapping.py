"""The FHIR mapping of claims, adjudication and coverages alone, without a database."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import orjson
from fhir.resources.R4B.claim import Claim
from fhir.resources.R4B.coverage import Coverage
from fhir.resources.R4B.explanationofbenefit import ExplanationOfBenefit

from billing_service.fhir.mapping import claim_resource, coverage_resource, explanation_of_benefit


def as_json(resource: dict[str, Any]) -> bytes:
    return orjson.dumps(resource)


def _claim(**changes: Any) -> dict[str, Any]:
    claim = {
        "id": "claim-1", "patient_control_number": "PCN1", "status": "replaced",
        "payer_id": "MOCK-PPO", "payer_sequence": "secondary", "coverage_id": "cov-1",
        "patient": {"id": "MRN-1", "first_name": "Ada", "last_name": "Lovelace",
                    "birth_date": "1980-02-14", "sex": "F"},
        "date_of_service": "2026-05-04", "place_of_service": "11",
        "billing_provider_npi": "1234567893", "rendering_provider_npi": "1234567893",
        "diagnoses": ["E11.9", "I10"],
        "lines": [{"line_number": 1, "procedure_code": "99214", "modifiers": ["25"],
                   "units": 1, "charge": "180.00", "diagnosis_pointers": [1, 2],
                   "date_of_service": "2026-05-04"},
                  {"line_number": 2, "procedure_code": "J3301", "modifiers": [], "units": 4,
                   "charge": "60.10", "diagnosis_pointers": [2],
                   "date_of_service": "2026-05-06"}],
        "total_charge": "240.10", "payer_claim_control_number": "PAYER-9",
        "replaces_claim_id": None, "prior_claim_id": "claim-0", "version": 3,
        "created_at": "2026-05-07T10:00:00Z", "updated_at": "2026-05-08T10:00:00Z",
    }
    return claim | changes


def test_a_claim_is_a_valid_fhir_professional_claim() -> None:
    resource = claim_resource(_claim())
    claim = Claim.model_validate_json(as_json(resource))
    assert claim.status == "cancelled"  # replaced by a correction
    assert claim.insurance[0].sequence == 2  # a secondary claim
    assert claim.related[0].claim.reference == "Claim/claim-0"
    assert (claim.billablePeriod.start.isoformat(), claim.billablePeriod.end.isoformat()) == (
        "2026-05-04", "2026-05-06")
    assert [m.coding[0].code for m in claim.item[0].modifier] == ["25"]
    assert claim.item[1].productOrService.coding[0].system == \
        "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
    assert claim.item[0].diagnosisSequence == [1, 2]
    assert b'"total":{"value":240.10' in as_json(resource)


def _posting(sign: int) -> dict[str, Any]:
    def m(value: str) -> str:
        return str(Decimal(value) * sign)
    return {
        "paid_date": "2026-05-20" if sign > 0 else "2026-06-01", "remark_codes": ["MA01"],
        "claim_adjustments": [],
        "lines": [
            {"line_number": 1, "allowed": m("100.00"), "paid": m("55.00"), "rarc": ["N130"],
             "adjustments": [{"group": "CO", "carc": "45", "amount": m("80.00")},
                             {"group": "PR", "carc": "1", "amount": m("30.00")},
                             {"group": "PR", "carc": "2", "amount": m("15.00")}]},
            {"line_number": 2, "allowed": m("0.00"), "paid": m("0.00"), "rarc": [],
             "adjustments": [{"group": "CO", "carc": "96", "amount": m("60.10")}]},
        ]}


def _remittance(*postings: dict[str, Any]) -> dict[str, Any]:
    return {"remittances": list(postings), "totals": {
        "billed": "240.10", "allowed": "100.00", "paid": "55.00",
        "patient_responsibility": "45.00"}}


def _categories(adjudications: Any) -> dict[str, tuple[Decimal, str | None]]:
    return {a.category.coding[0].code: (Decimal(str(a.amount.value)),
                                        a.reason.coding[0].code if a.reason else None)
            for a in adjudications}


def test_an_eob_has_the_carin_categories_with_carc_reasons() -> None:
    eob = ExplanationOfBenefit.model_validate_json(as_json(explanation_of_benefit(
        _claim(status="partially_paid"), _remittance(_posting(1)))))
    assert _categories(eob.item[0].adjudication) == {
        "submitted": (Decimal("180.00"), None), "eligible": (Decimal("100.00"), None),
        "paidtoprovider": (Decimal("55.00"), None), "discount": (Decimal("80.00"), "45"),
        "deductible": (Decimal("30.00"), "1"), "coinsurance": (Decimal("15.00"), "2")}
    assert _categories(eob.item[1].adjudication)["noncovered"] == (Decimal("60.10"), "96")
    assert [(n.number, n.text) for n in eob.processNote] == [(1, "MA01"), (2, "N130")]
    assert eob.item[0].noteNumber == [2]
    assert eob.payment.date.isoformat() == "2026-05-20"
    assert eob.status == "active"


def test_a_reversed_payment_nets_to_nothing() -> None:
    eob = ExplanationOfBenefit.model_validate_json(as_json(explanation_of_benefit(
        _claim(status="voided"), _remittance(_posting(1), _posting(-1)))))
    adjudication = _categories(eob.item[0].adjudication)
    assert adjudication["submitted"] == (Decimal("180.00"), None)
    assert adjudication["paidtoprovider"] == (Decimal("0.00"), None)
    assert adjudication["deductible"] == (Decimal("0.00"), "1")
    assert eob.status == "cancelled"
    assert eob.payment.date.isoformat() == "2026-06-01"


def _coverage(**changes: Any) -> dict[str, Any]:
    return {"id": "cov-1", "patient_id": "MRN-1", "payer_id": "MOCK-HMO", "plan_code": "HMO",
            "member_id": "H1", "group_number": None, "relationship": "self",
            "subscriber": {"first_name": "Ada", "last_name": "Lovelace",
                           "birth_date": "1980-02-14", "sex": "F", "address": None},
            "effective_from": "2026-01-01", "effective_to": "2026-12-31",
            "priority": "tertiary", "version": 1, "updated_at": "2026-01-02T00:00:00Z"} | changes


def test_a_patients_own_coverage_names_the_patient_as_subscriber() -> None:
    coverage = Coverage.model_validate_json(as_json(coverage_resource(_coverage())))
    assert coverage.subscriber.identifier.value == "MRN-1"
    assert coverage.contained is None
    assert coverage.order == 3
    assert coverage.period.end.isoformat() == "2026-12-31"
    assert [(c.type.coding[0].code, c.value) for c in coverage.class_fhir] == [("plan", "HMO")]


def test_a_childs_coverage_has_its_subscriber_contained() -> None:
    resource = coverage_resource(_coverage(relationship="child", subscriber={
        "first_name": "Rui", "last_name": "Silva", "birth_date": "1979-03-01", "sex": "M",
        "address": {"line1": "1 Main St", "line2": None, "city": "Springfield",
                    "state": "IL", "postal_code": "62701"}}))
    coverage = Coverage.model_validate_json(as_json(resource))
    person = resource["contained"][0]
    assert (person["resourceType"], person["relationship"][0]["coding"][0]["code"],
            person["address"][0]["postalCode"]) == ("RelatedPerson", "CHILD", "62701")
    assert coverage.relationship.coding[0].code == "child"
