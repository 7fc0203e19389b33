"""The audit trail: who read or changed which resource, when, through which request.

An entry holds ids only (tenant, the API key's id, the resource's id, the request id), never
the resource's content, so the trail carries no PHI. Each endpoint names what it did through
the AuditRecord it is given (`audit("finalize", id)`): nothing is inferred from the URL or
the response. Entries are written by a before-commit hook (rcm_shared.routing) in the
request's own transaction: a read costs one insert, and a change that rolls back leaves no
entry. Only successful (2xx) requests are recorded, so a request for another tenant's
resource (404) leaves nothing behind.

Each service keeps the entries in its own table, a model built on AuditEntryMixin, and serves
them with `AuditTrail.router()` (GET /v1/audit, admin scope).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel
from sqlalchemy import BigInteger, Index, Integer, String, Table, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, declared_attr, mapped_column
from starlette.responses import Response

from rcm_shared.auth import Principal, authenticate, require_scope
from rcm_shared.db import UTCDateTime, get_session, utcnow
from rcm_shared.ids import Identifier
from rcm_shared.logging import request_id_var
from rcm_shared.openapi import Example, examples
from rcm_shared.pagination import (
    DEFAULT_LIMIT,
    CursorParam,
    Keyset,
    LimitParam,
    Page,
)
from rcm_shared.routing import before_commit

RESOURCE_TYPE_PATTERN = r"^[a-z][a-z_]{0,31}$"


class AuditEntryMixin:
    """Columns of a service's audit table."""

    if TYPE_CHECKING:
        # The declarative base a service mixes this into takes the columns as keywords.
        def __init__(self, **columns: Any) -> None: ...

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    tenant_id: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    resource_type: Mapped[str] = mapped_column(String(32))
    # None for a list read, which names no single resource.
    resource_id: Mapped[str | None] = mapped_column(String(64), default=None)
    request_id: Mapped[str | None] = mapped_column(String(64), default=None)

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        table = cls.__tablename__  # type: ignore[attr-defined]
        return (
            Index(f"ix_{table}_resource", "tenant_id", "resource_type", "resource_id", "id"),
            Index(f"ix_{table}_tenant", "tenant_id", "id"),
        )


class AuditEntryOut(BaseModel):
    id: int
    at: datetime
    tenant_id: str
    actor: str
    action: str
    resource_type: str
    resource_id: str | None
    request_id: str | None


def actor_of(principal: Principal) -> str:
    return f"key:{principal.key_id}"


class AuditRecord:
    """What one request read or changed, named by its endpoint: `audit("finalize", id)`.

    The entries are written before the request's transaction commits, and only if the
    endpoint answered 2xx, so a request that fails leaves nothing behind.
    """

    def __init__(self, trail: AuditTrail, session: AsyncSession, principal: Principal,
                 resource_type: str) -> None:
        self.trail = trail
        self.session = session
        self.principal = principal
        self.resource_type = resource_type
        self.entries: list[tuple[str, str | None]] = []

    def __call__(self, action: str, resource_id: str | None = None) -> None:
        self.entries.append((action, resource_id))

    def take_rows(self) -> list[dict[str, Any]]:
        """The entries named so far as rows of the trail's table, for a statement of the
        endpoint's own to write with its change (one round trip less); they are not written
        again before the commit. Only for a change that answers 2xx or raises, which rolls the
        rows back with it: what holds for the entries written at commit holds for these."""
        rows = [self.trail.row(self.principal, action=action, resource_type=self.resource_type,
                               resource_id=resource_id)
                for action, resource_id in self.entries]
        self.entries.clear()
        return rows

    async def write_if_succeeded(self, response: Response) -> None:
        if not 200 <= response.status_code < 300:
            return
        rows = self.take_rows()
        if rows:
            await self.session.execute(self.trail.insert, rows)


class AuditTrail:
    def __init__(self, model: type[AuditEntryMixin], *, clock: Callable[[], datetime] = utcnow):
        self.model = model
        self.table: Table = model.__table__  # type: ignore[attr-defined]
        self.insert = insert(self.table)
        self.clock = clock

    def row(self, principal: Principal, *, action: str, resource_type: str,
            resource_id: str | None) -> dict[str, Any]:
        """One entry's columns."""
        return {"tenant_id": principal.tenant_id, "at": self.clock(),
                "actor": actor_of(principal), "action": action, "resource_type": resource_type,
                "resource_id": resource_id, "request_id": request_id_var.get()}

    def record(self, session: AsyncSession, principal: Principal, *, action: str,
               resource_type: str, resource_id: str | None) -> None:
        session.add(self.model(**self.row(principal, action=action,
                                          resource_type=resource_type,
                                          resource_id=resource_id)))

    def recorder(self, resource_type: str) -> Callable[..., Awaitable[AuditRecord]]:
        """A dependency giving the endpoint an AuditRecord for `resource_type`."""
        trail = self

        # async although it never waits: FastAPI would run a plain `def` in a worker thread,
        # a thread hop on every request that reads or changes a resource.
        async def audit_record(
            request: Request,
            session: Annotated[AsyncSession, Depends(get_session, scope="function")],
            principal: Annotated[Principal, Depends(authenticate)],
        ) -> AuditRecord:
            record = AuditRecord(trail, session, principal, resource_type)
            before_commit(request, record.write_if_succeeded)
            return record

        return audit_record

    async def page(
        self, session: AsyncSession, tenant_id: str, *, resource_type: str | None,
        resource_id: str | None, limit: int, cursor: str | None,
    ) -> Page[AuditEntryOut]:
        model = self.model
        statement = select(model).where(model.tenant_id == tenant_id)
        if resource_type is not None:
            statement = statement.where(model.resource_type == resource_type)
        if resource_id is not None:
            statement = statement.where(model.resource_id == resource_id)
        listed = await Keyset(model.id, descending=True).scalars(session, statement, cursor, limit)
        return listed.page(lambda row: AuditEntryOut.model_validate(row, from_attributes=True))

    def router(self, *named: Example) -> APIRouter:
        """`named`: the examples of GET /v1/audit in the service's document."""
        router = APIRouter(prefix="/v1", tags=["audit"])
        trail = self

        @router.get(
            "/audit", response_model=Page[AuditEntryOut],
            summary="Who read or changed which resource, newest first (admin scope)",
            openapi_extra=examples(*named),
        )
        async def list_audit_entries(
            session: Annotated[AsyncSession, Depends(get_session, scope="function")],
            principal: Annotated[Principal, Depends(require_scope("admin"))],
            resource_type: Annotated[str | None, Query(
                pattern=RESOURCE_TYPE_PATTERN,
                description="Only entries about this kind of resource (`encounter`, `claim`...)",
            )] = None,
            resource_id: Annotated[Identifier | None, Query(
                description="Only entries about the resource with this id")] = None,
            limit: LimitParam = DEFAULT_LIMIT,
            cursor: CursorParam = None,
        ) -> Page[AuditEntryOut]:
            """The audit trail of the caller's tenant: each entry names the key that acted, the
            action, the resource and the request id, never patient data. Filter by resource type or
            id; paged newest first. Needs the admin scope."""
            return await trail.page(
                session, principal.tenant_id, resource_type=resource_type,
                resource_id=resource_id, limit=limit, cursor=cursor,
            )

        return router
