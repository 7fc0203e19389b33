"""Records a patient's payments, refunds and write-offs and reads the ledger."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from billing_service.accounts.schemas import AdjustmentIn, PaymentIn, RefundIn
from billing_service.models.ledger import PatientLedgerEntry
from billing_service.patients import ledger
from billing_service.patients.service import Account, PatientService
from rcm_shared.auth import Principal
from rcm_shared.db import utcnow
from rcm_shared.issues import issue
from rcm_shared.money import ZERO, to_money
from rcm_shared.pagination import cursor_id, decode_cursor, encode_cursor
from rcm_shared.problems import ProblemError, not_found


def _invalid(rule: str, path: str, message: str) -> ProblemError:
    return ProblemError(422, "Invalid patient transaction", message, type_="validation",
                        issues=[issue(rule, path, message)])


def _positive(amount: Decimal) -> None:
    if amount <= ZERO:
        raise _invalid("amount.positive", "amount", "amount must be more than 0.00")


class AccountService:
    def __init__(self, principal: Principal, patients: PatientService) -> None:
        self.principal = principal
        self.patients = patients

    async def _known_account(self, patient_id: str) -> Account:
        """The patient's account, if the tenant knows the patient: by a coverage (a payment at
        the visit comes before any claim), a claim or money already on the account."""
        account = await self.patients.account(patient_id)
        if not (account.claims or account.patient_money
                or await self.patients.repository.has_coverage(patient_id)):
            raise not_found("patient with a coverage, claims or payments")
        return account

    async def _record(self, patient_id: str, kind: str, parts: list[tuple[str | None, Decimal]],
                      *, method: str | None = None, reference: str | None = None,
                      received_on: date | None = None, reason: str | None = None
                      ) -> list[PatientLedgerEntry]:
        transaction_id = str(uuid.uuid4())
        posted_at = utcnow()
        entries = [PatientLedgerEntry(
            patient_id=patient_id, transaction_id=transaction_id, kind=kind, claim_id=claim_id,
            amount=amount, method=method, reference=reference, received_on=received_on,
            reason=reason, created_by=self.principal.key_id, posted_at=posted_at)
            for claim_id, amount in parts]
        await self.patients.repository.add_patient_money(entries)
        return entries

    async def pay(self, patient_id: str, body: PaymentIn) -> list[PatientLedgerEntry]:
        account = await self._known_account(patient_id)
        _positive(body.amount)
        if body.applied_to:
            claims = {c.id for c in account.claims}
            for index, part in enumerate(body.applied_to):
                if part.claim_id not in claims:
                    raise _invalid("applied_to.claim", f"applied_to[{index}].claim_id",
                                   "claim_id must be one of the patient's current claims")
                if part.amount <= ZERO:
                    raise _invalid("applied_to.positive", f"applied_to[{index}].amount",
                                   "an applied amount must be more than 0.00")
            applied = [(p.claim_id, p.amount) for p in body.applied_to]
            left = to_money(body.amount - sum((p.amount for p in body.applied_to), ZERO))
            if left < ZERO:
                raise _invalid("applied_to.total", "applied_to",
                               "the amounts applied add up to more than the payment")
        else:
            spread, left = ledger.oldest_first(body.amount,
                                                list(account.owed_by_claim().items()))
            applied = [(claim_id, amount) for claim_id, amount in spread]
        parts: list[tuple[str | None, Decimal]] = [(c, -a) for c, a in applied]
        if left > ZERO:
            parts.append((None, -left))
        return await self._record(patient_id, "patient_payment", parts, method=body.method,
                                  reference=body.reference,
                                  received_on=body.received_on or utcnow().date())

    async def refund(self, patient_id: str, body: RefundIn) -> list[PatientLedgerEntry]:
        account = await self._known_account(patient_id)
        _positive(body.amount)
        credit = -ledger.balance(account.entries())
        if body.amount > credit:
            raise _invalid("refund.credit", "amount",
                           f"a refund may return at most the account's credit of "
                           f"{max(credit, ZERO)}")
        return await self._record(patient_id, "refund", [(None, body.amount)],
                                  method=body.method, reference=body.reference,
                                  received_on=utcnow().date())

    async def adjust(self, patient_id: str, body: AdjustmentIn) -> list[PatientLedgerEntry]:
        account = await self._known_account(patient_id)
        _positive(body.amount)
        owed = account.owed_by_claim()
        if body.claim_id is not None:
            if body.claim_id not in owed:
                raise _invalid("adjustment.claim", "claim_id",
                               "claim_id must be one of the patient's current claims")
            owes = owed[body.claim_id]
        else:
            owes = to_money(sum((v for v in owed.values() if v > ZERO), ZERO))
        if body.amount > owes:
            raise _invalid("adjustment.owed", "amount",
                           f"a write-off may take at most what the patient owes: {owes}")
        return await self._record(patient_id, "write_off", [(body.claim_id, -body.amount)],
                                  reason=body.reason)

    async def ledger_page(self, patient_id: str, limit: int, cursor: str | None
                          ) -> tuple[list[ledger.LedgerItem], str | None, Decimal, Account]:
        """The ledger in posting order. Entries are only ever added after the last one, so a
        position in it is a stable cursor."""
        account = await self.patients.account(patient_id)
        items = ledger.running(account.entries())
        start = decode_cursor(cursor, cursor_id)[0] if cursor else 0
        page = items[start:start + limit]
        after = start + limit
        next_cursor = encode_cursor(after) if after < len(items) else None
        return page, next_cursor, ledger.balance(account.entries()), account

    async def credits(self) -> list[tuple[str, Decimal]]:
        """Every patient whose account holds a credit (a balance below zero), and how much."""
        found = []
        for patient_id in await self.patients.repository.patients_who_paid():
            balance = ledger.balance((await self.patients.account(patient_id)).entries())
            if balance < ZERO:
                found.append((patient_id, -balance))
        return found
