"""What the mock clearinghouse answers and accepts over HTTP. Amounts travel as decimal
strings (the payer directory's plans)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from billing_service.payers.adapter import (
    AppealRequest,
    ClaimLineForPayer,
    EstimateRequest,
    PayerInfo,
)
from rcm_shared.money import Money
from rcm_shared.schemas import RequestModel

# A file id is the interchange control number (ISA13): nine digits.
FileId = Annotated[str, Field(pattern=r"^[0-9]{1,9}$")]


class ReceiptOut(BaseModel):
    interchange_control_number: str
    received: bool


class FileOut(BaseModel):
    """A 277CA or 835 for the account; `file_id` acknowledges it."""

    file_id: str
    content: str


class FileList(BaseModel):
    items: list[FileOut]


class AcknowledgmentIn(RequestModel):
    file_ids: list[FileId] = Field(min_length=1, max_length=10_000)


class PayerList(BaseModel):
    items: list[PayerInfo]


class EstimateLineIn(RequestModel):
    procedure_code: str = Field(pattern=r"^[A-Z0-9]{5}$")
    modifiers: list[Annotated[str, Field(pattern=r"^[A-Z0-9]{2}$")]] = Field(
        default_factory=list, max_length=4)
    units: int = Field(ge=1, le=9999)
    charge: Money = Field(gt=Decimal(0))
    date_of_service: date | None = None


class EstimateIn(RequestModel):
    """Services about to be given, priced as the payer would price them today."""

    payer_id: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9-]+$")
    plan_code: str | None = Field(default=None, min_length=1, max_length=32)
    member_id: str = Field(min_length=1, max_length=40)
    date_of_service: date
    lines: list[EstimateLineIn] = Field(min_length=1, max_length=50)

    def request(self) -> EstimateRequest:
        return EstimateRequest(
            payer_id=self.payer_id, plan_code=self.plan_code, member_id=self.member_id,
            date_of_service=self.date_of_service,
            lines=tuple(
                ClaimLineForPayer(
                    line_number=number, procedure_code=line.procedure_code,
                    modifiers=tuple(line.modifiers), units=line.units, charge=line.charge,
                    diagnosis_pointers=(1,),
                    date_of_service=line.date_of_service or self.date_of_service)
                for number, line in enumerate(self.lines, start=1)),
        )


class AppealIn(RequestModel):
    """A provider's appeal of a claim the payer adjudicated."""

    appeal_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9-]+$",
                           description="The sender's id of the appeal: sent again, it is "
                           "recorded once")
    payer_id: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9-]+$")
    payer_claim_control_number: str = Field(min_length=1, max_length=50)
    patient_control_number: str = Field(min_length=1, max_length=38)
    level: int = Field(ge=1, le=2)
    letter: str = Field(min_length=1, max_length=20_000)

    def request(self) -> AppealRequest:
        return AppealRequest(
            appeal_id=self.appeal_id, payer_id=self.payer_id,
            payer_claim_control_number=self.payer_claim_control_number,
            patient_control_number=self.patient_control_number, level=self.level,
            letter=self.letter)


class AppealReceiptOut(BaseModel):
    reference: str = Field(description="The payer's reference of the appeal")


class AppealDecisionOut(BaseModel):
    reference: str = Field(description="The payer's reference of the appeal")
    status: Literal["received", "overturned", "upheld"]
    decided_on: date | None = Field(description="The payer's business day of the decision")
    explanation: str | None = Field(description="Why, line by line")
