"""FastAPI dependencies: what the lifespan built onto app.state, the caller's scopes, the
services built for the caller, and the Idempotency-Key handling and audit trail every router
shares. The one module that reads the request's state and headers for a service."""

# No `from __future__ import annotations`: the providers' parameter types name the scope check
# they were built with, so they must be evaluated where it is in scope, not read back later.

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from billing_service.claims.service import ClaimService
from billing_service.codingclient.client import CodingClient, CodingReader
from billing_service.codingevents.service import CodingEventService
from billing_service.config import Settings
from billing_service.coverages.service import CoverageService
from billing_service.interchanges.service import InterchangeService
from billing_service.models import AuditEntry, IdempotencyRecord
from billing_service.patients.service import PatientService
from billing_service.payers.adapter import PayerAdapter
from billing_service.payers.service import PayerService
from billing_service.worklist.service import WorklistService
from rcm_shared.audit import AuditTrail
from rcm_shared.auth import Principal, require_scope
from rcm_shared.db import get_session
from rcm_shared.idempotency import IdempotencyStore

idempotency_store = IdempotencyStore(IdempotencyRecord)
audit_trail = AuditTrail(AuditEntry)

ScopeCheck = Callable[..., Awaitable[Principal]]
read_scope = require_scope("billing:read")
write_scope = require_scope("billing:write")


# async although they never wait: FastAPI would run a plain `def` in a worker thread.
async def payer_adapter(request: Request) -> PayerAdapter:
    adapter: PayerAdapter = request.app.state.payer_adapter
    return adapter


async def coding_client(request: Request) -> CodingClient:
    client: CodingClient = request.app.state.coding_client
    return client


async def settings(request: Request) -> Settings:
    app_settings: Settings = request.app.state.settings
    return app_settings


Session = Annotated[AsyncSession, Depends(get_session, scope="function")]
Reader = Annotated[Principal, Depends(read_scope)]
Writer = Annotated[Principal, Depends(write_scope)]
Admin = Annotated[Principal, Depends(require_scope("admin"))]
Adapter = Annotated[PayerAdapter, Depends(payer_adapter)]
Coding = Annotated[CodingClient, Depends(coding_client)]
AppSettings = Annotated[Settings, Depends(settings)]
# Declared after the endpoint's scope check, so a key lacking the scope is refused before its
# Idempotency-Key is looked at. Needs the router's route_class=TransactionalRoute.
Idempotent = Annotated[None, Depends(idempotency_store.dependency)]


async def payer_service(adapter: Adapter) -> PayerService:
    return PayerService(adapter)


Payers = Annotated[PayerService, Depends(payer_service)]


async def caller_coding(request: Request, client: Coding) -> CodingReader:
    # The caller's own key is forwarded, so coding-service decides what its tenant may see.
    return CodingReader(client, request.headers["authorization"])


def _claims(scope: ScopeCheck) -> Callable[..., Awaitable[ClaimService]]:
    async def claim_service(session: Session, principal: Annotated[Principal, Depends(scope)],
                            payers: Payers,
                            coding: Annotated[CodingReader, Depends(caller_coding)],
                            app_settings: AppSettings) -> ClaimService:
        return ClaimService(session, principal, payers=payers, coding=coding,
                            retry_after_seconds=app_settings.coding_retry_after_seconds)
    return claim_service


def _coverages(scope: ScopeCheck) -> Callable[..., Awaitable[CoverageService]]:
    async def coverage_service(session: Session, principal: Annotated[Principal, Depends(scope)],
                               payers: Payers) -> CoverageService:
        return CoverageService(session, principal, payers)
    return coverage_service


async def patient_service(session: Session, principal: Reader,
                          payers: Payers) -> PatientService:
    return PatientService(session, principal, payers)


async def worklist_service(session: Session, principal: Reader,
                           app_settings: AppSettings) -> WorklistService:
    return WorklistService(session, principal, app_settings.worklist_unanswered_days)


async def coding_event_service(session: Session, client: Coding, payers: Payers,
                               app_settings: AppSettings) -> CodingEventService:
    return CodingEventService(session, coding=client, payers=payers, settings=app_settings)


async def interchange_service(session: Session, principal: Reader, payers: Payers,
                              app_settings: AppSettings) -> InterchangeService:
    return InterchangeService(session, principal.tenant_id, payers=payers,
                              config=app_settings.x12)


ClaimReader = Annotated[ClaimService, Depends(_claims(read_scope))]
ClaimWriter = Annotated[ClaimService, Depends(_claims(write_scope))]
CoverageReader = Annotated[CoverageService, Depends(_coverages(read_scope))]
CoverageWriter = Annotated[CoverageService, Depends(_coverages(write_scope))]
Patients = Annotated[PatientService, Depends(patient_service)]
Worklist = Annotated[WorklistService, Depends(worklist_service)]
CodingEvents = Annotated[CodingEventService, Depends(coding_event_service)]
Interchanges = Annotated[InterchangeService, Depends(interchange_service)]
