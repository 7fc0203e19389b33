"""Claim status inquiries: a 276 about a claim sent through the payer adapter, the payer's 277
read back and kept. The payer worker sends one by itself for a claim still unanswered
STATUS_INQUIRY_AFTER_DAYS after it was sent, and again each as many days later."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from billing_service.claims.repository import ClaimRepository
from billing_service.claims.transitions import SYSTEM_ACTOR
from billing_service.claimstatus.repository import ClaimStatusRepository, DueInquiryRepository
from billing_service.config import Settings
from billing_service.coverages.repository import CoverageRepository
from billing_service.interchanges.repository import InterchangeRepository
from billing_service.models.claim_status import ClaimStatusInquiry, new_id
from billing_service.payers.adapter import PayerAdapter, PayerUnavailable, Person
from billing_service.payers.clearinghouse import ClearinghouseError
from billing_service.payers.service import (
    PayerService,
    payer_answer_unreadable,
    payer_unavailable,
)
from billing_service.providers.repository import ProviderRepository
from billing_service.x12 import status
from billing_service.x12.config import X12Config
from billing_service.x12.status import StatusInquiry
from billing_service.x12.syntax import Envelope, X12ReadError
from rcm_shared.db import utcnow
from rcm_shared.problems import ProblemError, conflict, not_found

logger = logging.getLogger("billing.claimstatus")
# Claims never sent: the payer has nothing to say about them.
NEVER_SENT = ("ready", "canceled")
# Inquiries the worker sends in one round, oldest claims first.
WORKER_BATCH = 100


class ClaimStatusService:
    def __init__(self, session: AsyncSession, tenant_id: str, *, payers: PayerService,
                 config: X12Config, actor: str) -> None:
        self.session = session
        self.tenant_id = tenant_id
        self.payers = payers
        self.config = config
        self.actor = actor
        self.repository = ClaimStatusRepository(session, tenant_id)
        self.claims = ClaimRepository(session, tenant_id)
        self.coverages = CoverageRepository(session, tenant_id)
        self.providers = ProviderRepository(session, tenant_id)

    async def inquire(self, claim_id: str) -> ClaimStatusInquiry:
        claim = await self.claims.get(claim_id)
        if claim is None:
            raise not_found("claim")
        if claim.status in NEVER_SENT:
            raise conflict(f"The claim is '{claim.status}': it was never sent to the payer, "
                           "which has nothing to say about it.", claim_status=claim.status)
        coverage = await self.coverages.of_claim(claim)
        payer = await self.payers.find(claim.payer_id)
        provider = await self.providers.get(claim.billing_provider_npi)
        days = [line.date_of_service for line in claim.lines] or [claim.date_of_service]
        inquiry = ClaimStatusInquiry(id=new_id(), tenant_id=self.tenant_id, claim_id=claim.id,
                                     sent_by=self.actor)
        asked = StatusInquiry(
            trace_number=inquiry.id.replace("-", "").upper(),
            payer_id=claim.payer_id,
            payer_name=payer.name if payer is not None else claim.payer_id,
            submitter_id=self.config.submitter_id,
            submitter_name=self.config.submitter_name,
            provider_npi=claim.billing_provider_npi,
            provider_name=(provider.organization_name or provider.last_name or ""
                           ) if provider is not None else "",
            member_id=coverage.member_id,
            subscriber=Person(coverage.subscriber_first_name, coverage.subscriber_last_name,
                              coverage.subscriber_birth_date, coverage.subscriber_sex),
            patient_control_number=claim.patient_control_number,
            payer_claim_control_number=claim.payer_claim_control_number,
            total_charge=claim.total_charge,
            service_from=min(days),
            service_to=max(days),
        )
        inquiry.inquiry_x12 = status.write_276(asked, await self._envelope())
        try:
            inquiry.answer_x12 = await self.payers.adapter.claim_status(inquiry.inquiry_x12)
            answer = status.read_277(inquiry.answer_x12)
        except PayerUnavailable as exc:
            raise payer_unavailable(exc) from exc
        except (X12ReadError, ClearinghouseError) as exc:
            raise payer_answer_unreadable(exc, "277") from exc
        inquiry.category = answer.category
        inquiry.status_code = answer.status_code
        inquiry.status_date = answer.status_date
        inquiry.payer_claim_control_number = answer.payer_claim_control_number
        inquiry.paid = answer.paid
        inquiry.adjudicated_on = answer.adjudicated_on
        inquiry.checked_at = utcnow()
        await self.repository.add(inquiry)
        return inquiry

    async def _envelope(self) -> Envelope:
        sender = self.config.submitter_id
        number = await InterchangeRepository(self.session, self.tenant_id).next_control_number(
            sender)
        return Envelope(sender_id=sender, receiver_id=self.config.receiver_id,
                        control_number=number, created_at=utcnow(),
                        functional_id=status.INQUIRY_FUNCTIONAL_ID, version=status.VERSION,
                        usage=self.config.usage)


class StatusInquiryWorker:
    """The payer worker's own inquiries: about each claim sent STATUS_INQUIRY_AFTER_DAYS ago
    or more and not answered, unless it was asked about within that many days."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], adapter: PayerAdapter,
                 settings: Settings) -> None:
        self.sessions = sessions
        self.payers = PayerService(adapter)
        self.settings = settings

    async def inquire_unanswered_once(self) -> int:
        """The number of claims asked about. A payer that does not answer leaves the claim
        for the next round."""
        sent_before = utcnow() - timedelta(days=self.settings.status_inquiry_after_days)
        async with self.sessions() as session:
            due = await DueInquiryRepository(session).due(sent_before, WORKER_BATCH)
        asked = 0
        for tenant_id, claim_id in due:
            async with self.sessions() as session, session.begin():
                service = ClaimStatusService(session, tenant_id, payers=self.payers,
                                             config=self.settings.x12, actor=SYSTEM_ACTOR)
                try:
                    await service.inquire(claim_id)
                except ProblemError as exc:
                    logger.warning("claim status inquiry failed; asked again next round",
                                   extra={"claim_id": claim_id, "error_type": exc.title})
                    continue
            asked += 1
        return asked
