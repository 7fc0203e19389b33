"""What coding-service's OpenAPI document says beyond its routes: its tags, servers, and the
webhooks it sends (OAS 3.1 `webhooks`)."""

from __future__ import annotations

from typing import Any

from rcm_shared.openapi import DocumentInfo, Example
from rcm_shared.webhooks import ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER

TAGS = {
    "encounters": "A visit and its codes: create, code, query the provider, finalize as a coding "
                  "version, reopen",
    "validation": "Validate codes against ICD-10-CM, CPT/HCPCS and the industry's edits without "
                  "storing anything",
    "code sets": "Look up and search the code sets the validation uses",
    "feed": "Every finalized and reopened encounter as a replayable feed",
    "webhooks": "Subscribe a URL to encounter events, delivered signed (Standard Webhooks)",
    "fhir": "HL7 FHIR R4 for EHRs (application/fhir+json): a Bundle creates and codes an "
            "encounter, an encounter reads as a FHIR Encounter; problems are OperationOutcomes",
    "audit": "Who read or changed which resource",
    "operations": "Liveness, readiness and metrics",
}

_SIGNATURE_HEADERS: list[dict[str, Any]] = [
    {"name": ID_HEADER, "in": "header", "required": True,
     "description": "The event id, the same on every retry: deduplicate on it",
     "schema": {"type": "string"}},
    {"name": TIMESTAMP_HEADER, "in": "header", "required": True,
     "description": "When the delivery was signed, in unix seconds: refuse one more than five "
                    "minutes away from your clock", "schema": {"type": "string",
                                                               "pattern": "^[0-9]+$"}},
    {"name": SIGNATURE_HEADER, "in": "header", "required": True,
     "description": "`v1,<base64>`: HMAC-SHA256 with the subscription secret's key over "
                    f"`<{ID_HEADER}>.<{TIMESTAMP_HEADER}>.<raw body>` (several, space-separated, "
                    "while a secret is rotated). Verify it with a Standard Webhooks library.",
     "schema": {"type": "string", "pattern": "^v1,[A-Za-z0-9+/=]+( v1,[A-Za-z0-9+/=]+)*$"}},
]


def _delivery(event: str, operation_id: str, summary: str) -> dict[str, Any]:
    return {"post": {
        "operationId": operation_id,
        "tags": ["webhooks"],
        "summary": summary,
        "description": f"What coding-service POSTs to a URL subscribed to `{event}`: the "
                       "`GET /v1/events` event with its tenant, signed after the Standard "
                       "Webhooks specification. Any 2xx answer is a success; anything else, a "
                       "redirect or no answer within the timeout is retried with exponential "
                       "backoff and jitter.",
        "parameters": _SIGNATURE_HEADERS,
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "allOf": [{"$ref": "#/components/schemas/FeedEvent"}, {
                "type": "object", "required": ["tenant_id"], "properties": {"tenant_id": {
                    "type": "string", "description": "The tenant whose encounter it is"}}}],
        }}}},
        "responses": {"2XX": {"description": "Received: the delivery is not sent again"}},
    }}


