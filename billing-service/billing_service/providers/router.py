"""/v1/providers: the registry of the NPIs a tenant bills with, by NPI."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Depends, Query, Response, status

from billing_service.dependencies import Idempotent, ProviderReader, ProviderWriter, audit_trail
from billing_service.providers.examples import (
    CREATE_PROVIDER,
    GET_PROVIDER,
    LIST_PROVIDERS,
    UPDATE_PROVIDER,
)
from billing_service.providers.schemas import ProviderCreate, ProviderOut, ProviderPatch
from rcm_shared.audit import AuditRecord
from rcm_shared.http import IfMatchRequired, etag
from rcm_shared.ids import Npi
from rcm_shared.openapi import examples
from rcm_shared.pagination import DEFAULT_LIMIT, CursorParam, LimitParam, Page
from rcm_shared.routing import api_router

router = api_router("/v1/providers", "providers")
Audit = Annotated[AuditRecord, Depends(audit_trail.recorder("provider"))]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ProviderOut,
             summary="Register a provider (billing, rendering) by NPI",
             openapi_extra=examples(*CREATE_PROVIDER))
async def create_provider(body: ProviderCreate, providers: ProviderWriter, response: Response,
                          idempotency: Idempotent, audit: Audit) -> ProviderOut:
    """Registers a provider of the caller's tenant by NPI (check digit verified): a person (a
    rendering provider, with a NUCC taxonomy) or an organization (a billing provider, with its
    tax id and USPS address). Answers 201 with the provider, its ETag and Location. The 837P
    names providers from this registry."""
    provider = await providers.create(body)
    audit("create", provider.npi)
    response.headers["ETag"] = etag(provider.version)
    response.headers["Location"] = f"/v1/providers/{provider.npi}"
    return ProviderOut.of(provider)


@router.get("", response_model=Page[ProviderOut], summary="List providers, by NPI",
            openapi_extra=examples(*LIST_PROVIDERS))
async def list_providers(
    providers: ProviderReader,
    audit: Audit,
    kind: Annotated[Literal["person", "organization"] | None, Query(
        description="Only persons (rendering) or organizations (billing)")] = None,
    limit: LimitParam = DEFAULT_LIMIT,
    cursor: CursorParam = None,
) -> Page[ProviderOut]:
    """The caller's tenant's providers in NPI order, filtered by kind; paged with `limit` and
    `cursor`."""
    audit("list")
    listed = await providers.list_page(kind=kind, limit=limit, cursor=cursor)
    return listed.page(ProviderOut.of)


@router.get("/{npi}", response_model=ProviderOut, summary="One provider",
            openapi_extra=examples(*GET_PROVIDER))
async def get_provider(npi: Npi, providers: ProviderReader, audit: Audit,
                       response: Response) -> ProviderOut:
    """One provider by NPI with its version; its ETag is the version to send back as If-Match."""
    audit("read", npi)
    provider = await providers.get(npi)
    response.headers["ETag"] = etag(provider.version)
    return ProviderOut.of(provider)


@router.patch("/{npi}", response_model=ProviderOut,
              summary="Change a provider (If-Match with its version)",
              openapi_extra=examples(*UPDATE_PROVIDER))
async def update_provider(
    npi: Npi,
    body: ProviderPatch,
    providers: ProviderWriter,
    response: Response,
    expected_version: IfMatchRequired,
    idempotency: Idempotent,
    audit: Audit,
) -> ProviderOut:
    """Changes the fields given and answers the provider. If-Match with its version is required
    (428 without it, 412 when it moved on)."""
    audit("update", npi)
    provider = await providers.update(npi, body, expected_version)
    response.headers["ETag"] = etag(provider.version)
    return ProviderOut.of(provider)
