"""The NCCI edits of the procedure-code sets validated lately, kept in memory.

Validation reads NCCI edits on every request, and a practice bills the same few code sets over
and over, so the edits among each set are kept (with their dates: each request picks those in
effect on its date of service). A set not seen before costs one lookup, and a batch of
encounters looks up all its new sets together.

The edits change only when a quarter's files are loaded (`coding-service load-ncci`, usually
in another process), and each load writes a load record. So every FRESHNESS_SECONDS the cache
reads the newest load record's id and, when it changed, forgets everything: a load is seen
by every replica within that time.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Sequence
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from coding_service.ncci.edits import CodeSetEdits, DatedPtpEdit, NcciEdits, code_set
from coding_service.ncci.repository import NcciRepository

FRESHNESS_SECONDS = 30.0
MAX_CODE_SETS = 20_000  # a few kilobytes each at most
# Codes per lookup: two bound parameters each, well under the drivers' limit of 32,767.
MAX_CODES_PER_LOOKUP = 5_000


class NcciEditCache:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession],
                 freshness_seconds: float = FRESHNESS_SECONDS,
                 max_code_sets: int = MAX_CODE_SETS) -> None:
        self._sessionmaker = sessionmaker
        self._freshness_seconds = freshness_seconds
        self._max_code_sets = max_code_sets
        self._sets: OrderedDict[frozenset[str], CodeSetEdits] = OrderedDict()
        self._load: int | None = None
        self._checked_at = float("-inf")

    async def edits_for(self, procedure_codes: Sequence[str], date_of_service: date,
                        session: AsyncSession | None = None) -> NcciEdits:
        """The edits among the codes in effect on the date (see `edits_for_many`)."""
        return (await self.edits_for_many([(procedure_codes, date_of_service)], session))[0]

    async def edits_for_many(self, encounters: Sequence[tuple[Sequence[str], date]],
                             session: AsyncSession | None = None) -> list[NcciEdits]:
        """For each (procedure codes, date of service), the edits in effect that day.

        What is not cached is read in one lookup, through `session` when given (the caller's
        transaction: on SQLite a second connection would wait on the caller's write lock),
        else through a short session of the cache's own.
        """
        keys = [code_set(codes) for codes, _ in encounters]
        known = {key: self._remember(key, self._sets[key]) for key in keys if key in self._sets}
        if self._stale() or len(known) < len(set(keys)):
            if session is None:
                async with self._sessionmaker() as own:
                    known = await self._refresh(own, keys, known)
            else:
                known = await self._refresh(session, keys, known)
        return [known[key].on(on) for key, (_, on) in zip(keys, encounters, strict=True)]

    def _stale(self) -> bool:
        return time.monotonic() - self._checked_at > self._freshness_seconds

    async def _refresh(self, session: AsyncSession, keys: list[frozenset[str]],
                       known: dict[frozenset[str], CodeSetEdits]
                       ) -> dict[frozenset[str], CodeSetEdits]:
        """The edits of every key: `known` ones unless a load made them stale, the rest read
        (or taken from a concurrent request that read them meanwhile) and remembered."""
        if self._stale():
            # Marked first, so the requests arriving meanwhile do not all check too.
            self._checked_at = time.monotonic()
            load = await NcciRepository(session).latest_load()
            if load != self._load:
                self._sets.clear()
                self._load = load
                known = {}
        known = dict(known)
        for key in keys:
            if key not in known and key in self._sets:
                known[key] = self._sets[key]
        missing = {key for key in keys if key not in known}
        for group in _groups(missing, MAX_CODES_PER_LOOKUP):
            # One lookup over every code of the new sets, then each set takes its own part.
            every = await NcciRepository(session).edits_among(frozenset().union(*group))
            by_column1: dict[str, list[DatedPtpEdit]] = {}
            for edit in every.ptp:
                by_column1.setdefault(edit.column1, []).append(edit)
            for key in group:
                known[key] = self._remember(key, CodeSetEdits(
                    ptp=tuple(edit for column1 in sorted(key)
                              for edit in by_column1.get(column1, ()) if edit.column2 in key),
                    mue={code: every.mue[code] for code in sorted(key) if code in every.mue},
                    addon=tuple(edit for edit in every.addon if edit.addon_code in key),
                ))
        return known

    def _remember(self, key: frozenset[str], edits: CodeSetEdits) -> CodeSetEdits:
        self._sets[key] = edits
        self._sets.move_to_end(key)
        while len(self._sets) > self._max_code_sets:
            self._sets.popitem(last=False)
        return edits


def _groups(keys: set[frozenset[str]], max_codes: int) -> list[list[frozenset[str]]]:
    """The sets in groups whose codes together stay within max_codes (a set larger than
    that alone forms a group)."""
    groups: list[list[frozenset[str]]] = []
    codes: set[str] = set()
    for key in sorted(keys, key=sorted):
        if groups and len(codes | key) <= max_codes:
            groups[-1].append(key)
            codes |= key
        else:
            groups.append([key])
            codes = set(key)
    return groups
