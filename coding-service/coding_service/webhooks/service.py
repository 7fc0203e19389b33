"""Webhook subscriptions: create (with a generated secret), read, delete, delivery history."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from coding_service.feed.service import published_type
from coding_service.models import WebhookSubscription
from coding_service.webhooks import schemas
from coding_service.webhooks.repository import WebhookRepository
from coding_service.webhooks.targets import PrivateTargetError, ensure_public_target
from rcm_shared.audit import actor_of
from rcm_shared.auth import Principal
from rcm_shared.db import utcnow
from rcm_shared.issues import issue
from rcm_shared.pagination import Page, cursor_id, cursor_time, decode_cursor, encode_cursor
from rcm_shared.problems import ProblemError, not_found
from rcm_shared.webhooks import new_secret


def subscription_out(subscription: WebhookSubscription) -> schemas.WebhookOut:
    return schemas.WebhookOut.model_validate(subscription, from_attributes=True)


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
        after = None
        if cursor:
            after_time, after_id = decode_cursor(cursor, cursor_time, str)
            after = (after_time, after_id)
        rows = await self.repository.list(after=after, limit=limit + 1)
        next_cursor = None
        if len(rows) > limit:
            last = rows[limit - 1]
            next_cursor = encode_cursor(last.created_at.isoformat(), last.id)
        return Page[schemas.WebhookOut](
            items=[subscription_out(row) for row in rows[:limit]], next_cursor=next_cursor
        )

    async def deliveries(
        self, subscription_id: str, limit: int, cursor: str | None
    ) -> Page[schemas.WebhookDeliveryOut]:
        await self.get(subscription_id)
        before_id = decode_cursor(cursor, cursor_id)[0] if cursor else None
        rows = await self.repository.deliveries(subscription_id, before_id=before_id,
                                                limit=limit + 1)
        items = [
            schemas.WebhookDeliveryOut(
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
            for delivery, event_type in rows[:limit]
        ]
        next_cursor = encode_cursor(rows[limit - 1][0].id) if len(rows) > limit else None
        return Page[schemas.WebhookDeliveryOut](items=items, next_cursor=next_cursor)
