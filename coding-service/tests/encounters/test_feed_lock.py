"""The feed's advisory lock (PostgreSQL): taken just before the published event is written,
so it is held only from there to the commit."""

from __future__ import annotations

import pytest
from coding_flows import coded_encounter
from sqlalchemy import event


async def test_finalize_takes_the_feed_lock_just_before_writing_its_event(client, app):
    engine = app.state.engine
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite serializes writers without a lock")
    encounter = await coded_encounter(client)
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        statements.append(" ".join(statement.split()).upper())

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        response = await client.post(f"/v1/encounters/{encounter['id']}/finalize")
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
    assert response.status_code == 200, response.text
    locks = [i for i, s in enumerate(statements) if "PG_ADVISORY_XACT_LOCK" in s]
    assert len(locks) == 1
    held = statements[locks[0] + 1:]
    assert any(s.startswith("INSERT INTO ENCOUNTER_EVENTS") for s in held)
    # The encounter and the subscriptions are read before the lock; under it, only the
    # response's read of the provider queries.
    reads = [s for s in held if s.startswith("SELECT")]
    assert all("FROM PROVIDER_QUERIES" in s for s in reads), reads
