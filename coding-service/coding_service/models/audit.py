"""The audit trail: who read or changed which encounter (ids only, never PHI)."""

from __future__ import annotations

from coding_service.models.base import Base
from rcm_shared.audit import AuditEntryMixin


class AuditEntry(AuditEntryMixin, Base):
    __tablename__ = "audit_entries"
