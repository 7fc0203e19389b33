"""Problem answers a route documents beyond those rcm_shared.openapi derives from its shape
(a path parameter's 404, a body's 422, ...)."""

from __future__ import annotations

from typing import Any

from billing_service.contracts.schemas import ContractIn
from rcm_shared.openapi import DocumentInfo, Example
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
    "appeals": "Appeal a claim's denial to its payer with a letter written from the claim, "
               "and follow the payer's decision",
    "coverages": "Patients' insurance, used to bill each claim to the payer in force",
    "eligibility": "Ask a coverage's payer, before the visit, whether it is active and what "
                   "the patient's benefits are (X12 270/271)",
    "estimates": "What a visit will cost the patient, priced by the payer before the claim",
    "providers": "The tenant's billing and rendering providers, by NPI, as claims name them",
    "payers": "The payers claims can be sent to, and their plans",
    "payer contracts": "The clinic's contracted allowed amounts with each payer, which every "
                       "remittance posted is compared with to find underpaid lines",
    "remittances": "Post 835 remittance files from any payer",
    "x12": "Claims as X12 837P files",
    "patients": "What a patient owes, in plain words",
    "patient accounts": "A patient's payments, refunds and write-offs, and the ledger of "
                        "every charge and payment with its running balance",
    "worklist": "What needs a biller, with A/R aging",
    "coding events": "coding-service's events received, and what billing made of each",
    "fhir": "HL7 FHIR R4 for EHRs (application/fhir+json): a claim as a Claim, its "
            "adjudication as an ExplanationOfBenefit (CARIN Blue Button), a coverage as a "
            "Coverage; problems are OperationOutcomes",
    "audit": "Who read or changed which resource",
    "operations": "Liveness, readiness, metrics and the payer loop",
}

