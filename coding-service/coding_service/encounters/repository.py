"""Every encounter query. Each one is scoped to the caller's tenant."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import (
    CTE,
    Select,
    Table,
    and_,
    bindparam,
    func,
    insert,
    literal,
    select,
    text,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from coding_service.models import (
    AuditEntry,
    CodingVersion,
    Encounter,
    EncounterEvent,
    ProviderQuery,
    WebhookDelivery,
    WebhookSubscription,
)
from coding_service.models.encounter import new_id
from coding_service.webhooks.outbox import enqueue_deliveries, subscriptions_for
from rcm_shared.pagination import Keyset, Slice

LEAST_RECENTLY_UPDATED = Keyset(Encounter.updated_at, Encounter.id)
EVENT_ORDER = Keyset(EncounterEvent.id)
VERSION_ORDER = Keyset(CodingVersion.coding_version)

# The write path's statements are Core, built once (their cache keys and SQL with them): the
# ORM's unit of work cost more Python per request than everything else the change does.
_ENCOUNTERS = cast(Table, Encounter.__table__)
_QUERIES = cast(Table, ProviderQuery.__table__)
_EVENTS = cast(Table, EncounterEvent.__table__)
_VERSIONS = cast(Table, CodingVersion.__table__)
_SUBSCRIPTIONS = cast(Table, WebhookSubscription.__table__)
_DELIVERIES = cast(Table, WebhookDelivery.__table__)
_AUDIT = cast(Table, AuditEntry.__table__)
_ENCOUNTER_NAMES = [column.name for column in _ENCOUNTERS.columns]
_QUERY_NAMES = [column.name for column in _QUERIES.columns]

# The encounter locked for a change, with its provider queries (which the answer shows) read
# in the same round trip: one row per query, or one with no query.
_LOCK_FOR_CHANGE = (
    select(_ENCOUNTERS, *(column.label(f"query_{column.name}") for column in _QUERIES.columns))
    .outerjoin(_QUERIES, and_(_QUERIES.c.encounter_id == _ENCOUNTERS.c.id,
                              _QUERIES.c.tenant_id == _ENCOUNTERS.c.tenant_id))
    .where(_ENCOUNTERS.c.id == bindparam("encounter"),
           _ENCOUNTERS.c.tenant_id == bindparam("tenant"))
    .order_by(_QUERIES.c.asked_at, _QUERIES.c.id)
    .with_for_update(of=_ENCOUNTERS)
)
_EVENT_COLUMNS = ("tenant_id", "encounter_id", "type", "actor", "occurred_at", "published",
                  "data")
_DELIVERY_COLUMNS = ("tenant_id", "subscription_id", "event_id", "status", "attempts",
                     "next_attempt_at", "created_at")


def _param(table: Any, column: str, name: str) -> Any:
    """A bound parameter typed as `column` (its JSON or UTC handling with it). Named unlike
    any column: a DML statement takes a parameter named as one of its columns for a value."""
    return bindparam(name, type_=table.c[column].type)


def _event_values() -> list[Any]:
    return [_param(_EVENTS, "tenant_id", "tenant"), _param(_EVENTS, "encounter_id", "encounter"),
            _param(_EVENTS, "type", "event_type"), _param(_EVENTS, "actor", "event_actor"),
            _param(_EVENTS, "occurred_at", "event_at"),
            _param(_EVENTS, "published", "event_published"),
            _param(_EVENTS, "data", "event_data")]


_INSERT_EVENT = (insert(_EVENTS).values(dict(zip(_EVENT_COLUMNS, _event_values(), strict=True)))
                 .returning(_EVENTS.c.id))
_INSERT_SNAPSHOT = insert(_VERSIONS).values({
    column: _param(_VERSIONS, column, f"snapshot_{column}")
    for column in ("tenant_id", "encounter_id", "coding_version", "diagnoses", "service_lines",
                   "finalized_at", "finalized_by")})
_INSERT_AUDIT = insert(_AUDIT)


@cache
def _update_encounter(columns: tuple[str, ...]) -> Any:
    return (update(_ENCOUNTERS)
            .where(_ENCOUNTERS.c.id == bindparam("encounter"),
                   _ENCOUNTERS.c.tenant_id == bindparam("tenant"))
            .values({column: _param(_ENCOUNTERS, column, f"set_{column}")
                     for column in columns}))


@cache
def _create_encounter(dialect: str) -> Any:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING the encounter; on PostgreSQL with its event
    written by the same statement."""
    # Imported here: a service on one engine never pays for importing the other's dialect.
    dialect_insert: Any
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    created = (
        dialect_insert(_ENCOUNTERS)
        .values({name: _param(_ENCOUNTERS, name, f"new_{name}") for name in _ENCOUNTER_NAMES})
        .on_conflict_do_nothing(index_elements=["tenant_id", "external_id"])
        .returning(*_ENCOUNTERS.columns)
    )
    if dialect != "postgresql":
        return created
    written = created.cte("created")
    values = _event_values()
    values[1] = written.c.id
    event = insert(_EVENTS).from_select(list(_EVENT_COLUMNS), select(*values).select_from(written))
    return select(written).add_cte(event.cte("event"))


