"""The in-memory ICD-10-CM index: one edition per effective date range, read from the compact
payload that `icd10cm_build` writes to the cache.

The payload is columnar (parallel lists and byte arrays in code order), so loading it creates
a few large objects rather than one object per code, and lookups bisect the sorted code list.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable
from datetime import date
from functools import lru_cache
from typing import Any

from coding_service.codesets.references import CodeRange
from coding_service.codesets.search import SearchIndex
from coding_service.codesets.types import (
    CODE_FIRST,
    USE_ADDITIONAL,
    CompanionNote,
    Excludes1Conflict,
    Excludes1Note,
    IcdCode,
    SeventhCharacterRule,
)

# What a type-ahead query may be when it is the start of a code: "E", "e11", "E11.6", "QA0".
# A word that happens to fit ("hip") starts no code and goes to the title search instead.
_CODE_PREFIX = re.compile(r"[A-Z][0-9A-Z]{0,6}")
_AFTER_ALL_CODES = "~"  # sorts after every code character (0-9, A-Z)

NoteRanges = tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
# "Code first" or "use additional code" instructions by the code they apply from (undotted):
# (where written: the code, its block or its chapter; the note; the ranges it names).
CompanionTable = dict[str, tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...]]
# Every range a code's Excludes1 notes name, as (first, last, note) in note order, grouped by
# each first letter the range spans: a code is checked against the few ranges of its letter.
Exclusions = dict[str, tuple[tuple[str, str, str], ...]]
# Codes whose exclusions and lookups are kept prepared; far more than a practice uses.
EXCLUSIONS_CACHED = 8192
LOOKUPS_CACHED = 16384


def undotted(code: str) -> str:
    return code.strip().upper().replace(".", "")


def dotted(code: str) -> str:
    return code if len(code) <= 3 else f"{code[:3]}.{code[3:]}"


class Icd10cmEdition:
    """One ICD-10-CM edition; implements `types.IcdEdition`.

    Given its payload, the edition reads it at once; given a function returning it, on first
    use, so an edition no request needs costs neither start-up time nor memory."""

    # The index, read from the payload by _read.
    _codes: list[str]
    _titles: list[str]
    _billable: bytes
    _manifestation: bytes
    _chapters: bytes
    _blocks: list[str]
    _block_of: memoryview
    _excludes1: dict[str, NoteRanges]
    _block_excludes1: dict[str, NoteRanges]
    _chapter_excludes1: dict[int, NoteRanges]
    _seventh: dict[str, tuple[tuple[str, str], ...]]
    _companions: tuple[tuple[str, CompanionTable], ...]
    _search: SearchIndex
    code_count: int
    billable_count: int

    def __init__(self, name: str, effective_from: date, effective_to: date | None,
                 source: str, payload: dict[str, Any] | Callable[[], dict[str, Any]]) -> None:
        self.name = name
        self.effective_from = effective_from
        self.effective_to = effective_to
        self.source = source
        self._exclusions = lru_cache(maxsize=EXCLUSIONS_CACHED)(self._prepare_exclusions)
        # IcdCode is immutable, so the codes looked up lately are answered from a cache.
        self.get = lru_cache(maxsize=LOOKUPS_CACHED)(self._get)  # type: ignore[method-assign]
        self.companion_notes = lru_cache(  # type: ignore[method-assign]
            maxsize=LOOKUPS_CACHED)(self._companion_notes)
        if callable(payload):
            self._load = payload
        else:
            self._read(payload)

    def __getattr__(self, name: str) -> Any:
        # Reached only for an attribute not set: the index of an edition not read yet.
        load = self.__dict__.pop("_load", None) if name in _INDEX_ATTRIBUTES else None
        if load is None:
            raise AttributeError(name)
        self._read(load())
        return getattr(self, name)

    def _read(self, payload: dict[str, Any]) -> None:
        self._codes = payload["codes"]
        self._titles = payload["titles"]
        self._billable = payload["billable"]
        self._manifestation = payload["manifestation"]
        self._chapters = payload["chapters"]
        self._blocks = payload["blocks"]
        self._block_of = memoryview(payload["block_of"]).cast("H")
        self._excludes1 = payload["excludes1"]
        self._block_excludes1 = payload["block_excludes1"]
        self._chapter_excludes1 = payload["chapter_excludes1"]
        self._seventh = payload["seventh"]
        self._companions = (
            (CODE_FIRST, payload["code_first"]), (USE_ADDITIONAL, payload["use_additional"]),
        )
        self._search = SearchIndex(payload["search"])
        self.code_count = len(self._codes)
        self.billable_count = self._billable.count(1)

    # --- lookups -------------------------------------------------------------------------

    def get(self, code: str) -> IcdCode | None:
        return self._get(code)

    def _get(self, code: str) -> IcdCode | None:
        index = self._find(undotted(code))
        return None if index is None else self._code(index)

    def billable_children(self, code: str, limit: int = 50) -> list[IcdCode]:
        index = self._find(undotted(code))
        if index is None:
            return []
        end = self._descendants_end(index)
        found: list[IcdCode] = []
        for child in range(index + 1, end):
            if len(found) == limit:
                break
            if self._billable[child]:
                found.append(self._code(child))
        return found

    def billable_descendant_count(self, code: str) -> int:
        index = self._find(undotted(code))
        if index is None:
            return 0
        return self._billable[index + 1:self._descendants_end(index)].count(1)

    def seventh_character_rule(self, code: str) -> SeventhCharacterRule | None:
        key = undotted(code)
        for length in range(min(len(key), 6), 2, -1):
            characters = self._seventh.get(key[:length])
            if characters is not None:
                return SeventhCharacterRule(dotted(key[:length]), dict(characters))
        return None

    def with_placeholder(self, code: str) -> IcdCode | None:
        key = undotted(code)
        if not 4 <= len(key) <= 6:
            return None
        rule = self.seventh_character_rule(key[:-1])
        if rule is None or key[-1] not in rule.allowed:
            return None
        return self.get(key[:-1].ljust(6, "X") + key[-1])

    # --- Excludes1 ------------------------------------------------------------------------

    def excludes1_notes(self, code: str) -> list[Excludes1Note]:
        key = undotted(code)
        index = self._find(key)
        if index is None:
            return []
        return [
            Excludes1Note(source, note, tuple(CodeRange(*bounds).label() for bounds in ranges))
            for source, note, ranges in self._notes_applying(key, index)
        ]

    def excludes1_conflicts(self, codes: list[str]) -> list[Excludes1Conflict]:
        present = [key for key in map(undotted, codes) if self._find(key) is not None]
        conflicts: list[Excludes1Conflict] = []
        for owner in present:
            exclusions = self._exclusions(owner)
            if not exclusions:
                continue
            for other in present:
                if other == owner:
                    continue
                # The first note, in note order, with a range holding the other code.
                for first, last, note in exclusions.get(other[0], ()):
                    if first <= other[:len(first)] and other[:len(last)] <= last:
                        conflicts.append(Excludes1Conflict(dotted(owner), dotted(other), note))
                        break
        return conflicts

    def _prepare_exclusions(self, key: str) -> Exclusions:
        index = self._find(key)
        grouped: dict[str, list[tuple[str, str, str]]] = {}
        if index is not None:
            for _, note, ranges in self._notes_applying(key, index):
                for first, last in ranges:
                    for letter in range(ord(first[0]), ord(last[0]) + 1):
                        grouped.setdefault(chr(letter), []).append((first, last, note))
        return {letter: tuple(entries) for letter, entries in grouped.items()}

    def _notes_applying(self, key: str, index: int
                        ) -> Iterable[tuple[str, str, tuple[tuple[str, str], ...]]]:
        """Excludes1 notes of the code, its ancestors, its block and its chapter."""
        for length in range(3, len(key) + 1):
            for note, ranges in self._excludes1.get(key[:length], ()):
                yield dotted(key[:length]), note, ranges
        block = self._blocks[self._block_of[index]]
        for note, ranges in self._block_excludes1.get(block, ()):
            yield block, note, ranges
        chapter = self._chapters[index]
        for note, ranges in self._chapter_excludes1.get(chapter, ()):
            yield f"chapter {chapter}", note, ranges

    # --- "code first" and "use additional code" -------------------------------------------

    def companion_notes(self, code: str) -> tuple[CompanionNote, ...]:
        return self._companion_notes(code)

    def _companion_notes(self, code: str) -> tuple[CompanionNote, ...]:
        """The kept instructions of the code and its ancestors (a block's or chapter's ones are
        written at each of its categories by the build)."""
        key = undotted(code)
        if self._find(key) is None:
            return ()
        return tuple(
            CompanionNote(kind, source, note, tuple(CodeRange(*bounds) for bounds in ranges))
            for kind, table in self._companions
            for length in range(3, len(key) + 1)
            for source, note, ranges in table.get(key[:length], ())
        )

    # --- search ---------------------------------------------------------------------------

    def search(self, query: str, limit: int = 20) -> list[IcdCode]:
        if limit < 1:
            return []
        prefix = undotted(query)
        found: list[int] = []
        if _CODE_PREFIX.fullmatch(prefix):
            start = bisect_left(self._codes, prefix)
            for index in range(start, min(start + limit, len(self._codes))):
                if not self._codes[index].startswith(prefix):
                    break
                found.append(index)
        if not found:
            found = self._search.search(query, limit)
        return [self._code(index) for index in found]

    # --- internals ------------------------------------------------------------------------

    def _find(self, key: str) -> int | None:
        index = bisect_left(self._codes, key)
        if index < len(self._codes) and self._codes[index] == key and key:
            return index
        return None

    def _descendants_end(self, index: int) -> int:
        return bisect_left(self._codes, self._codes[index] + _AFTER_ALL_CODES, index + 1)

    def _code(self, index: int) -> IcdCode:
        return IcdCode(
            code=dotted(self._codes[index]),
            title=self._titles[index],
            billable=bool(self._billable[index]),
            chapter=self._chapters[index],
            block=self._blocks[self._block_of[index]],
            manifestation=bool(self._manifestation[index]),
        )


_INDEX_ATTRIBUTES = frozenset(Icd10cmEdition.__annotations__)  # what _read sets


class Icd10cmCodeSet:
    """The ICD-10-CM editions the service knows, and when codes became valid."""

    def __init__(self, editions: list[Icd10cmEdition], history: dict[str, date]) -> None:
        if not editions:
            raise ValueError("at least one ICD-10-CM edition is needed")
        self.editions = sorted(editions, key=lambda edition: edition.effective_from)
        self._history = history

    def edition_for(self, on: date) -> Icd10cmEdition:
        return self.in_force(on) or min(
            self.editions, key=lambda edition: _days_outside(edition, on))

    def in_force(self, on: date) -> Icd10cmEdition | None:
        for edition in self.editions:
            if edition.effective_from <= on and (
                    edition.effective_to is None or on <= edition.effective_to):
                return edition
        return None

    def valid_from(self, code: str) -> date | None:
        return self._history.get(undotted(code))


def _days_outside(edition: Icd10cmEdition, on: date) -> int:
    if on < edition.effective_from:
        return (edition.effective_from - on).days
    if edition.effective_to is not None and on > edition.effective_to:
        return (on - edition.effective_to).days
    return 0
