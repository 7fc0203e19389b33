"""The clinic's contracts with payers: the allowed amount it agreed per procedure code and
modifier."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from billing_service.models.base import Base
from billing_service.models.claim import SERIAL
from billing_service.models.types import MoneyAmount
from rcm_shared.db import UTCDateTime, utcnow

# The modifier of a code's own row, which prices the code under any modifier (or none). Not
# NULL: a unique index treats NULLs as distinct, so two rows for the code could stand.
ANY_MODIFIER = ""


class PayerContractRate(Base):
    """One contracted rate: a tenant's contract with a payer is every row of the two, replaced
    whole by each upload."""

    __tablename__ = "payer_contract_rates"
    __table_args__ = (
        Index("uq_payer_contract_rates", "tenant_id", "payer_id", "procedure_code", "modifier",
              unique=True),
    )

    id: Mapped[int] = mapped_column(SERIAL, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(String(64))
    payer_id: Mapped[str] = mapped_column(String(32))
    procedure_code: Mapped[str] = mapped_column(String(5))
    modifier: Mapped[str] = mapped_column(String(2), default=ANY_MODIFIER)
    # Per unit.
    allowed: Mapped[Decimal] = mapped_column(MoneyAmount)
    loaded_by: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
