"""FastAPI dependencies: what the lifespan built onto app.state, the caller's scopes, the
services built for the caller, and the Idempotency-Key handling and audit trail every router
shares. The one module that reads the request's state and headers for a service."""

# No `from __future__ import annotations`: the providers' parameter types name the scope check
# they were built with, so they must be evaluated where it is in scope, not read back later.

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from billing_service.accounts.service import AccountService
from billing_service.appeals.service import AppealService
from billing_service.claims.service import ClaimService
from billing_service.claims.transitions import actor
from billing_service.claimstatus.service import ClaimStatusService
from billing_service.codingclient.client import CodingClient, CodingReader
from billing_service.codingevents.service import CodingEventService
from billing_service.config import Settings
from billing_service.contracts.service import ContractService
from billing_service.coverages.service import CoverageService
from billing_service.eligibility.service import EligibilityService
from billing_service.estimates.service import EstimateService
from billing_service.fhir.service import FhirClaimService, FhirCoverageService
from billing_service.interchanges.service import InterchangeService
from billing_service.models import AuditEntry, IdempotencyRecord
from billing_service.patients.service import PatientService
from billing_service.payers.adapter import PayerAdapter
from billing_service.payers.service import PayerService
from billing_service.providers.service import ProviderService
from billing_service.remittances.service import Chunking, RemittanceUploads
from billing_service.submissions.service import PayerConversation
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


Session = Annotated[AsyncSession, Depends(get_session, scope="function")]
Reader = Annotated[Principal, Depends(read_scope)]
Writer = Annotated[Principal, Depends(write_scope)]
Admin = Annotated[Principal, Depends(require_scope("admin"))]
# Declared after the endpoint's scope check, so a key lacking the scope is refused before its
# Idempotency-Key is looked at. Needs the router's route_class=TransactionalRoute.
Idempotent = Annotated[None, Depends(idempotency_store.dependency)]
# For an endpoint that commits in steps: the key is claimed with the last one.
IdempotentInSteps = Annotated[None, Depends(idempotency_store.deferred)]


# The providers read what the lifespan built straight from app.state rather than through a
# dependency each: every level of dependencies costs FastAPI tens of microseconds a request.
# They are async although they never wait: FastAPI would run a plain `def` in a worker thread.
def _settings(request: Request) -> Settings:
    app_settings: Settings = request.app.state.settings
    return app_settings


def _payers(request: Request) -> PayerService:
    adapter: PayerAdapter = request.app.state.payer_adapter
    return PayerService(adapter)


def _coding_client(request: Request) -> CodingClient:
    client: CodingClient = request.app.state.coding_client
    return client


async def payer_service(request: Request) -> PayerService:
    return _payers(request)


def _claims(scope: ScopeCheck) -> Callable[..., Awaitable[ClaimService]]:
    async def claim_service(request: Request, session: Session,
                            principal: Annotated[Principal, Depends(scope)]) -> ClaimService:
        # The caller's own key is forwarded, so coding-service decides what its tenant may see.
        coding = CodingReader(_coding_client(request), request.headers["authorization"])
        return ClaimService(
            session, principal, payers=_payers(request), coding=coding,
            retry_after_seconds=_settings(request).coding_retry_after_seconds)
    return claim_service


def _coverages(scope: ScopeCheck) -> Callable[..., Awaitable[CoverageService]]:
    async def coverage_service(request: Request, session: Session,
                               principal: Annotated[Principal, Depends(scope)]
                               ) -> CoverageService:
        return CoverageService(session, principal, _payers(request))
    return coverage_service


def _providers(scope: ScopeCheck) -> Callable[..., Awaitable[ProviderService]]:
    async def provider_service(session: Session,
                               principal: Annotated[Principal, Depends(scope)]
                               ) -> ProviderService:
        return ProviderService(session, principal)
    return provider_service


def _eligibility(scope: ScopeCheck) -> Callable[..., Awaitable[EligibilityService]]:
    async def eligibility_service(request: Request, session: Session,
                                  principal: Annotated[Principal, Depends(scope)]
                                  ) -> EligibilityService:
        return EligibilityService(session, principal.tenant_id, payers=_payers(request),
                                  config=_settings(request).x12)
    return eligibility_service


def _appeals(scope: ScopeCheck) -> Callable[..., Awaitable[AppealService]]:
    async def appeal_service(request: Request, session: Session,
                             principal: Annotated[Principal, Depends(scope)]) -> AppealService:
        return AppealService(session, principal.tenant_id, payers=_payers(request),
                             actor=actor(principal))
    return appeal_service


async def claim_status_service(request: Request, session: Session,
                               principal: Annotated[Principal, Depends(write_scope)]
                               ) -> ClaimStatusService:
    return ClaimStatusService(session, principal.tenant_id, payers=_payers(request),
                              config=_settings(request).x12, actor=actor(principal))


