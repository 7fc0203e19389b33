"""What the rule engine reads and what it answers with: plain frozen values, no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Issue:
    rule: str
    severity: str  # "error" blocks finalization, "warning" does not
    path: str  # JSON path into the request body, e.g. "$.diagnoses[1].code"
    message: str

    def to_dict(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "path": self.path,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class EncounterFacts:
    patient_birth_date: date
    patient_sex: str  # F | M | U
    date_of_service: date
    place_of_service: str
    rendering_provider_npi: str
    billing_provider_npi: str


@dataclass(frozen=True, slots=True)
class ServiceLine:
    procedure_code: str
    modifiers: tuple[str, ...]
    units: int
    charge: Decimal
    diagnosis_pointers: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class PtpEdit:
    """An NCCI procedure-to-procedure edit in effect on the date of service."""

    column1: str
    column2: str
    modifier_indicator: str  # "0" not allowed, "1" allowed with a bypass modifier, "9" n/a
    rationale: str


@dataclass(frozen=True, slots=True)
class MueEdit:
    """A Medically Unlikely Edit: the most units of a code a practitioner reports per day."""

    code: str
    mue_value: int
    adjudication_indicator: int  # 1 line edit, 2 date-of-service policy, 3 date-of-service clinical
    rationale: str


@dataclass(frozen=True, slots=True)
class NcciEdits:
    """The NCCI edits that apply to one encounter's procedure codes on its date of service."""

    ptp: tuple[PtpEdit, ...] = ()
    mue: Mapping[str, MueEdit] = field(default_factory=dict)
