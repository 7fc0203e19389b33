"""Request and response bodies of /v1/claims/{id}/appeals."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from billing_service.models.appeal import Appeal, AppealStatus
from rcm_shared.schemas import RequestModel


class AppealCreate(RequestModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "level": 1,
        "reason": "Line 2 is a distinct procedure, in a separate session from line 1; the "
                  "medical record documents it and the line carries modifier 59."}]})

    level: int = Field(
        ge=1, le=2, description="1 first; 2 only after the payer upheld the level 1 appeal")
    reason: str = Field(min_length=1, max_length=4000, pattern=r"\S",
                        description="Why the denial is wrong, in the biller's words: quoted "
                        "in the letter")


class AppealOut(BaseModel):
    id: str = Field(description="The appeal's id")
    claim_id: str
    level: int = Field(description="1 or 2")
    reason: str = Field(description="The biller's reason, as given")
    status: AppealStatus = Field(description="submitted, then overturned or upheld by the payer")
    letter: str = Field(description="The appeal letter sent to the payer")
    payer_reference: str = Field(description="The payer's reference of the appeal")
    submitted_by: str = Field(description="Who appealed: the API key's actor")
    submitted_at: datetime = Field(description="When it was sent to the payer (UTC)")
    decided_at: datetime | None = Field(
        description="When billing learned the payer's decision (UTC); null while submitted")
    decided_on: date | None = Field(description="The payer's day of the decision")
    decision: str | None = Field(
        description="The payer's explanation, line by line; an overturned appeal's payment "
        "follows as an 835")

    @classmethod
    def of(cls, appeal: Appeal) -> AppealOut:
        return cls(id=appeal.id, claim_id=appeal.claim_id, level=appeal.level,
                   reason=appeal.reason, status=AppealStatus(appeal.status),
                   letter=appeal.letter, payer_reference=appeal.payer_reference,
                   submitted_by=appeal.submitted_by, submitted_at=appeal.submitted_at,
                   decided_at=appeal.decided_at, decided_on=appeal.decided_on,
                   decision=appeal.decision)
