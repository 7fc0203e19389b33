"""The write side of webhook delivery: one outbox row per subscription per published event.

Called in the transaction that records the event, so a change and its deliveries commit
together; the delivery worker sends them afterwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from coding_service.models import WebhookDelivery, WebhookSubscription
from coding_service.webhooks.repository import WebhookRepository


async def subscriptions_for(session: AsyncSession, tenant_id: str,
                            event_type: str) -> Sequence[WebhookSubscription]:
    return await WebhookRepository(session, tenant_id).enabled_for(event_type)


async def enqueue_deliveries(session: AsyncSession, tenant_id: str, event_id: int,
                             occurred_at: datetime,
                             subscriptions: Sequence[WebhookSubscription]) -> None:
    """One pending delivery of the event per subscription, due at once."""
    if not subscriptions:
        return
    await session.execute(insert(WebhookDelivery), [
        {"tenant_id": tenant_id, "subscription_id": subscription.id, "event_id": event_id,
         "status": "pending", "attempts": 0, "next_attempt_at": occurred_at,
         "created_at": occurred_at}
        for subscription in subscriptions])
