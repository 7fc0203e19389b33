"""The billing-service command: migrate the database (reads DATABASE_URL)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from billing_service.config import get_settings
from rcm_shared.migrations import upgrade_database

ALEMBIC_INI = Path(__file__).resolve().parent.parent / "alembic.ini"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="billing-service", description="Operate billing-service (reads DATABASE_URL)."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="upgrade the database to the latest schema")
    parser.parse_args(argv)
    upgrade_database(ALEMBIC_INI, get_settings().database_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
