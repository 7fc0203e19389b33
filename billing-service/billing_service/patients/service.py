"""Gathers a patient's current claims, their posted remittances and the patient's own money
into a statement and a ledger."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from billing_service.models.claim import Claim, RemittancePosting
from billing_service.models.ledger import PatientLedgerEntry
from billing_service.patients import ledger
from billing_service.patients.repository import PatientRepository
from billing_service.patients.schemas import (
    AgingOut,
    ExplanationOut,
    StatementClaimOut,
    StatementOut,
    StatementTotals,
)
from billing_service.patients.statement import (
    PENDING,
    ClaimFacts,
    PostedAdjustment,
    StatementClaim,
    dollars,
    statement_claim,
)
from billing_service.payers.service import PayerService
from billing_service.worklist.aging import BUCKETS
from rcm_shared.auth import Principal
from rcm_shared.db import utcnow
from rcm_shared.money import ZERO, to_money
from rcm_shared.problems import not_found


def _sum(values: list[Decimal]) -> Decimal:
    return to_money(sum(values, ZERO))


def _bucket(date_of_service: date, today: date) -> str:
    days = (today - date_of_service).days
    for label, _, last in BUCKETS:
        if last is None or days <= last:
            return label
    raise AssertionError("the last bucket is open-ended")


@dataclass(frozen=True, slots=True)
class Account:
    """Everything a patient's money is read from."""

    claims: list[Claim]
    items: list[StatementClaim]
    posted: dict[str, list[ledger.PostedMoney]]
    patient_money: list[PatientLedgerEntry]

    def entries(self) -> list[ledger.Entry]:
        """Every ledger entry: a visit's charge once (on its first payer's claim), each payer's
        payments and adjustments as the statement counts them (none while the payer has not
        decided), and the patient's own money."""
        entries = [ledger.charge(c.id, c.created_at, c.total_charge)
                   for c in self.claims if c.prior_claim_id is None]
        passed_on = {c.prior_claim_id for c in self.claims if c.prior_claim_id}
        for item in self.items:
            if item.status not in PENDING:
                entries += [e for posting in self.posted.get(item.claim_id, [])
                            for e in ledger.payer_entries(
                                posting, passed_on=item.claim_id in passed_on)]
        return entries + self.money_entries()

    def money_entries(self) -> list[ledger.Entry]:
        return [ledger.Entry(f"patient-{m.id}", m.posted_at, m.kind, m.claim_id, m.amount)
                for m in self.patient_money]

    def owed_by_claim(self) -> dict[str, Decimal]:
        """What the patient still owes on each claim, oldest visit first."""
        return ledger.open_balances({i.claim_id: i.you_owe for i in self.items},
                                    self.money_entries())

    def paid_by_kind(self, kind: str) -> Decimal:
        return _sum([abs(m.amount) for m in self.patient_money if m.kind == kind])


class PatientService:
    def __init__(self, session: AsyncSession, principal: Principal, payers: PayerService) -> None:
        self.payers = payers
        self.repository = PatientRepository(session, principal.tenant_id)

    async def account(self, patient_id: str) -> Account:
        claims = await self.repository.current_claims(patient_id)
        by_claim: dict[str, list[RemittancePosting]] = defaultdict(list)
        for posting in await self.repository.postings([c.id for c in claims]):
            by_claim[posting.claim_id].append(posting)
        coinsurance: dict[str, Decimal | None] = {}
        for coverage in await self.repository.coverages({c.coverage_id for c in claims}):
            plan = await self.payers.plan(coverage.payer_id, coverage.plan_code)
            coinsurance[coverage.id] = plan.coinsurance_percent if plan is not None else None

        # Each payer of a visit has its own claim: the patient owes what the last one leaves.
        next_payer = {c.prior_claim_id: c.payer_id for c in claims if c.prior_claim_id}
        items = []
        for claim in claims:
            posted = by_claim.get(claim.id, [])
            items.append(statement_claim(ClaimFacts(
                claim_id=claim.id,
                date_of_service=claim.date_of_service,
                payer_id=claim.payer_id,
                status=claim.status,
                billed=claim.total_charge,
                allowed=_sum([line.allowed for p in posted for line in p.lines]),
                insurance_paid=_sum([p.paid for p in posted]),
                adjustments=[PostedAdjustment(a.group_code, a.carc, a.amount)
                             for p in posted for a in p.adjustments],
                coinsurance_percent=coinsurance.get(claim.coverage_id),
                payer_sequence=claim.payer_sequence,
                next_payer_id=next_payer.get(claim.id),
            )))
        posted_money = {claim_id: [ledger.PostedMoney(
            p.id, p.claim_id, p.posted_at, p.paid,
            [(a.group_code, a.carc, a.amount) for a in p.adjustments]) for p in postings]
            for claim_id, postings in by_claim.items()}
        return Account(claims, items, posted_money,
                       await self.repository.patient_money(patient_id))

    async def statement(self, patient_id: str) -> StatementOut:
        account = await self.account(patient_id)
        if not account.claims and not account.patient_money:
            raise not_found("patient with claims or payments")
        items = account.items
        first_payers = {c.id for c in account.claims if c.prior_claim_id is None}
        you_owe = _sum([i.you_owe for i in items])
        payments = account.paid_by_kind("patient_payment")
        refunds = account.paid_by_kind("refund")
        write_offs = account.paid_by_kind("write_off")
        still_owed = to_money(you_owe - payments + refunds - write_offs)
        balance = ledger.balance(account.entries())
        owed_by_claim = account.owed_by_claim()
        today = utcnow().date()
        aged: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for item in items:
            if owed_by_claim[item.claim_id] > ZERO:
                aged[_bucket(item.date_of_service, today)] += owed_by_claim[item.claim_id]
        totals = StatementTotals(
            # A visit's charge counts once, however many insurers were billed for it.
            billed=_sum([i.billed for i in items if i.claim_id in first_payers]),
            insurance_paid=_sum([i.insurance_paid for i in items]),
            plan_discount=_sum([i.plan_discount for i in items]),
            you_owe=you_owe,
            payments=payments,
            refunds=refunds,
            write_offs=write_offs,
            still_owed=still_owed,
            # What the insurers have not decided yet: the rest of the account's balance.
            awaiting_insurance=to_money(balance - still_owed),
            balance=balance,
        )
        visits = "visit" if len(items) == 1 else "visits"
        summary = f"You owe {dollars(you_owe)} for {len(items)} {visits}."
        if account.patient_money:
            summary = (f"Your share is {dollars(you_owe)} for {len(items)} {visits}. "
                       f"You paid {dollars(payments)}")
            summary += (f", were refunded {dollars(refunds)}" if refunds else "")
            summary += (f" and {dollars(write_offs)} was written off" if write_offs else "")
            summary += (f". You owe {dollars(still_owed)}." if still_owed >= ZERO else
                        f". You have a credit of {dollars(-still_owed)}, which we will refund.")
        return StatementOut(
            patient_id=patient_id,
            generated_at=utcnow(),
            claims=[
                StatementClaimOut(**{**asdict(i), "explanation": [
                    ExplanationOut(**asdict(e)) for e in i.explanation]},
                    still_owed=owed_by_claim[i.claim_id])
                for i in items
            ],
            totals=totals,
            aging=[AgingOut(bucket=label, amount=to_money(aged.get(label, ZERO)))
                   for label, _, _ in BUCKETS],
            summary=summary,
        )
