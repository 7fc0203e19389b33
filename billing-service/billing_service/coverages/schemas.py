"""Request and response bodies of /v1/coverages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from billing_service.models.claim import PayerSequence
from billing_service.models.coverage import Coverage
from billing_service.models.eligibility import EligibilityCheck
from billing_service.payers.schemas import PayerId
from billing_service.x12.eligibility import EligibilityStatus
from rcm_shared.address import Address
from rcm_shared.dates import IsoDate
from rcm_shared.ids import ID_PATTERN, PatientId
from rcm_shared.schemas import RequestModel

Relationship = Literal["self", "spouse", "child", "other"]
Sex = Literal["F", "M", "U"]


class Person(RequestModel):
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    birth_date: IsoDate
    sex: Sex
    # Required when the relationship is not self (a rule: coverage.subscriber_address).
    address: Address | None = None


def _check_window(effective_to: date | None, info: ValidationInfo) -> date | None:
    effective_from = info.data.get("effective_from")
    if effective_to is not None and effective_from is not None and effective_to < effective_from:
        raise ValueError("effective_to must not be before effective_from")
    return effective_to


class CoverageCreate(RequestModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{
            "patient_id": "MRN-77", "payer_id": "MOCK-PPO", "member_id": "W123456789",
            "group_number": "G-100", "relationship": "self",
            "subscriber": {"first_name": "Ana", "last_name": "Silva",
                           "birth_date": "1985-04-12", "sex": "F"},
            "effective_from": "2026-01-01", "effective_to": None, "priority": "primary",
        }]},
    )

    patient_id: PatientId
    payer_id: PayerId
    plan_code: str | None = Field(default=None, min_length=1, max_length=32, pattern=ID_PATTERN)
    member_id: str = Field(min_length=1, max_length=40, pattern=ID_PATTERN)
    group_number: str | None = Field(default=None, min_length=1, max_length=40)
    relationship: Relationship
    subscriber: Person
    effective_from: IsoDate
    effective_to: IsoDate | None = None
    # Which of the patient's payers this is: claims go to the primary first.
    priority: PayerSequence = PayerSequence.PRIMARY

    _window = field_validator("effective_to")(_check_window)


class CoveragePatch(RequestModel):
    """Fields to change; a field left out keeps its value, `effective_to: null` opens the end."""

    plan_code: str | None = Field(default=None, min_length=1, max_length=32, pattern=ID_PATTERN)
    member_id: str | None = Field(default=None, min_length=1, max_length=40, pattern=ID_PATTERN)
    group_number: str | None = Field(default=None, min_length=1, max_length=40)
    relationship: Relationship | None = None
    subscriber: Person | None = None
    effective_from: IsoDate | None = None
    effective_to: IsoDate | None = None
    priority: PayerSequence | None = None

    _window = field_validator("effective_to")(_check_window)


class LastEligibilityCheckOut(BaseModel):
    """A coverage's latest eligibility check, in short; GET /v1/eligibility-checks/{id}
    gives the rest."""

    id: str
    status: EligibilityStatus
    date_of_service: date
    checked_at: datetime

    @classmethod
    def of(cls, check: EligibilityCheck) -> LastEligibilityCheckOut:
        return cls(id=check.id, status=check.status,  # type: ignore[arg-type]
                   date_of_service=check.date_of_service, checked_at=check.checked_at)


class CoverageOut(BaseModel):
    id: str
    patient_id: str
    payer_id: str
    plan_code: str | None
    member_id: str
    group_number: str | None
    relationship: Relationship
    subscriber: Person
    effective_from: date
    effective_to: date | None
    priority: PayerSequence
    version: int
    created_at: datetime
    updated_at: datetime
    last_eligibility_check: LastEligibilityCheckOut | None = Field(
        default=None, description="The latest eligibility check of this coverage, if any")

    @classmethod
    def of(cls, coverage: Coverage, last_check: EligibilityCheck | None = None) -> CoverageOut:
        return cls(
            id=coverage.id,
            patient_id=coverage.patient_id,
            payer_id=coverage.payer_id,
            plan_code=coverage.plan_code,
            member_id=coverage.member_id,
            group_number=coverage.group_number,
            relationship=coverage.relationship,  # type: ignore[arg-type]
            subscriber=Person(
                first_name=coverage.subscriber_first_name,
                last_name=coverage.subscriber_last_name,
                birth_date=coverage.subscriber_birth_date,
                sex=coverage.subscriber_sex,  # type: ignore[arg-type]
                address=(Address.model_validate(coverage.subscriber_address)
                         if coverage.subscriber_address is not None else None),
            ),
            effective_from=coverage.effective_from,
            effective_to=coverage.effective_to,
            priority=PayerSequence(coverage.priority),
            version=coverage.version,
            created_at=coverage.created_at,
            updated_at=coverage.updated_at,
            last_eligibility_check=None if last_check is None
            else LastEligibilityCheckOut.of(last_check),
        )
