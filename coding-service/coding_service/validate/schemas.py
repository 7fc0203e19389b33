"""Request and response bodies of POST /v1/validate and POST /v1/validate/batch."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from coding_service.encounters.schemas import Codes, EncounterFields, Text100
from rcm_shared.issues import IssueOut
from rcm_shared.schemas import RequestModel

MAX_BATCH = 1000
# A batch of MAX_BATCH typical encounters (ten diagnoses, six lines) is about 1 MB of JSON;
# the other endpoints keep the service-wide limit.
MAX_BATCH_BODY_BYTES = 16 * 1024 * 1024


class ValidateRequest(EncounterFields, Codes):
    external_id: Text100 | None = None


class ValidationResult(BaseModel):
    valid: bool
    icd10cm_edition: str = Field(
        examples=["2026-04"],
        description="The ICD-10-CM edition the diagnoses were checked against: the one in force "
        "on the date of service, or the nearest loaded one when none is (an "
        "icd10cm.edition_not_loaded warning then says so)",
    )
    issues: list[IssueOut]


class BatchItem(ValidateRequest):
    id: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                         max_length=100)] | None = Field(
        None, description="The client's own id for the encounter, echoed in its result")


class BatchRequest(RequestModel):
    items: list[BatchItem] = Field(min_length=1, max_length=MAX_BATCH,
                                   description=f"1 to {MAX_BATCH} encounters")


class BatchItemResult(ValidationResult):
    index: int = Field(description="The item's position in the request, from 0")
    id: str | None = Field(description="The item's id, when it had one")


class BatchResult(BaseModel):
    items: list[BatchItemResult] = Field(description="One result per item, in request order")
    valid_count: int
    invalid_count: int
