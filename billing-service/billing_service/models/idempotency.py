"""Idempotency-Key records: the stored first response of each (tenant, key)."""

from __future__ import annotations

from billing_service.models.base import Base
from rcm_shared.idempotency import IdempotencyRecordMixin


class IdempotencyRecord(IdempotencyRecordMixin, Base):
    __tablename__ = "idempotency_keys"
