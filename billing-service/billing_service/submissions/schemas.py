"""Response body of POST /v1/admin/process."""

from __future__ import annotations

from pydantic import BaseModel


class ProcessOut(BaseModel):
    rounds: int
    sent: int
    retrying: int
    responses_received: int
    responses_applied: int
    pending_jobs: int
