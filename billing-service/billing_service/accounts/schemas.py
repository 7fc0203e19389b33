"""Request and response bodies of a patient's payments, refunds, adjustments and ledger."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from rcm_shared.dates import IsoDate
from rcm_shared.ids import ResourceId
from rcm_shared.money import Money
from rcm_shared.schemas import RequestModel

Method = Literal["cash", "check", "card", "ach"]
Reason = Literal["small_balance", "charity", "bad_debt", "courtesy"]
LedgerKind = Literal["charge", "payer_payment", "contractual_adjustment", "patient_payment",
                     "refund", "write_off"]


class AppliedTo(RequestModel):
    claim_id: ResourceId
    amount: Money = Field(description="The part of the payment applied to this claim")


class PaymentIn(RequestModel):
    amount: Money = Field(description="What the patient paid, more than 0.00")
    method: Method = Field(description="How the money was paid: cash, check, card or ach")
    reference: str | None = Field(default=None, max_length=50,
                                  description="The check number or the card's receipt")
    received_on: IsoDate | None = Field(default=None,
                                        description="The day it was received; today if left out")
    applied_to: list[AppliedTo] = Field(
        default_factory=list, max_length=50,
        description="The claims to apply the payment to; left out, the oldest open patient "
                    "balances first. What is not applied stays on the account as a credit")


class RefundIn(RequestModel):
    amount: Money = Field(description="What is returned to the patient: at most the "
                          "account's credit")
    method: Method = Field(description="How the money is returned: cash, check, card or ach")
    reference: str | None = Field(default=None, max_length=50,
                                  description="The refund check's number or the card's receipt")


class AdjustmentIn(RequestModel):
    amount: Money = Field(description="What is written off: at most what the patient owes")
    reason: Reason
    claim_id: ResourceId | None = Field(default=None,
                                        description="The claim whose patient share is written off")


class AppliedOut(BaseModel):
    claim_id: str
    amount: Money = Field(description="The part of the transaction on this claim")


class TransactionOut(BaseModel):
    id: str = Field(description="The transaction's id, shared by its ledger entries")
    patient_id: str
    kind: Literal["patient_payment", "refund", "write_off"] = Field(
        description="A payment, a refund or a write-off (POST .../adjustments)")
    amount: Money = Field(description="The transaction's whole amount")
    method: Method | None = Field(description="How the money moved; none for a write-off")
    reference: str | None = Field(description="The check number or receipt given")
    received_on: date | None = Field(description="The day the money was received or returned")
    reason: Reason | None
    applied_to: list[AppliedOut] = Field(description="The claims the transaction is on")
    unapplied: Money = Field(description="What no claim took: a credit on the account")
    posted_at: datetime = Field(description="When it was recorded on the ledger")


class LedgerItemOut(BaseModel):
    id: str
    posted_at: datetime = Field(description="When the entry was posted: a claim's charge when "
                                "the claim was built, a payer's entries when its remittance "
                                "was posted")
    kind: LedgerKind = Field(description="charge, payer_payment, contractual_adjustment (every "
                             "payer adjustment but the patient's share), patient_payment, "
                             "refund or write_off")
    claim_id: str | None
    amount: Money = Field(description="Signed: a charge or refund raises the balance, a "
                          "payment, adjustment or write-off lowers it")
    balance: Money = Field(description="The account's balance after this entry")


class LedgerOut(BaseModel):
    items: list[LedgerItemOut]
    next_cursor: str | None
    balance: Money = Field(description="The account's balance after every entry: equals the "
                           "statement's totals.balance")
