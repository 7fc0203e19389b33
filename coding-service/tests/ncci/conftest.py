"""Fixtures for the NCCI tables: migrated throwaway databases and writers of CMS-layout files."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from rcm_shared.db import create_engine
from rcm_shared.testing import migrate, throwaway_database

SERVICE_DIR = Path(__file__).resolve().parents[2]

# The heading lines of the CMS practitioner files, as published.
PTP_HEADER = [
    "CPT codes, descriptions and other data only are copyright 2025 American Medical "
    "Association. All rights reserved.",
    "Column1/Column 2 Edits",
    "Column 1\tColumn 2\t* = In existence prior to 1996\tEffective Date\tDeletion Date "
    "*=no data\tModifier 0=not allowed 1=allowed 9=not applicable\tPTP Edit Rationale",
    "",
]
MUE_HEADER = [
    '"CPT codes, descriptions and other data only are copyright 2025 American Medical '
    'Association. All rights reserved."',
    "",
    "HCPCS/CPT Code,Practitioner Services MUE Values,MUE Adjudication Indicator,MUE Rationale",
]


def _migrated(prefix: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with throwaway_database(prefix, tmp_path_factory.mktemp(prefix)) as url:
        migrate(SERVICE_DIR / "alembic.ini", url)
        yield url


@pytest.fixture(scope="session")
def pristine_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Migrated and never loaded into: it holds what the migration ships."""
    yield from _migrated("coding_ncci_pristine", tmp_path_factory)


@pytest.fixture(scope="session")
def scratch_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Migrated, then loaded into by the loader tests."""
    yield from _migrated("coding_ncci_scratch", tmp_path_factory)


@pytest.fixture(scope="session")
async def pristine_engine(pristine_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(pristine_url)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
async def engine(scratch_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(scratch_url)
    yield engine
    await engine.dispose()


@pytest.fixture
def ptp_file(tmp_path: Path) -> Callable[..., Path]:
    """Writes a practitioner PTP text file: CMS heading lines, then the given rows."""

    def write(*rows: str, name: str = "ccipra-v320r0-f1.txt") -> Path:
        path = tmp_path / name
        path.write_bytes("\r\n".join([*PTP_HEADER, *rows, ""]).encode("cp1252"))
        return path

    return write


@pytest.fixture
def mue_file(tmp_path: Path) -> Callable[..., Path]:
    """Writes a practitioner MUE CSV file: CMS heading lines, then the given rows."""

    def write(*rows: str, name: str = "MCR_MUE_PractitionerServices_Eff_2026-04-01.csv") -> Path:
        path = tmp_path / name
        path.write_bytes("\r\n".join([*MUE_HEADER, *rows, ""]).encode("cp1252"))
        return path

    return write
