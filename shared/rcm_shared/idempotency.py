"""Idempotency-Key: a retried request returns the first response instead of acting twice.

A client sends `Idempotency-Key: <up to 255 visible ASCII characters>` on a POST (or PUT).
The first request with a key inserts a record, unique on (tenant, key), in the request's own
transaction, before the endpoint does anything; the response is stored in that record just
before the transaction commits (rcm_shared.routing.TransactionalRoute). So the key, the effect
and the stored response commit together or not at all:

- a retry with the same key and the same request (method, path, query and JSON body) answers
  the stored status, body and ETag/Location headers, plus `Idempotent-Replayed: true`;
- the same key with a different request answers 422;
- two requests with one key at once: the second one's insert waits on the unique index
  (PostgreSQL) or on the write lock (SQLite) until the first commits, then replays it;
- an error answer rolls the whole transaction back, key included, so nothing happened and the
  same key may be sent again;
- keys expire 24 hours after their first use; an expired key starts afresh.

Each service keeps the records in its own table, a model built on IdempotencyRecordMixin.

An endpoint that commits its work in steps (a long upload posted in chunks, so SQLite's one
write lock is not held for all of it) takes `IdempotencyStore.deferred` instead: the key is
looked up first (a used key replays, as above) but claimed only with the last step, so a
request that fails half-way leaves the key unused, and its retry finishes the work. Such an
endpoint's steps must themselves be safe to run twice.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any, cast

import orjson
from fastapi import Depends, Header, Request
from sqlalchemy import JSON, Integer, LargeBinary, String, delete, select
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column
from starlette.responses import Response

from rcm_shared.auth import Principal, authenticate
from rcm_shared.db import UTCDateTime, get_session, utcnow
from rcm_shared.issues import issue
from rcm_shared.problems import ProblemError
from rcm_shared.routing import EarlyResponse, before_commit

IDEMPOTENCY_KEY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_LIFETIME = timedelta(hours=24)
MAX_KEY_LENGTH = 255
KEY_PATTERN = r"^[\x21-\x7e]+$"
_KEY_RE = re.compile(KEY_PATTERN)
# Headers that describe the stored result; the rest (request id, date) belong to each answer.
_STORED_HEADERS = ("content-type", "etag", "location")

KEY_DESCRIPTION = (
    "Makes the request safe to retry: the first response is stored for 24 hours and a retry "
    "with the same key answers it again (with `Idempotent-Replayed: true`) instead of acting "
    "twice. The same key with a different request answers 422. Up to 255 visible ASCII "
    "characters, e.g. a UUID."
)


class IdempotencyRecordMixin:
    """Columns of a service's idempotency table: one row per (tenant, key)."""

    if TYPE_CHECKING:
        # The declarative base a service mixes this into takes the columns as keywords.
        def __init__(self, **columns: Any) -> None: ...

    tenant_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(MAX_KEY_LENGTH), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    # Empty until the request's response is stored, in the same transaction.
    status_code: Mapped[int | None] = mapped_column(Integer, default=None)
    response_headers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    response_body: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


def request_fingerprint(method: str, path: str, query: str, body: bytes) -> str:
    """SHA-256 of the request; a JSON body is normalised so key order and spacing don't count."""
    try:
        canonical = orjson.dumps(orjson.loads(body), option=orjson.OPT_SORT_KEYS) if body else b""
    except orjson.JSONDecodeError:
        canonical = body
    digest = hashlib.sha256()
    for part in (method.upper().encode(), path.encode(), query.encode(), canonical):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _bad_key(message: str) -> ProblemError:
    return ProblemError(
        400, "Bad Idempotency-Key", message, type_="bad-idempotency-key",
        issues=[issue("http.idempotency_key", f"header:{IDEMPOTENCY_KEY_HEADER}", message)],
    )


def check_key(key: str) -> str:
    if not key:
        raise _bad_key("The Idempotency-Key is empty.")
    if len(key) > MAX_KEY_LENGTH:
        raise _bad_key(f"The Idempotency-Key is longer than {MAX_KEY_LENGTH} characters.")
    if not _KEY_RE.match(key):
        raise _bad_key("The Idempotency-Key may hold only visible ASCII characters.")
    return key


