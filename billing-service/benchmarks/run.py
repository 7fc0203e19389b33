"""`make bench`: every benchmark in one run, printed as a table and written to
docs/benchmarks.md.

    cd billing-service && uv run python -m benchmarks [--seconds 8] [--only ceiling,validate]

Each throughput row: the server process(es) start, a warm-up runs, then the load generator
(its own process) measures for a fixed time. Start-up rows start a service on a fresh
database and time it to its first 200 on /readyz.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks import scale
from benchmarks.report import Row, StartupRow, render_markdown, render_table, write_doc
from benchmarks.seed import add_open_claims
from benchmarks.servers import (
    BILLING_DIR,
    REPO,
    Server,
    Worker,
    postgres_database,
    postgres_reachable,
    postgres_version,
    query_postgres,
    run_cli,
)

PG_URL = os.environ.get("PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")
CONNECTIONS = 50
STORY_CONNECTIONS = 32
# The story with one `billing-service worker` process (the row with the target), then two:
# how the payer conversation grows with a second process.
STORY_WORKER_PROCESSES = (1, 2)
BATCH_SIZE = 1000
BATCH_CONNECTIONS = 2
SEARCH_CLIENTS = 50
# Each type-ahead client sends a query every 100 ms: someone typing ten characters a second.
SEARCH_PACE_SECONDS = 0.1
STARTUP_RUNS = 3
# The worklist row: one biller's screen, at a small practice's open claims and a clinic's.
WORKLIST_CLAIMS = (500, 50_000)
WORKLIST_CONNECTIONS = 1
WORKLIST_TENANT = "clinic-a"
ADJUDICATED = ("paid", "partially_paid", "denied")
# The scale step: each read by a client of its own, paced (one every SCALE_READ_PACE seconds,
# its latency counted from when it was due, so a slow answer is not hidden by the next one
# waiting), while write-path users code and finalize encounters in coding-service beside
# them, each one encounter every SCALE_WRITE_PACE seconds (20 a second in all, 72,000 an
# hour: a busy day of a large group's coders).
SCALE_READ_PACE = 0.5
SCALE_WRITERS = 4
SCALE_WRITE_PACE = 0.2


@dataclass
class Bench:
    seconds: float
    warmup: float
    workdir: Path
    use_postgres: bool
    only: set[str] | None
    rows: list[Row] = field(default_factory=list)
    startup: list[StartupRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    ceiling_rps: float = 0.0
    scale_rows: int = scale.SCALE_ROWS
    # The scale step's query plans: (read, EXPLAIN (ANALYZE, BUFFERS) of each statement).
    plans: list[tuple[str, list[str]]] = field(default_factory=list)

    def wanted(self, name: str) -> bool:
        return self.only is None or name in self.only

    @property
    def logs(self) -> Path:
        path = self.workdir / "logs"
        path.mkdir(exist_ok=True)
        return path

    @property
    def cache_dir(self) -> Path:
        return self.workdir / "cache"

    def load(self, workload: str, targets: dict[str, str], connections: int = CONNECTIONS,
             **extra: Any) -> dict[str, Any]:
        return self.result_of(workload, self.start_load(workload, targets, connections,
                                                        **extra))

    def start_load(self, workload: str, targets: dict[str, str],
                   connections: int = CONNECTIONS, **extra: Any) -> subprocess.Popen[str]:
        spec = {"workload": workload, "targets": targets, "connections": connections,
                "warmup": self.warmup, "duration": self.seconds, **extra}
        return subprocess.Popen(
            [sys.executable, "-m", "benchmarks.loadgen", json.dumps(spec)],
            cwd=BILLING_DIR, stdout=subprocess.PIPE, text=True,
        )

    def result_of(self, workload: str, process: subprocess.Popen[str]) -> dict[str, Any]:
        output, _ = process.communicate()
        if process.returncode:
            raise subprocess.CalledProcessError(process.returncode, process.args, output)
        result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
        if result["errors"]:
            self.notes.append(f"{workload}: {result['errors']} failed requests, e.g. "
                              f"{result['error_samples'][:1]}")
        return result

    def add(self, name: str, database: str, result: dict[str, Any], target: str = "",
            met: bool | None = None, unit: str = "", unit_rate: float | None = None,
            comparable: bool = True) -> Row:
        row = Row(name=name, database=database, rps=result["rps"], p50_ms=result["p50_ms"],
                  p99_ms=result["p99_ms"], ceiling_rps=self.ceiling_rps, unit=unit,
                  unit_rate=result["units_per_second"] if unit_rate is None else unit_rate,
                  target=target, met=met, errors=result["errors"], comparable=comparable)
        self.rows.append(row)
        print(render_table([row], header=False), flush=True)
        return row


def coding_env(bench: Bench, database_url: str) -> dict[str, str]:
    return {"DATABASE_URL": database_url, "CODESET_CACHE_DIR": str(bench.cache_dir)}


def billing_env(database_url: str, payer_url: str, coding_url: str) -> dict[str, str]:
    return {"DATABASE_URL": database_url, "MOCK_PAYER_DATABASE_URL": payer_url,
            "CODING_SERVICE_URL": coding_url,
            # The payer conversation runs in the background; the default 2 s between rounds
            # is meant for a quiet clinic, not for a benchmark that feeds it all it can take.
            "PAYER_POLL_INTERVAL_SECONDS": "0.05"}


@contextmanager
def databases(bench: Bench, name: str, postgres: bool) -> Iterator[str]:
    if postgres:
        with postgres_database(PG_URL, f"bench_{name}") as url:
            yield url
    else:
        path = bench.workdir / f"{name}-{time.monotonic_ns()}.db"
        yield f"sqlite+aiosqlite:///{path}"


def migrated(bench: Bench, service: str, url: str, payer_url: str | None = None) -> None:
    """`payer_url`: billing's in-process mock payer's database, migrated with billing's."""
    module = {"coding": "coding_service.cli", "billing": "billing_service.cli"}[service]
    env = {**os.environ, "DATABASE_URL": url, "CODESET_CACHE_DIR": str(bench.cache_dir)}
    if payer_url is not None:
        env["MOCK_PAYER_DATABASE_URL"] = payer_url
    run_cli(module, "migrate", env=env)


