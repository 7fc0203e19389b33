"""The rule engine run for one or many encounters with the NCCI edits in effect (from the
in-memory cache) and the loaded code sets."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from coding_service.codesets.types import CodeSets
from coding_service.ncci.cache import NcciEditCache
from coding_service.validation.engine import EncounterFacts, ServiceLine, validate_encounter
from rcm_shared.issues import IssueDict


def latest_calendar_date() -> date:
    """The latest date it is anywhere on Earth (UTC+14): a clinic's today is never after it."""
    return (datetime.now(UTC) + timedelta(hours=14)).date()


class Validator:
    def __init__(self, code_sets: CodeSets, ncci: NcciEditCache) -> None:
        self.code_sets = code_sets
        self.ncci = ncci

    def icd10cm_edition(self, on: date) -> str:
        """The name of the ICD-10-CM edition the rules check a date's diagnoses against."""
        return self.code_sets.icd10cm.edition_for(on).name

    async def check(self, facts: EncounterFacts, diagnoses: Sequence[str],
                    lines: Sequence[ServiceLine],
                    session: AsyncSession | None = None) -> list[IssueDict]:
        """Every issue of one encounter. `session`: the caller's transaction, if any, for
        NCCI edits not cached yet."""
        edits = await self.ncci.edits_for([line.procedure_code for line in lines],
                                          facts.date_of_service, session)
        issues = validate_encounter(facts, diagnoses, lines, self.code_sets, edits,
                                    today=latest_calendar_date())
        return [issue.to_dict() for issue in issues]

    async def check_many(
        self, encounters: Sequence[tuple[EncounterFacts, Sequence[str], Sequence[ServiceLine]]]
    ) -> list[list[IssueDict]]:
        """Every issue of each encounter, in one pass: the NCCI edits of all of them read in one
        lookup."""
        edits = await self.ncci.edits_for_many([
            ([line.procedure_code for line in lines], facts.date_of_service)
            for facts, _, lines in encounters
        ])
        today = latest_calendar_date()
        return [
            [issue.to_dict() for issue in validate_encounter(
                facts, diagnoses, lines, self.code_sets, found, today)]
            for (facts, diagnoses, lines), found in zip(encounters, edits, strict=True)
        ]
