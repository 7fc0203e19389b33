"""Provider registry rules: one registration per NPI and tenant, each checked whole."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from billing_service.models.provider import Provider
from billing_service.providers.repository import ProviderRepository
from billing_service.providers.rules import registration_issues
from billing_service.providers.schemas import (
    ProviderCreate,
    ProviderOut,
    ProviderPatch,
    registration,
)
from rcm_shared.auth import Principal
from rcm_shared.db import utcnow
from rcm_shared.http import check_version
from rcm_shared.issues import IssueDict, issue
from rcm_shared.pagination import Slice
from rcm_shared.problems import ProblemError, conflict, not_found

# PATCH fields that may not be set to null.
REQUIRED_FIELDS = ("kind", "address")


def _invalid(findings: list[IssueDict]) -> ProblemError:
    return ProblemError(422, "Invalid provider",
                        "The provider cannot be billed as it is; the issues name each problem.",
                        type_="validation", issues=findings)


class ProviderService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = ProviderRepository(session, principal.tenant_id)

    def _taken(self, npi: str) -> ProblemError:
        return conflict(f"NPI {npi} is already registered; change it with "
                        f"PATCH /v1/providers/{npi}.", npi=npi)

    async def create(self, body: ProviderCreate) -> Provider:
        findings = registration_issues(registration(body))
        if findings:
            raise _invalid(findings)
        if await self.repository.get(body.npi) is not None:
            raise self._taken(body.npi)
        provider = Provider(
            tenant_id=self.principal.tenant_id,
            npi=body.npi,
            kind=body.kind,
            first_name=body.first_name,
            last_name=body.last_name,
            organization_name=body.organization_name,
            taxonomy=body.taxonomy,
            tax_id=body.tax_id,
            address=body.address.model_dump(),
        )
        try:
            async with self.session.begin_nested():
                await self.repository.add(provider)
        except IntegrityError:
            # A concurrent request registered the NPI first.
            raise self._taken(body.npi) from None
        return provider

    async def get(self, npi: str) -> Provider:
        provider = await self.repository.get(npi)
        if provider is None:
            raise not_found("provider")
        return provider

    async def list_page(self, *, kind: str | None, limit: int,
                        cursor: str | None) -> Slice[Provider]:
        return await self.repository.page(kind=kind, cursor=cursor, limit=limit)

    async def update(self, npi: str, body: ProviderPatch,
                     expected_version: int | None) -> Provider:
        # Locked until the commit: a concurrent PATCH with the same If-Match waits, then sees
        # the new version and answers 412 instead of overwriting this change.
        provider = await self.repository.get(npi, for_update=True)
        if provider is None:
            raise not_found("provider")
        check_version(expected_version, provider.version)
        changes = body.model_fields_set
        for field in REQUIRED_FIELDS:
            if field in changes and getattr(body, field) is None:
                raise _invalid([issue("provider.required", f"$.{field}",
                                      f"{field} cannot be null.")])
        merged = registration(ProviderOut.of(provider))
        merged.update(body.model_dump(include=changes))
        findings = registration_issues(merged)
        if findings:
            raise _invalid(findings)
        for field in ("kind", "first_name", "last_name", "organization_name", "taxonomy",
                      "tax_id", "address"):
            setattr(provider, field, merged[field])
        provider.version += 1
        provider.updated_at = utcnow()
        await self.session.flush()
        return provider
