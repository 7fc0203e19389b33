"""FHIR R4 for EHRs: a Bundle creates and codes an encounter through EncounterService (the same
validation and rules as the JSON API), and an encounter is read back as a FHIR Encounter."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from coding_service.encounters import schemas
from coding_service.encounters.service import EncounterService, canonical_codes
from coding_service.fhir.mapping import (
    BundleRefused,
    EncounterRequest,
    encounter_request,
    encounter_resource,
    transaction_response,
)
from coding_service.models import Encounter
from rcm_shared.fhir import outcome_issue, parse_fhir_json
from rcm_shared.issues import IssueDict, issue
from rcm_shared.problems import ProblemError, error_message

if TYPE_CHECKING:
    from fhir.resources.R4B.bundle import Bundle


@cache
def _bundle_model() -> type[Bundle]:
    # Imported on the first FHIR request, not at start: the FHIR models take longer to load
    # than the rest of the service, and most deployments never receive a Bundle.
    from fhir.resources.R4B.bundle import Bundle

    return Bundle


def _fhir_path(location: Sequence[int | str], root: str) -> str:
    path = root
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def _json_path(location: Sequence[int | str]) -> str:
    return _fhir_path(location, "$")


def _refused(detail: str, issues: list[IssueDict]) -> ProblemError:
    return ProblemError(422, "The Bundle cannot make an encounter", detail,
                        type_="validation", issues=issues)


def _schema_findings(model: type[BaseModel], body: dict[str, Any],
                     request: EncounterRequest) -> list[IssueDict]:
    """What the JSON API's own schema refuses, each finding named by the FHIR element it came
    from."""
    try:
        model.model_validate(body)
    except ValidationError as exc:
        return [issue(f"schema.{error['type']}", request.fhir_path(_json_path(error["loc"])),
                      error_message(error)) for error in exc.errors()]
    return []


class FhirEncounterService:
    def __init__(self, encounters: EncounterService) -> None:
        self.encounters = encounters

    def read_bundle(self, raw: bytes) -> tuple[dict[str, Any], EncounterRequest]:
        try:
            bundle = parse_fhir_json(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ProblemError(400, "Bad Request", "The body is not JSON.") from exc
        if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
            raise _refused("The body must be a FHIR Bundle.", [
                issue("fhir.resource_type", "Bundle.resourceType",
                      "resourceType must be Bundle.")])
        try:
            _bundle_model().model_validate(bundle)
        except ValidationError as exc:
            raise _refused("The Bundle is not valid FHIR R4.", [
                issue(f"fhir.{error['type']}", _fhir_path(error["loc"], "Bundle"),
                      error_message(error))
                for error in exc.errors()]) from exc
        try:
            return bundle, encounter_request(bundle)
        except BundleRefused as refused:
            raise _refused("The Bundle lacks what an encounter needs.", refused.issues) \
                from refused

    async def import_bundle(self, raw: bytes) -> tuple[Encounter, bool, dict[str, Any]]:
        """Creates the Bundle's encounter (or finds the one with its identifier) and puts its
        codes when they differ from those it has, so a Bundle sent again changes nothing.
        Answers the transaction-response Bundle."""
        bundle, request = self.read_bundle(raw)
        findings = (_schema_findings(schemas.EncounterCreate, request.encounter, request)
                    + _schema_findings(schemas.Codes, request.codes, request))
        if findings:
            raise _refused("Some elements do not hold what the encounter needs.", findings)
        body = schemas.EncounterCreate.model_validate(request.encounter)
        codes = schemas.Codes.model_validate(request.codes)
        encounter, created = await self.encounters.create(body)
        diagnoses, lines = canonical_codes(codes)
        if created or (encounter.diagnoses, encounter.service_lines) != (diagnoses, lines):
            encounter, _ = await self.encounters.put_codes(encounter.id, encounter.version, codes)
        findings = [{**found, "path": request.fhir_path(found["path"])}
                    for found in encounter.issues]
        outcome = {"resourceType": "OperationOutcome",
                   "issue": [outcome_issue(found) for found in findings] or [{
                       "severity": "information", "code": "informational",
                       "details": {"text": "The codes pass every validation rule."}}]}
        return encounter, created, transaction_response(
            bundle, encounter.id, encounter.version, created, outcome)

    async def read(self, encounter_id: str) -> tuple[Encounter, dict[str, Any]]:
        encounter = await self.encounters.get(encounter_id)
        queries = await self.encounters.queries(encounter)
        out = schemas.encounter_out(encounter, queries).model_dump(mode="json")
        return encounter, encounter_resource(out)

