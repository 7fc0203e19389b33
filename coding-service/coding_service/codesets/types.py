"""The shapes code sets are read through. Rule code (validation/) depends only on these."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Protocol


@dataclass(frozen=True, slots=True)
class IcdCode:
    code: str  # dotted form, e.g. "E11.9", "S72.001A"
    title: str
    billable: bool
    chapter: int  # 1-22
    block: str  # e.g. "E08-E13"
    # Set when the code is a manifestation ("in diseases classified elsewhere"): the
    # etiology must be coded first, so it may not be first-listed or stand alone.
    manifestation: bool = False


@dataclass(frozen=True, slots=True)
class Excludes1Conflict:
    code: str  # the code whose Excludes1 note names the other
    excluded: str  # the other code on the encounter
    note: str  # the Excludes1 note text, for the coder


@dataclass(frozen=True, slots=True)
class Excludes1Note:
    source: str  # where the note is written: a code ("E11"), a block ("E08-E13"), "chapter 4"
    note: str
    references: tuple[str, ...]  # the codes or ranges the note names, e.g. ("E10", "E08-E13")


@dataclass(frozen=True, slots=True)
class SeventhCharacterRule:
    base: str  # the category or subcategory defining the 7th characters, e.g. "S72"
    allowed: dict[str, str]  # character -> meaning, e.g. {"A": "initial encounter ..."}


class IcdEdition(Protocol):
    """One ICD-10-CM edition (e.g. the April 2026 update)."""

    name: str  # "2026-04"
    effective_from: date
    effective_to: date | None
    source: str  # where the edition's data comes from
    code_count: int
    billable_count: int

    def get(self, code: str) -> IcdCode | None:
        """A code in dotted or undotted form, any case; None if the edition lacks it."""

    def billable_children(self, code: str, limit: int = 50) -> list[IcdCode]:
        """The billable descendants of a header code, in code order."""

    def seventh_character_rule(self, code: str) -> SeventhCharacterRule | None:
        """The 7th-character definition that applies to code or its ancestors, if any."""

    def excludes1_conflicts(self, codes: list[str]) -> list[Excludes1Conflict]:
        """Pairs among codes where one's Excludes1 note (or an ancestor's) names the other."""

    def search(self, query: str, limit: int = 20) -> list[IcdCode]:
        """Type-ahead search by code prefix or title words, best first."""

    def billable_descendant_count(self, code: str) -> int:
        """How many billable codes sit under a header code."""

    def with_placeholder(self, code: str) -> IcdCode | None:
        """The code a 7th character lacking its placeholder X means (T15.10A -> T15.10XA)."""

    def excludes1_notes(self, code: str) -> list[Excludes1Note]:
        """The Excludes1 notes that apply to a code: its own, its ancestors', block's, chapter's."""


class IcdCodeSet(Protocol):
    editions: list[IcdEdition]

    def edition_for(self, on: date) -> IcdEdition:
        """The edition in force on a date; the nearest one when none covers it."""

    def valid_from(self, code: str) -> date | None:
        """The first date a code was valid, where the shipped code history knows it."""


@dataclass(frozen=True, slots=True)
class ProcedureCode:
    code: str
    description: str
    code_system: str  # "CPT" or "HCPCS"
    is_evaluation_management: bool = False
    sex: str | None = None  # "F" or "M" when the procedure is sex-specific


@dataclass(frozen=True, slots=True)
class Modifier:
    code: str
    description: str
    ncci_bypass: bool = False  # 59, XE, XS, XP, XU, and the anatomic modifiers CMS lists


@dataclass(frozen=True, slots=True)
class DemographicEdit:
    """A sex or age edit over a range of ICD-10-CM codes, as shipped data with a source."""

    first: str  # first code of the range, undotted prefix, e.g. "O00"
    last: str  # last code of the range, e.g. "O9A"
    sex: str | None = None  # the only sex the codes apply to
    min_age_years: int | None = None
    max_age_years: int | None = None
    max_age_days: int | None = None
    source: str = ""


@dataclass(frozen=True, slots=True)
class CodeSets:
    icd10cm: IcdCodeSet
    procedures: dict[str, ProcedureCode]
    modifiers: dict[str, Modifier]
    places_of_service: dict[str, str]
    demographic_edits: list[DemographicEdit]
    versions: dict[str, str] = field(default_factory=dict)  # code set -> edition/source label
    sources: dict[str, str] = field(default_factory=dict)  # code set -> where its data comes from

    def summary(self) -> dict[str, str]:
        return dict(self.versions)


