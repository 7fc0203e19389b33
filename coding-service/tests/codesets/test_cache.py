"""The on-disk cache of the ICD-10-CM index: built once, then only read.

Most tests build from a slice of the real tabular list (three blocks), which takes a fraction
of the full build's time.
"""

from __future__ import annotations

import gzip
import marshal
import os
import shutil
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest

from coding_service.codesets import icd10cm_build, loader
from coding_service.codesets.icd10cm import Icd10cmEdition
from coding_service.codesets.icd10cm_build import (
    APRIL_2025,
    APRIL_2026,
    EDITIONS,
    build_payload,
    cache_path,
    load_payload,
    write_cache,
)
from coding_service.codesets.loader import load_code_sets

SLICE = {"E08-E13", "G60-G65", "T15-T19"}


@pytest.fixture(scope="module")
def slice_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tabular, code_list = APRIL_2026.files()
    root = ET.parse(tabular).getroot()
    for chapter in root.findall("chapter"):
        for section in chapter.findall("section"):
            if section.get("id") not in SLICE:
                chapter.remove(section)
        if not chapter.findall("section"):
            root.remove(chapter)
    path = tmp_path_factory.mktemp("tabular") / "slice.xml"
    ET.ElementTree(root).write(path, encoding="utf-8")
    return path, code_list


@pytest.fixture(scope="module")
def slice_payload(slice_files: tuple[Path, Path]) -> dict:
    return build_payload(*slice_files)


def _edition(payload: dict) -> Icd10cmEdition:
    return Icd10cmEdition("2026-04", APRIL_2026.effective_from, APRIL_2026.effective_to, "test",
                          payload)


def _no_build(*_args: object) -> dict:
    raise AssertionError("the index was rebuilt although the cache was current")


def test_a_built_cache_loads_back_identically(slice_payload, tmp_path, monkeypatch):
    path = write_cache(tmp_path, APRIL_2026, slice_payload)
    assert path == cache_path(tmp_path, APRIL_2026) and path.is_file()
    monkeypatch.setattr(icd10cm_build, "build_payload", _no_build)
    loaded = load_payload(tmp_path, APRIL_2026)
    assert loaded == slice_payload

    built, cached = _edition(slice_payload), _edition(loaded)
    for code in ("E11", "E11.9", "T15.10XA", "G63"):
        assert cached.get(code) == built.get(code) is not None
    assert cached.get("S72.001A") is None  # not in the slice
    assert [c.code for c in cached.search("type 2 diabetes", 10)] == \
        [c.code for c in built.search("type 2 diabetes", 10)]
    assert cached.excludes1_conflicts(["G63", "E11.42"]) == \
        built.excludes1_conflicts(["G63", "E11.42"]) != []
    assert cached.seventh_character_rule("T15.10") == built.seventh_character_rule("T15.10")


@pytest.mark.parametrize(
    "damage",
    [
        lambda path: path.write_bytes(b"not a marshal stream"),
        lambda path: path.write_bytes(marshal.dumps({"format": 0})),
        lambda path: path.write_bytes(marshal.dumps(["a", "list"])),
    ],
)
def test_an_unreadable_or_outdated_cache_is_rebuilt(damage, slice_payload, tmp_path,
                                                     monkeypatch):
    path = cache_path(tmp_path, APRIL_2026)
    damage(path)
    monkeypatch.setattr(icd10cm_build, "build_payload", lambda *_: slice_payload)
    assert load_payload(tmp_path, APRIL_2026) == slice_payload
    assert marshal.loads(path.read_bytes()) == slice_payload


def test_a_new_build_removes_the_stale_cache_of_the_edition(slice_payload, tmp_path):
    stale = tmp_path / "icd10cm-2026-04-0123456789abcdef.marshal"
    other_edition = tmp_path / "icd10cm-2025-10-0123456789abcdef.marshal"
    stale.write_bytes(b"old")
    other_edition.write_bytes(b"old")
    write_cache(tmp_path, APRIL_2026, slice_payload)
    assert not stale.exists()
    assert other_edition.exists()
    assert not list(tmp_path.glob("*.tmp"))


def test_an_unwritable_cache_directory_still_gives_the_index(slice_payload, tmp_path,
                                                             monkeypatch):
    not_a_directory = tmp_path / "file"
    not_a_directory.write_text("x")
    monkeypatch.setattr(icd10cm_build, "build_payload", lambda *_: slice_payload)
    assert load_payload(not_a_directory, APRIL_2026) == slice_payload


