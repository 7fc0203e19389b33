"""What billing reads from coding-service. Unknown fields are ignored so coding-service can
grow its responses without breaking billing."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from rcm_shared.money import Money


class _Tolerant(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class PatientFacts(_Tolerant):
    id: str
    first_name: str
    last_name: str
    birth_date: date
    sex: str


class CodedDiagnosis(_Tolerant):
    code: str


class CodedServiceLine(_Tolerant):
    procedure_code: str
    modifiers: list[str] = Field(default_factory=list)
    units: int
    charge: Money
    diagnosis_pointers: list[int] = Field(default_factory=list)


class EncounterSummary(_Tolerant):
    """GET /v1/encounters/{id}: where the encounter is in coding."""

    id: str
    status: str
    coding_version: int


class CodedEncounter(_Tolerant):
    """GET /v1/encounters/{id}/coding-versions/{n}: the frozen codes and the encounter facts."""

    encounter_id: str
    coding_version: int
    external_id: str | None = None
    patient: PatientFacts
    date_of_service: date
    place_of_service: str
    rendering_provider_npi: str
    billing_provider_npi: str
    diagnoses: list[CodedDiagnosis]
    service_lines: list[CodedServiceLine]
