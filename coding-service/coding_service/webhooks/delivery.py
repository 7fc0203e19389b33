"""The delivery worker: send due webhook deliveries, signed; retry with backoff; give up.

One round (deliver_due_once) has three steps, so no transaction stays open while a consumer
answers:

1. claim: lock due deliveries (FOR UPDATE SKIP LOCKED on PostgreSQL) and push their
   next_attempt_at a lease ahead, so another replica leaves them alone while they are sent;
2. send: POST each body, signed, to its subscription's URL, all at once, each with a timeout;
3. record: delivered, or retried after rcm_shared.backoff's wait (base * 2^(attempt-1)
   seconds, at most max, less up to half as jitter); a subscription whose attempts failed
   max_consecutive_failures times in a row is disabled, and its pending deliveries marked
   failed.

A worker that dies between send and record leaves the delivery pending: it is sent again
when the lease ends. Delivery is at least once; consumers deduplicate on webhook-id.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from coding_service.config import Settings
from coding_service.feed.service import feed_event
from coding_service.models import EncounterEvent, WebhookSubscription
from coding_service.webhooks.repository import DeliveryRepository
from coding_service.webhooks.targets import PrivateTargetError
from rcm_shared.backoff import backoff
from rcm_shared.db import utcnow
from rcm_shared.jsonutil import dumps
from rcm_shared.webhooks import signed_headers

logger = logging.getLogger("coding.webhooks")
# Time a claimed delivery stays reserved beyond the request timeout, for the recording step.
LEASE_MARGIN = timedelta(seconds=30)


@dataclass(frozen=True, slots=True)
class DeliveryPolicy:
    timeout_seconds: float = 5.0
    batch_size: int = 20
    retry_base_seconds: float = 10.0
    retry_max_seconds: float = 3600.0
    max_consecutive_failures: int = 10

    @classmethod
    def from_settings(cls, settings: Settings) -> DeliveryPolicy:
        return cls(
            timeout_seconds=settings.webhook_timeout_seconds,
            batch_size=settings.webhook_batch_size,
            retry_base_seconds=settings.webhook_retry_base_seconds,
            retry_max_seconds=settings.webhook_retry_max_seconds,
            max_consecutive_failures=settings.webhook_max_consecutive_failures,
        )

    @property
    def lease(self) -> timedelta:
        return timedelta(seconds=self.timeout_seconds) + LEASE_MARGIN


@dataclass(frozen=True, slots=True)
class _Claimed:
    delivery_id: int
    subscription_id: str
    url: str
    secret: str
    event_id: str
    event_type: str
    body: bytes


@dataclass(frozen=True, slots=True)
class _Outcome:
    claimed: _Claimed
    status_code: int | None
    error: str | None

    @property
    def delivered(self) -> bool:
        return self.error is None


@dataclass(slots=True)
class RoundResult:
    delivered: int = 0
    failed: int = 0
    disabled_subscriptions: list[str] = field(default_factory=list)

    @property
    def attempted(self) -> int:
        return self.delivered + self.failed


def delivery_body(event: EncounterEvent) -> bytes:
    """The feed's event with its id and tenant: the same facts, never patient data."""
    return dumps({"id": str(event.id), "tenant_id": event.tenant_id,
                  **feed_event(event).model_dump(mode="json")})


async def deliver_due_once(
    sessionmaker: async_sessionmaker[AsyncSession],
    http: httpx.AsyncClient,
    policy: DeliveryPolicy,
    *,
    clock: Callable[[], datetime] = utcnow,
    jitter: Callable[[], float] = random.random,
) -> RoundResult:
    claimed = await _claim_due(sessionmaker, policy, clock())
    if not claimed:
        return RoundResult()
    outcomes = await asyncio.gather(*(_send(http, item, policy, clock) for item in claimed))
    return await _record(sessionmaker, outcomes, policy, clock(), jitter)