def bench_ceiling(bench: Bench) -> None:
    ceiling = Server("ceiling", "benchmarks.ceiling:create_app", {}, probe="/",
                     cwd=BILLING_DIR).start(bench.logs)
    try:
        result = bench.load("ceiling", {"ceiling": ceiling.url})
    finally:
        ceiling.stop()
    bench.ceiling_rps = result["rps"]
    bench.add("ceiling: bare FastAPI, tiny JSON GET", "-", result)


def bench_validate(bench: Bench) -> None:
    for postgres in _database_kinds(bench):
        with databases(bench, "coding", postgres) as url:
            migrated(bench, "coding", url)
            coding = Server("coding", "coding_service.main:create_app", coding_env(bench, url))
            coding.start(bench.logs)
            try:
                result = bench.load("validate", {"coding": coding.url})
                rps = result["rps"]
                bench.add("POST /v1/validate (10 dx, 6 lines)", _kind(postgres), result,
                          target=">= 30% of ceiling",
                          met=rps >= 0.3 * bench.ceiling_rps if bench.ceiling_rps else None)
                if bench.wanted("batch") and not postgres:
                    batch = bench.load("validate_batch", {"coding": coding.url},
                                       connections=BATCH_CONNECTIONS,
                                       params={"batch_size": BATCH_SIZE})
                    bench.add(f"POST /v1/validate/batch ({BATCH_SIZE} encounters)",
                              _kind(postgres), batch, unit="encounters/s", comparable=False)
            finally:
                coding.stop()


def bench_search(bench: Bench) -> None:
    with databases(bench, "coding", False) as url:
        migrated(bench, "coding", url)
        coding = Server("coding", "coding_service.main:create_app", coding_env(bench, url))
        coding.start(bench.logs)
        try:
            paced = bench.load("search", {"coding": coding.url}, connections=SEARCH_CLIENTS,
                               pace=SEARCH_PACE_SECONDS)
            bench.add(f"ICD-10-CM search, {SEARCH_CLIENTS} clients typing", "-", paced,
                      target="p99 < 10 ms", met=paced["p99_ms"] < 10)
            saturated = bench.load("search", {"coding": coding.url}, connections=SEARCH_CLIENTS)
            bench.add(f"ICD-10-CM search, {SEARCH_CLIENTS} clients flat out", "-", saturated)
        finally:
            coding.stop()


