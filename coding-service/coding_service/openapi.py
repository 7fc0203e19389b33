"""What coding-service's OpenAPI document says beyond its routes: its tags, servers, and the
webhooks it sends (OAS 3.1 `webhooks`)."""

from __future__ import annotations

from typing import Any

from rcm_shared.openapi import DocumentInfo
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


DOCUMENT = DocumentInfo(
    tags=TAGS,
    servers=[{"url": "http://127.0.0.1:8001", "description": "make run (development)"}],
    webhooks={
        "encounter.finalized": _delivery("encounter.finalized", "encounterFinalizedWebhook",
                                         "An encounter was finalized as a coding version"),
        "encounter.reopened": _delivery("encounter.reopened", "encounterReopenedWebhook",
                                        "A finalized encounter was reopened for correction"),
    },
)
