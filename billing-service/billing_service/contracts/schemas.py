"""Request and response bodies of /v1/payers/{payer_id}/contract. The request is read by
billing_service.contracts.rates (JSON or CSV alike); ContractIn documents its JSON form."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from billing_service.models.contract import PayerContractRate
from rcm_shared.money import Money
from rcm_shared.schemas import RequestModel


class RateIn(RequestModel):
    procedure_code: str = Field(description="CPT or HCPCS Level II code, 5 characters")
    modifier: str | None = Field(
        default=None, description="A modifier (2 letters or digits) the rate is for; null or "
        "empty for the code's own rate, which prices the code under any modifier the contract "
        "does not list, or none")
    allowed: Money = Field(description="The contracted allowed amount per unit, more than 0.00 "
                           "with at most two decimal places")


class ContractIn(RequestModel):
    rates: list[RateIn] = Field(
        description="Every rate of the contract, one per code and modifier; at most 10,000")


class RateOut(BaseModel):
    procedure_code: str = Field(description="CPT or HCPCS Level II code")
    modifier: str | None = Field(description="The modifier the rate is for; null for the "
                                 "code's own rate")
    allowed: Money = Field(description="The contracted allowed amount per unit")


class ContractOut(BaseModel):
    payer_id: str
    loaded_at: datetime = Field(description="When this contract was loaded (UTC): postings "
                                "from then on are compared with it")
    rates: list[RateOut] = Field(description="Every rate, by code, the code's own rate before "
                                 "its modifiers'")

    @classmethod
    def of(cls, payer_id: str, rows: list[PayerContractRate]) -> ContractOut:
        return cls(payer_id=payer_id, loaded_at=rows[0].loaded_at,
                   rates=[RateOut(procedure_code=row.procedure_code,
                                  modifier=row.modifier or None, allowed=row.allowed)
                          for row in rows])
