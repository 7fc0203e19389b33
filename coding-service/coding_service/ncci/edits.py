"""The NCCI edits among a set of procedure codes, with their dates: what the cache keeps, and
the edits in effect on one date of service picked from it. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class PtpEdit:
    """An NCCI procedure-to-procedure edit in effect on the date of service."""

    column1: str
    column2: str
    modifier_indicator: str  # "0" not allowed, "1" allowed with a bypass modifier, "9" n/a
    rationale: str


@dataclass(frozen=True, slots=True)
class MueEdit:
    """A Medically Unlikely Edit: the most units of a code a practitioner reports per day."""

    code: str
    mue_value: int
    adjudication_indicator: int  # 1 line edit, 2 date-of-service policy, 3 date-of-service clinical
    rationale: str


@dataclass(frozen=True, slots=True)
class AddonEdit:
    """An NCCI add-on code edit in effect on the date of service: the add-on code is paid only
    with one of its primary codes. Type 1 lists every primary; type 2 lists none (the payer
    decides); type 3 lists some, and the payer may accept others."""

    addon_code: str
    edit_type: int  # 1, 2 or 3
    primary_codes: frozenset[str]


@dataclass(frozen=True, slots=True)
class NcciEdits:
    """The NCCI edits that apply to one encounter's procedure codes on its date of service."""

    ptp: tuple[PtpEdit, ...] = ()
    mue: Mapping[str, MueEdit] = field(default_factory=dict)
    addon: Mapping[str, AddonEdit] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DatedPtpEdit:
    column1: str
    column2: str
    effective_date: date
    deletion_date: date | None  # the first date the edit no longer applies
    modifier_indicator: str
    rationale: str

    def in_effect(self, on: date) -> bool:
        return self.effective_date <= on and (self.deletion_date is None
                                              or on < self.deletion_date)

    def edit(self) -> PtpEdit:
        return PtpEdit(self.column1, self.column2, self.modifier_indicator, self.rationale)


@dataclass(frozen=True, slots=True)
class DatedAddonEdit:
    """One row of the add-on code file: an add-on code with one primary code (None for type 2)."""

    addon_code: str
    primary_code: str | None
    edit_type: int
    effective_date: date
    deletion_date: date | None  # the first date the edit no longer applies

    def in_effect(self, on: date) -> bool:
        return self.effective_date <= on and (self.deletion_date is None
                                              or on < self.deletion_date)


@dataclass(frozen=True, slots=True)
class CodeSetEdits:
    """Every PTP edit between two codes of a set, whatever its dates (ordered by column 1,
    column 2 and effective date), the MUE values of the set's codes, and the add-on code edits
    of the set's add-on codes."""

    ptp: tuple[DatedPtpEdit, ...] = ()
    mue: Mapping[str, MueEdit] = field(default_factory=dict)
    addon: tuple[DatedAddonEdit, ...] = ()

    def on(self, date_of_service: date) -> NcciEdits:
        """The edits in effect on the date of service."""
        return NcciEdits(
            ptp=tuple(e.edit() for e in self.ptp if e.in_effect(date_of_service)),
            mue=self.mue,
            addon=addon_edits_on(self.addon, date_of_service),
        )


def addon_edits_on(rows: Iterable[DatedAddonEdit], on: date) -> dict[str, AddonEdit]:
    """The add-on code edits in effect on a date, one per add-on code with all its primaries."""
    types: dict[str, int] = {}
    primaries: dict[str, set[str]] = {}
    for row in rows:
        if not row.in_effect(on):
            continue
        types[row.addon_code] = row.edit_type
        listed = primaries.setdefault(row.addon_code, set())
        if row.primary_code is not None:
            listed.add(row.primary_code)
    return {
        code: AddonEdit(code, edit_type, frozenset(primaries[code]))
        for code, edit_type in types.items()
    }


def code_set(procedure_codes: Iterable[str]) -> frozenset[str]:
    """The codes as the NCCI tables hold them: upper case, trimmed, blanks dropped."""
    return frozenset(code.strip().upper() for code in procedure_codes if code.strip())
