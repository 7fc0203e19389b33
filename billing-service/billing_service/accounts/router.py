"""/v1/patients/{patient_id}/payments, /refunds, /adjustments and /ledger: the patient's
account, every change to it a new entry."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, status

from billing_service.accounts.examples import (
    PATIENT_LEDGER,
    RECORD_ADJUSTMENT,
    RECORD_PAYMENT,
    RECORD_REFUND,
)
from billing_service.accounts.schemas import (
    AdjustmentIn,
    AppliedOut,
    LedgerItemOut,
    LedgerOut,
    PaymentIn,
    RefundIn,
    TransactionOut,
)
from billing_service.dependencies import AccountReader, AccountWriter, Idempotent, audit_trail
from billing_service.models.ledger import PatientLedgerEntry
from rcm_shared.audit import AuditRecord
from rcm_shared.ids import PatientId
from rcm_shared.money import ZERO, to_money
from rcm_shared.openapi import examples
from rcm_shared.pagination import DEFAULT_LIMIT, CursorParam, LimitParam
from rcm_shared.problems import not_found
from rcm_shared.routing import api_router

router = api_router("/v1/patients", "patient accounts")
Audit = Annotated[AuditRecord, Depends(audit_trail.recorder("patient_account"))]


def _transaction(entries: list[PatientLedgerEntry]) -> TransactionOut:
    first = entries[0]
    return TransactionOut(
        id=first.transaction_id, patient_id=first.patient_id, kind=first.kind,  # type: ignore[arg-type]
        amount=to_money(sum((abs(e.amount) for e in entries), ZERO)),
        method=first.method, reference=first.reference,  # type: ignore[arg-type]
        received_on=first.received_on, reason=first.reason,  # type: ignore[arg-type]
        applied_to=[AppliedOut(claim_id=e.claim_id, amount=abs(e.amount))
                    for e in entries if e.claim_id is not None],
        unapplied=to_money(sum((abs(e.amount) for e in entries if e.claim_id is None
                                and e.kind == "patient_payment"), ZERO)),
        posted_at=first.posted_at,
    )


@router.post("/{patient_id}/payments", status_code=status.HTTP_201_CREATED,
             response_model=TransactionOut, summary="Record a patient's payment",
             openapi_extra=examples(*RECORD_PAYMENT))
async def record_payment(patient_id: PatientId, body: PaymentIn, accounts: AccountWriter,
                         idempotency: Idempotent, audit: Audit) -> TransactionOut:
    """Records money the patient paid (cash, check, card or ACH), at the visit before any
    claim or later. It is applied to the claims `applied_to` names, or else to the oldest open
    patient balances first; what no claim takes stays on the account as a credit."""
    transaction = _transaction(await accounts.pay(patient_id, body))
    audit("payment", transaction.id)
    return transaction


@router.post("/{patient_id}/refunds", status_code=status.HTTP_201_CREATED,
             response_model=TransactionOut, summary="Refund a patient's credit",
             openapi_extra=examples(*RECORD_REFUND))
async def record_refund(patient_id: PatientId, body: RefundIn, accounts: AccountWriter,
                        idempotency: Idempotent, audit: Audit) -> TransactionOut:
    """Returns money to the patient, at most the account's credit balance."""
    transaction = _transaction(await accounts.refund(patient_id, body))
    audit("refund", transaction.id)
    return transaction


@router.post("/{patient_id}/adjustments", status_code=status.HTTP_201_CREATED,
             response_model=TransactionOut, summary="Write off part of a patient's balance",
             openapi_extra=examples(*RECORD_ADJUSTMENT))
async def record_adjustment(patient_id: PatientId, body: AdjustmentIn, accounts: AccountWriter,
                            idempotency: Idempotent, audit: Audit) -> TransactionOut:
    """Writes off what the patient owes (a small balance, charity, bad debt or a courtesy),
    on one claim or the account, at most what is owed."""
    transaction = _transaction(await accounts.adjust(patient_id, body))
    audit("adjustment", transaction.id)
    return transaction


@router.get("/{patient_id}/ledger", response_model=LedgerOut,
            summary="Every charge, payment, adjustment and refund with the running balance",
            openapi_extra=examples(*PATIENT_LEDGER))
async def patient_ledger(patient_id: PatientId, accounts: AccountReader, audit: Audit,
                         limit: LimitParam = DEFAULT_LIMIT,
                         cursor: CursorParam = None) -> LedgerOut:
    """The account in posting order: each charge (+), payer payment, contractual adjustment,
    patient payment (-), refund (+) and write-off (-), each with the balance after it; paged
    with `limit` and `cursor`. `balance` is the whole account's, as the statement totals it."""
    audit("ledger", patient_id)
    items, next_cursor, balance, account = await accounts.ledger_page(patient_id, limit, cursor)
    if not account.claims and not account.patient_money:
        raise not_found("patient with claims or payments")
    return LedgerOut(items=[LedgerItemOut(id=i.id, posted_at=i.posted_at, kind=i.kind,  # type: ignore[arg-type]
                                          claim_id=i.claim_id, amount=i.amount,
                                          balance=i.balance) for i in items],
                     next_cursor=next_cursor, balance=balance)