def test_the_cache_key_follows_the_source_files(slice_files, monkeypatch):
    monkeypatch.setattr(type(APRIL_2026), "files", lambda _self: slice_files)
    before = APRIL_2026.cache_key()
    assert APRIL_2026.cache_key() == before
    tabular = slice_files[0]
    stat = tabular.stat()
    os.utime(tabular, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert APRIL_2026.cache_key() != before


def test_shipped_gzip_files_build_the_same_index(slice_files, slice_payload, tmp_path,
                                                monkeypatch):
    for plain in slice_files:
        with plain.open("rb") as source, gzip.open(tmp_path / f"{plain.name}.gz", "wb") as to:
            shutil.copyfileobj(source, to)
    monkeypatch.setattr(icd10cm_build, "DATA_DIR", tmp_path)
    shipped = replace(APRIL_2025, tabular_file="slice.xml.gz",
                      code_list_file=f"{slice_files[1].name}.gz")
    assert build_payload(*shipped.files()) == slice_payload
    assert shipped.label() == "simple-icd-10-cm 1.4.0: slice.xml.gz"

    # Keyed by content: a new mtime (a checkout) keeps the key, a changed byte does not.
    before = shipped.cache_key()
    tabular = tmp_path / "slice.xml.gz"
    stat = tabular.stat()
    os.utime(tabular, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert shipped.cache_key() == before
    tabular.write_bytes(tabular.read_bytes() + b"\0")
    assert shipped.cache_key() != before


def test_the_april_2025_files_ship_with_the_package():
    tabular, code_list = APRIL_2025.files()
    assert tabular.parent == code_list.parent == icd10cm_build.DATA_DIR / "icd10cm-2025-04"
    assert (tabular.parent / "README.md").is_file()
    with gzip.open(tabular, "rt", encoding="utf-8") as stream:
        assert "<version>2025</version>" in stream.read(200)


def test_a_missing_shipped_file_names_the_edition(tmp_path, monkeypatch):
    monkeypatch.setattr(icd10cm_build, "DATA_DIR", tmp_path)
    with pytest.raises(FileNotFoundError, match="2025-04 edition"):
        APRIL_2025.files()


def test_a_start_with_the_cache_reads_it_without_building(code_sets, cache_dir, monkeypatch):
    # code_sets built (or read) the shared cache; a second load must only read it.
    assert all(cache_path(cache_dir, source).is_file() for source in EDITIONS)
    monkeypatch.setattr(icd10cm_build, "build_payload", _no_build)
    again = load_code_sets(cache_dir)
    for edition, before in zip(again.icd10cm.editions, code_sets.icd10cm.editions, strict=True):
        assert edition.get("E11.9") == before.get("E11.9")


def _recording_loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    read: list[str] = []
    real = loader.load_payload

    def load_payload(cache_dir: Path, source: icd10cm_build.EditionSource) -> dict:
        read.append(source.name)
        return real(cache_dir, source)

    monkeypatch.setattr(loader, "load_payload", load_payload)
    return read


def test_an_older_edition_is_read_on_first_use(code_sets, cache_dir, monkeypatch):
    read = _recording_loads(monkeypatch)
    fresh = load_code_sets(cache_dir)
    assert read == ["2026-04"]
    older = fresh.icd10cm.editions[0]
    assert (older.name, older.effective_to) == ("2025-04", APRIL_2025.effective_to)
    assert fresh.icd10cm.edition_for(APRIL_2025.effective_from) is older
    assert read == ["2026-04"]  # dates and names need no index
    assert older.get("S30.1XXA").billable
    assert older.code_count == 97_584
    assert read == ["2026-04", "2025-04"]
    with pytest.raises(AttributeError):
        older.no_such_attribute  # noqa: B018


def test_an_edition_without_a_cache_is_built_at_start(slice_payload, tmp_path, monkeypatch):
    monkeypatch.setattr(icd10cm_build, "build_payload", lambda *_: slice_payload)
    read = _recording_loads(monkeypatch)
    load_code_sets(tmp_path)
    assert read == ["2025-04", "2026-04"]
    assert all(cache_path(tmp_path, source).is_file() for source in EDITIONS)
