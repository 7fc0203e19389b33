"""Idempotency-Key over a small app with its own table: replay, mismatch, expiry, races."""

# No `from __future__ import annotations`: the endpoints below are built inside a function,
# and FastAPI must see their Annotated dependencies as objects, not as names to look up.

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Annotated

import httpx
import pytest
from fastapi import APIRouter, Depends, FastAPI, status
from pydantic import BaseModel
from sqlalchemy import String, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from rcm_shared.auth import ApiKeyRegistry, Principal, demo_api_keys, require_scope
from rcm_shared.db import create_engine, get_session, new_metadata, session_factory
from rcm_shared.idempotency import (
    IdempotencyRecordMixin,
    IdempotencyStore,
    check_key,
    request_fingerprint,
)
from rcm_shared.problems import ProblemError, install_problem_handlers
from rcm_shared.routing import TransactionalRoute
from rcm_shared.testing import throwaway_database

CLINIC_A = {"Authorization": "Bearer demo-key-clinic-a"}
CLINIC_B = {"Authorization": "Bearer demo-key-clinic-b"}
START = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = new_metadata()


class KeyRecord(IdempotencyRecordMixin, Base):
    __tablename__ = "idempotency_keys"


class Note(Base):
    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(String(100))


class NoteIn(BaseModel):
    text: str


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


class Gate:
    """Holds a request inside its transaction until the test opens it."""

    def __init__(self) -> None:
        self.entered = asyncio.Event()
        self.opened = asyncio.Event()
        self.opened.set()


def build_app(store: IdempotencyStore, gate: Gate) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    app.state.api_keys = ApiKeyRegistry(demo_api_keys())
    router = APIRouter(route_class=TransactionalRoute)
    Session = Annotated[AsyncSession, Depends(get_session, scope="function")]
    Writer = Annotated[Principal, Depends(require_scope("coding:write"))]
    Idempotent = Annotated[None, Depends(store.dependency)]

    @router.post("/notes", status_code=status.HTTP_201_CREATED)
    async def add_note(body: NoteIn, session: Session, principal: Writer,
                       idempotency: Idempotent) -> dict[str, object]:
        if body.text == "fail":
            raise ProblemError(409, "Conflict", "refused on purpose")
        note = Note(tenant_id=principal.tenant_id, text=body.text)
        session.add(note)
        await session.flush()
        gate.entered.set()
        await gate.opened.wait()
        return {"id": note.id, "text": note.text}

    untransactional = APIRouter()

    @untransactional.post("/plain")
    async def plain(session: Session, principal: Writer, idempotency: Idempotent) -> None:
        return None

    app.include_router(router)
    app.include_router(untransactional)
    return app


@pytest.fixture(scope="module")
def database_url(tmp_path_factory: pytest.TempPathFactory):
    with throwaway_database("shared_idempotency", tmp_path_factory.mktemp("idem")) as url:
        yield url


@pytest.fixture
async def harness(database_url: str) -> AsyncIterator[tuple[httpx.AsyncClient, Clock, Gate,
                                                           IdempotencyStore, FastAPI]]:
    engine = create_engine(database_url)
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.drop_all)
        await connection.run_sync(Base.metadata.create_all)
    clock, gate = Clock(), Gate()
    store = IdempotencyStore(KeyRecord, clock=clock)
    app = build_app(store, gate)
    app.state.sessionmaker = session_factory(engine)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t",
                                 headers=CLINIC_A) as client:
        yield client, clock, gate, store, app
    await engine.dispose()


async def note_count(app: FastAPI) -> int:
    async with app.state.sessionmaker() as session:
        return await session.scalar(select(func.count()).select_from(Note)) or 0


def test_the_fingerprint_ignores_json_key_order_and_spacing_but_not_content() -> None:
    one = request_fingerprint("POST", "/notes", "", b'{"a": 1, "b": [1, 2]}')
    assert one == request_fingerprint("post", "/notes", "", b'{"b":[1,2],"a":1}')
    assert one != request_fingerprint("POST", "/notes", "", b'{"a": 2, "b": [1, 2]}')
    assert one != request_fingerprint("POST", "/other", "", b'{"a": 1, "b": [1, 2]}')
    assert one != request_fingerprint("POST", "/notes", "x=1", b'{"a": 1, "b": [1, 2]}')
    assert request_fingerprint("POST", "/n", "", b"not json") != request_fingerprint(
        "POST", "/n", "", b"not json!")


@pytest.mark.parametrize("key", ["", "x" * 256, "caf\u00e9", "two words"])
def test_malformed_keys_answer_400(key: str) -> None:
    with pytest.raises(ProblemError) as raised:
        check_key(key)
    assert raised.value.status == 400
    assert raised.value.issues[0]["path"] == "header:Idempotency-Key"


def test_a_key_of_255_visible_characters_is_accepted() -> None:
    key = "k" * 254 + "~"
    assert check_key(key) == key


async def test_a_replay_answers_the_first_response_and_acts_once(harness) -> None:
    client, _, _, _, app = harness
    headers = {"Idempotency-Key": "note-1"}
    first = await client.post("/notes", json={"text": "hello"}, headers=headers)
    again = await client.post("/notes", content=b'{ "text" : "hello" }',
                              headers={**headers, "Content-Type": "application/json"})
    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert await note_count(app) == 1


