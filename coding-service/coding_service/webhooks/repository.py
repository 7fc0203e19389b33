"""Every webhook query. The API's are scoped to the caller's tenant; the delivery worker's
serve every tenant (each delivery row carries its tenant)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Row, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from coding_service.models import EncounterEvent, WebhookDelivery, WebhookSubscription
from rcm_shared.pagination import Keyset, Slice

SUBSCRIPTION_ORDER = Keyset(WebhookSubscription.created_at, WebhookSubscription.id)
NEWEST_DELIVERY_FIRST = Keyset(WebhookDelivery.id, descending=True)


class WebhookRepository:
    def __init__(self, session: AsyncSession, tenant_id: str) -> None:
        self.session = session
        self.tenant_id = tenant_id

    async def add(self, subscription: WebhookSubscription) -> None:
        self.session.add(subscription)
        await self.session.flush()

    async def get(self, subscription_id: str) -> WebhookSubscription | None:
        statement = select(WebhookSubscription).where(
            WebhookSubscription.tenant_id == self.tenant_id,
            WebhookSubscription.id == subscription_id,
        )
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def delete(self, subscription: WebhookSubscription) -> None:
        await self.session.delete(subscription)

    async def list(self, cursor: str | None, limit: int) -> Slice[WebhookSubscription]:
        statement = select(WebhookSubscription).where(
            WebhookSubscription.tenant_id == self.tenant_id
        )
        return await SUBSCRIPTION_ORDER.scalars(self.session, statement, cursor, limit)

    async def enabled_for(self, event_type: str) -> Sequence[WebhookSubscription]:
        statement = select(WebhookSubscription).where(
            WebhookSubscription.tenant_id == self.tenant_id,
            WebhookSubscription.enabled.is_(True),
        )
        rows = (await self.session.execute(statement)).scalars().all()
        # A JSON list is filtered here: the same on SQLite and PostgreSQL, and a tenant has few.
        return [row for row in rows if event_type in row.events]

    async def deliveries(
        self, subscription_id: str, cursor: str | None, limit: int
    ) -> Slice[Row[WebhookDelivery, str]]:
        statement = (
            select(WebhookDelivery, EncounterEvent.type)
            .join(EncounterEvent, EncounterEvent.id == WebhookDelivery.event_id)
            .where(
                WebhookDelivery.tenant_id == self.tenant_id,
                WebhookDelivery.subscription_id == subscription_id,
            )
        )
        rows = (await self.session.execute(
            NEWEST_DELIVERY_FIRST.select(statement, cursor, limit)
        )).all()
        return NEWEST_DELIVERY_FIRST.cut(rows, limit, keyed_by=lambda row: row[0])


class DeliveryRepository:
    """The delivery worker's queries: across tenants, as it delivers every tenant's events."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def due_deliveries(
        self, now: datetime, limit: int
    ) -> Sequence[Row[WebhookDelivery, WebhookSubscription, EncounterEvent]]:
        """Pending deliveries whose time has come, locked against other replicas.

        SKIP LOCKED lets replicas polling together take different deliveries (PostgreSQL; SQLite
        has a single writer anyway). Only the delivery rows are locked.
        """
        statement = (
            select(WebhookDelivery, WebhookSubscription, EncounterEvent)
            .join(WebhookSubscription, WebhookSubscription.id == WebhookDelivery.subscription_id)
            .join(EncounterEvent, EncounterEvent.id == WebhookDelivery.event_id)
            .where(
                WebhookDelivery.status == "pending",
                WebhookDelivery.next_attempt_at <= now,
                WebhookSubscription.enabled.is_(True),
            )
            .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
            .limit(limit)
            .with_for_update(skip_locked=True, of=WebhookDelivery)
        )
        return (await self.session.execute(statement)).all()

    async def lock_subscriptions(
        self, subscription_ids: Sequence[str]
    ) -> dict[str, WebhookSubscription]:
        # In id order, so two workers recording results never wait on each other in a cycle.
        # FOR NO KEY UPDATE still lets new deliveries reference the rows meanwhile.
        statement = (
            select(WebhookSubscription)
            .where(WebhookSubscription.id.in_(sorted(subscription_ids)))
            .order_by(WebhookSubscription.id)
            .with_for_update(key_share=True)
            .execution_options(populate_existing=True)
        )
        return {row.id: row for row in (await self.session.execute(statement)).scalars()}

    async def lock_deliveries(
        self, delivery_ids: Sequence[int]
    ) -> dict[int, WebhookDelivery]:
        statement = (
            select(WebhookDelivery)
            .where(WebhookDelivery.id.in_(sorted(delivery_ids)))
            .order_by(WebhookDelivery.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return {row.id: row for row in (await self.session.execute(statement)).scalars()}

    async def fail_pending_deliveries(self, subscription_ids: Sequence[str]) -> None:
        await self.session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.subscription_id.in_(subscription_ids),
                   WebhookDelivery.status == "pending")
            .values(status="failed")
        )
