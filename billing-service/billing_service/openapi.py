"""Problem answers a route documents beyond those rcm_shared.openapi derives from its shape
(a path parameter's 404, a body's 422, ...)."""

from __future__ import annotations

from typing import Any

from rcm_shared.openapi import DocumentInfo
from rcm_shared.problems import PROBLEM_MEDIA_TYPE

_PROBLEM = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}


def problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": _PROBLEM}


# Answers of the routes that read coding-service on the caller's behalf.
FROM_CODING: dict[int | str, dict[str, Any]] = {
    502: problem("coding-service refused billing's request"),
    503: problem("coding-service could not be reached; nothing was stored: retry after "
                 "Retry-After seconds"),
}


TAGS = {
    "claims": "Professional claims built from finalized encounters: submit, resubmit, correct, "
              "void, and follow them to payment",
    "claim status": "Ask the payer where a claim is (X12 276/277), by hand or by the payer "
                    "worker for claims left unanswered",
    "coverages": "Patients' insurance, used to bill each claim to the payer in force",
    "eligibility": "Ask a coverage's payer, before the visit, whether it is active and what "
                   "the patient's benefits are (X12 270/271)",
    "estimates": "What a visit will cost the patient, priced by the payer before the claim",
    "providers": "The tenant's billing and rendering providers, by NPI, as claims name them",
    "payers": "The payers claims can be sent to, and their plans",
    "remittances": "Post 835 remittance files from any payer",
    "x12": "Claims as X12 837P files",
    "patients": "What a patient owes, in plain words",
    "worklist": "What needs a biller, with A/R aging",
    "coding events": "coding-service's events received, and what billing made of each",
    "fhir": "HL7 FHIR R4 for EHRs (application/fhir+json): a claim as a Claim, its "
            "adjudication as an ExplanationOfBenefit (CARIN Blue Button), a coverage as a "
            "Coverage; problems are OperationOutcomes",
    "audit": "Who read or changed which resource",
    "operations": "Liveness, readiness, metrics and the payer loop",
}

DOCUMENT = DocumentInfo(
    tags=TAGS,
    servers=[{"url": "http://127.0.0.1:8002", "description": "make run (development)"}],
)
