"""Validation of encounters: the facts and codes the rule engine reads, the NCCI edits in
effect (from the in-memory cache), and the rule engine itself."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from coding_service.codesets.types import CodeSets
from coding_service.encounters import schemas as encounter_schemas
from coding_service.ncci.cache import NcciEditCache
from coding_service.validation import schemas
from coding_service.validation.engine import EncounterFacts, ServiceLine, validate_encounter
from rcm_shared.problems import ProblemError, issue

IssueDicts = list[dict[str, str]]


def latest_calendar_date() -> date:
    """The latest date it is anywhere on Earth (UTC+14): a clinic's today is never after it."""
    return (datetime.now(UTC) + timedelta(hours=14)).date()


def facts_of(fields: encounter_schemas.EncounterFields) -> EncounterFacts:
    return EncounterFacts(
        patient_birth_date=fields.patient.birth_date,
        patient_sex=fields.patient.sex,
        date_of_service=fields.date_of_service,
        place_of_service=fields.place_of_service,
        rendering_provider_npi=fields.rendering_provider_npi,
        billing_provider_npi=fields.billing_provider_npi,
    )


def rule_line(line: encounter_schemas.ServiceLine) -> ServiceLine:
    return ServiceLine(
        procedure_code=line.procedure_code,
        modifiers=tuple(line.modifiers),
        units=line.units,
        charge=line.charge,
        diagnosis_pointers=tuple(line.diagnosis_pointers),
    )


def is_valid(issues: IssueDicts) -> bool:
    return not any(issue["severity"] == "error" for issue in issues)


class Validator:
    def __init__(self, code_sets: CodeSets, ncci: NcciEditCache) -> None:
        self.code_sets = code_sets
        self.ncci = ncci

    async def check(self, facts: EncounterFacts, diagnoses: Sequence[str],
                    lines: Sequence[ServiceLine],
                    session: AsyncSession | None = None) -> IssueDicts:
        """Every issue of one encounter. `session`: the caller's transaction, if any, for
        NCCI edits not cached yet."""
        edits = await self.ncci.edits_for([line.procedure_code for line in lines],
                                          facts.date_of_service, session)
        issues = validate_encounter(facts, diagnoses, lines, self.code_sets, edits,
                                    today=latest_calendar_date())
        return [issue.to_dict() for issue in issues]

    async def validate(self, request: schemas.ValidateRequest) -> dict[str, Any]:
        """The body of a ValidationResult."""
        issues = await self.check(
            facts_of(request), [d.code for d in request.diagnoses],
            [rule_line(line) for line in request.service_lines],
        )
        return {"valid": is_valid(issues), "issues": issues}

    async def validate_batch(self, request: schemas.BatchRequest) -> dict[str, Any]:
        """The body of a BatchResult: every item in one pass, the NCCI edits of all items read
        in one lookup."""
        _refuse_repeated_ids(request.items)
        lines = [[rule_line(line) for line in item.service_lines] for item in request.items]
        facts = [facts_of(item) for item in request.items]
        edits = await self.ncci.edits_for_many([
            ([line.procedure_code for line in item_lines], item_facts.date_of_service)
            for item_lines, item_facts in zip(lines, facts, strict=True)
        ])
        today = latest_calendar_date()
        results = []
        for index, item in enumerate(request.items):
            issues = [issue.to_dict() for issue in validate_encounter(
                facts[index], [d.code for d in item.diagnoses], lines[index], self.code_sets,
                edits[index], today,
            )]
            results.append({"index": index, "id": item.id, "valid": is_valid(issues),
                            "issues": issues})
        valid = sum(result["valid"] for result in results)
        return {"items": results, "valid_count": valid, "invalid_count": len(results) - valid}


def _refuse_repeated_ids(items: Sequence[schemas.BatchItem]) -> None:
    first_at: dict[str, int] = {}
    repeated = []
    for index, item in enumerate(items):
        if item.id is None:
            continue
        if item.id in first_at:
            repeated.append(issue(
                "batch.duplicate_id", f"$.items[{index}].id",
                f"The id '{item.id}' is already the id of item {first_at[item.id]}; give each "
                "item its own id (or none) so its result can be told apart.",
            ))
        else:
            first_at[item.id] = index
    if repeated:
        raise ProblemError(422, "Request validation failed",
                           "Item ids must be unique within a batch.", type_="validation",
                           issues=repeated)
