"""Every claim query, each scoped to the caller's tenant."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from billing_service.claims.state_machine import TERMINAL, ClaimStatus
from billing_service.models.claim import (
    REBILLABLE,
    Claim,
    ClaimEvent,
    PayerJob,
    PayerSequence,
    RemittancePosting,
)
from rcm_shared.pagination import Keyset, Slice

LISTING = Keyset(Claim.created_at, Claim.id)
HISTORY = Keyset(ClaimEvent.id)


@cache
def _replacement() -> type[Claim]:
    """The alias of a replacing claim, built once: one made per query has its column
    collection built and its columns adapted anew every time, which costs more than the
    query's round trip. Built on first use, not at import, where making an alias would
    configure every mapper before the service is up."""
    return aliased(Claim, name="replacement")


async def locked_claims_of(session: AsyncSession, jobs: Iterable[PayerJob]) -> dict[str, Claim]:
    """The claims of outbox jobs of any tenant (the payer loop's), locked, by id: each
    tenant's read in one statement under its own scope."""
    by_tenant: dict[str, list[str]] = {}
    for job in jobs:
        by_tenant.setdefault(job.tenant_id, []).append(job.claim_id)
    claims: dict[str, Claim] = {}
    for tenant_id, claim_ids in by_tenant.items():
        claims.update(await ClaimRepository(session, tenant_id).locked(claim_ids))
    return claims


class ClaimRepository:
    def __init__(self, session: AsyncSession, tenant_id: str) -> None:
        self.session = session
        self.tenant_id = tenant_id

    async def get(self, claim_id: str, *, for_update: bool = False) -> Claim | None:
        query = select(Claim).where(Claim.tenant_id == self.tenant_id, Claim.id == claim_id)
        if for_update:
            # populate_existing: a row read earlier in this session is refreshed under the lock.
            query = query.with_for_update().execution_options(populate_existing=True)
        return await self.session.scalar(query)

    async def locked(self, claim_ids: Iterable[str]) -> dict[str, Claim]:
        """The claims, each locked as get(for_update=True) locks it, in one statement (in id
        order, so two transactions locking some of the same claims take them alike), by id."""
        rows = await self.session.scalars(
            select(Claim).where(Claim.tenant_id == self.tenant_id, Claim.id.in_(set(claim_ids)))
            .order_by(Claim.id).with_for_update().execution_options(populate_existing=True)
        )
        return {claim.id: claim for claim in rows}

    async def for_encounter_version(self, encounter_id: str, coding_version: int) -> Claim | None:
        """The first claim (of its split) that holds the place of this coding version."""
        return await self.session.scalar(
            select(Claim)
            .where(
                Claim.tenant_id == self.tenant_id,
                Claim.encounter_id == encounter_id,
                Claim.coding_version == coding_version,
                Claim.payer_sequence == PayerSequence.PRIMARY,
                Claim.status.not_in(REBILLABLE),
            )
            .order_by(Claim.split_index)
            .limit(1)
        )

    async def standing_for_encounter(self, encounter_id: str, *,
                                     for_update: bool = False) -> list[Claim]:
        """The encounter's claims to its primary payer that still stand for the visit
        (neither replaced, voided nor canceled): oldest coding version first, each in the
        order of its split."""
        query = (
            select(Claim)
            .where(Claim.tenant_id == self.tenant_id, Claim.encounter_id == encounter_id,
                   Claim.payer_sequence == PayerSequence.PRIMARY,
                   Claim.status.not_in([status.value for status in TERMINAL]))
            .order_by(Claim.coding_version, Claim.split_index)
        )
        if for_update:
            query = query.with_for_update().execution_options(populate_existing=True)
        return list(await self.session.scalars(query))

    async def replaced_by_canceled(self, encounter_id: str) -> Claim | None:
        """The encounter's latest claim replaced by a claim canceled since: the payer still
        holds it as it was."""
        replacement = _replacement()
        return await self.session.scalar(
            select(Claim)
            .join(replacement, replacement.id == Claim.replaced_by_claim_id)
            .where(Claim.tenant_id == self.tenant_id, Claim.encounter_id == encounter_id,
                   Claim.status == ClaimStatus.REPLACED,
                   replacement.status == ClaimStatus.CANCELED)
            .order_by(Claim.coding_version.desc())
            .limit(1)
        )

    async def page(
        self,
        *,
        status: str | None,
        payer_id: str | None,
        patient_id: str | None,
        encounter_id: str | None,
        cursor: str | None,
        limit: int,
    ) -> Slice[Claim]:
        query = select(Claim).where(Claim.tenant_id == self.tenant_id)
        if status is not None:
            query = query.where(Claim.status == status)
        if payer_id is not None:
            query = query.where(Claim.payer_id == payer_id)
        if patient_id is not None:
            query = query.where(Claim.patient_id == patient_id)
        if encounter_id is not None:
            query = query.where(Claim.encounter_id == encounter_id)
        return await LISTING.scalars(self.session, query, cursor, limit)

    async def payers_before(self, claim: Claim) -> list[Claim]:
        """The claims of the payers before this one (prior_claim_id, followed), first first."""
        chain: list[Claim] = []
        prior_id = claim.prior_claim_id
        while prior_id is not None:
            prior = await self.get(prior_id)
            if prior is None:  # pragma: no cover - the foreign key keeps it
                break
            chain.insert(0, prior)
            prior_id = prior.prior_claim_id
        return chain

    async def next_payers_claim(self, claim: Claim) -> Claim | None:
        """The standing claim to the payer after this one, once it is built: neither taken
        back nor replaced (a readjudication of this claim replaces it by another of its own)."""
        return await self.session.scalar(
            select(Claim).where(Claim.tenant_id == self.tenant_id,
                                Claim.prior_claim_id == claim.id,
                                Claim.status.not_in((*REBILLABLE, ClaimStatus.REPLACED.value)))
            .order_by(Claim.created_at).limit(1)
        )

    async def adjudication(self, claim_id: str) -> RemittancePosting | None:
        """The payer's last word on the claim: its latest remittance that is no reversal."""
        return await self.session.scalar(
            select(RemittancePosting)
            .where(RemittancePosting.tenant_id == self.tenant_id,
                   RemittancePosting.claim_id == claim_id,
                   RemittancePosting.status != "reversed")
            .order_by(RemittancePosting.id.desc()).limit(1)
        )

    async def events(self, claim_id: str, *, cursor: str | None,
                     limit: int) -> Slice[ClaimEvent]:
        query = select(ClaimEvent).where(ClaimEvent.tenant_id == self.tenant_id,
                                         ClaimEvent.claim_id == claim_id)
        return await HISTORY.scalars(self.session, query, cursor, limit)

    async def remittances(self, claim_id: str) -> list[RemittancePosting]:
        return list(await self.session.scalars(
            select(RemittancePosting)
            .where(RemittancePosting.tenant_id == self.tenant_id,
                   RemittancePosting.claim_id == claim_id)
            .order_by(RemittancePosting.id)
        ))

    def add(self, claim: Claim) -> None:
        self.session.add(claim)

    def queue(self, claim: Claim, *, kind: str, submission_id: str, frequency_code: str) -> None:
        """A job for the payer loop: send the claim (kind "submit" or "void")."""
        self.session.add(PayerJob(tenant_id=self.tenant_id, claim_id=claim.id, kind=kind,
                                  submission_id=submission_id, frequency_code=frequency_code))

    def record_event(
        self,
        claim: Claim,
        *,
        actor: str,
        action: str,
        from_status: str | None,
        reason: str | None = None,
        carc: list[str] | None = None,
        rarc: list[str] | None = None,
        data: dict[str, Any] | None = None,
    ) -> None:
        self.session.add(ClaimEvent(
            tenant_id=self.tenant_id, claim_id=claim.id, actor=actor, action=action,
            from_status=from_status, to_status=claim.status, reason=reason,
            carc=carc or [], rarc=rarc or [], data=data or {},
        ))
