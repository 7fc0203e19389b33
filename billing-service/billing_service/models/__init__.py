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
    MockPayerInterchange,
    MockPayerPayeeBalance,
    MockPayerResponse,
    MockPayerSubmission,
)
from billing_service.models.x12 import RemittanceFile, X12Interchange

__all__ = [
    "Base",
    "Claim",
    "ClaimEvent",
    "ClaimLine",
    "Coverage",
    "MockPayerAccumulator",
    "MockPayerClaim",
    "MockPayerInterchange",
    "MockPayerPayeeBalance",
    "MockPayerResponse",
    "MockPayerSubmission",
    "PayerJob",
    "RemittanceAdjustment",
    "RemittanceFile",
    "RemittanceLine",
    "RemittancePosting",
    "X12Interchange",
]
