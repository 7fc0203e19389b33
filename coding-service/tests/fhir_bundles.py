"""FHIR R4 Bundles an EHR sends to create and code an encounter, valid unless a test changes
them."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import orjson
from coding_factories import VALID_NPI

from rcm_shared.fhir import fhir_decimal

ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
CPT = "http://www.ama-assn.org/go/cpt"
NPI = "http://hl7.org/fhir/sid/us-npi"
POS = "https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set"
MODIFIER = "https://rcm.dev/fhir/StructureDefinition/procedure-modifier"


def _entry(resource: dict[str, Any]) -> dict[str, Any]:
    url = f"urn:uuid:{uuid.uuid4()}"
    return {"fullUrl": url, "resource": resource,
            "request": {"method": "POST", "url": resource["resourceType"]}}


def charge_item(code: str, charge: str, reasons: list[str], *, units: int = 1,
                modifiers: tuple[str, ...] = ()) -> dict[str, Any]:
    item: dict[str, Any] = {
        "resourceType": "ChargeItem", "status": "billable",
        "code": {"coding": [{"system": CPT, "code": code}]},
        "subject": {"reference": "PATIENT"},
        "quantity": {"value": units},
        "priceOverride": {"value": fhir_decimal(Decimal(charge)), "currency": "USD"},
        "reason": [{"coding": [{"system": ICD10CM, "code": r}]} for r in reasons],
    }
    if modifiers:
        item["extension"] = [{"url": MODIFIER, "valueCoding": {"system": CPT, "code": m}}
                             for m in modifiers]
    return item


def encounter_bundle(*, diagnoses: tuple[str, ...] = ("E11.9", "I10"),
                     charges: list[dict[str, Any]] | None = None,
                     external_id: str | None = None, patient_id: str | None = None,
                     date_of_service: str = "2026-05-04",
                     bundle_type: str = "transaction") -> dict[str, Any]:
    """A visit coded like clean_codes(): 99214-25 for both diagnoses, 20610-RT for the
    second."""
    patient = _entry({
        "resourceType": "Patient",
        "identifier": [{"type": {"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}]},
            "value": patient_id or f"MRN-{uuid.uuid4().hex[:8]}"}],
        "name": [{"family": "Lovelace", "given": ["Ada"]}],
        "gender": "female", "birthDate": "1980-02-14",
    })
    organization = _entry({"resourceType": "Organization", "name": "Clinic",
                           "identifier": [{"system": NPI, "value": VALID_NPI}]})
    practitioner = _entry({"resourceType": "Practitioner",
                           "identifier": [{"system": NPI, "value": VALID_NPI}]})
    location = _entry({"resourceType": "Location",
                       "type": [{"coding": [{"system": POS, "code": "11"}]}]})
    conditions = [_entry({"resourceType": "Condition",
                          "code": {"coding": [{"system": ICD10CM, "code": code}]},
                          "subject": {"reference": patient["fullUrl"]}})
                  for code in diagnoses]
    encounter = _entry({
        "resourceType": "Encounter",
        "identifier": [{"system": "urn:ehr:visit",
                        "value": external_id or f"ehr-visit-{uuid.uuid4().hex[:12]}"}],
        "status": "finished",
        "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
        "subject": {"reference": patient["fullUrl"]},
        "participant": [{"type": [{"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
            "code": "PPRF"}]}], "individual": {"reference": practitioner["fullUrl"]}}],
        "period": {"start": f"{date_of_service}T09:30:00-05:00"},
        "location": [{"location": {"reference": location["fullUrl"]}}],
        "serviceProvider": {"reference": organization["fullUrl"]},
        "diagnosis": [{"condition": {"reference": c["fullUrl"]}, "rank": n}
                      for n, c in enumerate(conditions, 1)],
    })
    if charges is None:
        charges = [charge_item("99214", "180.00", ["E11.9", "I10"], modifiers=("25",)),
                   charge_item("20610", "240.00", ["I10"], modifiers=("RT",))]
    items = []
    for item in charges:
        item = {**item, "subject": {"reference": patient["fullUrl"]},
                "context": {"reference": encounter["fullUrl"]}}
        items.append(_entry(item))
    return {"resourceType": "Bundle", "type": bundle_type,
            "entry": [patient, organization, practitioner, location, encounter, *conditions,
                      *items]}


def as_fhir_json(bundle: dict[str, Any]) -> bytes:
    """The Bundle as an EHR writes it: a price is a JSON number with its cents (180.00)."""
    return orjson.dumps(bundle)
