"""What coding-service's routers share: Idempotency-Key handling and the audit trail."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from coding_service.models import AuditEntry, IdempotencyRecord
from rcm_shared.audit import AuditTrail
from rcm_shared.idempotency import IdempotencyStore

idempotency_store = IdempotencyStore(IdempotencyRecord)
audit_trail = AuditTrail(AuditEntry)

# Declared after the endpoint's scope check, so a key lacking the scope is refused before its
# Idempotency-Key is looked at. Needs the router's route_class=TransactionalRoute.
Idempotent = Annotated[None, Depends(idempotency_store.dependency)]
