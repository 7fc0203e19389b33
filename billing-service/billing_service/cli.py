"""The billing-service command: serve the API, run the background worker, migrate the
database (each reads DATABASE_URL; migrate also migrates the in-process mock payer's own
database, MOCK_PAYER_DATABASE_URL, unless PAYER_ADAPTER=http); check X12 files; list the
payer files that could not be applied.

Each command imports what it needs when it runs, so that `serve` imports the app's modules
only once the garbage collector is paused (rcm_shared.serve).
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from rcm_shared.command import run_command
from rcm_shared.serve import add_serve_arguments, serve

ALEMBIC_INI = Path(__file__).resolve().parent.parent / "alembic.ini"
DEFAULT_PORT = 8002


def main(argv: Sequence[str] | None = None) -> int:
    return run_command("billing-service", lambda: _run(argv))


def _run(argv: Sequence[str] | None) -> int:
    parser = argparse.ArgumentParser(
        prog="billing-service", description="Operate billing-service (reads DATABASE_URL)."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    add_serve_arguments(commands.add_parser("serve", help="run the API (DATABASE_URL, "
                                            "CODING_SERVICE_URL and the rest from the "
                                            "environment)"), default_port=DEFAULT_PORT)
    commands.add_parser(
        "worker", help="run the payer loop (and the coding feed follower when configured) "
        "without the API, until SIGTERM or SIGINT; start the API processes with "
        "PAYER_WORKER_ENABLED=false beside it")
    commands.add_parser("migrate", help="upgrade the database to the latest schema, and the "
                        "in-process mock payer's (PAYER_ADAPTER=inprocess)")
    check = commands.add_parser(
        "x12-check", help="validate X12 files (837P, 277CA, 835) with pyx12 and billing's "
        "own checks; exit 1 when any has a finding")
    check.add_argument("files", nargs="+", type=Path)
    commands.add_parser(
        "payer-files", help="list the payer files not applied: failed ones, kept with their "
        "reason, and ones to be applied again; exit 1 when any failed")
    args = parser.parse_args(argv)
    if args.command == "serve":
        serve("billing_service.main:create_app", args)
        return 0
    if args.command == "x12-check":
        return _check_x12(args.files)
    if args.command == "worker":
        asyncio.run(_work_until_signalled())
        return 0
    from billing_service.config import get_settings
    from rcm_shared.migrations import upgrade_database

    settings = get_settings()
    if args.command == "payer-files":
        return asyncio.run(list_payer_files(settings.database_url))
    upgrade_database(ALEMBIC_INI, settings.database_url)
    if settings.payer_adapter == "inprocess":
        from mockpayer.cli import migrate

        migrate(settings.mock_payer_database_url)
    return 0


async def _work_until_signalled() -> None:
    from billing_service.config import get_settings
    from billing_service.main import run_worker

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stop.set)
    await run_worker(get_settings(), stop)


async def list_payer_files(database_url: str) -> int:
    """One line per file: id, status, attempts, when received, why not applied. Never the
    content: it names patients."""
    from sqlalchemy.pool import NullPool

    from billing_service.inbox import repository as inbox
    from rcm_shared.db import create_engine, session_factory

    engine = create_engine(database_url, poolclass=NullPool)
    try:
        async with session_factory(engine)() as session:
            rows = await inbox.PayerFileRepository(session).not_applied()
    finally:
        await engine.dispose()
    for row in rows:
        print(f"{row.id}\t{row.status}\t{row.attempts}\t{row.received_at.isoformat()}\t"
              f"{row.last_error or ''}")
    return 1 if any(row.status == inbox.FAILED for row in rows) else 0


def _check_x12(files: Sequence[Path]) -> int:
    from billing_service.x12.validation import findings

    clean = True
    for path in files:
        found = findings(path.read_text(encoding="utf-8", errors="replace"))
        clean = clean and not found
        print(f"{path}: {'ok' if not found else f'{len(found)} finding(s)'}")
        for finding in found:
            print(f"  {finding}")
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
