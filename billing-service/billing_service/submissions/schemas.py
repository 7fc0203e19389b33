"""Response body of POST /v1/admin/process."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ProcessOut(BaseModel):
    """Counts of the caller's tenant only."""

    rounds: int
    sent: int = Field(description="The tenant's submissions the payer took")
    retrying: int = Field(description="The tenant's submissions to be sent again later")
    responses_applied: int = Field(
        description="Payer answers (acknowledgments, adjudications, reversals) recorded on "
        "the tenant's claims meanwhile")
    pending_jobs: int = Field(description="The tenant's submissions still queued")
