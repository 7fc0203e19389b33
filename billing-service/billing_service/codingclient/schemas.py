"""What billing reads from coding-service. Unknown fields are ignored so coding-service can
grow its responses without breaking billing."""

from __future__ import annotations

from datetime import date, datetime

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


class EncounterEvent(_Tolerant):
    """One event of GET /v1/events; a webhook delivery carries the same fields."""

    cursor: str = Field(min_length=1, max_length=512)
    type: str = Field(min_length=1, max_length=32)
    encounter_id: str = Field(min_length=1, max_length=64,
                              pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")
    coding_version: int = Field(ge=1)
    occurred_at: datetime


class EventPage(_Tolerant):
    """GET /v1/events?after=: the events after a cursor, oldest first."""

    items: list[EncounterEvent]
    next_cursor: str | None = None
