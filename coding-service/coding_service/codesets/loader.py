"""Loading every code set the service reads, once, at start-up."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from coding_service.codesets.icd10cm import Icd10cmCodeSet, Icd10cmEdition
from coding_service.codesets.icd10cm_build import (
    EDITIONS,
    EditionSource,
    build_cache,
    cache_path,
    load_payload,
)
from coding_service.codesets.tables import (
    read_age_bands,
    read_code_history,
    read_demographic_edits,
    read_first_listed_edits,
    read_modifiers,
    read_place_of_service_groups,
    read_places_of_service,
    read_procedures,
)
from coding_service.codesets.types import CodeSets


def load_code_sets(cache_dir: Path) -> CodeSets:
    """All code sets. Synchronous and fast once the ICD-10-CM index is cached in `cache_dir`;
    the first call builds the cache (a few seconds per edition)."""
    editions = [
        Icd10cmEdition(source.name, source.effective_from, source.effective_to, source.label(),
                       _payload(cache_dir, source, newest=source is EDITIONS[-1]))
        for source in EDITIONS
    ]
    history_table, history = read_code_history()
    procedures_table, procedures = read_procedures()
    modifiers_table, modifiers = read_modifiers()
    places_table, places = read_places_of_service()
    edits_table, edits = read_demographic_edits()
    first_listed_table, first_listed = read_first_listed_edits()
    age_bands_table, age_bands = read_age_bands()
    groups_table, groups = read_place_of_service_groups()
    icd10cm = Icd10cmCodeSet(editions, history)
    newest = icd10cm.editions[-1]
    tables = {
        "procedures": procedures_table,
        "modifiers": modifiers_table,
        "places_of_service": places_table,
        "demographic_edits": edits_table,
        "icd10cm_code_history": history_table,
        "first_listed_edits": first_listed_table,
        "preventive_age_bands": age_bands_table,
        "place_of_service_groups": groups_table,
    }
    return CodeSets(
        icd10cm=icd10cm,
        procedures=procedures,
        modifiers=modifiers,
        places_of_service=places,
        demographic_edits=edits,
        first_listed_edits=first_listed,
        age_bands=age_bands,
        place_of_service_groups=groups,
        versions={"icd10cm": newest.name} | {name: t.version for name, t in tables.items()},
        sources={"icd10cm": newest.source} | {name: t.source for name, t in tables.items()},
    )


def _payload(cache_dir: Path, source: EditionSource,
             newest: bool) -> dict[str, Any] | Callable[[], dict[str, Any]]:
    """The newest edition's index now; an older one's when first used (most dates of service
    are recent), unless its cache must be built: that is done at start, not in a request."""
    if newest or not cache_path(cache_dir, source).is_file():
        return load_payload(cache_dir, source)
    return partial(load_payload, cache_dir, source)


def build_icd10cm_cache(cache_dir: Path) -> Path:
    """Rebuild the ICD-10-CM index of every edition into `cache_dir`; the path of the newest
    edition's cache file."""
    paths = [build_cache(cache_dir, source) for source in EDITIONS]
    return paths[-1]
