"""Fixtures for the rule engine: small code sets of real codes, and the shipped code sets.

Every rule test takes `checker`, which runs once on in-test code sets (real ICD-10-CM codes,
titles, 7th characters and Excludes1 notes copied from the April 2026 tabular list) and once
on the code sets the service ships (`load_code_sets`), so each rule is proven on both.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from coding_service.codesets.references import CodeRange
from coding_service.codesets.types import (
    CODE_FIRST,
    USE_ADDITIONAL,
    CodeSets,
    CompanionNote,
    DemographicEdit,
    Excludes1Conflict,
    IcdCode,
    Modifier,
    ProcedureCode,
    SeventhCharacterRule,
)
from coding_service.validation.engine import (
    EncounterFacts,
    Issue,
    NcciEdits,
    ServiceLine,
    validate_encounter,
)

REPO_DIR = Path(__file__).resolve().parents[3]
TODAY = date(2026, 5, 10)
DATE_OF_SERVICE = date(2026, 5, 4)
VALID_NPI = "1234567893"

# --- In-test ICD-10-CM: a slice of the April 2026 tabular list ---------------------------

_TITLES = {
    "E10.9": "Type 1 diabetes mellitus without complications",
    "E11": "Type 2 diabetes mellitus",
    "E11.0": "Type 2 diabetes mellitus with hyperosmolarity",
    "E11.00": "Type 2 diabetes mellitus with hyperosmolarity without nonketotic "
    "hyperglycemic-hyperosmolar coma (NKHHC)",
    "E11.01": "Type 2 diabetes mellitus with hyperosmolarity with coma",
    "E11.1": "Type 2 diabetes mellitus with ketoacidosis",
    "E11.10": "Type 2 diabetes mellitus with ketoacidosis without coma",
    "E11.11": "Type 2 diabetes mellitus with ketoacidosis with coma",
    "E11.2": "Type 2 diabetes mellitus with kidney complications",
    "E11.21": "Type 2 diabetes mellitus with diabetic nephropathy",
    "E11.22": "Type 2 diabetes mellitus with diabetic chronic kidney disease",
    "E11.65": "Type 2 diabetes mellitus with hyperglycemia",
    "E11.9": "Type 2 diabetes mellitus without complications",
    "E11.A": "Type 2 diabetes mellitus without complications in remission",
    "I10": "Essential (primary) hypertension",
    "J06.9": "Acute upper respiratory infection, unspecified",
    "M17.11": "Unilateral primary osteoarthritis, right knee",
    "G30.9": "Alzheimer's disease, unspecified",
    "F02.80": "Dementia in other diseases classified elsewhere, unspecified severity, without "
    "behavioral disturbance, psychotic disturbance, mood disturbance, and anxiety",
    "G63": "Polyneuropathy in diseases classified elsewhere",
    "E85.4": "Organ-limited amyloidosis",
    "O80": "Encounter for full-term uncomplicated delivery",
    "N40.0": "Benign prostatic hyperplasia without lower urinary tract symptoms",
    "C61": "Malignant neoplasm of prostate",
    "P59.9": "Neonatal jaundice, unspecified",
    "Z00.00": "Encounter for general adult medical examination without abnormal findings",
    "S72.001": "Fracture of unspecified part of neck of right femur",
    "S00.00": "Unspecified superficial injury of scalp",
    "W01.0": "Fall on same level from slipping, tripping and stumbling without subsequent "
    "striking against object",
    "V43.52": "Car driver injured in collision with other type car in traffic accident",
    "D63.1": "Anemia in chronic kidney disease",
    "N18.30": "Chronic kidney disease, stage 3 unspecified",
    "N18.6": "End stage renal disease",
    "I12.9": "Hypertensive chronic kidney disease with stage 1 through stage 4 chronic kidney "
    "disease, or unspecified chronic kidney disease",
}
_HEADERS = {"E11", "E11.0", "E11.1", "E11.2"}
_MANIFESTATIONS = {"F02.80", "G63", "D63.1"}
_FRACTURE_7TH = {
    "A": "initial encounter for closed fracture",
    "B": "initial encounter for open fracture type I or II",
    "C": "initial encounter for open fracture type IIIA, IIIB, or IIIC",
    "D": "subsequent encounter for closed fracture with routine healing",
    "E": "subsequent encounter for open fracture type I or II with routine healing",
    "F": "subsequent encounter for open fracture type IIIA, IIIB, or IIIC with routine healing",
    "G": "subsequent encounter for closed fracture with delayed healing",
    "H": "subsequent encounter for open fracture type I or II with delayed healing",
    "J": "subsequent encounter for open fracture type IIIA, IIIB, or IIIC with delayed healing",
    "K": "subsequent encounter for closed fracture with nonunion",
    "M": "subsequent encounter for open fracture type I or II with nonunion",
    "N": "subsequent encounter for open fracture type IIIA, IIIB, or IIIC with nonunion",
    "P": "subsequent encounter for closed fracture with malunion",
    "Q": "subsequent encounter for open fracture type I or II with malunion",
    "R": "subsequent encounter for open fracture type IIIA, IIIB, or IIIC with malunion",
    "S": "sequela",
}
_EPISODE_7TH = {"A": "initial encounter", "D": "subsequent encounter", "S": "sequela"}
_SEVENTH = {"S72": _FRACTURE_7TH, "S00": _EPISODE_7TH, "W01": _EPISODE_7TH, "V43": _EPISODE_7TH}
# (code whose note it is, excluded code prefix, the note)
_EXCLUDES1 = [
    ("E11", "E10", "type 1 diabetes mellitus (E10.-)"),
    ("G63", "E1142", "diabetes mellitus (E08-E13 with .42)"),
]


# (code the instruction is written at, kind, the note, the ranges it names), as the April 2026
# tabular writes them and the index keeps them.
_COMPANIONS = [
    ("D63.1", CODE_FIRST, "underlying chronic kidney disease (CKD) (N18.-)", (("N18", "N18"),)),
    ("E11.22", USE_ADDITIONAL, "code to identify stage of chronic kidney disease (N18.1-N18.6)",
     (("N181", "N186"),)),
    ("I12.9", USE_ADDITIONAL, "code to identify the stage of chronic kidney disease "
     "(N18.1-N18.4, N18.9)", (("N181", "N184"), ("N189", "N189"))),
]


def _undotted(code: str) -> str:
    return code.replace(".", "").strip().upper()


def _dotted(code: str) -> str:
    return code if len(code) <= 3 else f"{code[:3]}.{code[3:]}"


def _chapter_block(code: str) -> tuple[int, str]:
    letter = code[0]
    return {
        "C": (2, "C60-C63"), "D": (3, "D60-D64"), "E": (4, "E08-E13"), "F": (5, "F01-F09"),
        "G": (6, "G30-G32"), "I": (9, "I10-I1A"), "J": (10, "J00-J06"), "M": (13, "M15-M19"),
        "N": (14, "N40-N53"),
        "O": (15, "O80-O82"), "P": (16, "P50-P61"), "S": (19, "S00-S09"), "V": (20, "V40-V49"),
        "W": (20, "W00-W19"), "Z": (21, "Z00-Z13"),
    }[letter]


def _build_codes() -> dict[str, IcdCode]:
    codes: dict[str, IcdCode] = {}
    for code, title in _TITLES.items():
        chapter, block = _chapter_block(code)
        seventh = _SEVENTH.get(code[:3])
        codes[_undotted(code)] = IcdCode(
            code, title, billable=code not in _HEADERS and seventh is None,
            chapter=chapter, block=block, manifestation=code in _MANIFESTATIONS,
        )
        if seventh is not None:
            stem = _undotted(code).ljust(6, "X")
            for character, meaning in seventh.items():
                full = stem + character
                codes[full] = IcdCode(
                    _dotted(full), f"{title}, {meaning}", billable=True,
                    chapter=chapter, block=block,
                )
    return codes


@dataclass(eq=False)  # editions are told apart by identity, as the real ones
class FakeEdition:
    name: str
    effective_from: date
    effective_to: date
    codes: dict[str, IcdCode]

    def get(self, code: str) -> IcdCode | None:
        return self.codes.get(_undotted(code))

    def billable_children(self, code: str, limit: int = 50) -> list[IcdCode]:
        stem = _undotted(code)
        found = [
            c for key, c in sorted(self.codes.items())
            if key.startswith(stem) and key != stem and c.billable
        ]
        return found[:limit]

    def seventh_character_rule(self, code: str) -> SeventhCharacterRule | None:
        category = _undotted(code)[:3]
        allowed = _SEVENTH.get(category)
        return SeventhCharacterRule(category, dict(allowed)) if allowed else None

    def excludes1_conflicts(self, codes: list[str]) -> list[Excludes1Conflict]:
        conflicts = []
        for owner in codes:
            for other in codes:
                for note_of, excluded, note in _EXCLUDES1:
                    if _undotted(owner).startswith(note_of) and \
                            _undotted(other).startswith(excluded):
                        conflicts.append(Excludes1Conflict(owner, other, note))
        return conflicts

    def companion_notes(self, code: str) -> tuple[CompanionNote, ...]:
        key = _undotted(code)
        return tuple(
            CompanionNote(kind, at, note, tuple(CodeRange(*bounds) for bounds in ranges))
            for at, kind, note, ranges in _COMPANIONS
            if key.startswith(_undotted(at)) and key in self.codes
        )

    def search(self, query: str, limit: int = 20) -> list[IcdCode]:
        return []


@dataclass(eq=False)
class FakeIcdCodeSet:
    editions: list[Any]
    history: dict[str, date] = field(default_factory=dict)

    def edition_for(self, on: date) -> Any:
        return self.in_force(on) or min(
            self.editions, key=lambda e: min(abs((e.effective_from - on).days),
                                             abs((e.effective_to - on).days)))

    def in_force(self, on: date) -> Any:
        return next((e for e in self.editions if e.effective_from <= on <= e.effective_to),
                    None)

    def valid_from(self, code: str) -> date | None:
        return self.history.get(_dotted(_undotted(code)))


def _procedures() -> dict[str, ProcedureCode]:
    rows = [
        ("99213", "Office visit, established patient, low complexity", "CPT", True, None),
        ("99214", "Office visit, established patient, moderate complexity", "CPT", True, None),
        ("20610", "Arthrocentesis or injection, major joint, without ultrasound", "CPT", False,
         None),
        ("20611", "Arthrocentesis or injection, major joint, with ultrasound", "CPT", False,
         None),
        ("36415", "Venipuncture, routine", "CPT", False, None),
        ("17000", "Destruction of premalignant lesion, first lesion", "CPT", False, None),
        ("93000", "Electrocardiogram, tracing with interpretation and report", "CPT", False,
         None),
        ("93010", "Electrocardiogram, interpretation and report only", "CPT", False, None),
        ("97140", "Manual therapy techniques, each 15 minutes", "CPT", False, None),
        ("97530", "Therapeutic activities, each 15 minutes", "CPT", False, None),
        ("71046", "Chest X-ray, 2 views", "CPT", False, None),
        ("73560", "Knee X-ray, 1 or 2 views", "CPT", False, None),
        ("55250", "Vasectomy", "CPT", False, "M"),
        ("58300", "Insertion of intrauterine device", "CPT", False, "F"),
        ("G0438", "Annual wellness visit, initial", "HCPCS", False, None),
    ]
    global_days = {"20610": "000", "20611": "000", "17000": "010", "55250": "090"}
    return {
        r[0]: ProcedureCode(r[0], r[1], r[2], r[3], r[4], global_days.get(r[0], "XXX"),
                            "office" if r[0] in ("99213", "99214") else None)
        for r in rows
    }


def _modifiers() -> dict[str, Modifier]:
    bypass = {"25", "59", "XE", "XS", "XP", "XU", "LT", "RT", "91"}
    names = {
        "25": "Significant, separately identifiable E/M service",
        "26": "Professional component", "TC": "Technical component",
        "50": "Bilateral procedure", "51": "Multiple procedures",
        "59": "Distinct procedural service", "XE": "Separate encounter",
        "XS": "Separate structure", "XP": "Separate practitioner",
        "XU": "Unusual non-overlapping service", "LT": "Left side", "RT": "Right side",
        "76": "Repeat procedure by same physician", "91": "Repeat clinical diagnostic lab test",
    }
    return {
        code: Modifier(code, name, code in bypass, anatomic=code in ("LT", "RT"))
        for code, name in names.items()
    }


def fake_code_sets() -> CodeSets:
    codes = _build_codes()
    # The April 2025 edition, which E11.A (new in FY2026) is not part of.
    older = FakeEdition("2025-04", date(2025, 4, 1), date(2025, 9, 30),
                        {key: code for key, code in codes.items() if key != "E11A"})
    newest = FakeEdition("2026-04", date(2026, 4, 1), date(2026, 9, 30), codes)
    return CodeSets(
        icd10cm=FakeIcdCodeSet([older, newest], {"E11.A": date(2025, 10, 1)}),
        procedures=_procedures(),
        modifiers=_modifiers(),
        places_of_service={"02": "Telehealth", "11": "Office", "21": "Inpatient Hospital",
                           "22": "On Campus-Outpatient Hospital"},
        demographic_edits=[
            DemographicEdit("O00", "O9A", sex="F", source="CMS MCE"),
            DemographicEdit("O00", "O9A", min_age_years=9, max_age_years=64,
                            source="CMS MCE"),
            DemographicEdit("N40", "N53", sex="M", source="CMS MCE"),
            DemographicEdit("C61", "C61", sex="M", source="CMS MCE"),
            DemographicEdit("P00", "P96", max_age_days=28, source="CMS MCE"),
        ],
        versions={"icd10cm": "2026-04 (test slice)"},
    )


# --- The checker the tests drive -----------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    issues: list[Issue]

    def paths(self, rule: str) -> list[str]:
        return [i.path for i in self.issues if i.rule == rule]

    def only(self, rule: str) -> Issue:
        found = [i for i in self.issues if i.rule == rule]
        assert len(found) == 1, f"expected one {rule}, got {self.issues}"
        return found[0]

    @property
    def rules(self) -> set[str]:
        return {i.rule for i in self.issues}


def line(
    code: str = "99213",
    modifiers: Sequence[str] = (),
    units: int = 1,
    charge: str = "100.00",
    pointers: Sequence[int] = (1,),
) -> ServiceLine:
    return ServiceLine(code, tuple(modifiers), units, Decimal(charge), tuple(pointers))


@dataclass(frozen=True)
class Checker:
    code_sets: CodeSets
    name: str
    facts: EncounterFacts = EncounterFacts(
        patient_birth_date=date(1980, 2, 14),
        patient_sex="F",
        date_of_service=DATE_OF_SERVICE,
        place_of_service="11",
        rendering_provider_npi=VALID_NPI,
        billing_provider_npi=VALID_NPI,
    )

    def run(
        self,
        diagnoses: Iterable[str] = ("I10",),
        lines: Iterable[ServiceLine] | None = None,
        edits: NcciEdits | None = None,
        today: date = TODAY,
        **facts: Any,
    ) -> Outcome:
        return Outcome(validate_encounter(
            replace(self.facts, **facts),
            list(diagnoses),
            [line()] if lines is None else list(lines),
            self.code_sets,
            edits or NcciEdits(),
            today,
        ))


@pytest.fixture(scope="session")
def fakes() -> Checker:
    return Checker(fake_code_sets(), "fakes")


@pytest.fixture(scope="session")
def shipped_code_sets() -> CodeSets:
    loader = pytest.importorskip(
        "coding_service.codesets.loader", reason="the code-set loader is not there yet"
    )
    return loader.load_code_sets(REPO_DIR / "var" / "cache")


@pytest.fixture(scope="session", params=["fakes", "shipped"])
def checker(request: pytest.FixtureRequest) -> Checker:
    if request.param == "fakes":
        return request.getfixturevalue("fakes")
    return Checker(request.getfixturevalue("shipped_code_sets"), "shipped")


@pytest.fixture(scope="session")
def make_line() -> Any:
    return line
