"""Request body of POST /v1/claims/x12-batch."""

from __future__ import annotations

from pydantic import ConfigDict, Field, field_validator

from rcm_shared.ids import ResourceId
from rcm_shared.schemas import RequestModel

MAX_BATCH_CLAIMS = 500


class BatchExport(RequestModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"claim_ids": ["7c9e6679-7425-40de-944b-e07fc1f90ae7"]}]},
    )

    claim_ids: list[ResourceId] = Field(min_length=1, max_length=MAX_BATCH_CLAIMS)

    @field_validator("claim_ids")
    @classmethod
    def _unique(cls, claim_ids: list[str]) -> list[str]:
        if len(set(claim_ids)) != len(claim_ids):
            raise ValueError("each claim may be listed once")
        return claim_ids