def bench_write_path(bench: Bench) -> None:
    for postgres in _database_kinds(bench, postgres_first=True):
        with databases(bench, "coding", postgres) as url:
            migrated(bench, "coding", url)
            coding = Server("coding", "coding_service.main:create_app", coding_env(bench, url))
            coding.start(bench.logs)
            try:
                result = bench.load("write_path", {"coding": coding.url})
            finally:
                coding.stop()
            target, met = "", None
            if postgres:
                target = ">= 10% of ceiling, p99 <= 100 ms"
                met = (result["rps"] >= 0.1 * bench.ceiling_rps and result["p99_ms"] <= 100
                       if bench.ceiling_rps else None)
            bench.add("write path: create, put codes, finalize", _kind(postgres), result,
                      target=target, met=met, unit="encounters/s")


def bench_story(bench: Bench) -> None:
    if not bench.use_postgres:
        bench.notes.append("whole story: skipped, PostgreSQL is not reachable")
        return
    for worker_processes in STORY_WORKER_PROCESSES:
        _story(bench, worker_processes)


def _story(bench: Bench, worker_processes: int) -> None:
    """The whole story on fresh databases, the payer conversation run by `worker_processes`
    `billing-service worker` processes sharing the queue."""
    with ExitStack() as stack:
        coding_url = stack.enter_context(databases(bench, "coding", True))
        billing_url = stack.enter_context(databases(bench, "billing", True))
        payer_url = stack.enter_context(databases(bench, "payer", True))
        migrated(bench, "coding", coding_url)
        migrated(bench, "billing", billing_url, payer_url)
        coding = Server("coding", "coding_service.main:create_app",
                        coding_env(bench, coding_url), workers=2)
        billing = Server("billing", "billing_service.main:create_app", {}, workers=2)
        coding.start(bench.logs)
        stack.callback(coding.stop)
        # Deployed the production way: the API processes answer requests and worker
        # processes run the payer conversation (PAYER_WORKER_ENABLED=false on the API).
        billing.env = {**billing_env(billing_url, payer_url, coding.url),
                       "PAYER_WORKER_ENABLED": "false"}
        billing.start(bench.logs)
        stack.callback(billing.stop)
        for _ in range(worker_processes):
            worker = Worker(billing_env(billing_url, payer_url, coding.url)).start(bench.logs)
            stack.callback(worker.stop)
        result = bench.load("story", {"coding": coding.url, "billing": billing.url},
                            connections=STORY_CONNECTIONS)
        window = [datetime.fromisoformat(moment) for moment in result["window_utc"]]
        adjudicated = _adjudicated_between(billing_url, *window)
        seconds = (window[1] - window[0]).total_seconds()
        backlog = _claims_in_flight(billing_url)
        claims_per_second = round(adjudicated / seconds, 1)
        workers = "one worker process" if worker_processes == 1 else \
            f"{worker_processes} worker processes"
        label = "whole story: encounter to claim paid and posted"
        first = worker_processes == STORY_WORKER_PROCESSES[0]
        bench.add(label if first else f"{label}, {workers}", "postgresql", result,
                  target=">= 60 claims/s" if first else "",
                  met=claims_per_second >= 60 if first else None,
                  unit="claims/s", unit_rate=claims_per_second)
        bench.notes.append(
            f"whole story, {workers}: {result['units']} claims submitted and {adjudicated} "
            f"adjudicated and posted in the {seconds:.0f} s window; {backlog} still with the "
            "payer at the end of the run"
        )


def _adjudicated_between(url: str, start: datetime, end: datetime) -> int:
    rows = query_postgres(
        url, "SELECT count(*) FROM claims WHERE status = ANY($1) AND updated_at BETWEEN $2 AND $3",
        list(ADJUDICATED), start, end,
    )
    return int(rows[0][0])


