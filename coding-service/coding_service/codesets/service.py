"""Code-set lookups and search behind the /v1/code-sets and /v1/codes endpoints."""

from __future__ import annotations

from datetime import date
from typing import Any

from coding_service.codesets.schemas import (
    CodeSetSummary,
    Excludes1NoteOut,
    IcdCodeDetail,
    IcdCodeItem,
    ProcedureCodeOut,
    SeventhCharactersOut,
)
from coding_service.codesets.types import CodeSets, IcdCode, IcdEdition
from rcm_shared.issues import issue
from rcm_shared.pagination import cursor_id, decode_cursor, encode_cursor
from rcm_shared.problems import ProblemError

CHILDREN_SHOWN = 50


class CodeSetService:
    """Lookups in the code sets loaded at start-up: in memory, no I/O."""

    def __init__(self, code_sets: CodeSets) -> None:
        self.code_sets = code_sets

    def _edition(self, date_of_service: date | None) -> IcdEdition:
        return self.code_sets.icd10cm.edition_for(date_of_service or date.today())

    def _newest_holding(self, code: str, edition: IcdEdition) -> tuple[IcdEdition, IcdCode]:
        """The newest other edition holding the code, and the code; 404 when none does."""
        for other in reversed(self.code_sets.icd10cm.editions):
            if other is not edition and (found := other.get(code)) is not None:
                return other, found
        raise _unknown_icd(edition, code)

    def summaries(self) -> list[CodeSetSummary]:
        items = [
            CodeSetSummary(
                name="icd10cm",
                version=edition.name,
                effective_from=edition.effective_from,
                effective_to=edition.effective_to,
                codes=edition.code_count,
                billable_codes=edition.billable_count,
                source=edition.source,
            )
            for edition in self.code_sets.icd10cm.editions
        ]
        counts = {
            "procedures": len(self.code_sets.procedures),
            "modifiers": len(self.code_sets.modifiers),
            "places_of_service": len(self.code_sets.places_of_service),
            "demographic_edits": len(self.code_sets.demographic_edits),
        }
        items += [
            CodeSetSummary(name=name, version=self.code_sets.versions.get(name, ""), codes=count,
                           source=self.code_sets.sources.get(name, ""))
            for name, count in counts.items()
        ]
        return items

    def icd_code(self, code: str, date_of_service: date | None) -> IcdCodeDetail:
        of_date = self._edition(date_of_service)
        edition, found = of_date, of_date.get(code)
        if found is None:
            # A code deleted or not yet added on the date is still described, from the newest
            # edition holding it, as not valid on the date.
            edition, found = self._newest_holding(code, of_date)
        valid_from = self.code_sets.icd10cm.valid_from(found.code)
        valid_on_date: bool | None = None
        if edition is not of_date:
            valid_on_date = False
        elif date_of_service is not None:
            valid_on_date = valid_from is None or valid_from <= date_of_service
        rule = edition.seventh_character_rule(found.code)
        return IcdCodeDetail(
            **_item(found).model_dump(),
            edition=edition.name,
            valid_from=valid_from,
            valid_on_date_of_service=valid_on_date,
            excludes1=[
                Excludes1NoteOut(source=n.source, note=n.note, references=list(n.references))
                for n in edition.excludes1_notes(found.code)
            ],
            seventh_characters=(
                None if rule is None else SeventhCharactersOut(base=rule.base, allowed=rule.allowed)
            ),
            billable_children=[
                _item(child) for child in edition.billable_children(found.code, CHILDREN_SHOWN)
            ],
            billable_children_total=edition.billable_descendant_count(found.code),
        )

    def icd_search(self, query: str, limit: int, date_of_service: date | None,
                   cursor: str | None = None) -> dict[str, Any]:
        """The body of an IcdSearchResult, as plain values: the type-ahead path sends it as
        it is. Matches are ranked, so a page is a stretch of the ranking: the cursor holds the
        query it was issued for and where the next page starts."""
        if not query.strip():
            raise ProblemError(
                422, "Request validation failed", "The search text is blank.", type_="validation",
                issues=[issue("schema.blank", "query:q", "Give a code prefix or title words.")],
            )
        edition = self._edition(date_of_service)
        start = 0
        if cursor is not None:
            issued_for, start = decode_cursor(cursor, str, cursor_id)
            if issued_for != query:
                raise ProblemError(
                    400, "Bad cursor", "The cursor was issued for another search text; pass "
                    "next_cursor back with the same q.", type_="bad-cursor",
                    issues=[issue("pagination.cursor", "query:cursor",
                                  "The cursor belongs to another search.")])
        ranked = edition.search(query, start + limit + 1)
        more = len(ranked) > start + limit
        return {"edition": edition.name, "items": [
            {"code": code.code, "title": code.title, "billable": code.billable,
             "chapter": code.chapter, "block": code.block, "manifestation": code.manifestation}
            for code in ranked[start:start + limit]
        ], "next_cursor": encode_cursor(query, start + limit) if more else None}

    def procedure_code(self, code: str) -> ProcedureCodeOut:
        found = self.code_sets.procedures.get(code.upper())
        if found is None:
            raise ProblemError(
                404, "Not Found",
                f"{code.upper()} is well formed but not in the procedure table this service "
                "ships, which is a sample of common CPT and HCPCS codes: the full CPT table is "
                "licensed by the AMA and loaded by the user.",
                type_="not-found",
            )
        return ProcedureCodeOut(
            code=found.code, description=found.description, code_system=found.code_system,
            is_evaluation_management=found.is_evaluation_management, sex=found.sex,
        )


def _unknown_icd(edition: IcdEdition, code: str) -> ProblemError:
    shown = code.strip().upper()
    detail = f"{shown} is not an ICD-10-CM code in the {edition.name} edition."
    placeholder = edition.with_placeholder(shown)
    if placeholder is not None:
        detail += f" With the placeholder X it is {placeholder.code} ({placeholder.title})."
    return ProblemError(404, "Not Found", detail, type_="not-found")


def _item(code: IcdCode) -> IcdCodeItem:
    return IcdCodeItem(code=code.code, title=code.title, billable=code.billable,
                       chapter=code.chapter, block=code.block, manifestation=code.manifestation)
