"""Request and response bodies of /v1/estimates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from billing_service.estimates.breakdown import Estimate, EstimatedLine, PatientShare
from rcm_shared.dates import IsoDate
from rcm_shared.ids import ID_PATTERN, EncounterId
from rcm_shared.money import Money
from rcm_shared.schemas import RequestModel

ProcedureCode = Annotated[str, Field(pattern=r"^[A-Za-z0-9]{5}$")]
Modifier = Annotated[str, Field(pattern=r"^[A-Za-z0-9]{2}$")]


class EstimateLineIn(RequestModel):
    procedure_code: ProcedureCode
    modifiers: list[Modifier] = Field(default_factory=list, max_length=4)
    units: int = Field(default=1, ge=1, le=9999)
    charge: Money = Field(gt=Decimal(0))


class EstimateCreate(RequestModel):
    """Either services (`lines` with `date_of_service`) or a coded encounter (`encounter_id`)."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"coverage_id": "4f1c2d9e-...", "date_of_service": "2026-12-07",
         "lines": [{"procedure_code": "99213", "modifiers": [], "units": 1,
                    "charge": "150.00"}]},
        {"encounter_id": "enc-1", "coverage_id": "4f1c2d9e-..."}]})

    coverage_id: str = Field(min_length=1, max_length=64, pattern=ID_PATTERN)
    date_of_service: IsoDate | None = None
    lines: list[EstimateLineIn] | None = Field(default=None, min_length=1, max_length=50)
    encounter_id: EncounterId | None = None

    @model_validator(mode="after")
    def _one_source(self) -> Self:
        if (self.lines is None) == (self.encounter_id is None):
            raise ValueError("give either lines (with date_of_service) or encounter_id")
        if self.lines is not None and self.date_of_service is None:
            raise ValueError("date_of_service is required with lines")
        return self


class PatientOwesOut(BaseModel):
    deductible: Money
    copay: Money
    coinsurance: Money
    total: Money

    @classmethod
    def of(cls, share: PatientShare) -> PatientOwesOut:
        return cls(deductible=share.deductible, copay=share.copay,
                   coinsurance=share.coinsurance, total=share.total)


class EstimateLineOut(BaseModel):
    procedure_code: str
    allowed: Money
    payer_pays: Money
    patient_owes: PatientOwesOut
    explanation: str

    @classmethod
    def of(cls, line: EstimatedLine) -> EstimateLineOut:
        return cls(procedure_code=line.procedure_code, allowed=line.allowed,
                   payer_pays=line.payer_pays, patient_owes=PatientOwesOut.of(line.patient_owes),
                   explanation=line.explanation)


class TotalsOut(BaseModel):
    allowed: Money
    payer_pays: Money
    patient_owes: PatientOwesOut


class EstimateOut(BaseModel):
    coverage_id: str
    payer_id: str
    date_of_service: date
    lines: list[EstimateLineOut]
    totals: TotalsOut
    explanation: str

    @classmethod
    def of(cls, estimate: Estimate, *, coverage_id: str, payer_id: str,
           date_of_service: date) -> EstimateOut:
        return cls(
            coverage_id=coverage_id, payer_id=payer_id, date_of_service=date_of_service,
            lines=[EstimateLineOut.of(line) for line in estimate.lines],
            totals=TotalsOut(allowed=estimate.allowed, payer_pays=estimate.payer_pays,
                             patient_owes=PatientOwesOut.of(estimate.patient_owes)),
            explanation=estimate.explanation,
        )
