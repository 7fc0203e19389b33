"""The feed's advisory lock (PostgreSQL): taken by the statement that writes the published
event, before the event's row (and so its id) is made, so it is held only from there to the
commit."""

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
    locked = statements[locks[0]]
    # The event's row is selected from the lock's result: its id is drawn under the lock.
    assert "INSERT INTO ENCOUNTER_EVENTS" in locked
    assert "FEED_LOCK AS (SELECT PG_ADVISORY_XACT_LOCK" in locked
    event_insert = locked[locked.index("INSERT INTO ENCOUNTER_EVENTS"):]
    assert event_insert.index("FROM FEED_LOCK") < event_insert.index("RETURNING")
    # The encounter and its provider queries are read before it; nothing runs after it.
    assert statements[locks[0] + 1:] == []
