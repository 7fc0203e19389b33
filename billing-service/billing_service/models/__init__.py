"""Every ORM model of billing-service, imported so Alembic and the metadata see them all."""

from billing_service.models.base import Base
from billing_service.models.claim import (
    Claim,
    ClaimEvent,
    ClaimLine,
    PayerJob,
    RemittanceAdjustment,
    RemittanceLine,
    RemittancePosting,
)
from billing_service.models.coverage import Coverage
from billing_service.models.mock_payer import (
    MockPayerAccumulator,
    MockPayerClaim,
    MockPayerResponse,
    MockPayerSubmission,
)

__all__ = [
    "Base",
    "Claim",
    "ClaimEvent",
    "ClaimLine",
    "Coverage",
    "MockPayerAccumulator",
    "MockPayerClaim",
    "MockPayerResponse",
    "MockPayerSubmission",
    "PayerJob",
    "RemittanceAdjustment",
    "RemittanceLine",
    "RemittancePosting",
]
