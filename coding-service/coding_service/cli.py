"""The coding-service command: serve, migrate the database, load NCCI files, build the
ICD-10-CM index.

Each command imports what it needs when it runs, so that `serve` imports the app's modules
only once the garbage collector is paused (rcm_shared.serve).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rcm_shared.command import run_command
from rcm_shared.serve import add_serve_arguments, serve

if TYPE_CHECKING:
    from coding_service.config import Settings

ALEMBIC_INI = Path(__file__).resolve().parent.parent / "alembic.ini"
DEFAULT_PORT = 8001


async def _load_ncci(
    settings: Settings, ptp: Sequence[Path], mue: Path | None, aoc: Path | None,
    quarter: str | None,
) -> None:
    from coding_service.ncci.loader import load_aoc, load_mue, load_ptp
    from rcm_shared.db import create_engine

    engine = create_engine(settings.database_url)
    try:
        if ptp:
            result = await load_ptp(engine, *ptp, quarter=quarter)
            print(f"Loaded {result.row_count:,} PTP edits ({result.quarter}) "
                  f"from {', '.join(result.sources)}.")
        if mue is not None:
            result = await load_mue(engine, mue, quarter=quarter)
            print(f"Loaded {result.row_count:,} MUE values ({result.quarter}) "
                  f"from {', '.join(result.sources)}.")
        if aoc is not None:
            result = await load_aoc(engine, aoc, quarter=quarter)
            print(f"Loaded {result.row_count:,} add-on code edits ({result.quarter}) "
                  f"from {', '.join(result.sources)}.")
    finally:
        await engine.dispose()


def _build_index(settings: Settings) -> None:
    from coding_service.codesets.loader import build_icd10cm_cache

    path = build_icd10cm_cache(settings.codeset_cache_dir)
    print(f"ICD-10-CM index written to {path}.")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coding-service", description="Operate coding-service (reads DATABASE_URL)."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    add_serve_arguments(commands.add_parser("serve", help="run the API (LOG_LEVEL, DATABASE_URL"
                                            " and the rest from the environment)"),
                        default_port=DEFAULT_PORT)
    commands.add_parser("migrate", help="upgrade the database to the latest schema")
    load = commands.add_parser(
        "load-ncci",
        help="replace the NCCI PTP edits, MUE values and/or add-on code edits with the CMS "
             "quarterly files",
        description="Each kind is replaced in one transaction: a bad line changes nothing.",
    )
    load.add_argument("--ptp", type=Path, nargs="+", default=[], metavar="FILE",
                      help="the practitioner PTP text files of one quarter (all of them)")
    load.add_argument("--mue", type=Path, metavar="FILE",
                      help="the practitioner services MUE CSV file")
    load.add_argument("--aoc", type=Path, metavar="FILE",
                      help="the add-on code edit text file")
    load.add_argument("--file", type=Path, nargs="+", default=[], metavar="FILE",
                      help="PTP, MUE or add-on code files, each told apart by its content")
    load.add_argument("--quarter", help="a label for the data, e.g. 2026Q2 "
                                        "(default: the first file's name)")
    commands.add_parser("build-index", help="build the cached ICD-10-CM index")
    return parser


def _load_command(parser: argparse.ArgumentParser, args: argparse.Namespace,
                  settings: Settings) -> int:
    from coding_service.ncci.loader import kind_of

    files: dict[str, list[Path]] = {
        "ptp": list(args.ptp),
        "mue": [args.mue] if args.mue is not None else [],
        "aoc": [args.aoc] if args.aoc is not None else [],
    }
    if not any(files.values()) and not args.file:
        parser.error("load-ncci needs --ptp FILE..., --mue FILE, --aoc FILE or --file FILE...")
    named = [path for paths in files.values() for path in paths] + list(args.file)
    missing = [str(path) for path in named if not path.is_file()]
    if missing:
        print(f"error: no such file: {', '.join(missing)}", file=sys.stderr)
        return 1
    try:
        for path in args.file:
            files[kind_of(path)].append(path)
        for kind in ("mue", "aoc"):
            if len(files[kind]) > 1:
                parser.error(f"load one {kind.upper()} file at a time")
        asyncio.run(_load_ncci(settings, files["ptp"], next(iter(files["mue"]), None),
                               next(iter(files["aoc"]), None), args.quarter))
    except ValueError as exc:
        # An NcciFileError rolled its load back: that kind's previous data is unchanged.
        print(f"error: {exc}; the data of that kind was left as it was", file=sys.stderr)
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    return run_command("coding-service", lambda: _run(argv))


def _run(argv: Sequence[str] | None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "serve":
        serve("coding_service.main:create_app", args)
        return 0
    from coding_service.config import get_settings
    from rcm_shared.migrations import upgrade_database

    settings = get_settings()
    if args.command == "migrate":
        upgrade_database(ALEMBIC_INI, settings.database_url)
    elif args.command == "build-index":
        _build_index(settings)
    else:
        return _load_command(parser, args, settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
