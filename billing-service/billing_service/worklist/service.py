"""What needs a biller now, with the reason and the next step, and the A/R aging."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from billing_service.appeals.letter import APPEALABLE
from billing_service.claims.denials import DenialCategory
from billing_service.claims.timely_filing import days_left
from billing_service.models.appeal import Appeal, AppealStatus
from billing_service.models.claim import Claim, ClaimEvent, ClaimStatus
from billing_service.models.claim_status import ClaimStatusInquiry
from billing_service.worklist.aging import buckets as aging_buckets
from billing_service.worklist.repository import UNDERPAID_STATUSES, WorklistRepository
from billing_service.worklist.schemas import (
    Aging,
    AgingBucket,
    AppealItem,
    CreditItem,
    DenialCount,
    PayerUnderpayments,
    StatusInquiryItem,
    Underpayments,
    WorkItem,
    WorkKind,
    WorklistOut,
)
from billing_service.x12.status import CATEGORIES, STATUS_CODES
from rcm_shared.auth import Principal
from rcm_shared.db import utcnow
from rcm_shared.money import ZERO, to_money

AGING_BASIS = (
    "days since the date of service; balance = billed minus posted payments and adjustments"
)
NEXT_STEP = {
    "rejected": "Fix what the payer reported (often the coverage: PATCH /v1/coverages/{id}), "
                "then POST /v1/claims/{id}/resubmit.",
    "denied": "Review the denial reason; if the coding was wrong, finalize a corrected coding "
              "version and POST /v1/claims/{id}/corrections, otherwise appeal it "
              "(POST /v1/claims/{id}/appeals).",
    "unanswered": "Ask the payer for the claim's status; resend only if it never arrived.",
    "underpaid": "Compare each line's allowed and expected amounts (GET "
                 "/v1/claims/{id}/remittance), then ask the payer to reprocess the claim at "
                 "the contracted rates or appeal the underpayment.",
}


# The patients whose account holds a credit, and how much; given by the accounts package,
# which reads a patient's ledger.
CreditFinder = Callable[[], Awaitable[list[tuple[str, Decimal]]]]
REFUND_STEP = "Refund the credit: POST /v1/patients/{id}/refunds."


async def no_credits() -> list[tuple[str, Decimal]]:
    return []


def _item(claim: Claim, kind: WorkKind, since: datetime, now: datetime, reason: str,
          event: ClaimEvent | None) -> WorkItem:
    return WorkItem(
        claim_id=claim.id, kind=kind, status=ClaimStatus(claim.status), payer_id=claim.payer_id,
        patient_id=claim.patient_id, date_of_service=claim.date_of_service,
        total_charge=claim.total_charge, since=since, days_waiting=(now - since).days,
        reason=reason, next_step=NEXT_STEP[kind].replace("{id}", claim.id),
        carc=list(event.carc) if event else [], rarc=list(event.rarc) if event else [],
        denial_categories=list(dict.fromkeys(
            DenialCategory(denial["category"]) for denial in claim.denials)),
        timely_filing_days_left=days_left(claim.timely_filing_days, claim.date_of_service,
                                          ClaimStatus(claim.status), now.date()),
    )


def _denial_counts(counted: dict[str, tuple[int, int]]) -> list[DenialCount]:
    """Every category in the enum's order, none counted as 0."""
    return [DenialCount(category=each, claims=counted.get(each.value, (0, 0))[0],
                        denials=counted.get(each.value, (0, 0))[1]) for each in DenialCategory]


def _answer(inquiry: ClaimStatusInquiry | None) -> StatusInquiryItem | None:
    if inquiry is None:
        return None
    category = CATEGORIES.get(inquiry.category, "see the payer's 277")
    code = STATUS_CODES.get(inquiry.status_code, "see the payer's 277")
    return StatusInquiryItem(
        inquiry_id=inquiry.id, category=inquiry.category, status_code=inquiry.status_code,
        description=f"The payer says the claim is {category} ({code}).",
        checked_at=inquiry.checked_at, sent_by=inquiry.sent_by)