class IdempotencyStore:
    """Claims keys and stores responses in a service's own idempotency table."""

    def __init__(
        self,
        model: type[IdempotencyRecordMixin],
        *,
        lifetime: timedelta = KEY_LIFETIME,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.model = model
        self.lifetime = lifetime
        self.clock = clock
        self.dependency = self._build_dependency()
        self.deferred = self._build_dependency(deferred=True)

    async def claim(
        self, session: AsyncSession, tenant_id: str, key: str, fingerprint: str
    ) -> IdempotencyRecordMixin:
        """The new record for a first use of the key; raises EarlyResponse to replay a used one.

        Call before the request changes anything: on PostgreSQL a concurrent request with the
        same key waits here until this request's transaction ends.
        """
        now = self.clock()
        existing = await self._find(session, tenant_id, key)
        if existing is not None and existing.expires_at <= now:
            await session.delete(existing)
            await session.flush()
            existing = None
        if existing is None:
            record = self.model(
                tenant_id=tenant_id, key=key, fingerprint=fingerprint, response_headers={},
                created_at=now, expires_at=now + self.lifetime,
            )
            try:
                async with session.begin_nested():
                    session.add(record)
            except IntegrityError:
                # A concurrent request with this key committed first: answer as it did.
                existing = await self._find(session, tenant_id, key)
                if existing is None:
                    raise _in_progress() from None
            else:
                return record
        raise self._answer_for(existing, fingerprint)

    def complete(self, record: IdempotencyRecordMixin, response: Response) -> None:
        record.status_code = response.status_code
        record.response_body = bytes(response.body)
        record.response_headers = {
            name: response.headers[name] for name in _STORED_HEADERS if name in response.headers
        }

    async def purge_expired(self, session: AsyncSession) -> int:
        model = self.model
        # An ORM DELETE answers a CursorResult, which the session's execute() does not declare.
        result = cast(
            "CursorResult[Any]",
            await session.execute(delete(model).where(model.expires_at <= self.clock())),
        )
        return result.rowcount or 0

    async def _find(
        self, session: AsyncSession, tenant_id: str, key: str
    ) -> IdempotencyRecordMixin | None:
        model = self.model
        statement = (
            select(model)
            .where(model.tenant_id == tenant_id, model.key == key)
            .execution_options(populate_existing=True)
        )
        return (await session.execute(statement)).scalar_one_or_none()

    @staticmethod
    def _answer_for(record: IdempotencyRecordMixin, fingerprint: str) -> Exception:
        if record.fingerprint != fingerprint:
            message = "This Idempotency-Key was used with a different request."
            return ProblemError(
                422, "Idempotency-Key reused", message + " Send a new key for a new request.",
                type_="idempotency-key-reused",
                issues=[issue("http.idempotency_key_reused",
                              f"header:{IDEMPOTENCY_KEY_HEADER}", message)],
            )
        if record.status_code is None:
            return _in_progress()
        headers = {**record.response_headers, REPLAYED_HEADER: "true"}
        return EarlyResponse(
            Response(record.response_body, status_code=record.status_code, headers=headers)
        )

    async def check(
        self, session: AsyncSession, tenant_id: str, key: str, fingerprint: str
    ) -> None:
        """Raises EarlyResponse to replay a used key (422 for another request, 409 while in
        progress) without claiming it; returns when the key is unused or expired."""
        existing = await self._find(session, tenant_id, key)
        if existing is not None and existing.expires_at > self.clock():
            raise self._answer_for(existing, fingerprint)

    def _build_dependency(self, *, deferred: bool = False) -> Callable[..., Any]:
        store = self

        async def idempotency_key(
            request: Request,
            session: Annotated[AsyncSession, Depends(get_session, scope="function")],
            principal: Annotated[Principal, Depends(authenticate)],
            key: Annotated[str | None, Header(
                alias=IDEMPOTENCY_KEY_HEADER, description=KEY_DESCRIPTION,
                # Documented for clients; checked below so a bad key answers 400, not 422.
                json_schema_extra={"minLength": 1, "maxLength": MAX_KEY_LENGTH,
                                   "pattern": KEY_PATTERN},
            )] = None,
        ) -> None:
            if key is None:
                return
            fingerprint = request_fingerprint(
                request.method, request.url.path, request.url.query, await request.body()
            )
            checked = check_key(key)
            if deferred:
                await store.check(session, principal.tenant_id, checked, fingerprint)
                # Ends the read at once: on SQLite it holds the write lock, which the
                # endpoint's own steps each take in turn.
                await session.commit()

                async def claim_and_store(response: Response) -> None:
                    try:
                        record = await store.claim(session, principal.tenant_id, checked,
                                                   fingerprint)
                    except EarlyResponse:
                        # A request with the same key finished first; its retry replays it.
                        raise _in_progress() from None
                    store.complete(record, response)

                before_commit(request, claim_and_store)
                return
            record = await store.claim(session, principal.tenant_id, checked, fingerprint)

            async def store_response(response: Response) -> None:
                store.complete(record, response)

            before_commit(request, store_response)

        return idempotency_key


def _in_progress() -> ProblemError:
    return ProblemError(
        409, "Request in progress",
        "A request with this Idempotency-Key is still being processed; retry shortly.",
        type_="idempotency-key-in-progress", headers={"Retry-After": "1"},
    )