# What billing-service's own properties mean, where their models leave it unsaid (see
# rcm_shared.openapi_glossary for the names both services share). Amounts are decimal strings
# with two places.
PROPERTIES = {
    # Claims.
    "claim_id": "The claim's id",
    "coverage_id": "The coverage's id",
    "payer_id": "The payer's id (e.g. `MOCK-PPO`, see GET /v1/payers)",
    "payer_sequence": "Which of the patient's insurers: primary, secondary or tertiary",
    "ClaimOut.patient_control_number": "The claim's number in the 837P (CLM01) that the payer "
                                       "sends back in its answers and remittance",
    "ClaimOut.status": "Where the claim is in its lifecycle",
    "ClaimOut.allowed_actions": "The actions its status allows now (submit, correct, void, "
                                "cancel, ...), each an operation under the claim",
    "ClaimOut.frequency_code": "CLM05-3: 1 original, 7 replacement, 8 void",
    "ClaimOut.total_charge": "What the claim bills: the sum of its lines' charges",
    "ClaimOut.paid_amount": "What the payer paid, from its remittances",
    "ClaimOut.adjustment_amount": "What the payer adjusted (CAS), contractual and patient "
                                  "responsibility together",
    "ClaimOut.patient_responsibility": "What the payer left to the patient: deductible, copay "
                                       "and coinsurance",
    "payer_claim_control_number": "The payer's own number for the claim (CLP07)",
    "ClaimOut.original_payer_claim_number": "For a replacement or void, the payer's number of "
                                            "the claim it replaces (REF*F8)",
    "ClaimOut.replaces_claim_id": "The claim this one replaces or voids",
    "ClaimOut.replaced_by_claim_id": "The claim that replaced or voided this one",
    "ClaimOut.submission_count": "How many times it was sent to the payer",
    "ClaimOut.first_submitted_at": "When it was first sent (UTC)",
    "ClaimOut.last_submitted_at": "When it was last sent (UTC)",
    "ClaimOut.scrub_issues": "What the scrubber found before sending: an error keeps the claim "
                             "from being submitted",
    "ClaimOut.payer_errors": "Why the payer or clearinghouse rejected it, when it did",
    "ClaimSplit.index": "This claim's part of the split encounter, from 1",
    "ClaimSplit.of": "How many claims the encounter was split into",
    "ClaimLineOut.line_number": "The line's number on the claim, from 1",
    "ClaimEventOut.at": "When it happened (UTC)",
    "ClaimEventOut.from": "The status before; null when the claim was created",
    "ClaimEventOut.to": "The status after",
    "ClaimEventOut.data": "What else the event recorded (e.g. the payer's answer)",
    "carc": "Claim adjustment reason codes (X12 CARC) given",
    "rarc": "Remittance advice remark codes (X12 RARC) given",
    "CorrectionCreate.encounter_coding_version": "The encounter's coding version to bill "
                                                 "instead: a newer finalized one",
    "BatchExport.claim_ids": "The claims to write into one 837P interchange",
    # Remittances.
    "AdjustmentOut.group": "CAS group: CO contractual, PR patient responsibility, OA other, PI "
                           "payer initiated",
    "AdjustmentOut.carc": "The claim adjustment reason code",
    "AdjustmentOut.amount": "The amount adjusted",
    "AdjustmentOut.description": "What the reason code means",
    "billed": "What was billed",
    "allowed": "What the payer allows for it under its fee schedule",
    "paid": "What the payer paid",
    "patient_responsibility": "What the payer left to the patient",
    "RemittanceLineOut.line_number": "The claim line it pays, from 1",
    "RemittanceLineOut.adjustments": "The line's adjustments (CAS): billed = paid + their sum",
    "RemittanceOut.trace_number": "The payment's check or EFT number (TRN02)",
    "RemittanceOut.status": "How the payer processed the claim (CLP02): processed, denied, "
                            "reversal, ...",
    "RemittanceOut.paid_date": "When the payer paid (BPR16); null when not said",
    "RemittanceOut.posted_at": "When billing posted it (UTC)",
    "RemittanceOut.claim_adjustments": "Adjustments to the claim as a whole (claim-level CAS)",
    "RemittanceOut.remark_codes": "Remark codes on the claim (MOA/MIA)",
    "ClaimRemittanceOut.status": "The claim's status now",
    "ClaimRemittanceOut.remittances": "Every remittance posted to the claim, oldest first",
    "ClaimRemittanceOut.totals": "The remittances added up",
    "RemittanceTotals.adjustments": "Every adjustment, contractual and patient responsibility",
    "RemittanceTotals.balance": "What is still open with the payer: billed less paid and "
                                "adjusted",
    "ClaimPostingOut.outcome": "posted, ignored (already posted) or refused (see issues)",
    "RemittanceFileOut.file_id": "The stored file's id",
    "RemittanceFileOut.interchange_control_number": "The 835's ISA13",
    "RemittanceFileOut.posted": "Claim payments posted",
    "RemittanceFileOut.ignored": "Claim payments already posted by an earlier file",
    "RemittanceFileOut.refused": "Claim payments not posted, with why in their issues",
    "RemittanceFileOut.payments": "Each payment (check or EFT) of the file",
    "PaymentOut.payer_name": "The paying payer's name (N1*PR)",
    "PaymentOut.payee_id": "The payee's id, the billing provider's NPI or tax id (N1*PE)",
    "PaymentOut.paid_on": "The payment's date (BPR16)",
    "PaymentOut.provider_adjustments": "Provider-level adjustments (PLB)",
    "PaymentOut.claims": "Each claim payment (CLP) and what posting made of it",
    "ProviderAdjustmentOut.reference": "PLB03-2: the payer's reference, e.g. the claim "
                                       "recouped",
    "PayerPartOut.status": "That claim's status",
    # Coverages and payers.
    "member_id": "The subscriber's member id at the payer",
    "group_number": "The employer group's number on the card, when any",
    "plan_code": "The payer's plan (see GET /v1/payers); null for the payer's default plan",
    "relationship": "The patient's relationship to the subscriber: self, spouse, child or other",
    "subscriber": "The person who holds the coverage (the patient when `self`)",
    "effective_from": "First date of service covered",
    "effective_to": "Last date of service covered; null while open-ended",
    "priority": "Which insurer it is for the patient: primary, secondary or tertiary",
    "PayerOut.active": "Whether claims may be sent to it",
    "PayerOut.plans": "Its plans and their terms",
    "PayersPlanOut.code": "The plan's code",
    "PayersPlanOut.kind": "The kind of plan (PPO, HMO, Medicare, supplement)",
    "PayersPlanOut.claim_filing_indicator": "SBR09 of the 837P: MB Medicare Part B, CI "
                                            "commercial, 12 PPO, HM HMO, ...",
    "PayersPlanOut.deductible": "The deductible per plan year",
    "PayersPlanOut.copay": "The copay per office visit",
    "PayersPlanOut.coinsurance_percent": "The patient's share, in percent, after the deductible",
    "PayersPlanOut.out_of_pocket_max": "The most a member pays in a plan year",
    "PayersPlanOut.accepts_frequency_codes": "The claim frequency codes (CLM05-3) the payer "
                                             "accepts",
    "EligibilityPlanOut.code": "The plan the payer names in the 271, when it does",
    "EligibilityPlanOut.name": "The plan's name in the 271, when given",
    # Providers.
    "ProviderCreate.kind": "person (NM1*1) or organization (NM1*2)",
    "ProviderOut.kind": "person (NM1*1) or organization (NM1*2)",
    "ProviderPatch.kind": "person (NM1*1) or organization (NM1*2)",
    "organization_name": "The organization's name, for an organization",
    "taxonomy": "NUCC health care provider taxonomy code (10 characters)",
    "tax_id": "Federal tax id (EIN or SSN), nine digits; the billing provider needs one",
    # Eligibility and estimates.
    "service_type_codes": "X12 service type codes asked about (30 health benefit plan "
                          "coverage, 98 office visit, ...)",
    "EligibilityCheckOut.plan": "The plan the payer answered with",
    "EligibilityCheckOut.errors": "The payer's reject reasons (AAA), when it could not answer",
    "EligibilityCheckOut.benefits": "Deductible and out of pocket as the payer answered them",
    "checked_at": "When it was checked (UTC)",
    "LastEligibilityCheckOut.status": "active, inactive or error",
    "BenefitsOut.deductible": "The deductible and what remains of it",
    "BenefitsOut.out_of_pocket": "The out-of-pocket maximum and what remains of it",
    "ErrorOut.message": "What the reject reason means",
    "payer_pays": "What the payer would pay",
    "patient_owes": "What the patient would owe",
    "explanation": "Why, in plain words",
    "EstimateOut.totals": "Every line added up",
    "PatientOwesOut.deductible": "Toward the deductible",
    "PatientOwesOut.copay": "The copay",
    "PatientOwesOut.coinsurance": "The coinsurance",
    "PatientOwesOut.total": "Deductible, copay and coinsurance together",
    "NdcOut.unit": "The unit of the quantity: F2 international unit, GR gram, ME milligram, ML "
                   "milliliter, UN unit",
    # Claim status inquiries.
    "ClaimStatusOut.category_description": "What the 277's status category means",
    "ClaimStatusOut.status_code": "The 277's claim status code (STC01-2)",
    "ClaimStatusOut.status_description": "What the status code means",
    "ClaimStatusOut.status_date": "The date the payer gives the status",
    "ClaimStatusOut.adjudicated_on": "When the payer adjudicated the claim, once it has",
    "StatusInquiryOut.status": "The payer's answer (277)",
    "StatusInquiryItem.inquiry_id": "The status inquiry's id",
    "StatusInquiryItem.category": "The 277's status category: A1 received, P1 pending, F1 "
                                  "paid, F2 denied, ...",
    "StatusInquiryItem.status_code": "The 277's claim status code",
    "StatusInquiryItem.description": "The answer in words",
    "StatusInquiryItem.sent_by": "Who asked: the API key's name, or `system` for the worker",
    # Patient statements.
    "StatementOut.generated_at": "When the statement was made (UTC)",
    "StatementOut.claims": "Each visit billed, newest first",
    "StatementOut.totals": "Every visit added up",
    "StatementOut.summary": "What the patient owes, in a sentence",
    "StatementClaimOut.status": "The claim's status",
    "StatementClaimOut.status_text": "Where the claim is, in plain words for the patient",
    "insurance_paid": "What the insurance paid",
    "plan_discount": "What the provider wrote off under its contract with the plan",
    "you_owe": "What the patient owes",
    "StatementClaimOut.explanation": "Each part of what the patient owes, explained",
    "ExplanationOut.kind": "What the amount is: deductible, copay, coinsurance, ...",
    "ExplanationOut.amount": "The amount",
    "ExplanationOut.text": "The amount explained in a sentence",
    # The worklist.
    "WorkItem.status": "The claim's status",
    "WorkItem.total_charge": "What the claim bills",
    "WorkItem.days_waiting": "Days since it came to need a biller",
    "WorkItem.next_step": "What to do next, naming the operation",
    "WorklistOut.unanswered_after_days": "After how many days without an answer a submitted "
                                         "claim is listed",
    "WorklistOut.aging": "Accounts receivable aging of every open claim",
    "Aging.as_of": "The day the ages are counted to",
    "Aging.basis": "What the age counts from (the date of service)",
    "Aging.buckets": "Open claims by age: 0-30, 31-60, 61-90, 91-120, over 120 days",
    "Aging.total_count": "Open claims in all",
    "Aging.total_amount": "Their open balance in all",
    "AgingBucket.label": "The age range, in days",
    "AgingBucket.count": "Open claims of that age",
    "AgingBucket.amount": "Their open balance",
    # Coding events, from coding-service's feed or webhooks.
    "CodingEventOut.event_type": "encounter.finalized or encounter.reopened",
    "CodingEventOut.claim_id": "The claim it built or rebuilt, when it did",
    "CodingEventOut.received_at": "When billing received it (UTC)",
    "WebhookEvent.type": "encounter.finalized or encounter.reopened",
    "WebhookReceipt.event": "The event as billing recorded it",
    "ProcessOut.rounds": "How many send-and-poll rounds ran",
    "PayerError.code": "The payer's or clearinghouse's error code",
    "PayerError.message": "What it means",
}