def _claims_in_flight(url: str) -> int:
    rows = query_postgres(
        url, "SELECT count(*) FROM claims WHERE status IN ('ready', 'submitted', 'accepted')"
    )
    return int(rows[0][0])


def bench_worklist(bench: Bench) -> None:
    """GET /v1/worklist?limit=50 for a tenant with 500 open claims, then with 50,000 (added
    straight into the database while the server is idle): its A/R aging covers every open
    claim, and its page time must not follow their number."""
    for postgres in _database_kinds(bench):
        with databases(bench, "billing", postgres) as url, \
                databases(bench, "payer", postgres) as payer_url:
            migrated(bench, "billing", url, payer_url)
            billing = Server("billing", "billing_service.main:create_app",
                             {**billing_env(url, payer_url, "http://127.0.0.1:9"),
                              "PAYER_WORKER_ENABLED": "false"})
            billing.start(bench.logs)
            try:
                first_p50 = 0.0
                seeded = 0
                for claims in WORKLIST_CLAIMS:
                    add_open_claims(url, WORKLIST_TENANT, seeded, claims - seeded)
                    seeded = claims
                    result = bench.load("worklist", {"billing": billing.url},
                                        connections=WORKLIST_CONNECTIONS)
                    first_p50 = first_p50 or result["p50_ms"]
                    flat = claims != WORKLIST_CLAIMS[0]
                    bench.add(f"GET /v1/worklist?limit=50, {claims:,} open claims",
                              _kind(postgres), result,
                              target=f"p50 <= 2x at {WORKLIST_CLAIMS[0]:,}" if flat else "",
                              met=result["p50_ms"] <= 2 * first_p50 if flat else None)
            finally:
                billing.stop()


def bench_scale(bench: Bench) -> None:
    """The reads at scale: SCALE_ROWS encounters and claims for one tenant and a tenth of that
    for each of ten others, loaded into fresh PostgreSQL databases; every read measured for
    the large tenant and a small one while the write path runs; each read's plans."""
    if not bench.use_postgres:
        bench.notes.append("scale: skipped, PostgreSQL is not reachable")
        return
    with ExitStack() as stack:
        coding_url = stack.enter_context(databases(bench, "scale_coding", True))
        billing_url = stack.enter_context(databases(bench, "scale_billing", True))
        payer_url = stack.enter_context(databases(bench, "scale_payer", True))
        migrated(bench, "coding", coding_url)
        migrated(bench, "billing", billing_url, payer_url)
        rows = bench.scale_rows
        seconds = scale.load(coding_url, billing_url, rows)
        bench.notes.append(
            f"scale: {rows:,} encounters and {rows:,} claims (one line each) for clinic-a and "
            f"{rows // scale.SMALL_TENANTS:,} each for ten more tenants, "
            f"{2 * rows:,} of each in all, generated in PostgreSQL in {seconds['coding']} s "
            f"(coding-service) and {seconds['billing']} s (billing-service)")
        coding = Server("coding", "coding_service.main:create_app",
                        coding_env(bench, coding_url))
        coding.start(bench.logs)
        stack.callback(coding.stop)
        billing = Server("billing", "billing_service.main:create_app",
                         {**billing_env(billing_url, payer_url, coding.url),
                          "PAYER_WORKER_ENABLED": "false"})
        billing.start(bench.logs)
        stack.callback(billing.stop)
        targets = {"coding": coding.url, "billing": billing.url}
        small = rows // scale.SMALL_TENANTS
        for tenant, count, key in ((scale.BIG_TENANT, rows, "demo-key-clinic-a"),
                                   (scale.SMALL_TENANT, small, "demo-key-clinic-b")):
            reads = scale.reads(coding_url, billing_url, tenant, count)
            writer = bench.start_load("write_path", {"coding": coding.url},
                                      connections=SCALE_WRITERS, pace=SCALE_WRITE_PACE)
            result = bench.load("reads", targets, connections=len(reads),
                                pace=SCALE_READ_PACE, params={"reads": reads},
                                auth=f"Bearer {key}")
            written = bench.result_of("write_path", writer)
            for label, _, _ in reads:
                stats = result["by_label"].get(label, {"count": 0, "p50_ms": float("nan"),
                                                       "p99_ms": float("nan")})
                bench.add(f"{label}, {count:,} rows", "postgresql",
                          {"rps": stats["count"] / result["seconds"], "p50_ms": stats["p50_ms"],
                           "p99_ms": stats["p99_ms"], "units_per_second": 0.0,
                           "errors": result["errors"]},
                          target="p99 < 50 ms", met=stats["p99_ms"] < 50, comparable=False)
            bench.notes.append(
                f"scale, {tenant}: the write path beside the reads finalized "
                f"{written['units_per_second']} encounters/s ({written['rps']} req/s, p99 "
                f"{written['p99_ms']} ms)")
            if tenant == scale.BIG_TENANT:
                bench.plans += asyncio.run(_plans(bench, coding_url, billing_url, payer_url,
                                                  reads, key))


