"""Claims, their adjudication and coverages as FHIR R4 resources: pure functions from the JSON
API's response bodies (as JSON) to FHIR JSON, no I/O.

The ExplanationOfBenefit follows the CARIN Blue Button (C4BB) professional shape where this
API has the data: adjudication categories submitted, eligible (allowed), paid to provider,
deductible, copay and coinsurance, each adjustment with its X12 CARC as the adjudication's
reason and its RARCs as process notes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from rcm_shared.fhir import fhir_decimal

ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
CPT = "http://www.ama-assn.org/go/cpt"
HCPCS = "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
NPI = "http://hl7.org/fhir/sid/us-npi"
PLACE_OF_SERVICE = "https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set"
CLAIM_TYPE = "http://terminology.hl7.org/CodeSystem/claim-type"
ADJUDICATION = "http://terminology.hl7.org/CodeSystem/adjudication"
C4BB_ADJUDICATION = "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudication"
CARC = "https://x12.org/codes/claim-adjustment-reason-codes"
RARC = "https://x12.org/codes/remittance-advice-remark-codes"
IDENTIFIER_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0203"
C4BB_IDENTIFIER_TYPE = "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBIdentifierType"
PROCESS_PRIORITY = "http://terminology.hl7.org/CodeSystem/processpriority"
CARE_TEAM_ROLE = "http://terminology.hl7.org/CodeSystem/claimcareteamrole"
SUBSCRIBER_RELATIONSHIP = "http://terminology.hl7.org/CodeSystem/subscriber-relationship"
COVERAGE_CLASS = "http://terminology.hl7.org/CodeSystem/coverage-class"
PAYER_ID = "https://rcm.dev/fhir/sid/payer-id"
PATIENT_CONTROL_NUMBER = "https://rcm.dev/fhir/sid/patient-control-number"
CLAIM_STATUS_EXTENSION = "https://rcm.dev/fhir/StructureDefinition/claim-status"

_SEX_TO_GENDER = {"F": "female", "M": "male", "U": "unknown"}
_RELATIONSHIP = {"self": "self", "spouse": "spouse", "child": "child", "other": "other"}
# A claim's status as FHIR's Claim.status (its lifecycle is in the claim-status extension).
_CLAIM_STATUS = {"ready": "draft", "voided": "cancelled", "replaced": "cancelled",
                 "canceled": "cancelled"}
ROLE_CODE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
_ROLE_OF_RELATIONSHIP = {"spouse": "SPS", "child": "CHILD"}
_PRIORITY_ORDER = {"primary": 1, "secondary": 2, "tertiary": 3}
# Patient-responsibility CARCs with a C4BB (or base) category of their own.
_CATEGORY_OF_ADJUSTMENT = {
    ("PR", "1"): (ADJUDICATION, "deductible"),
    ("PR", "2"): (C4BB_ADJUDICATION, "coinsurance"),
    ("PR", "3"): (ADJUDICATION, "copay"),
    ("CO", "45"): (C4BB_ADJUDICATION, "discount"),
}


def _money(amount: Any) -> dict[str, Any]:
    return {"value": fhir_decimal(Decimal(str(amount))), "currency": "USD"}


def _concept(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    coding = {"system": system, "code": code}
    if display:
        coding["display"] = display
    return {"coding": [coding]}


def _procedure(code: str) -> dict[str, Any]:
    # HCPCS Level II codes start with a letter; CPT codes (Category I-III, PLA) with a digit.
    return _concept(HCPCS if code[:1].isalpha() else CPT, code)


def _npi(npi: str) -> dict[str, Any]:
    return {"identifier": {"system": NPI, "value": npi}}


def _payer(payer_id: str) -> dict[str, Any]:
    return {"identifier": {"system": PAYER_ID, "value": payer_id}}


def _patient(patient: Mapping[str, Any]) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Patient", "id": "patient",
        "identifier": [{"type": _concept(IDENTIFIER_TYPE, "MR"), "value": patient["id"]}],
        "name": [{"family": patient["last_name"], "given": [patient["first_name"]]}],
        "birthDate": str(patient["birth_date"]),
    }
    if patient.get("sex") in _SEX_TO_GENDER:
        resource["gender"] = _SEX_TO_GENDER[patient["sex"]]
    return resource


def _billable_period(claim: Mapping[str, Any]) -> dict[str, str]:
    dates = sorted(str(line["date_of_service"]) for line in claim["lines"]) or \
        [str(claim["date_of_service"])]
    return {"start": dates[0], "end": dates[-1]}


def _identifiers(claim: Mapping[str, Any]) -> list[dict[str, Any]]:
    identifiers = [{"system": PATIENT_CONTROL_NUMBER, "value": claim["patient_control_number"]}]
    if claim.get("payer_claim_control_number"):
        identifiers.append({"type": _concept(C4BB_IDENTIFIER_TYPE, "uc"),
                            "value": claim["payer_claim_control_number"]})
    return identifiers


def _common(claim: Mapping[str, Any], resource_type: str) -> dict[str, Any]:
    """What a Claim and its ExplanationOfBenefit both say: who, when, for whom, which
    coverage."""
    return {
        "resourceType": resource_type,
        "contained": [_patient(claim["patient"])],
        "identifier": _identifiers(claim),
        "type": _concept(CLAIM_TYPE, "professional"),
        "use": "claim",
        "patient": {"reference": "#patient"},
        "billablePeriod": _billable_period(claim),
        "created": str(claim["created_at"]),
        "insurer": _payer(claim["payer_id"]),
        "provider": _npi(claim["billing_provider_npi"]),
        "careTeam": [{"sequence": 1, "provider": _npi(claim["rendering_provider_npi"]),
                      "role": _concept(CARE_TEAM_ROLE, "primary")}],
        "diagnosis": [{"sequence": n, "diagnosisCodeableConcept": _concept(ICD10CM, code)}
                      for n, code in enumerate(claim["diagnoses"], 1)],
        "insurance": [{"focal": True,
                       "coverage": {"reference": f"Coverage/{claim['coverage_id']}"}}],
    }


def _item(line: Mapping[str, Any], place_of_service: str) -> dict[str, Any]:
    item: dict[str, Any] = {
        "sequence": line["line_number"],
        "careTeamSequence": [1],
        "productOrService": _procedure(line["procedure_code"]),
        "servicedDate": str(line["date_of_service"]),
        "locationCodeableConcept": _concept(PLACE_OF_SERVICE, place_of_service),
        "quantity": {"value": line["units"]},
        "net": _money(line["charge"]),
    }
    if line["diagnosis_pointers"]:
        item["diagnosisSequence"] = list(line["diagnosis_pointers"])
    if line["modifiers"]:
        system = _procedure(line["procedure_code"])["coding"][0]["system"]
        item["modifier"] = [_concept(system, modifier) for modifier in line["modifiers"]]
    return item


def claim_resource(claim: Mapping[str, Any]) -> dict[str, Any]:
    """A claim (the JSON API's `ClaimOut`, as JSON) as a FHIR R4 Claim: a professional claim
    with its diagnoses, lines (CPT/HCPCS, modifiers, units, charge, pointers) and total."""
    resource = _common(claim, "Claim")
    resource |= {
        "id": claim["id"],
        "meta": {"versionId": str(claim["version"]), "lastUpdated": str(claim["updated_at"])},
        "extension": [{"url": CLAIM_STATUS_EXTENSION, "valueCode": claim["status"]}],
        "status": _CLAIM_STATUS.get(claim["status"], "active"),
        "priority": _concept(PROCESS_PRIORITY, "normal"),
        "item": [_item(line, claim["place_of_service"]) for line in claim["lines"]],
        "total": _money(claim["total_charge"]),
    }
    resource["insurance"][0]["sequence"] = _PRIORITY_ORDER[claim["payer_sequence"]]
    related = [(claim.get("replaces_claim_id"), "prior"), (claim.get("prior_claim_id"),
                                                           "associated")]
    if any(claim_id for claim_id, _ in related):
        resource["related"] = [
            {"claim": {"reference": f"Claim/{claim_id}"},
             "relationship": _concept("http://terminology.hl7.org/CodeSystem/related-claim-"
                                      "relationship", relationship)}
            for claim_id, relationship in related if claim_id]
    return _ordered(resource)


def _ordered(resource: dict[str, Any]) -> dict[str, Any]:
    """resourceType and id first, as FHIR JSON is read by people too."""
    head = {key: resource[key] for key in ("resourceType", "id", "meta") if key in resource}
    return head | {k: v for k, v in resource.items() if k not in head}


class _Adjudication:
    """Amounts per category, added up over every remittance posted to the claim (a reversal
    counts negative)."""

    def __init__(self) -> None:
        self.amounts: dict[tuple[str, str, str | None], Decimal] = defaultdict(Decimal)

    def add(self, system: str, code: str, amount: Any, reason: str | None = None) -> None:
        self.amounts[(system, code, reason)] += Decimal(str(amount))

    def adjustments(self, adjustments: Iterable[Mapping[str, Any]]) -> None:
        for adjustment in adjustments:
            group, carc = adjustment["group"], adjustment["carc"]
            system, code = _CATEGORY_OF_ADJUSTMENT.get(
                (group, carc),
                (C4BB_ADJUDICATION, "memberliability" if group == "PR" else "noncovered"))
            self.add(system, code, adjustment["amount"], f"{group}-{carc}")

    def out(self) -> list[dict[str, Any]]:
        found = []
        for (system, code, reason), amount in self.amounts.items():
            entry: dict[str, Any] = {"category": _concept(system, code),
                                     "amount": _money(amount)}
            if reason is not None:
                entry["reason"] = _concept(CARC, reason.split("-", 1)[1], reason)
            found.append(entry)
        return found


def explanation_of_benefit(claim: Mapping[str, Any],
                           remittance: Mapping[str, Any]) -> dict[str, Any]:
    """A claim and its posted remittances (`GET /v1/claims/{id}/remittance`, as JSON) as a
    FHIR R4 ExplanationOfBenefit in the CARIN Blue Button professional shape."""
    postings = remittance["remittances"]
    notes: dict[str, int] = {}
    by_line: dict[int, _Adjudication] = defaultdict(_Adjudication)
    line_notes: dict[int, list[int]] = defaultdict(list)
    header = _Adjudication()
    for posting in postings:
        header.adjustments(posting["claim_adjustments"])
        for code in posting["remark_codes"]:
            notes.setdefault(code, len(notes) + 1)
        for line in posting["lines"]:
            adjudication = by_line[line["line_number"]]
            adjudication.add(ADJUDICATION, "eligible", line["allowed"])
            adjudication.add(C4BB_ADJUDICATION, "paidtoprovider", line["paid"])
            adjudication.adjustments(line["adjustments"])
            for code in line["rarc"]:
                number = notes.setdefault(code, len(notes) + 1)
                if number not in line_notes[line["line_number"]]:
                    line_notes[line["line_number"]].append(number)
    items = []
    for line in claim["lines"]:
        item = _item(line, claim["place_of_service"])
        adjudication = by_line[line["line_number"]]
        adjudication.amounts = {(ADJUDICATION, "submitted", None): Decimal(str(line["charge"])),
                                **adjudication.amounts}
        item["adjudication"] = adjudication.out()
        if line_notes[line["line_number"]]:
            item["noteNumber"] = line_notes[line["line_number"]]
        items.append(item)
    totals = remittance["totals"]
    resource = _common(claim, "ExplanationOfBenefit")
    resource |= {
        "id": claim["id"],
        "status": "cancelled" if claim["status"] in ("voided", "replaced") else "active",
        "outcome": "complete",
        "claim": {"reference": f"Claim/{claim['id']}"},
        "item": items,
        "total": [
            {"category": _concept(ADJUDICATION, "submitted"), "amount": _money(totals["billed"])},
            {"category": _concept(ADJUDICATION, "eligible"), "amount": _money(totals["allowed"])},
            {"category": _concept(C4BB_ADJUDICATION, "paidtoprovider"),
             "amount": _money(totals["paid"])},
            {"category": _concept(C4BB_ADJUDICATION, "memberliability"),
             "amount": _money(totals["patient_responsibility"])},
        ],
        "payment": {"amount": _money(totals["paid"])},
    }
    if header.amounts:
        resource["adjudication"] = header.out()
    paid_dates = [str(p["paid_date"]) for p in postings if p.get("paid_date")]
    if paid_dates:
        resource["payment"]["date"] = max(paid_dates)
    if notes:
        resource["processNote"] = [{"number": number, "type": "display", "text": code}
                                   for code, number in notes.items()]
    return _ordered(resource)


def coverage_resource(coverage: Mapping[str, Any]) -> dict[str, Any]:
    """A coverage (the JSON API's `CoverageOut`, as JSON) as a FHIR R4 Coverage: the member
    id, the payer, the plan and group, the subscriber and the order of payment."""
    patient = {"identifier": {"type": _concept(IDENTIFIER_TYPE, "MR"),
                              "value": coverage["patient_id"]}}
    subscriber = coverage["subscriber"]
    resource: dict[str, Any] = {
        "resourceType": "Coverage",
        "id": coverage["id"],
        "meta": {"versionId": str(coverage["version"]),
                 "lastUpdated": str(coverage["updated_at"])},
        "identifier": [{"type": _concept(IDENTIFIER_TYPE, "MB"),
                        "value": coverage["member_id"]}],
        "status": "active",
        "subscriberId": coverage["member_id"],
        "beneficiary": patient,
        "relationship": _concept(SUBSCRIBER_RELATIONSHIP,
                                 _RELATIONSHIP[coverage["relationship"]]),
        "period": {"start": str(coverage["effective_from"])},
        "payor": [_payer(coverage["payer_id"])],
        "order": _PRIORITY_ORDER[coverage["priority"]],
    }
    if coverage["relationship"] == "self":
        resource["subscriber"] = patient
    else:
        person: dict[str, Any] = {
            "resourceType": "RelatedPerson", "id": "subscriber", "patient": patient,
            "name": [{"family": subscriber["last_name"], "given": [subscriber["first_name"]]}],
            "birthDate": str(subscriber["birth_date"]),
            "gender": _SEX_TO_GENDER.get(subscriber["sex"], "unknown"),
        }
        address = subscriber.get("address")
        if address:
            person["address"] = [{
                "line": [x for x in (address["line1"], address.get("line2")) if x],
                "city": address["city"], "state": address["state"],
                "postalCode": address["postal_code"], "country": "US"}]
        role = _ROLE_OF_RELATIONSHIP.get(coverage["relationship"])
        if role:
            person["relationship"] = [_concept(ROLE_CODE, role)]
        resource["contained"] = [person]
        resource["subscriber"] = {"reference": "#subscriber"}
    if coverage.get("effective_to"):
        resource["period"]["end"] = str(coverage["effective_to"])
    classes = [("group", coverage.get("group_number")), ("plan", coverage.get("plan_code"))]
    resource["class"] = [{"type": _concept(COVERAGE_CLASS, kind), "value": value}
                         for kind, value in classes if value]
    if not resource["class"]:
        del resource["class"]
    return _ordered(resource)
