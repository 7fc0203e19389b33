"""What billing makes of a coding-service encounter event, exactly once.

An encounter.finalized event builds the claim of the encounter's current coding version as
POST /v1/claims does, under the same rules; when they refuse (no coverage in force, a claim
still standing for an earlier coding version, whose correction is a biller's decision) the
event is skipped with the reason. Whatever came of it is recorded in the same transaction as
the claim, keyed by (tenant, event type, encounter, coding version): the same event again, by
webhook or from the feed, finds the record and does nothing. Two deliveries racing each other
meet at the claims' unique (tenant, encounter, coding version) and at the record's own unique
key, so one claim is built whatever the order.

A failure that may pass (coding-service unreachable or refusing billing's key) records
nothing and is raised: the webhook answers an error so coding-service retries, the follower keeps
its cursor and tries again next round.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from billing_service.claims.schemas import ClaimCreate
from billing_service.claims.service import ClaimService
from billing_service.claims.transitions import SYSTEM_ACTOR
from billing_service.codingclient.client import CodingClient, CodingReader
from billing_service.codingclient.schemas import EncounterEvent
from billing_service.codingevents.repository import CodingEventRepository
from billing_service.codingevents.schemas import CodingEventOut, WebhookEvent, WebhookReceipt
from billing_service.config import CodingTenant, Settings
from billing_service.models import CodingEvent
from billing_service.models.coding_event import EventSource, Outcome
from billing_service.payers.service import PayerService
from rcm_shared.auth import Principal
from rcm_shared.pagination import Slice
from rcm_shared.problems import ProblemError
from rcm_shared.webhooks import WebhookSignatureError, verify

logger = logging.getLogger("billing.coding_events")
FINALIZED = "encounter.finalized"
# coding-service answers that another attempt may change: nothing is recorded. 403: billing's
# configured key for the tenant lacks coding:read, which a configuration change fixes.
TRANSIENT_STATUSES = frozenset({403, 502, 503})


def authorization(tenant: CodingTenant) -> str:
    return f"Bearer {tenant.api_key.get_secret_value()}"


def event_out(row: CodingEvent) -> CodingEventOut:
    return CodingEventOut(
        id=row.id, event_type=row.event_type, encounter_id=row.encounter_id,
        coding_version=row.coding_version, source=row.source, outcome=row.outcome,
        reason=row.reason, claim_id=row.claim_id, received_at=row.received_at,
    )


def _refused_signature() -> ProblemError:
    # One answer for an unknown tenant and a wrong signature: nothing to learn from probing.
    return ProblemError(401, "Unauthorized", "The webhook-signature does not verify.",
                        type_="bad-webhook-signature")


def _secrets(tenant: CodingTenant | None) -> list[str]:
    return [s.get_secret_value() for s in tenant.webhook_secrets] if tenant else []


class CodingEventService:
    """Not bound to one caller: an event names its own tenant (a webhook is authenticated by
    its signature, the follower reads each configured tenant's feed), so each method takes
    the tenant it acts for."""

    def __init__(self, session: AsyncSession, *, coding: CodingClient, payers: PayerService,
                 settings: Settings) -> None:
        self.session = session
        self.coding = coding
        self.payers = payers
        self.settings = settings

    async def _act(self, tenant_id: str, tenant: CodingTenant,
                   event: EncounterEvent) -> tuple[Outcome, str | None, str | None]:
        """(outcome, reason, claim id) of the event, nothing recorded yet."""
        if event.type != FINALIZED:
            return "ignored", f"billing builds claims from {FINALIZED} events only", None
        system = Principal(tenant_id, frozenset({"billing:write"}), SYSTEM_ACTOR)
        claims = ClaimService(self.session, system, payers=self.payers,
                              coding=CodingReader(self.coding, authorization(tenant)),
                              retry_after_seconds=self.settings.coding_retry_after_seconds)
        built = await claims.repository.for_encounter_version(event.encounter_id,
                                                              event.coding_version)
        if built is not None:
            return "existing", None, built.id
        try:
            claim, created = await claims.create(ClaimCreate(encounter_id=event.encounter_id))
        except ProblemError as exc:
            if exc.status in TRANSIENT_STATUSES:
                raise
            # No coverage in force, a claim already standing for an earlier coding version, an
            # encounter reopened meanwhile or unknown for this tenant: a person settles it.
            reasons = [exc.detail, *(i["message"] for i in exc.issues or []
                                     if i["message"] != exc.detail)]
            return "skipped", " ".join(reasons), None
        return ("created" if created else "existing"), None, claim.id

    async def consume(self, tenant_id: str, tenant: CodingTenant, event: EncounterEvent, *,
                      source: EventSource) -> tuple[CodingEvent, bool]:
        """The record of the event, and whether this call acted on it (False: already
        done)."""
        repository = CodingEventRepository(self.session, tenant_id)
        key = (event.type, event.encounter_id, event.coding_version)
        seen = await repository.find(*key)
        if seen is not None:
            return seen, False
        outcome, reason, claim_id = await self._act(tenant_id, tenant, event)
        record = CodingEvent(
            tenant_id=tenant_id, event_type=event.type, encounter_id=event.encounter_id,
            coding_version=event.coding_version, cursor=event.cursor, source=source,
            outcome=outcome, reason=reason, claim_id=claim_id,
        )
        try:
            await repository.add(record)
        except IntegrityError:
            # The same event by the other route, recorded first while this one was acting;
            # the claims' unique key made both find one claim.
            seen = await repository.find(*key)
            if seen is None:
                raise
            return seen, False
        logger.info("coding event consumed", extra={"event": event.type, "outcome": outcome,
                                                    "source": source})
        return record, True

    async def receive_webhook(self, event: WebhookEvent, body: bytes,
                              headers: Mapping[str, str], *, now: float) -> WebhookReceipt:
        """A delivery from coding-service, `body` as received: its signature checked with the
        secrets of the tenant the event names, then consumed for that tenant."""
        tenant = self.settings.coding_tenants.get(event.tenant_id)
        secrets = _secrets(tenant)
        if tenant is None or not secrets:
            raise _refused_signature()
        try:
            verify(secrets, body, headers, now=now,
                   tolerance_seconds=self.settings.coding_webhook_tolerance_seconds)
        except WebhookSignatureError as exc:
            raise _refused_signature() from exc
        record, acted = await self.consume(event.tenant_id, tenant, event, source="webhook")
        return WebhookReceipt(duplicate=not acted, event=event_out(record))

    async def list_page(self, tenant_id: str, *, outcome: Outcome | None, limit: int,
                        cursor: str | None) -> Slice[CodingEvent]:
        return await CodingEventRepository(self.session, tenant_id).page(
            outcome=outcome, cursor=cursor, limit=limit)