async def _plans(bench: Bench, coding_url: str, billing_url: str, payer_url: str,
                 reads: list[tuple[str, str, str]], key: str) -> list[tuple[str, list[str]]]:
    """Each read sent once to the app in this process, and EXPLAIN (ANALYZE, BUFFERS) of
    every SELECT it made."""
    import httpx  # noqa: PLC0415

    from billing_service.config import Settings as BillingSettings  # noqa: PLC0415
    from billing_service.main import create_app as billing_app  # noqa: PLC0415
    from coding_service.config import Settings as CodingSettings  # noqa: PLC0415
    from coding_service.main import create_app as coding_app  # noqa: PLC0415

    # Warnings only: the apps' access log would go to this process's output, the table's.
    apps = {
        "coding": coding_app(CodingSettings(database_url=coding_url,
                                            codeset_cache_dir=bench.cache_dir,
                                            webhook_worker_enabled=False, log_level="WARNING")),
        "billing": billing_app(BillingSettings(
            database_url=billing_url, mock_payer_database_url=payer_url,
            payer_worker_enabled=False, log_level="WARNING")),
    }
    plans = []
    async with apps["coding"].router.lifespan_context(apps["coding"]), \
            apps["billing"].router.lifespan_context(apps["billing"]):
        for label, service, path in reads:
            app = apps[service]
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                with scale.captured_statements(app.state.engine) as found:
                    answer = await client.get(path, headers={"Authorization": f"Bearer {key}"})
            if answer.status_code != 200:
                raise RuntimeError(f"{label}: {answer.status_code} {answer.text[:300]}")
            url = coding_url if service == "coding" else billing_url
            plans.append((f"{label}: GET {path}", [
                f"{statement}\n\n{await scale.explain(url, statement, parameters)}"
                for statement, parameters in found]))
    return plans


def bench_startup(bench: Bench) -> None:
    url = f"sqlite+aiosqlite:///{bench.workdir / 'startup-coding.db'}"
    migrated(bench, "coding", url)
    for cached in (True, False):
        runs = []
        for _ in range(STARTUP_RUNS):
            cache = bench.cache_dir if cached else bench.workdir / "cold-cache"
            if not cached:
                shutil.rmtree(cache, ignore_errors=True)
            env = {"DATABASE_URL": url, "CODESET_CACHE_DIR": str(cache)}
            runs.append(_one_start(bench, "coding", "coding_service.main:create_app", env))
        index = "cached index" if cached else "index built at start"
        bench.startup.append(StartupRow.of("coding-service", index, runs,
                                           target_seconds=1.0 if cached else None))
    billing_db = f"sqlite+aiosqlite:///{bench.workdir / 'startup-billing.db'}"
    payer_db = f"sqlite+aiosqlite:///{bench.workdir / 'startup-payer.db'}"
    migrated(bench, "billing", billing_db, payer_db)
    runs = [_one_start(bench, "billing", "billing_service.main:create_app",
                       {"DATABASE_URL": billing_db, "MOCK_PAYER_DATABASE_URL": payer_db})
            for _ in range(STARTUP_RUNS)]
    bench.startup.append(StartupRow.of("billing-service", "no code index", runs,
                                       target_seconds=1.0))
    memory = json.loads(subprocess.run(
        [sys.executable, "-m", "benchmarks.codeset_memory", str(bench.cache_dir)],
        cwd=BILLING_DIR, check=True, capture_output=True, text=True,
    ).stdout)
    bench.startup.append(StartupRow(
        service="coding-service", index="code sets alone (RSS after load minus before)",
        ready_seconds=memory["load_seconds"], rss_mb=memory["code_sets_mb"],
        target="<= 60 MB", met=memory["code_sets_mb"] <= 60,
    ))
    for row in bench.startup:
        print(render_table([], startup=[row], header=False), flush=True)


