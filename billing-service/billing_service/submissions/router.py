"""POST /v1/admin/process: drive the payer conversation now, until nothing is left to do."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Query

from billing_service.dependencies import Admin, PayerConversationOfAdmin, Session, audit_trail
from billing_service.submissions.examples import PROCESS
from billing_service.submissions.schemas import ProcessOut
from rcm_shared.openapi import examples

router = APIRouter(prefix="/v1/admin", tags=["operations"])


@router.post(
    "/process", response_model=ProcessOut,
    summary="Send the tenant's queued submissions and apply payer responses until idle",
    description="What the background worker does on its own, run on demand (scope admin): "
    "tests and demos use it to move claims through the payer without waiting. It sends the "
    "caller's tenant's queued submissions only. The payer answers every tenant through one "
    "mailbox, so what it answered meanwhile is applied to whichever claims it concerns, as "
    "the worker would; the counts are the caller's tenant's alone.",
    openapi_extra=examples(*PROCESS),
)
async def process(
    principal: Admin, conversation: PayerConversationOfAdmin, session: Session,
    max_rounds: Annotated[int, Query(ge=1, le=20, description=(
        "At most this many rounds of sending and polling: 1 leaves the payer one turn "
        "(claims it received acknowledged, none adjudicated yet)"))] = 20,
) -> ProcessOut:
    result = await conversation.process_until_idle(principal.tenant_id, max_rounds)
    audit_trail.record(session, principal, action="process", resource_type="payer_queue",
                       resource_id=None)
    return ProcessOut(**asdict(result))