async def estimate_service(request: Request, session: Session,
                           principal: Annotated[Principal, Depends(read_scope)]
                           ) -> EstimateService:
    # The caller's own key is forwarded, as for claims.
    coding = CodingReader(_coding_client(request), request.headers["authorization"])
    return EstimateService(session, principal.tenant_id, payers=_payers(request), coding=coding,
                           retry_after_seconds=_settings(request).coding_retry_after_seconds)


async def patient_service(request: Request, session: Session,
                          principal: Reader) -> PatientService:
    return PatientService(session, principal, _payers(request))


def _accounts(scope: ScopeCheck) -> Callable[..., Awaitable[AccountService]]:
    async def account_service(request: Request, session: Session,
                              principal: Annotated[Principal, Depends(scope)]
                              ) -> AccountService:
        return AccountService(principal, PatientService(session, principal, _payers(request)))
    return account_service


def _contracts(scope: ScopeCheck) -> Callable[..., Awaitable[ContractService]]:
    async def contract_service(request: Request, session: Session,
                               principal: Annotated[Principal, Depends(scope)]
                               ) -> ContractService:
        return ContractService(session, principal, _payers(request))
    return contract_service


async def worklist_service(request: Request, session: Session,
                           principal: Reader) -> WorklistService:
    accounts = AccountService(principal, PatientService(session, principal, _payers(request)))
    return WorklistService(session, principal, _settings(request).worklist_unanswered_days,
                           credits=accounts.credits)


async def coding_event_service(request: Request, session: Session) -> CodingEventService:
    return CodingEventService(session, coding=_coding_client(request), payers=_payers(request),
                              settings=_settings(request))


async def interchange_service(request: Request, session: Session,
                              principal: Reader) -> InterchangeService:
    return InterchangeService(session, principal.tenant_id, payers=_payers(request),
                              config=_settings(request).x12)


async def remittance_uploads(request: Request, session: Session,
                             principal: Writer) -> RemittanceUploads:
    settings = _settings(request)
    # An upload commits a chunk at a time, each in a session of its own.
    sessions: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    return RemittanceUploads(session, principal, sessions=sessions, chunking=Chunking(
        settings.remittance_chunk_claims, settings.remittance_chunk_pause_seconds))


async def payer_conversation(request: Request, principal: Admin) -> PayerConversation:
    sessions: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    adapter: PayerAdapter = request.app.state.payer_adapter
    return PayerConversation(sessions, adapter, _settings(request))


Payers = Annotated[PayerService, Depends(payer_service)]
Remittances = Annotated[RemittanceUploads, Depends(remittance_uploads)]
PayerConversationOfAdmin = Annotated[PayerConversation, Depends(payer_conversation)]
ClaimReader = Annotated[ClaimService, Depends(_claims(read_scope))]
ClaimWriter = Annotated[ClaimService, Depends(_claims(write_scope))]
CoverageReader = Annotated[CoverageService, Depends(_coverages(read_scope))]
CoverageWriter = Annotated[CoverageService, Depends(_coverages(write_scope))]
ProviderReader = Annotated[ProviderService, Depends(_providers(read_scope))]
ProviderWriter = Annotated[ProviderService, Depends(_providers(write_scope))]


EligibilityReader = Annotated[EligibilityService, Depends(_eligibility(read_scope))]
EligibilityWriter = Annotated[EligibilityService, Depends(_eligibility(write_scope))]
ClaimStatusWriter = Annotated[ClaimStatusService, Depends(claim_status_service)]
AppealReader = Annotated[AppealService, Depends(_appeals(read_scope))]
AppealWriter = Annotated[AppealService, Depends(_appeals(write_scope))]
Estimates = Annotated[EstimateService, Depends(estimate_service)]
Patients = Annotated[PatientService, Depends(patient_service)]
AccountReader = Annotated[AccountService, Depends(_accounts(read_scope))]
AccountWriter = Annotated[AccountService, Depends(_accounts(write_scope))]
ContractReader = Annotated[ContractService, Depends(_contracts(read_scope))]
ContractWriter = Annotated[ContractService, Depends(_contracts(write_scope))]
Worklist = Annotated[WorklistService, Depends(worklist_service)]
CodingEvents = Annotated[CodingEventService, Depends(coding_event_service)]
Interchanges = Annotated[InterchangeService, Depends(interchange_service)]


async def fhir_claims(claims: ClaimReader) -> FhirClaimService:
    return FhirClaimService(claims)


async def fhir_coverages(coverages: CoverageReader) -> FhirCoverageService:
    return FhirCoverageService(coverages)


FhirClaims = Annotated[FhirClaimService, Depends(fhir_claims)]
FhirCoverages = Annotated[FhirCoverageService, Depends(fhir_coverages)]
