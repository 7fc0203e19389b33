"""POST /v1/admin/process: drive the payer conversation now, until nothing is left to do."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Request

from billing_service.dependencies import Admin
from billing_service.submissions.schemas import ProcessOut
from billing_service.submissions.service import process_until_idle

router = APIRouter(prefix="/v1/admin", tags=["operations"])


@router.post(
    "/process", response_model=ProcessOut,
    summary="Send queued submissions and apply payer responses until idle",
    description="What the background worker does on its own, run on demand (scope admin): "
    "tests and demos use it to move claims through the payer without waiting.",
)
async def process(request: Request, principal: Admin) -> ProcessOut:
    return ProcessOut(**asdict(await process_until_idle(request.app.state)))
