"""FastAPI dependencies: what the lifespan built onto app.state, the caller's scopes, and the
Idempotency-Key handling and audit trail every router shares."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from billing_service.codingclient.client import CodingClient
from billing_service.config import Settings
from billing_service.models import AuditEntry, IdempotencyRecord
from billing_service.payers.adapter import PayerAdapter
from rcm_shared.audit import AuditTrail
from rcm_shared.auth import Principal, require_scope
from rcm_shared.db import get_session
from rcm_shared.idempotency import IdempotencyStore

idempotency_store = IdempotencyStore(IdempotencyRecord)
audit_trail = AuditTrail(AuditEntry)


def payer_adapter(request: Request) -> PayerAdapter:
    return request.app.state.payer_adapter


def coding_client(request: Request) -> CodingClient:
    return request.app.state.coding_client


def settings(request: Request) -> Settings:
    return request.app.state.settings


Session = Annotated[AsyncSession, Depends(get_session, scope="function")]
Reader = Annotated[Principal, Depends(require_scope("billing:read"))]
Writer = Annotated[Principal, Depends(require_scope("billing:write"))]
Admin = Annotated[Principal, Depends(require_scope("admin"))]
Adapter = Annotated[PayerAdapter, Depends(payer_adapter)]
Coding = Annotated[CodingClient, Depends(coding_client)]
AppSettings = Annotated[Settings, Depends(settings)]
# Declared after the endpoint's scope check, so a key lacking the scope is refused before its
# Idempotency-Key is looked at. Needs the router's route_class=TransactionalRoute.
Idempotent = Annotated[None, Depends(idempotency_store.dependency)]
