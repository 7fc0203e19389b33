"""FastAPI dependencies reading what the lifespan built onto app.state."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from billing_service.codingclient.client import CodingClient
from billing_service.config import Settings
from billing_service.payers.adapter import PayerAdapter
from rcm_shared.auth import Principal, require_scope
from rcm_shared.db import get_session


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
