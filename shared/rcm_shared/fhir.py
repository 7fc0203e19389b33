"""What both services' FHIR R4 endpoints (under /fhir/R4) share: the media type, the answer
class, and problems written as an OperationOutcome instead of application/problem+json.

A problem raised under /fhir/ (an API key missing, an id unknown, a rule broken) keeps its
status code; its body becomes an OperationOutcome whose issues carry the same rule ids as the
JSON API's `issues`, so an EHR's FHIR client reads every answer in one format.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, Literal

import orjson
from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from rcm_shared.jsonutil import dumps

FHIR_MEDIA_TYPE = "application/fhir+json"
FHIR_PATH_PREFIX = "/fhir/"
# The code system naming this API's rule ids (`icd10cm.unknown_code`) in an issue's details;
# the problem's own type (`not-found`) is given under the problems' base URI.
RULE_SYSTEM = "https://rcm.dev/rules"
PROBLEM_SYSTEM = "https://rcm.dev/problems"

# http://hl7.org/fhir/issue-type, the closest kind of each status this API answers.
_ISSUE_TYPE = {
    400: "structure", 401: "login", 403: "forbidden", 404: "not-found", 405: "not-supported",
    409: "conflict", 412: "conflict", 413: "too-long", 415: "not-supported", 422: "invalid",
    428: "required", 503: "transient",
}


def is_fhir_path(path: str) -> bool:
    return path.startswith(FHIR_PATH_PREFIX)


def outcome_issue(finding: Mapping[str, Any], code: str | None = None) -> dict[str, Any]:
    """One `{rule, severity, path, message}` finding as an OperationOutcome issue: the rule id
    as a coding of RULE_SYSTEM, the path as a FHIRPath expression when it is one (a JSON path or
    `query:name` goes into the diagnostics instead)."""
    rule, path, message = finding["rule"], finding.get("path", ""), finding["message"]
    issue: dict[str, Any] = {
        "severity": "error" if finding.get("severity", "error") == "error" else "warning",
        "code": code or ("invalid" if rule.startswith(("schema.", "fhir.")) else "business-rule"),
        "details": {"coding": [{"system": RULE_SYSTEM, "code": rule}], "text": message},
    }
    if path[:1].isupper() and ":" not in path:
        issue["expression"] = [path]
    elif path:
        issue["diagnostics"] = f"{path}: {message}"
    return issue


def operation_outcome(status: int, title: str, detail: str, problem_type: str,
                      issues: Sequence[Mapping[str, Any]] | None) -> dict[str, Any]:
    """A problem answered by status `status` as an OperationOutcome: a first issue saying what
    the problem is, then one per finding."""
    code = _ISSUE_TYPE.get(status, "exception" if status >= 500 else "processing")
    summary: dict[str, Any] = {
        "severity": "fatal" if status >= 500 else "error",
        "code": code,
        "details": {"text": title},
        "diagnostics": detail,
    }
    if problem_type != "about:blank":
        summary["details"]["coding"] = [{"system": PROBLEM_SYSTEM,
                                         "code": problem_type.rsplit("/", 1)[-1]}]
    return {"resourceType": "OperationOutcome",
            "issue": [summary, *(outcome_issue(found) for found in issues or ())]}


class FhirResponse(Response):
    media_type = FHIR_MEDIA_TYPE

    def render(self, content: Any) -> bytes:
        return dumps(content)


def fhir_resource_schema(resource_type: str, description: str) -> dict[str, Any]:
    """The document's schema of a FHIR resource this API answers: its type and id; the
    resource itself is defined by the FHIR R4 specification, whose other elements it has."""
    return {"type": "object", "description": description,
            "required": ["resourceType"], "additionalProperties": True,
            "properties": {"resourceType": {"type": "string", "enum": [resource_type]},
                           "id": {"type": "string"}}}


def fhir_content(resource_type: str, description: str) -> dict[str, Any]:
    return {FHIR_MEDIA_TYPE: {"schema": fhir_resource_schema(resource_type, description)}}


# FHIR's ETag is weak and names the resource's meta.versionId (the JSON API's version).
VERSION_HEADERS = {"ETag": {"description": "The resource's version as FHIR writes it: "
                                           "`W/\"<meta.versionId>\"`",
                            "schema": {"type": "string", "pattern": '^W/"[0-9]+"$'}}}


def fhir_etag(version: int) -> str:
    return f'W/"{version}"'


class OutcomeCoding(BaseModel):
    system: str
    code: str


class OutcomeDetails(BaseModel):
    coding: list[OutcomeCoding] | None = Field(
        None, description=f"The rule id (system {RULE_SYSTEM}) or problem type (system "
                          f"{PROBLEM_SYSTEM})")
    text: str


class OutcomeIssue(BaseModel):
    severity: Literal["fatal", "error", "warning", "information"]
    code: str = Field(description="The kind of issue (http://hl7.org/fhir/issue-type)")
    details: OutcomeDetails
    diagnostics: str | None = None
    expression: list[str] | None = Field(None, description="Where, as FHIRPath")


class OperationOutcome(BaseModel):
    """A FHIR R4 OperationOutcome: the body of every problem under /fhir/R4, with the same
    status code and rule ids as the JSON API's problem."""

    model_config = ConfigDict(extra="allow")

    resourceType: Literal["OperationOutcome"]  # noqa: N815 - FHIR's own element name
    issue: list[OutcomeIssue]


def fhir_decimal(value: Decimal) -> orjson.Fragment:
    """A FHIR decimal is a JSON number written with its precision (`180.00`, not `180.0`)."""
    return orjson.Fragment(str(value).encode())


def parse_fhir_json(raw: bytes) -> Any:
    """A FHIR body read with its decimals exact (a charge of 180.10 stays 180.10)."""
    return json.loads(raw, parse_float=Decimal)


def capability_statement(software: str, resources: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """What a service's FHIR endpoint serves (`GET /fhir/R4/metadata`): per resource type, its
    interactions (`read`, `create`)."""
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": "2026-12-05",
        "kind": "instance",
        "software": {"name": software},
        "implementation": {"description": f"{software} FHIR R4 endpoint", "url": "/fhir/R4"},
        "fhirVersion": "4.0.1",
        "format": [FHIR_MEDIA_TYPE],
        "rest": [{
            "mode": "server",
            "security": {"description": "Authorization: Bearer <api-key>, the JSON API's keys "
                                        "and scopes; another tenant's resource answers 404"},
            "resource": [{"type": name, "interaction": [{"code": code} for code in codes]}
                         for name, codes in resources.items()],
        }],
    }


def metadata_router(software: str, resources: Mapping[str, Sequence[str]]) -> APIRouter:
    """`GET /fhir/R4/metadata`, public as FHIR clients expect: a client reads it before it
    authenticates."""
    # Here, not at the top: rcm_shared.openapi documents FHIR answers with this module's models.
    from rcm_shared.openapi import Example, examples

    statement = capability_statement(software, resources)
    router = APIRouter(prefix="/fhir/R4", tags=["fhir"])

    @router.get("/metadata", response_class=FhirResponse,
                summary="The FHIR CapabilityStatement: what this FHIR R4 endpoint serves",
                responses={200: {"content": fhir_content(
                    "CapabilityStatement", "FHIR R4 CapabilityStatement")}},
                openapi_extra=examples(Example("statement", "What this endpoint serves", 200,
                                               response=statement)))
    async def fhir_capabilities() -> FhirResponse:
        """The resources and interactions this service's FHIR R4 endpoint serves, its FHIR
        version (4.0.1) and format (application/fhir+json). Needs no API key."""
        return FhirResponse(statement)

    return router
