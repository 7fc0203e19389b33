"""The documented examples of billing's FHIR reads (rcm_shared.openapi.Example), sent after the
claim examples by tests/contract/test_examples.py, which checks each answer's status."""

from __future__ import annotations

from typing import Any

from billing_service.claims.examples import CLAIM
from billing_service.coverages.examples import COVERAGE_ID
from rcm_shared.openapi import Example

_UNKNOWN = "3f1c2a9e-0000-4000-8000-000000000000"


def _not_found(diagnostics: str) -> dict[str, Any]:
    """A FHIR read's 404, as an OperationOutcome."""
    return {"resourceType": "OperationOutcome",
            "issue": [{"severity": "error", "code": "not-found",
                       "details": {"text": "Not Found",
                                   "coding": [{"system": "https://rcm.dev/problems",
                                               "code": "not-found"}]},
                       "diagnostics": diagnostics}]}


READ_FHIR_CLAIM = (
    Example("claim", "The submitted claim as a FHIR Claim", 200, None,
            {"resourceType": "Claim", "id": "b6dc6ece-fa32-4108-8eb2-aafdf81eda94",
             "meta": {"versionId": "2", "lastUpdated": "2026-12-05T16:38:41.284038Z"},
             "contained": [{"resourceType": "Patient", "id": "patient",
                            "identifier": [{"type": {"coding": [{"system": "http://terminology.hl"
                                                                           "7.org/CodeSystem/v2-0"
                                                                           "203",
                                                                 "code": "MR"}]},
                                            "value": "MRN-77"}],
                            "name": [{"family": "Lovelace", "given": ["Ada"]}],
                            "birthDate": "1980-02-14", "gender": "female"}],
             "identifier": [{"system": "https://rcm.dev/fhir/sid/patient-control-number",
                             "value": "8AC5F426B10B4C61B372"}],
             "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/claim-type",
                                  "code": "professional"}]},
             "use": "claim", "patient": {"reference": "#patient"},
             "billablePeriod": {"start": "2026-05-04", "end": "2026-05-04"},
             "created": "2026-12-05T16:38:41.214520Z",
             "insurer": {"identifier": {"system": "https://rcm.dev/fhir/sid/payer-id",
                                        "value": "MOCK-PPO"}},
             "provider": {"identifier": {"system": "http://hl7.org/fhir/sid/us-npi",
                                         "value": "1234567893"}},
             "careTeam": [{"sequence": 1,
                           "provider": {"identifier": {"system": "http://hl7.org/fhir/sid/us-npi",
                                                       "value": "1234567893"}},
                           "role": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/"
                                                          "claimcareteamrole",
                                                "code": "primary"}]}}],
             "diagnosis": [{"sequence": 1,
                            "diagnosisCodeableConcept": {"coding": [{"system": "http://hl7.org/fhir/"
                                                                               "sid/icd-10-cm",
                                                                     "code": "E11.9"}]}},
                           {"sequence": 2,
                            "diagnosisCodeableConcept": {"coding": [{"system": "http://hl7.org/fhir/"
                                                                               "sid/icd-10-cm",
                                                                     "code": "I10"}]}}],
             "insurance": [{"focal": True,
                            "coverage": {"reference": "Coverage/64286c6a-9894-4ec0-b337-62cff9cb"
                                                      "fedf"},
                            "sequence": 1}],
             "extension": [{"url": "https://rcm.dev/fhir/StructureDefinition/claim-status",
                            "valueCode": "submitted"}],
             "status": "active",
             "priority": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/processpri"
                                                "ority",
                                      "code": "normal"}]},
             "item": [{"sequence": 1, "careTeamSequence": [1],
                       "productOrService": {"coding": [{"system": "http://www.ama-assn.org/go/cpt",
                                                        "code": "99214"}]},
                       "servicedDate": "2026-05-04",
                       "locationCodeableConcept": {"coding": [{"system": "https://www.cms.gov/Med"
                                                                         "icare/Coding/place-of-s"
                                                                         "ervice-codes/Place_of_S"
                                                                         "ervice_Code_Set",
                                                               "code": "11"}]},
                       "quantity": {"value": 1}, "net": {"value": 180.0, "currency": "USD"},
                       "diagnosisSequence": [1, 2],
                       "modifier": [{"coding": [{"system": "http://www.ama-assn.org/go/cpt",
                                                 "code": "25"}]}]}],
             "total": {"value": 180.0, "currency": "USD"}},
            parameters={"claim_id": CLAIM}),
    Example("unknown", "An id the tenant has no claim with", 404, None,
            _not_found("No claim with that id."),
            parameters={"claim_id": _UNKNOWN}),
)

READ_EXPLANATION_OF_BENEFIT = (
    Example("not_adjudicated", "A claim no remittance was posted for yet", 404, None,
            _not_found("No adjudicated claim (no remittance is posted to it yet) with that id."),
            parameters={"claim_id": CLAIM}),
)

READ_FHIR_COVERAGE = (
    Example("coverage", "The coverage as a FHIR Coverage", 200, None,
            {"resourceType": "Coverage", "id": "64286c6a-9894-4ec0-b337-62cff9cbfedf",
             "meta": {"versionId": "2", "lastUpdated": "2026-12-05T16:38:41.086051Z"},
             "identifier": [{"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSyste"
                                                            "m/v2-0203",
                                                  "code": "MB"}]},
                             "value": "W123456789"}],
             "status": "active", "subscriberId": "W123456789",
             "beneficiary": {"identifier": {"type": {"coding": [{"system": "http://terminology.hl"
                                                                           "7.org/CodeSystem/v2-0"
                                                                           "203",
                                                                 "code": "MR"}]},
                                            "value": "MRN-77"}},
             "relationship": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/subscr"
                                                    "iber-relationship",
                                          "code": "self"}]},
             "period": {"start": "2026-01-01"},
             "payor": [{"identifier": {"system": "https://rcm.dev/fhir/sid/payer-id",
                                       "value": "MOCK-PPO"}}],
             "order": 1,
             "subscriber": {"identifier": {"type": {"coding": [{"system": "http://terminology.hl7"
                                                                          ".org/CodeSystem/v2-020"
                                                                          "3",
                                                                "code": "MR"}]},
                                           "value": "MRN-77"}},
             "class": [{"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/cov"
                                                       "erage-class",
                                             "code": "group"}]},
                        "value": "G-200"}]},
            parameters={"coverage_id": COVERAGE_ID}),
)
