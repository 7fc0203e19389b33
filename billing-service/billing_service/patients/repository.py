"""The statement's queries, scoped to the caller's tenant."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from billing_service.claims.state_machine import TERMINAL
from billing_service.models.claim import Claim, RemittancePosting
from billing_service.models.coverage import Coverage
from billing_service.models.ledger import PatientLedgerEntry

# Claims that no longer stand for the visit (a replacement or a void took their place)
# are left out.
SUPERSEDED = sorted(status.value for status in TERMINAL)


class PatientRepository:
    def __init__(self, session: AsyncSession, tenant_id: str) -> None:
        self.session = session
        self.tenant_id = tenant_id

    async def current_claims(self, patient_id: str) -> list[Claim]:
        return list(await self.session.scalars(
            select(Claim)
            .where(Claim.tenant_id == self.tenant_id, Claim.patient_id == patient_id,
                   Claim.status.not_in(SUPERSEDED))
            .order_by(Claim.date_of_service, Claim.created_at)
        ))

    async def postings(self, claim_ids: list[str]) -> list[RemittancePosting]:
        """Every remittance posted to the claims, reversals included: a reversal carries the
        negative of the payment it takes back, so the sum is what stands now."""
        if not claim_ids:
            return []
        return list(await self.session.scalars(
            select(RemittancePosting)
            .where(RemittancePosting.tenant_id == self.tenant_id,
                   RemittancePosting.claim_id.in_(claim_ids))
            .order_by(RemittancePosting.id)
        ))

    async def coverages(self, coverage_ids: set[str]) -> list[Coverage]:
        return list(await self.session.scalars(
            select(Coverage).where(Coverage.tenant_id == self.tenant_id,
                                   Coverage.id.in_(coverage_ids))
        ))

    async def patient_money(self, patient_id: str) -> list[PatientLedgerEntry]:
        return list(await self.session.scalars(
            select(PatientLedgerEntry)
            .where(PatientLedgerEntry.tenant_id == self.tenant_id,
                   PatientLedgerEntry.patient_id == patient_id)
            .order_by(PatientLedgerEntry.id)
        ))

    async def add_patient_money(self, entries: list[PatientLedgerEntry]) -> None:
        for entry in entries:
            entry.tenant_id = self.tenant_id
        self.session.add_all(entries)
        await self.session.flush()

    async def has_coverage(self, patient_id: str) -> bool:
        return await self.session.scalar(
            select(Coverage.id)
            .where(Coverage.tenant_id == self.tenant_id, Coverage.patient_id == patient_id)
            .limit(1)
        ) is not None

    async def patients_who_paid(self) -> list[str]:
        """The patients with a payment on their account: only their money can be owed back to
        them."""
        return list(await self.session.scalars(
            select(PatientLedgerEntry.patient_id).distinct()
            .where(PatientLedgerEntry.tenant_id == self.tenant_id,
                   PatientLedgerEntry.kind == "patient_payment")
            .order_by(PatientLedgerEntry.patient_id)
        ))