@dataclass(frozen=True)
class Change:
    """An encounter's change as one write: its changed columns, the event recording it, the
    coding version it freezes (finalize) and the request's audit entries."""

    encounter: Encounter
    columns: tuple[str, ...]
    event_type: str
    actor: str
    data: dict[str, Any]
    published: bool = False
    snapshot: Mapping[str, Any] | None = None
    audit_rows: Sequence[Mapping[str, Any]] = ()

    def parameters(self, tenant_id: str) -> dict[str, Any]:
        encounter = self.encounter
        values: dict[str, Any] = {
            "tenant": tenant_id, "encounter": encounter.id, "event_type": self.event_type,
            "event_actor": self.actor, "event_at": encounter.updated_at,
            "event_published": self.published, "event_data": self.data,
            **{f"set_{column}": getattr(encounter, column) for column in self.columns},
        }
        if self.snapshot is not None:
            values |= {f"snapshot_{column}": value for column, value in self.snapshot.items()}
        for number, row in enumerate(self.audit_rows):
            values |= {f"audit{number}_{column}": value for column, value in row.items()}
        return values


@cache
def _postgresql_change(columns: tuple[str, ...], published: bool, snapshot: bool,
                       audit_rows: int) -> Select[tuple[int]]:
    """The whole change in one statement on PostgreSQL, each write a data-modifying CTE: the
    update, the coding version, the event (after the feed's lock when published, with its
    webhook deliveries) and the audit entries. Answers the event's id."""
    from sqlalchemy.dialects.postgresql import JSONB

    writes: list[CTE] = [_update_encounter(columns).cte("changed")]
    if snapshot:
        writes.append(_INSERT_SNAPSHOT.cte("snapshot"))
    source = select(*_event_values())
    if published:
        # Feed ids commit in the order they are allocated (see _hold_feed_order): the event's
        # row, and so its id, is produced only once this transaction holds the tenant's lock.
        feed_lock = select(func.pg_advisory_xact_lock(
            func.hashtext(bindparam("feed_key", type_=_EVENTS.c.tenant_id.type)))).cte("feed_lock")
        source = source.select_from(feed_lock)
    event = (insert(_EVENTS).from_select(list(_EVENT_COLUMNS), source)
             .returning(_EVENTS.c.id, _EVENTS.c.tenant_id, _EVENTS.c.occurred_at).cte("event"))
    if published:
        subscriptions = _SUBSCRIPTIONS.c
        writes.append(insert(_DELIVERIES).from_select(list(_DELIVERY_COLUMNS), select(
            subscriptions.tenant_id, subscriptions.id, event.c.id, literal("pending"),
            literal(0), event.c.occurred_at, event.c.occurred_at,
        ).where(
            subscriptions.tenant_id == event.c.tenant_id,
            subscriptions.enabled.is_(True),
            # A JSON list of event types: jsonb's ? finds a string among its elements.
            subscriptions.events.cast(JSONB).has_key(_param(_EVENTS, "type", "event_type")),
        )).cte("deliveries"))
    for number in range(audit_rows):
        writes.append(insert(_AUDIT).values({
            column.name: _param(_AUDIT, column.name, f"audit{number}_{column.name}")
            for column in _AUDIT.columns if column.name != "id"
        }).cte(f"audit{number}"))
    return select(event.c.id).add_cte(*writes)


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

    async def lock_for_change(
        self, encounter_id: str
    ) -> tuple[Encounter, Sequence[ProviderQuery]] | None:
        """The encounter, locked until the transaction ends, and its provider queries; the
        objects are not the session's, so only `write_change` writes what changes on them."""
        rows = (await self.session.execute(
            _LOCK_FOR_CHANGE, {"encounter": encounter_id, "tenant": self.tenant_id}
        )).all()
        if not rows:
            return None
        columns = len(_ENCOUNTER_NAMES)
        encounter = Encounter(**dict(zip(_ENCOUNTER_NAMES, rows[0][:columns], strict=True)))
        queries = [ProviderQuery(**dict(zip(_QUERY_NAMES, row[columns:], strict=True)))
                   for row in rows if row[columns] is not None]
        return encounter, queries

    async def write_change(self, change: Change) -> None:
        """The change, its event (and coding version, webhook deliveries) and audit entries:
        one statement on PostgreSQL; on SQLite, which has no data-modifying CTEs, one each."""
        parameters = change.parameters(self.tenant_id)
        if self._on_postgresql():
            parameters["feed_key"] = self._feed_key()
            statement = _postgresql_change(change.columns, change.published,
                                           change.snapshot is not None, len(change.audit_rows))
            await self.session.execute(statement, parameters)
            return
        await self.session.execute(_update_encounter(change.columns), parameters)
        if change.snapshot is not None:
            await self.session.execute(_INSERT_SNAPSHOT, parameters)
        subscriptions = (await subscriptions_for(self.session, self.tenant_id,
                                                 change.event_type)
                         if change.published else ())
        event_id = (await self.session.execute(_INSERT_EVENT, parameters)).scalar_one()
        await enqueue_deliveries(self.session, self.tenant_id, event_id,
                                 change.encounter.updated_at, subscriptions)
        if change.audit_rows:
            await self.session.execute(_INSERT_AUDIT, list(change.audit_rows))

    async def get_by_external_id(self, external_id: str) -> Encounter | None:
        statement = select(Encounter).where(
            Encounter.tenant_id == self.tenant_id, Encounter.external_id == external_id
        )
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def insert_unless_known(self, values: Mapping[str, Any], event_type: str, actor: str,
                                  data: dict[str, Any]) -> Encounter | None:
        """Insert the encounter with its event, unless the tenant already has one with its
        external_id (then None: another request may have just created it). One statement on
        PostgreSQL, the insert then the event on SQLite."""
        parameters = {
            "new_id": new_id(), "new_tenant_id": self.tenant_id,
            **{f"new_{column}": value for column, value in values.items()},
            "tenant": self.tenant_id, "event_type": event_type, "event_actor": actor,
            "event_at": values["updated_at"], "event_published": False, "event_data": data,
        }
        dialect = self.session.get_bind().dialect.name
        row = (await self.session.execute(_create_encounter(dialect), parameters)).one_or_none()
        if row is None:
            return None
        encounter = Encounter(**dict(zip(_ENCOUNTER_NAMES, row, strict=True)))
        if dialect != "postgresql":
            parameters["encounter"] = encounter.id
            await self.session.execute(_INSERT_EVENT, parameters)
        return encounter

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
        if subscriptions:
            await self.session.flush()  # the event's id
            await enqueue_deliveries(self.session, self.tenant_id, event.id, event.occurred_at,
                                     subscriptions)

    async def _hold_feed_order(self) -> None:
        """Make feed ids commit in the order they are allocated, per tenant.

        On PostgreSQL two transactions can take ids 7 and 8 and commit 8 first; a reader at
        cursor 8 would then never see 7. A transaction-scoped advisory lock, taken just before
        the published event is written (the last write of its transaction) and held until
        commit, rules that out; the webhook subscriptions are read before it, so nothing but
        writes wait behind it. SQLite already serializes writers.
        """
        if self._on_postgresql():
            await self.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
                                       {"key": self._feed_key()})

    def _feed_key(self) -> str:
        return f"encounter-feed:{self.tenant_id}"

    def _on_postgresql(self) -> bool:
        return self.session.get_bind().dialect.name == "postgresql"

    async def events(
        self, encounter_id: str, cursor: str | None, limit: int
    ) -> Slice[EncounterEvent]:
        statement = select(EncounterEvent).where(
            EncounterEvent.tenant_id == self.tenant_id,
            EncounterEvent.encounter_id == encounter_id,
        )
        return await EVENT_ORDER.scalars(self.session, statement, cursor, limit)
