"""/v1/worklist: rejected, denied and unanswered claims, and the A/R aging buckets."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from billing_service.dependencies import AppSettings, Reader, Session, audit_trail
from billing_service.worklist import service
from billing_service.worklist.schemas import WorklistOut
from rcm_shared.db import utcnow
from rcm_shared.pagination import DEFAULT_LIMIT, CursorParam, LimitParam
from rcm_shared.routing import TransactionalRoute

router = APIRouter(
    prefix="/v1/worklist", tags=["worklist"], route_class=TransactionalRoute,
    dependencies=[Depends(audit_trail.dependency("worklist", "worklist_id"))],
)


@router.get("", response_model=WorklistOut, summary="What needs a biller, with A/R aging")
async def worklist(
    principal: Reader,
    session: Session,
    settings: AppSettings,
    limit: LimitParam = DEFAULT_LIMIT,
    cursor: CursorParam = None,
) -> WorklistOut:
    return await service.worklist(session, principal.tenant_id, utcnow(),
                                  settings.worklist_unanswered_days, limit=limit, cursor=cursor)
