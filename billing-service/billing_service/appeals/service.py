"""Appeals: a letter written from a denied claim, sent to its payer through the payer adapter,
and the payer's decision, which the payer worker asks for until it comes. An overturned
appeal's payment arrives as an 835 and is posted like any other: the claim follows it."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from billing_service.appeals.letter import (
    EarlierAppeal,
    LetterFacts,
    LetterLine,
    refusal,
    write_letter,
)
from billing_service.appeals.repository import AppealRepository, OpenAppealRepository
from billing_service.appeals.schemas import AppealCreate
from billing_service.claims.repository import ClaimRepository
from billing_service.claims.transitions import SYSTEM_ACTOR
from billing_service.models.appeal import Appeal, AppealStatus, new_id
from billing_service.models.claim import Claim
from billing_service.payers.adapter import (
    PAYER,
    AppealDecision,
    AppealRequest,
    PayerAdapter,
    PayerRefused,
    PayerUnavailable,
)
from billing_service.payers.service import PayerService, payer_unavailable
from rcm_shared.db import utcnow
from rcm_shared.pagination import Slice
from rcm_shared.problems import ProblemError, conflict, not_found

logger = logging.getLogger("billing.appeals")
# Appeals the payer worker asks about in one round, oldest first.
WORKER_BATCH = 100
APPEAL_RULE = "appeal.not_allowed"


class AppealService:
    def __init__(self, session: AsyncSession, tenant_id: str, *, payers: PayerService,
                 actor: str) -> None:
        self.payers = payers
        self.actor = actor
        self.tenant_id = tenant_id
        self.repository = AppealRepository(session, tenant_id)
        self.claims = ClaimRepository(session, tenant_id)

    async def create(self, claim_id: str, body: AppealCreate) -> Appeal:
        """Write the letter, send it to the payer and keep the appeal `submitted`; 409 when
        the claim cannot be appealed now, 503 when the payer did not answer (nothing kept)."""
        claim = await self.claims.get(claim_id, for_update=True)
        if claim is None:
            raise not_found("claim")
        earlier = await self.repository.of_claim(claim.id)
        refused = refusal(claim.status, claim.denials,
                          [EarlierAppeal(a.level, a.status) for a in earlier], body.level)
        if refused is not None:
            field, why = refused
            raise conflict(why, field=field, rule=APPEAL_RULE, claim_status=claim.status)
        payer = await self.payers.find(claim.payer_id)
        appeal = Appeal(id=new_id(), tenant_id=self.tenant_id, claim_id=claim.id,
                        level=body.level, reason=body.reason,
                        status=AppealStatus.SUBMITTED.value, submitted_by=self.actor,
                        submitted_at=utcnow())
        appeal.letter = write_letter(_facts(claim, appeal, payer.name if payer else None))
        try:
            appeal.payer_reference = await self.payers.adapter.appeal(AppealRequest(
                appeal_id=appeal.id, payer_id=claim.payer_id,
                payer_claim_control_number=str(claim.payer_claim_control_number),
                patient_control_number=claim.patient_control_number, level=body.level,
                letter=appeal.letter))
        except PayerUnavailable as exc:
            raise payer_unavailable(exc) from exc
        except PayerRefused as exc:
            raise conflict(f"The payer refused the appeal: {exc}", field="$",
                           rule="appeal.payer_refused", claim_status=claim.status) from exc
        await self.repository.add(appeal)
        self.claims.record_event(
            claim, actor=self.actor, action="appeal", from_status=claim.status,
            reason=f"Appealed at level {appeal.level}", data={"appeal_id": appeal.id})
        return appeal

    async def page(self, claim_id: str, *, cursor: str | None, limit: int) -> Slice[Appeal]:
        if await self.claims.get(claim_id) is None:
            raise not_found("claim")
        return await self.repository.page(claim_id, cursor=cursor, limit=limit)

    async def decided(self, appeal_id: str, decision: AppealDecision) -> None:
        """Record the payer's decision on a submitted appeal, once."""
        appeal = await self.repository.get(appeal_id)
        if appeal is None or appeal.status != AppealStatus.SUBMITTED:
            return
        appeal.status = decision.outcome
        appeal.decided_on = decision.decided_on
        appeal.decided_at = utcnow()
        appeal.decision = decision.explanation
        claim = await self.claims.get(appeal.claim_id)
        if claim is not None:
            self.claims.record_event(
                claim, actor=PAYER, action="appeal_decided", from_status=claim.status,
                reason=f"Level {appeal.level} appeal {decision.outcome}: "
                       f"{decision.explanation}",
                data={"appeal_id": appeal.id, "outcome": decision.outcome})


def _facts(claim: Claim, appeal: Appeal, payer_name: str | None) -> LetterFacts:
    return LetterFacts(
        written_on=appeal.submitted_at.date(), level=appeal.level,
        payer_name=payer_name or claim.payer_id, payer_id=claim.payer_id, claim_id=claim.id,
        patient_control_number=claim.patient_control_number,
        payer_claim_control_number=str(claim.payer_claim_control_number),
        patient_account_id=claim.patient_id, billing_provider_npi=claim.billing_provider_npi,
        date_of_service=claim.date_of_service, total_charge=str(claim.total_charge),
        lines=tuple(LetterLine(line.line_number, line.procedure_code, tuple(line.modifiers),
                               line.date_of_service, str(line.charge))
                    for line in claim.lines),
        denials=tuple(claim.denials), reason=appeal.reason)


class AppealDecisions:
    """The payer worker's part: ask the payer about each submitted appeal, and record the
    decisions that came."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession],
                 adapter: PayerAdapter) -> None:
        self.sessions = sessions
        self.payers = PayerService(adapter)

    async def collect_once(self) -> int:
        """The number of decisions recorded. A payer that does not answer leaves the appeal
        for the next round."""
        async with self.sessions() as session:
            open_appeals = await OpenAppealRepository(session).submitted(WORKER_BATCH)
        decided = 0
        for tenant_id, appeal_id, reference in open_appeals:
            try:
                decision = await self.payers.adapter.appeal_decision(reference)
            except (PayerUnavailable, PayerRefused, ProblemError) as exc:
                logger.warning("appeal decision not available; asked again next round",
                               extra={"appeal_id": appeal_id, "error_type": type(exc).__name__})
                continue
            if decision is None:
                continue
            async with self.sessions() as session, session.begin():
                await AppealService(session, tenant_id, payers=self.payers,
                                    actor=SYSTEM_ACTOR).decided(appeal_id, decision)
            decided += 1
        return decided
