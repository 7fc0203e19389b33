"""The data-at-scale step's data: encounters, their published events, claims and claim lines
generated inside PostgreSQL (INSERT ... SELECT over generate_series, through the migrated
schema), and the plans of the reads measured on them.

One tenant holds SCALE_ROWS encounters and as many claims (clinic-a, whose demo key the load
generator sends); ten more hold a tenth of that each (clinic-b, whose key measures the smaller
tenant, and nine others beside it), so every read is scoped in tables of twice SCALE_ROWS.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote

import asyncpg

from benchmarks.seed import STATUSES
from billing_service.worklist.repository import OLDEST_FIRST
from coding_service.feed.repository import FEED_ORDER

SCALE_ROWS = 1_000_000
BIG_TENANT = "clinic-a"
SMALL_TENANT = "clinic-b"
SMALL_TENANTS = 10
CLAIMS_PER_PATIENT = 3
# Where the encounters stand: most finalized long ago, the recent ones still being coded.
ENCOUNTER_STATUSES = ("finalized",) * 7 + ("open", "open", "needs_clarification")
ENCOUNTER_DIAGNOSES = '[{"code": "E11.9"}, {"code": "I10"}]'
ENCOUNTER_LINES = ('[{"procedure_code": "99214", "modifiers": [], "units": 1, '
                   '"charge": "180.00", "diagnosis_pointers": [1, 2]}]')
# A row a minute, the newest now: a million span about two years.
SPACING = "interval '1 minute'"


def tenants(rows: int) -> list[tuple[str, int]]:
    small = rows // SMALL_TENANTS
    others = [f"scale-{number:02d}" for number in range(2, SMALL_TENANTS + 1)]
    return [(BIG_TENANT, rows), (SMALL_TENANT, small), *((name, small) for name in others)]


def _dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


def _array(values: tuple[str, ...]) -> str:
    return "ARRAY[" + ", ".join(f"'{value}'" for value in values) + "]"


# $1 tenant, $2 rows, $3 patients. Ids are md5 UUIDs of the tenant and number, so the claims
# name the encounters they bill.
_ENCOUNTERS = f"""
INSERT INTO encounters (id, tenant_id, external_id, patient_id, patient_first_name,
  patient_last_name, patient_birth_date, patient_sex, date_of_service, place_of_service,
  rendering_provider_npi, billing_provider_npi, status, version, coding_version, diagnoses,
  service_lines, issues, created_at, updated_at)
SELECT md5($1 || '/' || n)::uuid::text, $1, 'scale-' || n, 'MRN-' || (n % $3), 'Scale',
  'Patient', date '1961-05-20', 'F', (now() - n * {SPACING})::date - 1, '11', '1245319599',
  '1234567893', ({_array(ENCOUNTER_STATUSES)})[1 + n % {len(ENCOUNTER_STATUSES)}],
  3, 1, '{ENCOUNTER_DIAGNOSES}', '{ENCOUNTER_LINES}', '[]', now() - n * {SPACING},
  now() - n * {SPACING}
FROM generate_series(1, $2) AS n
"""
_FEED_EVENTS = """
INSERT INTO encounter_events (tenant_id, encounter_id, type, actor, occurred_at, published, data)
SELECT tenant_id, id, 'encounter.finalized', 'scale', updated_at, true,
  '{"coding_version": 1}'
FROM encounters WHERE tenant_id = $1 AND status = 'finalized' ORDER BY updated_at
"""
_COVERAGE = """
INSERT INTO coverages (id, tenant_id, patient_id, payer_id, member_id, relationship,
  subscriber_first_name, subscriber_last_name, subscriber_birth_date, subscriber_sex,
  effective_from, version, created_at, updated_at)
VALUES ('scale-coverage-' || $1, $1, 'MRN-0', 'MOCK-HMO', 'H20000001', 'self', 'Scale',
  'Patient', date '1961-05-20', 'F', date '2020-01-01', 1, now(), now())
