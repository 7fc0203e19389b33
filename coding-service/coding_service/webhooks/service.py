"""Webhook subscriptions: create (with a generated secret), read, delete, delivery history."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from coding_service.feed.service import published_type
from coding_service.models import WebhookDelivery, WebhookSubscription
from coding_service.webhooks import schemas
from coding_service.webhooks.repository import WebhookRepository
from coding_service.webhooks.targets import PrivateTargetError, ensure_public_target
from rcm_shared.audit import actor_of
from rcm_shared.auth import Principal
from rcm_shared.db import utcnow
from rcm_shared.issues import issue
from rcm_shared.pagination import Page
from rcm_shared.problems import ProblemError, not_found
from rcm_shared.webhooks import new_secret


def subscription_out(subscription: WebhookSubscription) -> schemas.WebhookOut:
    return schemas.WebhookOut.model_validate(subscription, from_attributes=True)


def _delivery_out(delivery: WebhookDelivery, event_type: str) -> schemas.WebhookDeliveryOut:
    return schemas.WebhookDeliveryOut(
        id=delivery.id,
        event_id=str(delivery.event_id),
        event_type=published_type(event_type),
        status=delivery.status,
        attempts=delivery.attempts,
        last_status_code=delivery.last_status_code,
        last_error=delivery.last_error,
        next_attempt_at=delivery.next_attempt_at if delivery.status == "pending" else None,
        last_attempt_at=delivery.last_attempt_at,
        delivered_at=delivery.delivered_at,
        created_at=delivery.created_at,
    )


class WebhookService:
    def __init__(self, session: AsyncSession, principal: Principal,
                 *, allow_private_targets: bool) -> None:
        self.principal = principal
        self.allow_private_targets = allow_private_targets
        self.repository = WebhookRepository(session, principal.tenant_id)

    async def create(self, body: schemas.WebhookCreate) -> schemas.WebhookCreated:
        if not self.allow_private_targets:
            try:
                await ensure_public_target(str(body.url))
            except PrivateTargetError as exc:
                raise ProblemError(
                    422, "Webhook target refused", f"Webhooks go to public addresses only: {exc}.",
                    type_="validation",
                    issues=[issue("webhook.private_target", "$.url", str(exc))],
                ) from exc
        subscription = WebhookSubscription(
            tenant_id=self.principal.tenant_id,
            url=str(body.url),
            # Each type once, in a stable order.
            events=sorted(set(body.events)),
            secret=body.secret or new_secret(),
            enabled=True,
            consecutive_failures=0,
            created_by=actor_of(self.principal),
            created_at=utcnow(),
        )
        await self.repository.add(subscription)
        return schemas.WebhookCreated(
            **subscription_out(subscription).model_dump(), secret=subscription.secret
        )

    async def get(self, subscription_id: str) -> WebhookSubscription:
        subscription = await self.repository.get(subscription_id)
        if subscription is None:
            raise not_found("webhook subscription")
        return subscription

    async def delete(self, subscription_id: str) -> None:
        await self.repository.delete(await self.get(subscription_id))

    async def list(self, limit: int, cursor: str | None) -> Page[schemas.WebhookOut]:
        return (await self.repository.list(cursor, limit)).page(subscription_out)

    async def deliveries(
        self, subscription_id: str, limit: int, cursor: str | None
    ) -> Page[schemas.WebhookDeliveryOut]:
        await self.get(subscription_id)
        listed = await self.repository.deliveries(subscription_id, cursor, limit)
        return listed.page(lambda row: _delivery_out(*row))

