"""POST /v1/validate and /v1/validate/batch: request bodies run through the rule engine."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from coding_service.encounters.service import facts_of, rule_line
from coding_service.validate import schemas
from coding_service.validation.service import Validator
from rcm_shared.issues import has_errors, issue
from rcm_shared.problems import ProblemError


class ValidateService:
    def __init__(self, validator: Validator) -> None:
        self.validator = validator

    async def validate(self, request: schemas.ValidateRequest) -> dict[str, Any]:
        """The body of a ValidationResult."""
        facts = facts_of(request)
        issues = await self.validator.check(
            facts, [d.code for d in request.diagnoses],
            [rule_line(line) for line in request.service_lines],
        )
        return {"valid": not has_errors(issues),
                "icd10cm_edition": self.validator.icd10cm_edition(facts.date_of_service),
                "issues": issues}

    async def validate_batch(self, request: schemas.BatchRequest) -> dict[str, Any]:
        """The body of a BatchResult, the items checked in one pass."""
        _refuse_repeated_ids(request.items)
        encounters = [
            (facts_of(item), [d.code for d in item.diagnoses],
             [rule_line(line) for line in item.service_lines])
            for item in request.items
        ]
        checked = await self.validator.check_many(encounters)
        results = [
            {"index": index, "id": item.id, "valid": not has_errors(issues),
             "icd10cm_edition": self.validator.icd10cm_edition(facts.date_of_service),
             "issues": issues}
            for index, (item, (facts, _, _), issues) in enumerate(
                zip(request.items, encounters, checked, strict=True))
        ]
        valid = sum(1 for result in results if result["valid"])
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
