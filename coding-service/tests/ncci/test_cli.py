"""The coding-service command: migrate and load-ncci against the database DATABASE_URL names."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy import text

from coding_service.cli import main
from coding_service.config import get_settings


@pytest.fixture
def database_at(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    def point_at(url: str) -> None:
        monkeypatch.setenv("DATABASE_URL", url)
        get_settings.cache_clear()

    yield point_at
    get_settings.cache_clear()


def test_migrate_creates_the_tables_with_the_sample(database_at, tmp_path: Path):
    database = tmp_path / "fresh.db"
    database_at(f"sqlite+aiosqlite:///{database}")
    assert main(["migrate"]) == 0
    with create_sync_engine(f"sqlite:///{database}").connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM ncci_ptp_edits")).scalar()
    assert count == 8


def test_load_ncci_loads_both_kinds_and_says_how_many(
    database_at, scratch_url, ptp_file, mue_file, capsys
):
    database_at(scratch_url)
    ptp = ptp_file("93000\t93010\t*\t19960101\t*\t0\tMisuse of column two code with column one")
    mue = mue_file("17000,1,2 Date of Service Edit: Policy,Code Descriptor / CPT Instruction",
                   "95004,80,1 Line Edit,Clinical: Data")
    assert main(["load-ncci", "--ptp", str(ptp), "--mue", str(mue), "--quarter", "2026Q2"]) == 0
    out = capsys.readouterr().out
    assert "Loaded 1 PTP edits (2026Q2) from ccipra-v320r0-f1.txt." in out
    assert "Loaded 2 MUE values (2026Q2)" in out


def test_load_ncci_tells_ptp_and_mue_files_apart_by_their_content(
    database_at, scratch_url, ptp_file, mue_file, capsys
):
    database_at(scratch_url)
    ptp = ptp_file("97530\t97140\t\t20200101\t*\t1\tMutually exclusive procedures",
                   name="ptp-edits.data")
    mue = mue_file('"17000","1","2 Date of Service Edit: Policy","Code Descriptor"',
                   name="mue-values.data")
    assert main(["load-ncci", "--file", str(mue), str(ptp)]) == 0
    out = capsys.readouterr().out
    assert "Loaded 1 PTP edits (ptp-edits) from ptp-edits.data." in out
    assert "Loaded 1 MUE values (mue-values) from mue-values.data." in out


def test_load_ncci_names_the_bad_line_and_fails(database_at, scratch_url, mue_file, capsys):
    database_at(scratch_url)
    bad = mue_file("17000,one,2 Date of Service Edit: Policy,Code Descriptor / CPT Instruction")
    assert main(["load-ncci", "--mue", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "line 4" in err and "not a whole number" in err and "left as it was" in err


def test_load_ncci_refuses_a_missing_file(database_at, scratch_url, tmp_path, capsys):
    database_at(scratch_url)
    assert main(["load-ncci", "--ptp", str(tmp_path / "nowhere.txt")]) == 1
    assert "no such file" in capsys.readouterr().err


def test_load_ncci_needs_at_least_one_file():
    with pytest.raises(SystemExit) as exited:
        main(["load-ncci"])
    assert exited.value.code == 2
