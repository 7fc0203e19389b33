"""Claims written as 837P interchanges, each under a control number counted per tenant and
sender (ISA06) and never reused: one per submission (a retry sends the same interchange
again), one per batch export, and one per distinct text of a claim's own export."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from billing_service.claims.payer_claim import claim_for_payer, paid_before, prior_payer
from billing_service.claims.repository import ClaimRepository
from billing_service.coverages.repository import CoverageRepository
from billing_service.interchanges.repository import InterchangeRepository
from billing_service.models.claim import Claim, PayerJob
from billing_service.models.coverage import Coverage
from billing_service.models.provider import Provider
from billing_service.payers.adapter import ClaimForPayer, PriorPayerAdjudication
from billing_service.payers.service import PayerService
from billing_service.providers.repository import ProviderRepository
from billing_service.x12.checks import claim_issues
from billing_service.x12.claim837 import COMMERCIAL, write_837p
from billing_service.x12.config import X12Config
from rcm_shared.db import utcnow
from rcm_shared.issues import issue
from rcm_shared.problems import ProblemError, not_found

SUBMISSION = "submission"
EXPORT = "export"


class InterchangeService:
    """The interchanges of one tenant's claims, for a caller (an export) or for the payer loop
    (a submission), so it is built for a tenant rather than a principal. `config`: the X12
    parties."""

    def __init__(self, session: AsyncSession, tenant_id: str, *, payers: PayerService,
                 config: X12Config) -> None:
        self.payers = payers
        self.config = config
        self.repository = InterchangeRepository(session, tenant_id)
        self.claims = ClaimRepository(session, tenant_id)
        self.coverages = CoverageRepository(session, tenant_id)
        self.providers = ProviderRepository(session, tenant_id)

    async def _for_payer(self, claim: Claim, coverage: Coverage, submission_id: str,
                         frequency_code: str,
                         providers: Mapping[str, Provider] | None = None) -> ClaimForPayer:
        """`providers`: the registered providers by NPI, when read already for a batch."""
        if providers is None:
            providers = await self.providers.by_npi(
                {claim.billing_provider_npi, claim.rendering_provider_npi})
        return claim_for_payer(claim, coverage, submission_id, frequency_code, providers,
                               await self._filing_indicator(coverage),
                               await self._payers_before(claim))

    async def _filing_indicator(self, coverage: Coverage) -> str:
        plan = await self.payers.plan(coverage.payer_id, coverage.plan_code)
        # A plan the payer no longer lists is filed as commercial insurance.
        return plan.claim_filing_indicator if plan is not None else COMMERCIAL

    async def _payers_before(self, claim: Claim) -> tuple[PriorPayerAdjudication, ...]:
        """Each payer before this claim's that adjudicated the visit, first first."""
        found: list[PriorPayerAdjudication] = []
        for earlier in await self.claims.payers_before(claim):
            posting = await self.claims.adjudication(earlier.id)
            if posting is None or not paid_before(posting):
                continue
            coverage = await self.coverages.of_claim(earlier)
            payer = await self.payers.find(coverage.payer_id)
            found.append(prior_payer(coverage, payer.name if payer else coverage.payer_id,
                                     await self._filing_indicator(coverage), posting,
                                     len(found)))
        return tuple(found)

    async def _write(self, payer_claims: Sequence[ClaimForPayer], claim_ids: list[str],
                     purpose: str, submission_id: str | None, names: Mapping[str, str]) -> str:
        row = await self.repository.allocate(self.config.submitter_id, purpose, claim_ids,
                                             submission_id)
        row.content = write_837p(payer_claims, self.config, control_number=row.control_number,
                                 created_at=row.created_at, payer_names=names)
        return row.content

    async def for_submissions(
        self, submissions: Sequence[tuple[PayerJob, Claim, Coverage]], names: Mapping[str, str]
    ) -> list[str | ProblemError]:
        """The 837P of each outbox job of the tenant, in order: written on its first attempt
        (all of them under control numbers drawn at once), the same text after; a
        ProblemError for a claim an 837P cannot carry as it is now."""
        written = await self.repository.of_submissions([job.submission_id
                                                        for job, _, _ in submissions])
        providers = await self.providers.by_npi(
            {npi for _, claim, _ in submissions
             for npi in (claim.billing_provider_npi, claim.rendering_provider_npi)})
        texts: list[str | ProblemError] = []
        new: list[tuple[int, PayerJob, ClaimForPayer]] = []
        for job, claim, coverage in submissions:
            existing = written.get(job.submission_id)
            if existing is not None:
                texts.append(existing.content)
                continue
            payer_claim = await self._for_payer(claim, coverage, job.submission_id,
                                                job.frequency_code, providers)
            findings = claim_issues(payer_claim)
            if findings:
                texts.append(ProblemError(422, "Cannot write the 837P", findings[0]["message"],
                                          type_="x12", issues=findings))
                continue
            new.append((len(texts), job, payer_claim))
            texts.append("")
        if new:
            sender = self.config.submitter_id
            numbers = await self.repository.next_control_numbers(sender, len(new))
            created_at = utcnow()
            rows = []
            for (index, job, payer_claim), number in zip(new, numbers, strict=True):
                text = write_837p([payer_claim], self.config, control_number=number,
                                  created_at=created_at, payer_names=names)
                texts[index] = text
                rows.append((job.claim_id, job.submission_id, number, text))
            self.repository.add_submissions(sender, SUBMISSION, rows, created_at)
        return texts

    async def _as_sent(self, claim: Claim) -> ClaimForPayer:
        """The claim as its last outbox job sends it (so a voided claim is its void), or as
        its first submission would before it has any."""
        coverage = await self.coverages.of_claim(claim)
        job = await self.repository.latest_job(claim.id)
        if job is None:
            return await self._for_payer(claim, coverage, "", claim.frequency_code)
        return await self._for_payer(claim, coverage, job.submission_id, job.frequency_code)

    async def export(self, claim_ids: Sequence[str], *, batch: bool) -> str:
        """One interchange holding the claims, in the order given; 422 naming each claim that
        an 837P cannot carry as it is (and, in a batch, each id that is not a claim).

        A batch is a new interchange each time. One claim's export is a read: when billing
        already wrote the very same text for the claim (the interchange it sent, or an
        earlier export), that interchange is answered again, so only a claim whose 837P
        changed gets a new control number and a new stored copy."""
        payer_claims: list[ClaimForPayer] = []
        findings: list[dict[str, str]] = []
        for index, claim_id in enumerate(claim_ids):
            prefix = f"$.claim_ids[{index}]" if batch else "$"
            claim = await self.claims.get(claim_id)
            if claim is None:
                if not batch:
                    raise not_found("claim")
                findings.append(issue("claim.unknown", prefix,
                                      f"No claim with id {claim_id!r}."))
                continue
            payer_claim = await self._as_sent(claim)
            findings += [{**finding, "path": prefix + finding["path"][1:]}
                         for finding in claim_issues(payer_claim)]
            payer_claims.append(payer_claim)
        if findings:
            raise ProblemError(
                422, "Cannot write the 837P",
                "A payer would refuse what the claims hold now; the issues name each problem.",
                type_="x12", issues=findings,
            )
        names = await self.payers.names()
        if not batch:
            written = await self.repository.latest_of_claim(claim_ids[0])
            if written is not None and write_837p(
                payer_claims, self.config, control_number=written.control_number,
                created_at=written.created_at, payer_names=names,
            ) == written.content:
                return written.content
        return await self._write(payer_claims, list(claim_ids), EXPORT, None, names)
