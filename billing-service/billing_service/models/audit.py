"""The audit trail: who read or changed which claim, coverage or statement (ids only)."""

from __future__ import annotations

from billing_service.models.base import Base
from rcm_shared.audit import AuditEntryMixin


class AuditEntry(AuditEntryMixin, Base):
    __tablename__ = "audit_entries"