def _one_start(bench: Bench, name: str, app: str, env: dict[str, str]) -> tuple[float, float]:
    server = Server(name, app, env).start(bench.logs)
    try:
        return server.ready_seconds, server.rss_mb()
    finally:
        server.stop()


def _database_kinds(bench: Bench, postgres_first: bool = False) -> list[bool]:
    kinds = [False, True] if bench.use_postgres else [False]
    return list(reversed(kinds)) if postgres_first else kinds


def _kind(postgres: bool) -> str:
    return "postgresql" if postgres else "sqlite"


def machine(use_postgres: bool) -> dict[str, str]:
    cpu = next((line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text()
                     .splitlines() if line.startswith("MemTotal:"))
    versions = ", ".join(f"{name} {metadata.version(name)}" for name in
                         ("fastapi", "starlette", "uvicorn", "pydantic", "sqlalchemy",
                          "asyncpg", "aiosqlite", "uvloop", "httptools", "orjson"))
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": str(os.cpu_count()),
        "cpu_model": cpu,
        "memory": f"{memory_kb / 1024 / 1024:.1f} GiB",
        "python": platform.python_version(),
        "postgresql": postgres_version(PG_URL) if use_postgres else "not reachable",
        "versions": versions,
        "load_before": " ".join(f"{value:.2f}" for value in os.getloadavg()),
    }


STEPS: list[tuple[str, Callable[[Bench], None]]] = [
    ("ceiling", bench_ceiling),
    ("validate", bench_validate),
    ("write", bench_write_path),
    ("story", bench_story),
    ("search", bench_search),
    ("worklist", bench_worklist),
    ("startup", bench_startup),
    ("scale", bench_scale),
]


def main() -> int:
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="measured time per row")
    parser.add_argument("--warmup", type=float, default=2.0, help="warm-up time per row")
    parser.add_argument("--only", help="comma-separated steps: " + ",".join(s for s, _ in STEPS)
                        + ",batch")
    parser.add_argument("--scale-rows", type=int, default=scale.SCALE_ROWS,
                        help="the scale step's encounters and claims of its large tenant")
    parser.add_argument("--no-doc", action="store_true", help="print only")
    args = parser.parse_args()
    only = set(args.only.split(",")) | {"ceiling"} if args.only else None
    use_postgres = postgres_reachable(PG_URL)
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    bench = Bench(args.seconds, args.warmup, workdir, use_postgres, only,
                  scale_rows=args.scale_rows)
    info = machine(use_postgres)
    print(f"{info['date']}: {info['cpus']} x {info['cpu_model']}, {info['memory']}, "
          f"load {info['load_before']}; PostgreSQL {info['postgresql']}", flush=True)
    try:
        run_cli("coding_service.cli", "build-index",
                env={**os.environ, "CODESET_CACHE_DIR": str(bench.cache_dir)})
        print(render_table([], header=True), flush=True)
        for name, step in STEPS:
            if bench.wanted(name) or (name == "validate" and bench.wanted("batch")):
                try:
                    step(bench)
                except (RuntimeError, OSError, subprocess.CalledProcessError) as exc:
                    # One broken row must not cost the others: say what failed and go on.
                    bench.notes.append(f"{name}: not measured ({type(exc).__name__}: {exc})")
                    print(f"{name}: not measured: {exc}", file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    info["load_after"] = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print()
    print(render_table(bench.rows, startup=bench.startup))
    for note in bench.notes:
        print(f"note: {note}")
    if not args.no_doc:
        path = write_doc(REPO / "docs" / "benchmarks.md",
                         render_markdown(bench.rows, bench.startup, info, bench.notes,
                                         bench.plans))
        print(f"written to {path.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