# What coding-service's own properties mean, where their models leave it unsaid (see
# rcm_shared.openapi_glossary for the names both services share).
PROPERTIES = {
    "BatchResult.valid_count": "How many encounters of the batch have no error",
    "BatchResult.invalid_count": "How many encounters of the batch have at least one error",
    "CodeSetSummary.effective_from": "First date of service the set applies to; null when "
                                     "it has no start",
    "CodeSetSummary.effective_to": "Last date of service the set applies to; null while "
                                   "current",
    "CodeSetSummary.source": "Where the set comes from (the file or publisher)",
    "CodingVersionOut.finalized_at": "When this coding version was finalized (UTC)",
    "CodingVersionOut.finalized_by": "Who finalized it: the API key's name",
    "EncounterEventOut.type": "What happened to the encounter",
    "EncounterEventOut.data": "What changed, as the event recorded it (e.g. the codes saved, "
                              "the coding version finalized, the reopen's reason)",
    "EncounterOut.status": "open (codes may change), needs_clarification (a provider query is "
                           "open) or finalized (frozen as a coding version)",
    "EncounterOut.queries": "Questions the coder asked the provider, and their answers",
    "EncounterSummary.status": "open, needs_clarification or finalized",
    "Excludes1NoteOut.note": "The Excludes1 note's text",
    "Excludes1NoteOut.references": "The codes or ranges the note excludes",
    "FeedEvent.type": "encounter.finalized (a coding version is ready to bill) or "
                      "encounter.reopened (the last one is being corrected)",
    "IcdCodeDetail.code": "The ICD-10-CM code, with its dot",
    "IcdCodeItem.code": "The ICD-10-CM code, with its dot",
    "title": "The code's title in the code set",
    "billable": "True when the code is valid on a claim (the most specific level); a category "
                "is not",
    "chapter": "The ICD-10-CM chapter number (1-22)",
    "block": "The block (range of categories) the code belongs to, e.g. E08-E13",
    "edition": "The ICD-10-CM edition (fiscal year) answering, e.g. 2026",
    "IcdCodeDetail.excludes1": "Excludes1 notes on the code and its ancestors: codes never "
                               "reported with it",
    "IcdCodeDetail.seventh_characters": "The 7th characters the code takes, when it needs one",
    "IcdCodeDetail.billable_children_total": "How many billable codes sit under it (0 for a "
                                             "billable code)",
    "NdcInput.code": "The National Drug Code: 11 digits (5-4-2), with or without hyphens",
    "NdcOutput.code": "The National Drug Code in the 11-digit 5-4-2 form, no hyphens",
    "unit": "The unit of the quantity: F2 international unit, GR gram, ME milligram, ML "
            "milliliter, UN unit",
    "quantity": "How much of the drug, in `unit`",
    "ProcedureCodeOut.code": "The CPT or HCPCS code",
    "ProcedureCodeOut.description": "The code's short description",
    "ProcedureCodeOut.code_system": "CPT or HCPCS",
    "ProcedureCodeOut.is_evaluation_management": "True for an evaluation and management "
                                                 "(office visit) code",
    "question": "What the coder asks the provider",
    "answer": "The provider's answer; null while the query is open",
    "ProviderQueryOut.status": "open until the provider answers, then answered",
    "asked_by": "Who asked: the API key's name",
    "answered_by": "Who answered: the API key's name; null while open",
    "asked_at": "When it was asked (UTC)",
    "answered_at": "When it was answered (UTC); null while open",
    "SeventhCharactersOut.allowed": "Each 7th character the code takes, with its meaning",
    "events": "The events delivered to the URL: encounter.finalized, encounter.reopened",
    "url": "The HTTPS (or, in development, HTTP) URL the events are POSTed to",
    "consecutive_failures": "Deliveries failed in a row; the subscription is disabled after "
                            "too many",
    "disabled_at": "When the subscription was disabled for failing (UTC); null while active",
    "WebhookDeliveryOut.event_type": "The event delivered",
    "WebhookDeliveryOut.status": "pending (to be sent or retried), delivered (a 2xx answered) "
                                 "or failed (retries exhausted)",
    "attempts": "How many times it was sent",
    "last_status_code": "The HTTP status the last attempt got; null when none answered",
    "last_error": "Why the last attempt failed, when it did",
    "last_attempt_at": "When it was last sent (UTC)",
    "delivered_at": "When a 2xx answered it (UTC); null until then",
}

DOCUMENT = DocumentInfo(
    tags=TAGS,
    properties=PROPERTIES,
    servers=[{"url": "http://127.0.0.1:8001", "description": "make run (development)"}],
    webhooks={
        "encounter.finalized": _delivery("encounter.finalized", "encounterFinalizedWebhook",
                                         "An encounter was finalized as a coding version"),
        "encounter.reopened": _delivery("encounter.reopened", "encounterReopenedWebhook",
                                        "A finalized encounter was reopened for correction"),
    },
)

# GET /v1/audit's examples, sent last by tests/contract/test_examples.py.
AUDIT = (
    Example("latest", "The two latest entries", 200, None,
            {"items": [{"id": 19, "at": "2026-12-05T16:29:22.272574Z", "tenant_id": "clinic-a",
                        "actor": "key:90db94607739", "action": "read", "resource_type": "encounter",
                        "resource_id": "04b94a70-a03a-477d-8aa6-3c47878f67fd",
                        "request_id": "8361ec5a947a411eb646deb96330b4b4"},
                       {"id": 18, "at": "2026-12-05T16:29:22.251328Z", "tenant_id": "clinic-a",
                        "actor": "key:90db94607739", "action": "create",
                        "resource_type": "encounter",
                        "resource_id": "04b94a70-a03a-477d-8aa6-3c47878f67fd",
                        "request_id": "aacd06509c9c4c9aa04f346a2d5470ea"}],
             "next_cursor": "WzE4XQ.U3lZtfOKgzpf"}, parameters={"limit": 2}),
)

# What GET /readyz answers when ready, as its example shows it.
READY_CHECKS: dict[str, Any] = {"database": "ok", "code_sets": {
    "icd10cm": "2026-04", "procedures": "2026 sample", "modifiers": "2026",
    "places_of_service": "2025 (POS 66 added 2024)", "demographic_edits": "2026",
    "icd10cm_code_history": "2026-04", "first_listed_edits": "2026",
    "preventive_age_bands": "2026", "place_of_service_groups": "2026"}}

