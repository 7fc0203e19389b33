"""Every encounter query. Each one is scoped to the caller's tenant."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from coding_service.models import CodingVersion, Encounter, EncounterEvent, ProviderQuery
from coding_service.webhooks.outbox import enqueue_deliveries, subscriptions_for
from rcm_shared.db import dialect_insert
from rcm_shared.pagination import Keyset, Slice

LEAST_RECENTLY_UPDATED = Keyset(Encounter.updated_at, Encounter.id)
EVENT_ORDER = Keyset(EncounterEvent.id)
VERSION_ORDER = Keyset(CodingVersion.coding_version)


class EncounterRepository:
    def __init__(self, session: AsyncSession, tenant_id: str) -> None:
        self.session = session
        self.tenant_id = tenant_id

    async def get(self, encounter_id: str, *, for_update: bool = False) -> Encounter | None:
        statement = select(Encounter).where(
            Encounter.id == encounter_id, Encounter.tenant_id == self.tenant_id
        )
        if for_update:
            statement = statement.with_for_update()
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def get_by_external_id(self, external_id: str) -> Encounter | None:
        statement = select(Encounter).where(
            Encounter.tenant_id == self.tenant_id, Encounter.external_id == external_id
        )
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def insert_unless_known(self, values: dict[str, Any]) -> Encounter | None:
        """Insert the encounter in one statement, unless the tenant already has one with its
        external_id (then None: another request may have just created it)."""
        statement = (
            dialect_insert(self.session, Encounter)
            .values(tenant_id=self.tenant_id, **values)
            .on_conflict_do_nothing(index_elements=["tenant_id", "external_id"])
            .returning(Encounter)
        )
        return (await self.session.scalars(statement)).one_or_none()

    async def list(
        self,
        *,
        status: str | None,
        patient_id: str | None,
        updated_after: datetime | None,
        cursor: str | None,
        limit: int,
    ) -> Slice[Encounter]:
        statement = select(Encounter).where(Encounter.tenant_id == self.tenant_id)
        if status is not None:
            statement = statement.where(Encounter.status == status)
        if patient_id is not None:
            statement = statement.where(Encounter.patient_id == patient_id)
        if updated_after is not None:
            statement = statement.where(Encounter.updated_at > updated_after)
        return await LEAST_RECENTLY_UPDATED.scalars(self.session, statement, cursor, limit)

    async def queries(self, encounter_id: str) -> Sequence[ProviderQuery]:
        statement = (
            select(ProviderQuery)
            .where(
                ProviderQuery.tenant_id == self.tenant_id,
                ProviderQuery.encounter_id == encounter_id,
            )
            .order_by(ProviderQuery.asked_at, ProviderQuery.id)
        )
        return (await self.session.execute(statement)).scalars().all()

    async def get_query(self, encounter_id: str, query_id: str) -> ProviderQuery | None:
        statement = select(ProviderQuery).where(
            ProviderQuery.tenant_id == self.tenant_id,
            ProviderQuery.encounter_id == encounter_id,
            ProviderQuery.id == query_id,
        )
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def count_open_queries(self, encounter_id: str) -> int:
        statement = select(func.count()).where(
            ProviderQuery.tenant_id == self.tenant_id,
            ProviderQuery.encounter_id == encounter_id,
            ProviderQuery.status == "open",
        )
        return (await self.session.execute(statement)).scalar_one()

    async def add_query(self, query: ProviderQuery) -> None:
        self.session.add(query)
        await self.session.flush()

    async def add_coding_version(self, snapshot: CodingVersion) -> None:
        self.session.add(snapshot)

    async def get_coding_version(self, encounter_id: str, number: int) -> CodingVersion | None:
        statement = select(CodingVersion).where(
            CodingVersion.tenant_id == self.tenant_id,
            CodingVersion.encounter_id == encounter_id,
            CodingVersion.coding_version == number,
        )
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def coding_versions(
        self, encounter_id: str, cursor: str | None, limit: int
    ) -> Slice[CodingVersion]:
        statement = select(CodingVersion).where(
            CodingVersion.tenant_id == self.tenant_id,
            CodingVersion.encounter_id == encounter_id,
        )
        return await VERSION_ORDER.scalars(self.session, statement, cursor, limit)

    async def record_event(
        self,
        encounter: Encounter,
        type_: str,
        actor: str,
        data: dict[str, Any],
        *,
        published: bool = False,
    ) -> None:
        event = EncounterEvent(
            tenant_id=self.tenant_id,
            encounter_id=encounter.id,
            type=type_,
            actor=actor,
            occurred_at=encounter.updated_at,
            published=published,
            data=data,
        )
        if not published:
            self.session.add(event)
            return
        subscriptions = await subscriptions_for(self.session, self.tenant_id, type_)
        await self._hold_feed_order()
        self.session.add(event)
        await enqueue_deliveries(self.session, event, subscriptions)

    async def _hold_feed_order(self) -> None:
        """Make feed ids commit in the order they are allocated, per tenant.

        On PostgreSQL two transactions can take ids 7 and 8 and commit 8 first; a reader at
        cursor 8 would then never see 7. A transaction-scoped advisory lock, taken just before
        the published event is written (the last write of its transaction) and held until
        commit, rules that out; the webhook subscriptions are read before it, so nothing but
        writes wait behind it. SQLite already serializes writers.
        """
        if self.session.get_bind().dialect.name == "postgresql":
            await self.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
                                       {"key": f"encounter-feed:{self.tenant_id}"})

    async def events(
        self, encounter_id: str, cursor: str | None, limit: int
    ) -> Slice[EncounterEvent]:
        statement = select(EncounterEvent).where(
            EncounterEvent.tenant_id == self.tenant_id,
            EncounterEvent.encounter_id == encounter_id,
        )
        return await EVENT_ORDER.scalars(self.session, statement, cursor, limit)
