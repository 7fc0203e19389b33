"""Response bodies of the code-set endpoints."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class CodeSetSummary(BaseModel):
    name: str = Field(description="icd10cm, procedures, modifiers, places_of_service, ...")
    version: str = Field(description="The edition (ICD-10-CM) or the table's version")
    effective_from: date | None = None
    effective_to: date | None = None
    codes: int = Field(description="Codes (or rows) in the set")
    billable_codes: int | None = Field(None, description="ICD-10-CM only")
    source: str


class CodeSetList(BaseModel):
    items: list[CodeSetSummary]


class IcdCodeItem(BaseModel):
    code: str = Field(examples=["E11.9"])
    title: str
    billable: bool
    chapter: int
    block: str = Field(examples=["E08-E13"])
    manifestation: bool = Field(
        description="An 'in diseases classified elsewhere' code: never first-listed or alone"
    )


class Excludes1NoteOut(BaseModel):
    source: str = Field(description="Where the note is written: the code, an ancestor, the "
                                    "block or the chapter")
    note: str
    references: list[str] = Field(examples=[["E10"]])


class SeventhCharactersOut(BaseModel):
    base: str = Field(description="The category or subcategory that defines them")
    allowed: dict[str, str]


class IcdCodeDetail(IcdCodeItem):
    edition: str
    valid_from: date | None = Field(
        None, description="When the code became valid, where the shipped code history knows it"
    )
    valid_on_date_of_service: bool | None = Field(
        None, description="Set when date_of_service was given, and false whenever the code is "
        "not in the edition of the date (given, or today): the answer then comes from the newest "
        "loaded edition holding the code, named in `edition`"
    )
    excludes1: list[Excludes1NoteOut]
    seventh_characters: SeventhCharactersOut | None
    billable_children: list[IcdCodeItem] = Field(
        description="For a header code, its first billable codes in code order"
    )
    billable_children_total: int


class IcdSearchResult(BaseModel):
    edition: str
    items: list[IcdCodeItem]
    next_cursor: str | None = Field(
        None, description="Pass as cursor for the next matches, best first; null on the last page")


class ProcedureCodeOut(BaseModel):
    code: str = Field(examples=["99213"])
    description: str
    code_system: str = Field(examples=["CPT"])
    is_evaluation_management: bool
    sex: str | None = Field(None, description="F or M when the procedure is sex-specific")
