"""What coding-service's routers share: the caller's scopes, the services built for the caller,
Idempotency-Key handling and the audit trail. The one module that reads the app's state for
a service.

The stateless lookups (POST /v1/validate, the code-set searches) build what they use in their
routers instead: there a dependency level costs more than the work itself."""

# No `from __future__ import annotations`: the providers' parameter types name the scope check
# they were built with, so they must be evaluated where it is in scope, not read back later.

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from coding_service.config import Settings
from coding_service.encounters.service import EncounterService
from coding_service.feed.service import FeedService
from coding_service.fhir.service import FhirEncounterService
from coding_service.models import AuditEntry, IdempotencyRecord
from coding_service.validation.service import Validator
from coding_service.webhooks.service import WebhookService
from rcm_shared.audit import AuditTrail
from rcm_shared.auth import Principal, require_scope
from rcm_shared.db import get_session
from rcm_shared.idempotency import IdempotencyStore

idempotency_store = IdempotencyStore(IdempotencyRecord)
audit_trail = AuditTrail(AuditEntry)

ScopeCheck = Callable[..., Awaitable[Principal]]
read_scope = require_scope("coding:read")
write_scope = require_scope("coding:write")


Session = Annotated[AsyncSession, Depends(get_session, scope="function")]
Reader = Annotated[Principal, Depends(read_scope)]
Admin = Annotated[Principal, Depends(require_scope("admin"))]
# Declared after the endpoint's scope check, so a key lacking the scope is refused before its
# Idempotency-Key is looked at. Needs the router's route_class=TransactionalRoute.
Idempotent = Annotated[None, Depends(idempotency_store.dependency)]


# The providers read what the lifespan built straight from app.state rather than through a
# dependency each: every level of dependencies costs FastAPI tens of microseconds a request.
# They are async although they never wait: FastAPI would run a plain `def` in a worker thread.
def _encounters(scope: ScopeCheck) -> Callable[..., Awaitable[EncounterService]]:
    async def encounter_service(request: Request, session: Session,
                                principal: Annotated[Principal, Depends(scope)]
                                ) -> EncounterService:
        validator: Validator = request.app.state.validator
        return EncounterService(session, principal, validator)
    return encounter_service


async def webhook_service(request: Request, session: Session,
                          principal: Admin) -> WebhookService:
    settings: Settings = request.app.state.settings
    return WebhookService(session, principal,
                          allow_private_targets=settings.private_webhook_targets_allowed)


async def feed_service(session: Session, principal: Reader) -> FeedService:
    return FeedService(session, principal)


EncounterReader = Annotated[EncounterService, Depends(_encounters(read_scope))]
EncounterWriter = Annotated[EncounterService, Depends(_encounters(write_scope))]
Webhooks = Annotated[WebhookService, Depends(webhook_service)]


async def fhir_reader(encounters: EncounterReader) -> FhirEncounterService:
    return FhirEncounterService(encounters)


async def fhir_writer(encounters: EncounterWriter) -> FhirEncounterService:
    return FhirEncounterService(encounters)


FhirReader = Annotated[FhirEncounterService, Depends(fhir_reader)]
FhirWriter = Annotated[FhirEncounterService, Depends(fhir_writer)]
Feed = Annotated[FeedService, Depends(feed_service)]
