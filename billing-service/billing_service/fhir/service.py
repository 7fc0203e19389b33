"""FHIR R4 views of claims, their adjudication and coverages, read through the JSON API's own
services (the same tenant scope and the same 404s)."""

from __future__ import annotations

from typing import Any

from billing_service.claims.schemas import ClaimOut
from billing_service.claims.service import ClaimService
from billing_service.coverages.schemas import CoverageOut
from billing_service.coverages.service import CoverageService
from billing_service.fhir.mapping import claim_resource, coverage_resource, explanation_of_benefit
from rcm_shared.problems import not_found


class FhirClaimService:
    def __init__(self, claims: ClaimService) -> None:
        self.claims = claims

    async def claim(self, claim_id: str) -> tuple[int, dict[str, Any]]:
        claim = ClaimOut.of(await self.claims.get(claim_id))
        return claim.version, claim_resource(claim.model_dump(mode="json"))

    async def explanation_of_benefit(self, claim_id: str) -> dict[str, Any]:
        """404 until a payer's remittance is posted to the claim: there is nothing to
        explain before."""
        claim = ClaimOut.of(await self.claims.get(claim_id))
        remittance = await self.claims.remittance_view(claim_id)
        if not remittance.remittances:
            raise not_found("adjudicated claim (no remittance is posted to it yet)")
        return explanation_of_benefit(claim.model_dump(mode="json"),
                                      remittance.model_dump(mode="json"))


class FhirCoverageService:
    def __init__(self, coverages: CoverageService) -> None:
        self.coverages = coverages

    async def coverage(self, coverage_id: str) -> tuple[int, dict[str, Any]]:
        coverage = CoverageOut.of(await self.coverages.get(coverage_id))
        return coverage.version, coverage_resource(coverage.model_dump(mode="json"))