DOCUMENT = DocumentInfo(
    properties=PROPERTIES,
    # The JSON form of PUT /v1/payers/{payer_id}/contract, whose body the route reads itself
    # (it takes CSV too).
    schemas=(ContractIn,),
    tags=TAGS,
    servers=[{"url": "http://127.0.0.1:8002", "description": "make run (development)"}],
)

# GET /v1/audit's examples, sent last by tests/contract/test_examples.py.
AUDIT = (
    Example("latest", "The two latest entries", 200, None,
            {"items": [{"id": 30, "at": "2026-12-05T16:38:41.519687Z", "tenant_id": "clinic-a",
                        "actor": "key:90db94607739", "action": "read", "resource_type": "coverage",
                        "resource_id": "64286c6a-9894-4ec0-b337-62cff9cbfedf",
                        "request_id": "1c55792ea8874ad7b9c15f722964c7c5"},
                       {"id": 29, "at": "2026-12-05T16:38:41.503423Z", "tenant_id": "clinic-a",
                        "actor": "key:90db94607739", "action": "read", "resource_type": "claim",
                        "resource_id": "b6dc6ece-fa32-4108-8eb2-aafdf81eda94",
                        "request_id": "01d6de18a5064755a19ee232ef710c44"}],
             "next_cursor": "WzI5XQ.MtZ_Lo_xsrLL"}, parameters={"limit": 2}),
)