async def test_the_same_key_with_another_body_answers_422(harness) -> None:
    client, _, _, _, app = harness
    headers = {"Idempotency-Key": "note-2"}
    assert (await client.post("/notes", json={"text": "one"}, headers=headers)).status_code == 201
    other = await client.post("/notes", json={"text": "two"}, headers=headers)
    assert other.status_code == 422
    assert other.json()["type"].endswith("/idempotency-key-reused")
    assert other.json()["issues"][0]["path"] == "header:Idempotency-Key"
    assert await note_count(app) == 1


async def test_keys_belong_to_a_tenant(harness) -> None:
    client, _, _, _, app = harness
    headers = {"Idempotency-Key": "shared-key"}
    mine = await client.post("/notes", json={"text": "a"}, headers=headers)
    theirs = await client.post("/notes", json={"text": "a"}, headers={**headers, **CLINIC_B})
    assert theirs.status_code == 201 and "idempotent-replayed" not in theirs.headers
    assert theirs.json()["id"] != mine.json()["id"]
    assert await note_count(app) == 2


async def test_an_error_keeps_nothing_so_the_key_can_be_used_again(harness) -> None:
    client, _, _, _, app = harness
    headers = {"Idempotency-Key": "note-3"}
    refused = await client.post("/notes", json={"text": "fail"}, headers=headers)
    assert refused.status_code == 409
    # Not a replay of the 409 and not a 422: the refused request left no trace.
    retried = await client.post("/notes", json={"text": "fixed"}, headers=headers)
    assert retried.status_code == 201 and "idempotent-replayed" not in retried.headers
    assert await note_count(app) == 1


async def test_keys_expire_after_24_hours_and_are_purged(harness) -> None:
    client, clock, _, store, app = harness
    headers = {"Idempotency-Key": "note-4"}
    await client.post("/notes", json={"text": "x"}, headers=headers)
    clock.now = START + timedelta(hours=23, minutes=59)
    assert (await client.post("/notes", json={"text": "x"},
                              headers=headers)).headers.get("idempotent-replayed") == "true"
    clock.now = START + timedelta(hours=24)
    fresh = await client.post("/notes", json={"text": "x"}, headers=headers)
    assert fresh.status_code == 201 and "idempotent-replayed" not in fresh.headers
    assert await note_count(app) == 2

    await client.post("/notes", json={"text": "y"}, headers={"Idempotency-Key": "note-5"})
    clock.now = START + timedelta(hours=48, seconds=1)
    async with app.state.sessionmaker() as session, session.begin():
        assert await store.purge_expired(session) == 2
    async with app.state.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(KeyRecord)) == 0


async def test_without_a_key_nothing_is_stored(harness) -> None:
    client, _, _, _, app = harness
    await client.post("/notes", json={"text": "x"})
    await client.post("/notes", json={"text": "x"})
    assert await note_count(app) == 2
    async with app.state.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(KeyRecord)) == 0


async def test_a_scope_failure_comes_before_any_replay(harness) -> None:
    client, _, _, _, _ = harness
    headers = {"Idempotency-Key": "note-6"}
    await client.post("/notes", json={"text": "x"}, headers=headers)
    readonly = {"Authorization": "Bearer demo-key-clinic-a-readonly", **headers}
    assert (await client.post("/notes", json={"text": "x"}, headers=readonly)).status_code == 403


async def test_a_record_without_a_response_answers_409_in_progress(harness) -> None:
    client, _, _, _, app = harness
    async with app.state.sessionmaker() as session, session.begin():
        fingerprint = request_fingerprint("POST", "/notes", "", b'{"text":"x"}')
        session.add(KeyRecord(tenant_id="clinic-a", key="note-7", fingerprint=fingerprint,
                              response_headers={}, created_at=START,
                              expires_at=START + timedelta(hours=24)))
    response = await client.post("/notes", json={"text": "x"},
                                 headers={"Idempotency-Key": "note-7"})
    assert response.status_code == 409 and response.headers["retry-after"] == "1"
    assert await note_count(app) == 0


async def test_concurrent_requests_with_one_key_have_one_effect(harness) -> None:
    client, _, gate, _, app = harness
    gate.opened.clear()
    headers = {"Idempotency-Key": "race"}
    first = asyncio.create_task(client.post("/notes", json={"text": "r"}, headers=headers))
    await asyncio.wait_for(gate.entered.wait(), 10)  # the first holds its key, uncommitted
    second = asyncio.create_task(client.post("/notes", json={"text": "r"}, headers=headers))
    # The second waits on the key's unique index (PostgreSQL) or the write lock (SQLite);
    # this pause only gives it the chance to get there before the first commits.
    await asyncio.sleep(0.05)
    assert not second.done()
    gate.opened.set()
    one, two = await first, await second
    assert one.status_code == two.status_code == 201
    assert two.content == one.content and two.headers["idempotent-replayed"] == "true"
    assert await note_count(app) == 1


async def test_a_route_without_the_transactional_class_refuses_to_run(harness) -> None:
    client, _, _, _, _ = harness
    response = await client.post("/plain", headers={"Idempotency-Key": "plain"})
    assert response.status_code == 500