"""
# As benchmarks.seed writes them: a tenth each rejected, denied and paid (a patient balance
# left), the rest submitted, accepted or partially paid.
_CLAIMS = f"""
INSERT INTO claims (id, tenant_id, patient_control_number, encounter_id, coding_version,
  coverage_id, payer_id, patient_id, patient_first_name, patient_last_name, patient_birth_date,
  patient_sex, date_of_service, place_of_service, rendering_provider_npi, billing_provider_npi,
  diagnoses, status, frequency_code, payer_claim_control_number, submission_count,
  first_submitted_at, last_submitted_at, total_charge, paid_amount, adjustment_amount,
  patient_responsibility, scrub_issues, payer_errors, version, created_by, created_at,
  updated_at)
SELECT md5('claim/' || $1 || '/' || n)::uuid::text, $1,
  upper(substr(md5('pcn/' || $1 || '/' || n), 1, 20)), md5($1 || '/' || n)::uuid::text, 1,
  'scale-coverage-' || $1, 'MOCK-HMO', 'MRN-' || (n % $3), 'Scale', 'Patient',
  date '1961-05-20', 'F', served, '11', '1245319599', '1234567893', '["E11.9", "I10"]',
  status, '1', CASE WHEN status = 'submitted' THEN NULL ELSE 'P' || n END, 1, sent, sent,
  charge,
  CASE status WHEN 'partially_paid' THEN round(charge / 2, 2)
              WHEN 'paid' THEN charge - 20 ELSE 0 END,
  0, 0, '[]', '[]', 1, 'scale', sent, sent
FROM (
  SELECT n, ({_array(STATUSES)})[1 + n % {len(STATUSES)}] AS status,
    (now() - n * {SPACING})::date - 1 AS served,
    (now() - n * {SPACING} + interval '2 days') AS sent,
    (95 + n % 400) + (n % 100) / 100.0 AS charge
  FROM generate_series(1, $2) AS n
) AS generated
"""
_CLAIM_LINES = """
INSERT INTO claim_lines (claim_id, line_number, procedure_code, modifiers, units, charge,
  diagnosis_pointers, date_of_service)