async def _claim_due(
    sessionmaker: async_sessionmaker[AsyncSession], policy: DeliveryPolicy, now: datetime
) -> list[_Claimed]:
    async with sessionmaker() as session, session.begin():
        rows = await DeliveryRepository(session).due_deliveries(now, policy.batch_size)
        claimed = []
        for delivery, subscription, event in rows:
            delivery.next_attempt_at = now + policy.lease
            claimed.append(_claimed(delivery.id, subscription, event))
        return claimed


def _claimed(delivery_id: int, subscription: WebhookSubscription,
             event: EncounterEvent) -> _Claimed:
    return _Claimed(
        delivery_id=delivery_id, subscription_id=subscription.id, url=subscription.url,
        secret=subscription.secret, event_id=str(event.id), event_type=event.type,
        body=delivery_body(event),
    )


async def _send(http: httpx.AsyncClient, item: _Claimed, policy: DeliveryPolicy,
                clock: Callable[[], datetime]) -> _Outcome:
    timestamp = int(clock().timestamp())
    headers = {"Content-Type": "application/json",
               **signed_headers(item.secret, item.event_id, timestamp, item.body)}
    try:
        # Streamed and closed unread: only the status matters, whatever the consumer sends.
        async with http.stream("POST", item.url, content=item.body, headers=headers,
                               timeout=policy.timeout_seconds) as response:
            status = response.status_code
    except PrivateTargetError:  # raised by the production transport, on connecting
        return _Outcome(item, None, "private target refused")
    except httpx.TimeoutException:
        return _Outcome(item, None, "timeout")
    except httpx.HTTPError as exc:
        return _Outcome(item, None, type(exc).__name__)
    if 200 <= status < 300:
        return _Outcome(item, status, None)
    return _Outcome(item, status, f"HTTP {status}")


async def _record(
    sessionmaker: async_sessionmaker[AsyncSession],
    outcomes: Sequence[_Outcome],
    policy: DeliveryPolicy,
    now: datetime,
    jitter: Callable[[], float],
) -> RoundResult:
    result = RoundResult()
    async with sessionmaker() as session, session.begin():
        repository = DeliveryRepository(session)
        subscriptions = await repository.lock_subscriptions(
            list({o.claimed.subscription_id for o in outcomes}))
        deliveries = await repository.lock_deliveries([o.claimed.delivery_id for o in outcomes])
        for outcome in sorted(outcomes, key=lambda o: o.claimed.delivery_id):
            delivery = deliveries.get(outcome.claimed.delivery_id)
            subscription = subscriptions.get(outcome.claimed.subscription_id)
            if delivery is None or subscription is None or delivery.status != "pending":
                continue  # the subscription was deleted or gave up meanwhile
            delivery.attempts += 1
            delivery.last_attempt_at = now
            delivery.last_status_code = outcome.status_code
            delivery.last_error = outcome.error
            log_extra = {"event": outcome.claimed.event_type, "attempt": delivery.attempts}
            if outcome.delivered:
                delivery.status = "delivered"
                delivery.delivered_at = now
                subscription.consecutive_failures = 0
                result.delivered += 1
                logger.info("webhook delivered", extra=log_extra)
                continue
            delivery.next_attempt_at = now + backoff(
                delivery.attempts, base_seconds=policy.retry_base_seconds,
                max_seconds=policy.retry_max_seconds, jitter=jitter())
            subscription.consecutive_failures += 1
            result.failed += 1
            logger.warning("webhook delivery failed",
                           extra={**log_extra, "error_type": outcome.error})
            if (subscription.enabled
                    and subscription.consecutive_failures >= policy.max_consecutive_failures):
                subscription.enabled = False
                subscription.disabled_at = now
                result.disabled_subscriptions.append(subscription.id)
        if result.disabled_subscriptions:
            await session.flush()
            await repository.fail_pending_deliveries(result.disabled_subscriptions)
            logger.warning("webhook subscriptions disabled after repeated failures",
                           extra={"attempt": policy.max_consecutive_failures})
    return result
