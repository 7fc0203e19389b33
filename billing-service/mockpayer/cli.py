"""The mock clearinghouse command: `serve` its HTTP API, `migrate` its database (each reads
DATABASE_URL; MOCK_PAYER__... set how the payer behaves)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from rcm_shared.command import run_command
from rcm_shared.serve import add_serve_arguments, serve

ALEMBIC_INI = Path(__file__).resolve().parent / "alembic.ini"
DEFAULT_PORT = 8003


def migrate(database_url: str) -> None:
    """Upgrade a mock payer database to the latest schema (its own chain and version table)."""
    from rcm_shared.migrations import upgrade_database

    upgrade_database(ALEMBIC_INI, database_url)


def main(argv: Sequence[str] | None = None) -> int:
    return run_command("mockpayer", lambda: _run(argv))


def _run(argv: Sequence[str] | None) -> int:
    parser = argparse.ArgumentParser(
        prog="mockpayer", description="Run the mock clearinghouse (reads DATABASE_URL).")
    commands = parser.add_subparsers(dest="command", required=True)
    add_serve_arguments(commands.add_parser(
        "serve", help="run the clearinghouse API billing reaches with PAYER_ADAPTER=http "
        "(DATABASE_URL, API_KEYS and MOCK_PAYER__... from the environment)"),
        default_port=DEFAULT_PORT)
    commands.add_parser("migrate", help="upgrade the database to the latest schema")
    args = parser.parse_args(argv)
    if args.command == "serve":
        serve("mockpayer.app:create_app", args)
        return 0
    from mockpayer.config import get_settings

    migrate(get_settings().database_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
