"""What a property means, by the name both services give it, for the OpenAPI documents: a
field whose model gives no description of its own takes the one here. Keys are a property
name, or `Schema.property` where the name means something else in that schema. Each service
adds its own (DocumentInfo.properties); a test fails on any property left undescribed."""

from __future__ import annotations

PROPERTY_DESCRIPTIONS: dict[str, str] = {
    # What every resource and page carries.
    "id": "Its id, issued by the service",
    "items": "This page's items, in the list's order",
    "next_cursor": "Pass as `?cursor=` for the next page; null on the last page",
    "version": "Its version: 1 when created, one more at each change; send it back as If-Match",
    "created_at": "When it was created (UTC)",
    "updated_at": "When it last changed (UTC)",
    "tenant_id": "The tenant (clinic) it belongs to",
    # People and places.
    "first_name": "Given name",
    "last_name": "Family name",
    "birth_date": "Date of birth",
    "sex": "Administrative sex: F, M or U (unknown)",
    "address": "Postal address",
    "Address.line1": "First address line: street and number (X12 N301)",
    "Address.line2": "Second address line, e.g. a suite (X12 N302)",
    "Address.city": "City (X12 N401)",
    "Address.state": "USPS two-letter state code, e.g. IL (X12 N402)",
    "Address.postal_code": "ZIP code: 5 digits, or 9 (ZIP+4) without the hyphen (X12 N403)",
    "npi": "National Provider Identifier: ten digits with a valid check digit",
    "name": "Name",
    # The encounter and its codes, as coding-service finalizes them and billing bills them.
    "external_id": "The EHR's id of the visit; a second create with the same one answers the "
                   "encounter already made",
    "patient": "The patient seen",
    "patient_id": "The patient's id: the EHR's medical record number",
    "encounter_id": "The encounter's id, as coding-service issued it",
    "coding_version": "The encounter's coding version: 1, then one more at each finalization "
                      "after a reopen",
    "date_of_service": "The date the service was given",
    "date_of_service_to": "The last date of a service given over several days; null for one "
                          "day",
    "place_of_service": "CMS place-of-service code, two digits (11 office, 22 outpatient "
                        "hospital, ...)",
    "rendering_provider_npi": "NPI of the provider who gave the service",
    "billing_provider_npi": "NPI of the provider (often the clinic) who bills for it",
    "referring_provider": "The provider who referred the patient, when one did",
    "service_facility": "Where the service was given, when not at the billing provider's "
                        "address",
    "prior_authorization": "The payer's prior authorization number, when the service needed one",
    "diagnoses": "ICD-10-CM diagnoses, in order: service lines point at them by position "
                 "(1-based)",
    "service_lines": "The procedures billed, one line each",
    "lines": "The service lines, in order",
    "procedure_code": "CPT or HCPCS Level II code",
    "modifiers": "CPT/HCPCS modifiers, at most four, two characters each",
    "units": "How many units of the procedure",
    "charge": "The line's charge: a decimal string with two places",
    "diagnosis_pointers": "Which diagnoses (1-based positions in `diagnoses`) the line treats, "
                          "most important first, at most four",
    "ndc": "The drug's National Drug Code and quantity, for a drug line",
    "Diagnosis.code": "ICD-10-CM code, billable, with or without its dot",
    # Validation findings.
    "issues": "What validation found: each with its rule, severity, JSON path and message",
    "IssueOut.rule": "The rule's id, stable for programs (e.g. `icd10.not_billable`)",
    "IssueOut.severity": "error blocks finalization or submission; warning does not",
    "IssueOut.message": "What is wrong and how to fix it, for people",
    "valid": "True when there is no error (warnings allowed)",
    # Events and audit.
    "actor": "Who did it: the API key's name, or `system` for the service itself",
    "action": "What was done",
    "reason": "Why, as the person or the rule that did it said",
    "occurred_at": "When it happened (UTC)",
    "AuditEntryOut.at": "When it happened (UTC)",
    "AuditEntryOut.resource_type": "The kind of resource read or changed",
    "AuditEntryOut.resource_id": "The id of the resource read or changed",
    "AuditEntryOut.request_id": "The request's X-Request-Id, to find it in the logs",
    "cursor": "This event's place in the feed: pass it as `?after=` to read what follows",
    # FHIR OperationOutcome, what /fhir/ answers a problem with.
    "OperationOutcome.resourceType": "Always `OperationOutcome`",
    "OperationOutcome.issue": "Each problem found",
    "OutcomeIssue.severity": "fatal, error, warning or information",
    "OutcomeIssue.details": "The problem as a coded concept with its text",
    "OutcomeIssue.diagnostics": "What went wrong, for people",
    "OutcomeDetails.text": "The problem in words",
    "OutcomeCoding.system": "The code system the code belongs to",
    "OutcomeCoding.code": "The code within that system",
}
