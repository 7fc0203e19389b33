"""The shapes code sets are read through. Rule code (validation/) depends only on these."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from coding_service.codesets.references import CodeRange
from rcm_shared.issues import Severity


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


CODE_FIRST = "code_first"
USE_ADDITIONAL = "use_additional"


@dataclass(frozen=True, slots=True)
class CompanionNote:
    """A "code first" or "use additional code" instruction that applies to a code."""

    kind: str  # CODE_FIRST | USE_ADDITIONAL
    source: str  # where it is written: the code, an ancestor ("E11"), a block, "chapter 4"
    note: str  # e.g. "code to identify stage of chronic kidney disease (N18.1-N18.6)"
    references: tuple[CodeRange, ...]  # the companion codes it names; any one satisfies it

    def names(self, code: str) -> bool:
        """Whether an undotted code is one of the companions."""
        return any(reference.holds(code) for reference in self.references)

    def labels(self) -> str:
        return ", ".join(reference.label() for reference in self.references)


@dataclass(frozen=True, slots=True)
class SeventhCharacterRule:
    base: str  # the category or subcategory defining the 7th characters, e.g. "S72"
    allowed: dict[str, str]  # character -> meaning, e.g. {"A": "initial encounter ..."}


class IcdEdition(Protocol):
    """One ICD-10-CM edition (e.g. the April 2026 update); hashable, told apart by identity."""

    name: str  # "2026-04"
    effective_from: date
    effective_to: date | None
    source: str  # where the edition's data comes from
    code_count: int
    billable_count: int

    def __hash__(self) -> int:
        """By identity: the validator caches per edition (functools.lru_cache)."""

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

    def companion_notes(self, code: str) -> tuple[CompanionNote, ...]:
        """The "code first" and "use additional code" instructions kept as rules that apply to
        a code: its own, its ancestors', its block's and its chapter's."""


class IcdCodeSet(Protocol):
    def __hash__(self) -> int:
        """By identity: the validator caches per code set (functools.lru_cache)."""

    @property
    def editions(self) -> Sequence[IcdEdition]:
        """Every edition known, oldest first."""

    def edition_for(self, on: date) -> IcdEdition:
        """The edition in force on a date; the nearest one when none covers it."""

    def in_force(self, on: date) -> IcdEdition | None:
        """The edition in force on a date; None when no loaded edition covers it."""

    def valid_from(self, code: str) -> date | None:
        """The first date a code was valid, where the shipped code history knows it."""


@dataclass(frozen=True, slots=True)
class ProcedureCode:
    code: str
    description: str
    code_system: str  # "CPT" or "HCPCS"
    is_evaluation_management: bool = False
    sex: str | None = None  # "F" or "M" when the procedure is sex-specific
    global_days: str = "XXX"  # CMS PFS global surgery indicator: 000, 010, 090, ZZZ, MMM, XXX
    visit_family: str | None = None  # the E/M setting of a visit code: "office", "hospital"...

    @property
    def is_minor_procedure(self) -> bool:
        return self.global_days in ("000", "010")

    @property
    def is_major_procedure(self) -> bool:
        return self.global_days == "090"

    @property
    def is_addon(self) -> bool:
        return self.global_days == "ZZZ"


@dataclass(frozen=True, slots=True)
class Modifier:
    code: str
    description: str
    ncci_bypass: bool = False  # 59, XE, XS, XP, XU, and the anatomic modifiers CMS lists
    anatomic: bool = False  # names a body site (RT, LT, F1, TA...)


def in_code_range(first: str, last: str, code: str) -> bool:
    """Whether an undotted code lies in a range of undotted prefixes: first <= its first
    len(first) characters and its first len(last) characters <= last ("Z0012" is in Z00-Z01)."""
    return first <= code[: len(first)] and code[: len(last)] <= last


@dataclass(frozen=True, slots=True)
class DemographicEdit:
    """A sex or age edit over a range of ICD-10-CM codes, as shipped data with a source."""

    first: str  # first code of the range, undotted prefix, e.g. "O00"
    last: str  # last code of the range, e.g. "O9A"
    sex: str | None = None  # the only sex the codes apply to
    min_age_years: int | None = None
    max_age_years: int | None = None
    max_age_days: int | None = None
    age_severity: Severity = Severity.WARNING
    source: str = ""


@dataclass(frozen=True, slots=True)
class FirstListedEdit:
    """A range of ICD-10-CM codes that may not be first-listed, and why."""

    first: str  # undotted prefixes, as in DemographicEdit
    last: str
    reason: str
    source: str


@dataclass(frozen=True, slots=True)
class AgeBand:
    """The ages a procedure code is for, in completed years (max None: no upper bound)."""

    code: str
    min_age_years: int
    max_age_years: int | None
    band: str


@dataclass(frozen=True, slots=True)
class PlaceOfServiceGroup:
    """Where an E/M visit family may be billed: only at these places, or never at them."""

    visit_family: str
    only: bool
    places_of_service: frozenset[str]
    source: str

    def allows(self, place_of_service: str) -> bool:
        return (place_of_service in self.places_of_service) == self.only


@dataclass(frozen=True, slots=True)
class CodeSets:
    icd10cm: IcdCodeSet
    procedures: dict[str, ProcedureCode]
    modifiers: dict[str, Modifier]
    places_of_service: dict[str, str]
    demographic_edits: list[DemographicEdit]
    first_listed_edits: list[FirstListedEdit] = field(default_factory=list)
    age_bands: dict[str, AgeBand] = field(default_factory=dict)
    place_of_service_groups: dict[str, PlaceOfServiceGroup] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)  # code set -> edition/source label
    sources: dict[str, str] = field(default_factory=dict)  # code set -> where its data comes from

    def summary(self) -> dict[str, str]:
        return dict(self.versions)


