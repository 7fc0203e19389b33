"""The documented examples of the FHIR endpoints (rcm_shared.openapi.Example), sent by
tests/contract/test_examples.py, which checks each answer's status: an EHR's Bundle for
another visit of the patient of the encounter examples, then the encounter it made read
back."""

from __future__ import annotations

from typing import Any

from rcm_shared.openapi import Example

_ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
_CPT = "http://www.ama-assn.org/go/cpt"
_NPI = "http://hl7.org/fhir/sid/us-npi"
_POS = "https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set"
_PATIENT = "urn:uuid:0b7e3c52-8f0e-4f53-9d43-2f3f2b1a0001"
_CLINIC = "urn:uuid:0b7e3c52-8f0e-4f53-9d43-2f3f2b1a0002"
_PRACTITIONER = "urn:uuid:0b7e3c52-8f0e-4f53-9d43-2f3f2b1a0003"
_LOCATION = "urn:uuid:0b7e3c52-8f0e-4f53-9d43-2f3f2b1a0004"
_ENCOUNTER = "urn:uuid:0b7e3c52-8f0e-4f53-9d43-2f3f2b1a0005"
_CONDITION = "urn:uuid:0b7e3c52-8f0e-4f53-9d43-2f3f2b1a0006"
_CHARGE = "urn:uuid:0b7e3c52-8f0e-4f53-9d43-2f3f2b1a0007"


def _entry(url: str, resource: dict[str, Any]) -> dict[str, Any]:
    return {"fullUrl": url, "resource": resource,
            "request": {"method": "POST", "url": resource["resourceType"]}}


BUNDLE: dict[str, Any] = {"resourceType": "Bundle", "type": "transaction", "entry": [
    _entry(_PATIENT, {
        "resourceType": "Patient",
        "identifier": [{"type": {"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}]},
            "value": "MRN-77"}],
        "name": [{"family": "Lovelace", "given": ["Ada"]}],
        "gender": "female", "birthDate": "1980-02-14"}),
    _entry(_CLINIC, {"resourceType": "Organization", "name": "Springfield Clinic",
                     "identifier": [{"system": _NPI, "value": "1234567893"}]}),
    _entry(_PRACTITIONER, {"resourceType": "Practitioner",
                           "identifier": [{"system": _NPI, "value": "1234567893"}]}),
    _entry(_LOCATION, {"resourceType": "Location",
                       "type": [{"coding": [{"system": _POS, "code": "11"}]}]}),
    _entry(_ENCOUNTER, {
        "resourceType": "Encounter",
        "identifier": [{"system": "urn:ehr:visit", "value": "ehr-visit-1002"}],
        "status": "finished",
        "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
        "subject": {"reference": _PATIENT},
        "participant": [{"type": [{"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
            "code": "PPRF"}]}], "individual": {"reference": _PRACTITIONER}}],
        "period": {"start": "2026-06-01T09:30:00-05:00"},
        "location": [{"location": {"reference": _LOCATION}}],
        "serviceProvider": {"reference": _CLINIC},
        "diagnosis": [{"condition": {"reference": _CONDITION}, "rank": 1}]}),
    _entry(_CONDITION, {"resourceType": "Condition",
                        "code": {"coding": [{"system": _ICD10CM, "code": "I10"}]},
                        "subject": {"reference": _PATIENT}}),
    _entry(_CHARGE, {
        "resourceType": "ChargeItem", "status": "billable",
        "code": {"coding": [{"system": _CPT, "code": "99213"}]},
        "subject": {"reference": _PATIENT}, "context": {"reference": _ENCOUNTER},
        "quantity": {"value": 1}, "priceOverride": {"value": 120.0, "currency": "USD"},
        "reason": [{"coding": [{"system": _ICD10CM, "code": "I10"}]}]}),
]}

_ID = "04b94a70-a03a-477d-8aa6-3c47878f67fd"  # the encounter CREATE_FROM_BUNDLE's answer names

# Every entry of the Bundle is answered with the encounter it went into; the Encounter's own
# entry carries the encounter's version and what validating its codes found.
_MADE = {"status": "201 Created", "location": f"Encounter/{_ID}/_history/2"}
_MADE_ENCOUNTER = {
    **_MADE, "etag": "W/\"2\"",
    "outcome": {"resourceType": "OperationOutcome",
                "issue": [{"severity": "information", "code": "informational",
                           "details": {"text": "The codes pass every validation rule."}}]},
}