def _appeal(appeal: Appeal | None) -> dict[str, Any]:
    """The item's appeal, and while the payer has not decided it, the next step is to wait."""
    if appeal is None:
        return {}
    found: dict[str, Any] = {"appeal": AppealItem(
        appeal_id=appeal.id, level=appeal.level, status=AppealStatus(appeal.status),
        submitted_at=appeal.submitted_at, decided_at=appeal.decided_at)}
    if appeal.status == AppealStatus.SUBMITTED:
        found["next_step"] = (f"Wait for the payer's decision on the level {appeal.level} "
                              f"appeal (GET /v1/claims/{appeal.claim_id}/appeals).")
    return found


def _underpayments(claims: list[tuple[str, Decimal]]) -> Underpayments:
    per_payer: dict[str, list[Decimal]] = {}
    for payer_id, amount in claims:
        per_payer.setdefault(payer_id, []).append(amount)
    payers = [PayerUnderpayments(payer_id=payer_id, claims=len(amounts),
                                 underpaid=to_money(sum(amounts, ZERO)))
              for payer_id, amounts in sorted(per_payer.items())]
    return Underpayments(payers=payers,
                         total=to_money(sum((p.underpaid for p in payers), ZERO)))


class WorklistService:
    """`unanswered_days`: how long a submitted claim may wait for the payer before it needs
    a biller. `credits`: finds the patients owed a refund."""

    def __init__(self, session: AsyncSession, principal: Principal, unanswered_days: int,
                 credits: CreditFinder = no_credits) -> None:
        self.unanswered_days = unanswered_days
        self.credits = credits
        self.repository = WorklistRepository(session, principal.tenant_id)

    async def page(self, *, limit: int, cursor: str | None) -> WorklistOut:
        """One page of the claims needing work; the aging always covers every open claim."""
        now = utcnow()
        unanswered_before = now - timedelta(days=self.unanswered_days)
        listed = await self.repository.needing_work(unanswered_before, cursor=cursor,
                                                    limit=limit)
        adjudications = await self.repository.last_adjudications(
            [c.id for c in listed.rows if c.status == "denied"]
        )
        inquiries = await self.repository.last_status_inquiries([c.id for c in listed.rows])
        items = []
        for claim in listed.rows:
            if claim.status == "rejected":
                errors = "; ".join(f"{e['code']} {e['message']}" for e in claim.payer_errors)
                items.append(_item(claim, "rejected", claim.updated_at, now,
                                   f"Rejected by the payer: {errors or 'no reason given'}", None))
            elif claim.status in UNDERPAID_STATUSES:
                item = _item(claim, "underpaid", claim.updated_at, now,
                             f"Allowed {claim.underpaid_amount} less than the contract with "
                             f"{claim.payer_id}", None)
                items.append(item.model_copy(update={"underpaid": claim.underpaid_amount}))
            elif claim.status == "denied":
                event = adjudications.get(claim.id)
                reason = event.reason if event and event.reason else "Denied by the payer"
                items.append(_item(claim, "denied", claim.updated_at, now, reason, event))
            else:
                sent = claim.last_submitted_at or claim.updated_at
                items.append(_item(
                    claim, "unanswered", sent, now,
                    f"No {'adjudication' if claim.status == 'accepted' else 'acknowledgment'} "
                    f"{(now - sent).days} days after submission", None,
                ))

        appeals = await self.repository.last_appeals(
            [c.id for c in listed.rows if c.status in APPEALABLE])
        items = [item.model_copy(update={"status_inquiry": _answer(inquiries.get(item.claim_id)),
                                         **_appeal(appeals.get(item.claim_id))})
                 for item in items]
        buckets = aging_buckets(await self.repository.aging(now.date()))
        return WorklistOut(
            items=items,
            next_cursor=listed.next_cursor,
            unanswered_after_days=self.unanswered_days,
            aging=Aging(
                as_of=now.date(), basis=AGING_BASIS,
                buckets=[AgingBucket(label=b.label, count=b.count, amount=b.amount)
                         for b in buckets],
                total_count=sum(b.count for b in buckets),
                total_amount=to_money(sum((b.amount for b in buckets), ZERO)),
            ),
            denials=_denial_counts(await self.repository.denial_counts()),
            credits=[CreditItem(patient_id=patient_id, credit=credit,
                                next_step=REFUND_STEP.replace("{id}", patient_id))
                     for patient_id, credit in await self.credits()],
            underpayments=_underpayments(await self.repository.underpaid()),
        )
