"""The feed's advisory lock (PostgreSQL): taken by the flush that numbers a published event,
so it is held only from that flush to the commit."""

from __future__ import annotations

import pytest
from coding_flows import coded_encounter
from sqlalchemy import event


async def test_finalize_takes_the_feed_lock_only_for_its_last_flush(client, app):
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
    assert not [s for s in held if s.startswith("SELECT")], held
