"""The shipped code sets, loaded once per run from the shared cache (var/cache: the first run
builds it, later runs only read it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from coding_service.codesets.loader import load_code_sets
from coding_service.codesets.types import CodeSets, IcdEdition

CACHE_DIR = Path(__file__).resolve().parents[3] / "var" / "cache"


@pytest.fixture(scope="session")
def cache_dir() -> Path:
    return CACHE_DIR


@pytest.fixture(scope="session")
def code_sets(cache_dir: Path) -> CodeSets:
    return load_code_sets(cache_dir)


@pytest.fixture(scope="session")
def edition(code_sets: CodeSets) -> IcdEdition:
    return code_sets.icd10cm.editions[-1]
