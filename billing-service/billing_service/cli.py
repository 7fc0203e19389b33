"""The billing-service command: migrate the database (reads DATABASE_URL); check X12 files."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from billing_service.config import get_settings
from billing_service.x12.validation import findings
from rcm_shared.migrations import upgrade_database

ALEMBIC_INI = Path(__file__).resolve().parent.parent / "alembic.ini"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="billing-service", description="Operate billing-service (reads DATABASE_URL)."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="upgrade the database to the latest schema")
    check = commands.add_parser(
        "x12-check", help="validate X12 files (837P, 277CA, 835) with pyx12 and billing's "
        "own checks; exit 1 when any has a finding")
    check.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args(argv)
    if args.command == "x12-check":
        return _check_x12(args.files)
    upgrade_database(ALEMBIC_INI, get_settings().database_url)
    return 0


def _check_x12(files: Sequence[Path]) -> int:
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
