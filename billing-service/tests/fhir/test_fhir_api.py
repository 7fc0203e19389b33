"""billing-service's FHIR R4 reads through the API and the real mock payer: a claim as a FHIR
Claim, its adjudication as a CARIN Blue Button ExplanationOfBenefit to the cent, a coverage as
a Coverage; every answer (problems too) parses with the FHIR R4 models."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.claim import Claim
from fhir.resources.R4B.coverage import Coverage
from fhir.resources.R4B.explanationofbenefit import ExplanationOfBenefit
from fhir.resources.R4B.operationoutcome import OperationOutcome

FHIR_JSON = "application/fhir+json"
CLINIC_B = {"Authorization": "Bearer demo-key-clinic-b"}


def office_visit(code: str = "99213", charge: str = "150.00") -> dict[str, Any]:
    return {"procedure_code": code, "modifiers": [], "units": 1, "charge": charge,
            "diagnosis_pointers": [1]}


def amounts(adjudications: Any) -> dict[str, tuple[Decimal, str | None]]:
    """category code -> (amount, CARC reason)."""
    return {a.category.coding[0].code: (Decimal(str(a.amount.value)),
                                        a.reason.coding[0].code
                                        if getattr(a, "reason", None) else None)
            for a in adjudications}


async def test_a_paid_claim_reads_as_a_claim_and_an_eob_to_the_cent(billing) -> None:
    claim = await billing.covered_claim(payer_id="MOCK-HMO",
                                        lines=[office_visit("99213", "150.00")])
    read = await billing.http.get(f"/fhir/R4/Claim/{claim['id']}")
    assert read.status_code == 200 and read.headers["content-type"] == FHIR_JSON
    fhir_claim = Claim.model_validate_json(read.content)
    assert fhir_claim.status == "draft"  # ready, not sent yet
    assert fhir_claim.extension[0].valueCode == "ready"
    assert [i.productOrService.coding[0].code for i in fhir_claim.item] == ["99213"]
    assert Decimal(str(fhir_claim.total.value)) == Decimal("150.00")
    assert fhir_claim.insurance[0].coverage.reference == f"Coverage/{claim['coverage_id']}"
    assert fhir_claim.diagnosis[0].diagnosisCodeableConcept.coding[0].system == \
        "http://hl7.org/fhir/sid/icd-10-cm"
    not_yet = await billing.http.get(f"/fhir/R4/ExplanationOfBenefit/{claim['id']}")
    assert not_yet.status_code == 404
    OperationOutcome.model_validate_json(not_yet.content)

    await billing.submitted_and_processed(claim["id"])
    eob = ExplanationOfBenefit.model_validate_json(
        (await billing.http.get(f"/fhir/R4/ExplanationOfBenefit/{claim['id']}")).content)
    assert eob.outcome == "complete" and eob.claim.reference == f"Claim/{claim['id']}"
    # Fee schedule 104.65: CO-45 45.35; copay 25.00; 10% of 79.65 = 7.965 -> 7.97.
    assert amounts(eob.item[0].adjudication) == {
        "submitted": (Decimal("150.00"), None),
        "eligible": (Decimal("104.65"), None),
        "paidtoprovider": (Decimal("71.68"), None),
        "discount": (Decimal("45.35"), "45"),
        "copay": (Decimal("25.00"), "3"),
        "coinsurance": (Decimal("7.97"), "2"),
    }
    assert amounts(eob.total) == {
        "submitted": (Decimal("150.00"), None), "eligible": (Decimal("104.65"), None),
        "paidtoprovider": (Decimal("71.68"), None),
        "memberliability": (Decimal("32.97"), None)}
    assert Decimal(str(eob.payment.amount.value)) == Decimal("71.68")
    paid = Claim.model_validate_json(
        (await billing.http.get(f"/fhir/R4/Claim/{claim['id']}")).content)
    assert (paid.status, paid.extension[0].valueCode) == ("active", "paid")


async def test_a_deductible_is_its_own_category(billing) -> None:
    claim = await billing.covered_claim(payer_id="MOCK-PPO",
                                        lines=[office_visit("99213", "150.00")])
    await billing.submitted_and_processed(claim["id"])
    remittance = await billing.get(f"/v1/claims/{claim['id']}/remittance")
    deductible = sum(Decimal(a["amount"]) for line in remittance["remittances"][0]["lines"]
                     for a in line["adjustments"] if (a["group"], a["carc"]) == ("PR", "1"))
    assert deductible > 0
    eob = ExplanationOfBenefit.model_validate_json(
        (await billing.http.get(f"/fhir/R4/ExplanationOfBenefit/{claim['id']}")).content)
    assert amounts(eob.item[0].adjudication)["deductible"] == (deductible, "1")


async def test_a_coverage_reads_as_a_coverage(billing) -> None:
    coverage = await billing.coverage("MRN-FHIR-1", relationship="spouse", subscriber={
        "first_name": "Rui", "last_name": "Silva", "birth_date": "1979-03-01", "sex": "M",
        "address": {"line1": "1 Main St", "city": "Springfield", "state": "IL",
                    "postal_code": "62701"}})
    read = await billing.http.get(f"/fhir/R4/Coverage/{coverage['id']}")
    assert read.status_code == 200
    assert read.headers["etag"] == f'W/"{coverage["version"]}"'
    resource = Coverage.model_validate_json(read.content)
    assert resource.subscriberId == coverage["member_id"]
    assert resource.payor[0].identifier.value == "MOCK-PPO"
    assert resource.order == 1
    assert resource.relationship.coding[0].code == "spouse"
    assert resource.subscriber.reference == "#subscriber"
    assert resource.contained[0].birthDate.isoformat() == "1979-03-01"
    assert [c.value for c in resource.class_fhir] == ["G-100"]


async def test_fhir_keeps_the_json_apis_keys_scopes_and_tenants(
        billing, client: httpx.AsyncClient) -> None:
    claim = await billing.covered_claim(lines=[office_visit()])
    path = f"/fhir/R4/Claim/{claim['id']}"
    for headers, status, code in (({"Authorization": ""}, 401, "login"),
                                  (CLINIC_B, 404, "not-found"),
                                  ({"Authorization": "Bearer demo-key-metrics"}, 403,
                                   "forbidden")):
        answer = await client.get(path, headers=headers)
        assert answer.status_code == status
        assert answer.headers["content-type"] == FHIR_JSON
        assert OperationOutcome.model_validate_json(answer.content).issue[0].code == code
    unknown = await client.get("/fhir/R4/Coverage/no-such-coverage")
    assert unknown.status_code == 404


async def test_the_capability_statement_names_what_is_served(client: httpx.AsyncClient) -> None:
    answer = await client.get("/fhir/R4/metadata", headers={"Authorization": ""})
    statement = CapabilityStatement.model_validate_json(answer.content)
    assert {r.type for r in statement.rest[0].resource} == {
        "Claim", "ExplanationOfBenefit", "Coverage"}