SELECT id, 1, '99214', '[]', 1, total_charge, '[1, 2]', date_of_service
FROM claims WHERE tenant_id = $1
"""


async def _run(url: str, statements: list[tuple[str, tuple[Any, ...]]],
               tables: tuple[str, ...]) -> None:
    connection = await asyncpg.connect(_dsn(url), timeout=10)
    try:
        # A bulk load, not a clinic's day: no synchronous flush per statement.
        await connection.execute("SET synchronous_commit = off")
        for statement, args in statements:
            await connection.execute(statement, *args)
        for table in tables:
            # What autovacuum would do after it: statistics and the visibility map.
            await connection.execute(f"VACUUM ANALYZE {table}")
    finally:
        await connection.close()


def load(coding_url: str, billing_url: str, rows: int) -> dict[str, float]:
    """Both services' data for every tenant; the seconds each service's load took."""
    coding: list[tuple[str, tuple[Any, ...]]] = []
    billing: list[tuple[str, tuple[Any, ...]]] = []
    for tenant, count in tenants(rows):
        patients = max(1, count // CLAIMS_PER_PATIENT)
        coding += [(_ENCOUNTERS, (tenant, count, patients)), (_FEED_EVENTS, (tenant,))]
        billing += [(_COVERAGE, (tenant,)), (_CLAIMS, (tenant, count, patients)),
                    (_CLAIM_LINES, (tenant,))]
    seconds = {}
    for name, url, statements, tables in (
            ("coding", coding_url, coding, ("encounters", "encounter_events")),
            ("billing", billing_url, billing, ("claims", "claim_lines", "coverages",
                                               # Updated once per claim by their triggers.
                                               "claim_open_balances", "claim_denial_counts"))):
        started = time.perf_counter()
        asyncio.run(_run(url, statements, tables))
        seconds[name] = round(time.perf_counter() - started, 1)
    return seconds


def fetch(url: str, sql: str, *args: Any) -> list[asyncpg.Record]:
    async def run() -> list[asyncpg.Record]:
        connection = await asyncpg.connect(_dsn(url), timeout=10)
        try:
            return list(await connection.fetch(sql, *args))
        finally:
            await connection.close()

    return asyncio.run(run())


def reads(coding_url: str, billing_url: str, tenant: str, rows: int,
          ) -> list[tuple[str, str, str]]:
    """(label, service, path) of every read measured for `tenant`: the lists with each
    filter, the worklist's first page and one deep in it, a patient's statement, the feed
    (first page and one from the middle) and the code search."""
    patients = max(1, rows // CLAIMS_PER_PATIENT)
    patient = f"MRN-{patients // 2}"
    encounter = fetch(coding_url, "SELECT id FROM encounters WHERE tenant_id = $1 AND "
                      "external_id = $2", tenant, f"scale-{rows // 2}")[0]["id"]
    since = quote((datetime.now(UTC) - timedelta(days=1)).isoformat())
    middle = fetch(coding_url, "SELECT min(id) + (max(id) - min(id)) / 2 AS id FROM "
                   "encounter_events WHERE tenant_id = $1", tenant)[0]["id"]
    feed_middle = FEED_ORDER.cursor_of(SimpleNamespace(id=middle))
    deep = _worklist_position(billing_url, tenant, rows)
    return [
        ("encounters", "coding", "/v1/encounters?limit=50"),
        ("encounters ?status=needs_clarification", "coding",
         "/v1/encounters?limit=50&status=needs_clarification"),
        ("encounters ?patient_id", "coding", f"/v1/encounters?limit=50&patient_id={patient}"),
        ("encounters ?updated_after (a day)", "coding",
         f"/v1/encounters?limit=50&updated_after={since}"),
        ("claims", "billing", "/v1/claims?limit=50"),
        ("claims ?status=denied", "billing", "/v1/claims?limit=50&status=denied"),
        ("claims ?payer_id", "billing", "/v1/claims?limit=50&payer_id=MOCK-HMO"),
        ("claims ?patient_id", "billing", f"/v1/claims?limit=50&patient_id={patient}"),
        ("claims ?encounter_id", "billing", f"/v1/claims?limit=50&encounter_id={encounter}"),
        ("worklist, first page", "billing", "/v1/worklist?limit=50"),
        ("worklist, a page deep in it", "billing",
         f"/v1/worklist?limit=50&cursor={OLDEST_FIRST.cursor_of(deep)}"),
        ("patient statement", "billing", f"/v1/patients/{patient}/statement"),
        ("feed, first page", "coding", "/v1/events?limit=100"),
        ("feed, from halfway", "coding", f"/v1/events?limit=100&cursor={feed_middle}"),
        ("code search", "coding", "/v1/codes/icd10cm?q=diabetes&limit=10"),
    ]


def _worklist_position(billing_url: str, tenant: str, rows: int) -> SimpleNamespace:
    """The claim halfway down the worklist, as the key its cursor holds."""
    found = fetch(billing_url, "SELECT created_at, id FROM claims WHERE tenant_id = $1 AND "
                  "status IN ('rejected', 'denied') ORDER BY created_at, id OFFSET $2 LIMIT 1",
                  tenant, rows // 10)[0]
    return SimpleNamespace(created_at=found["created_at"], id=found["id"])


@contextmanager
def captured_statements(engine: Any) -> Iterator[list[tuple[str, Any]]]:
    """The SELECT statements `engine` sends while inside, with their parameters."""
    from sqlalchemy import event  # noqa: PLC0415

    found: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
                executemany: bool) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            found.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", capture)
    try:
        yield found
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", capture)


async def explain(url: str, statement: str, parameters: Any) -> str:
    connection = await asyncpg.connect(_dsn(url), timeout=10)
    try:
        rows = await connection.fetch("EXPLAIN (ANALYZE, BUFFERS) " + statement,
                                      *(parameters or ()))
    finally:
        await connection.close()
    return "\n".join(row[0] for row in rows)