CREATE_FROM_BUNDLE = (
    Example("created", "A follow-up visit for hypertension, coded by the EHR", 201, BUNDLE,
            {"resourceType": "Bundle", "type": "transaction-response",
             "entry": [{"response": _MADE_ENCOUNTER if entry["fullUrl"] == _ENCOUNTER else _MADE}
                       for entry in BUNDLE["entry"]]}),
)

READ_ENCOUNTER = (
    Example("read", "The encounter the Bundle made", 200, None,
            {"resourceType": "Encounter", "id": "04b94a70-a03a-477d-8aa6-3c47878f67fd",
             "meta": {"versionId": "2", "lastUpdated": "2026-12-05T16:29:22.251143Z"},
             "contained": [{"resourceType": "Patient", "id": "patient",
                            "identifier": [{"type": {"coding": [{"system": "http://terminology.hl"
                                                                           "7.org/CodeSystem/v2-0"
                                                                           "203",
                                                                 "code": "MR"}]},
                                            "value": "MRN-77"}],
                            "name": [{"family": "Lovelace", "given": ["Ada"]}], "gender": "female",
                            "birthDate": "1980-02-14"},
                           {"resourceType": "Location", "id": "location",
                            "type": [{"coding": [{"system": "https://www.cms.gov/Medicare/Coding/"
                                                            "place-of-service-codes/Place_of_Serv"
                                                            "ice_Code_Set",
                                                  "code": "11"}]}]},
                           {"resourceType": "Condition", "id": "condition-1",
                            "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeS"
                                                                "ystem/condition-category",
                                                      "code": "encounter-diagnosis"}]}],
                            "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm",
                                                 "code": "I10"}]},
                            "subject": {"reference": "#patient"}, "encounter": {"reference": "#"}},
                           {"resourceType": "Procedure", "id": "procedure-1", "status": "completed",
                            "code": {"coding": [{"system": "http://www.ama-assn.org/go/cpt",
                                                 "code": "99213"}]},
                            "subject": {"reference": "#patient"}, "encounter": {"reference": "#"},
                            "performedDateTime": "2026-06-01",
                            "reasonReference": [{"reference": "#condition-1"}]},
                           {"resourceType": "ChargeItem", "id": "chargeitem-1",
                            "status": "billable",
                            "code": {"coding": [{"system": "http://www.ama-assn.org/go/cpt",
                                                 "code": "99213"}]},
                            "subject": {"reference": "#patient"}, "context": {"reference": "#"},
                            "occurrenceDateTime": "2026-06-01", "quantity": {"value": 1},
                            "priceOverride": {"value": 120.0, "currency": "USD"},
                            "service": [{"reference": "#procedure-1"}],
                            "reason": [{"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm",
                                                    "code": "I10"}]}]}],
             "extension": [{"url": "https://rcm.dev/fhir/StructureDefinition/coding-status",
                            "valueCode": "open"},
                           {"url": "https://rcm.dev/fhir/StructureDefinition/coding-version",
                            "valueInteger": 1}],
             "identifier": [{"value": "ehr-visit-1002"}], "status": "finished",
             "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
             "subject": {"reference": "#patient"},
             "participant": [{"type": [{"coding": [{"system": "http://terminology.hl7.org/CodeSys"
                                                              "tem/v3-ParticipationType",
                                                    "code": "PPRF"}]}],
                              "individual": {"identifier": {"system": "http://hl7.org/fhir/sid/us"
                                                                      "-npi",
                                                            "value": "1234567893"}}}],
             "period": {"start": "2026-06-01"},
             "location": [{"location": {"reference": "#location"}}],
             "serviceProvider": {"identifier": {"system": "http://hl7.org/fhir/sid/us-npi",
                                                "value": "1234567893"}},
             "diagnosis": [{"condition": {"reference": "#condition-1"},
                            "use": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/"
                                                          "diagnosis-role",
                                                "code": "billing"}]},
                            "rank": 1}]},
            parameters={"encounter_id": _ID}),
)
