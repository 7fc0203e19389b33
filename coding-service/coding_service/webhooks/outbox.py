"""The write side of webhook delivery: one outbox row per subscription per published event.

Called in the transaction that records the event, so a change and its deliveries commit
together; the delivery worker sends them afterwards.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from coding_service.models import EncounterEvent, WebhookDelivery, WebhookSubscription
from coding_service.webhooks.repository import WebhookRepository


async def subscriptions_for(session: AsyncSession, tenant_id: str,
                            event_type: str) -> Sequence[WebhookSubscription]:
    return await WebhookRepository(session, tenant_id).enabled_for(event_type)


async def enqueue_deliveries(session: AsyncSession, event: EncounterEvent,
                             subscriptions: Sequence[WebhookSubscription]) -> None:
    if not subscriptions:
        return
    await session.flush()  # the event's id
    for subscription in subscriptions:
        session.add(WebhookDelivery(
            tenant_id=event.tenant_id,
            subscription_id=subscription.id,
            event_id=event.id,
            status="pending",
            attempts=0,
            next_attempt_at=event.occurred_at,
            created_at=event.occurred_at,
        ))
