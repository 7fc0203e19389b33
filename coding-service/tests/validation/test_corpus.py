"""The corpus of realistic encounters (corpus.py) through the rule engine with the shipped code
sets and NCCI sample: every clean encounter gives no error, every one-error encounter gives
exactly its rule."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from validation.conftest import DATE_OF_SERVICE, TODAY, VALID_NPI
from validation.corpus import CLEAN, ONE_ERROR

from coding_service.ncci.edits import CodeSetEdits, DatedAddonEdit, DatedPtpEdit, MueEdit
from coding_service.ncci.loader import (
    SAMPLE_AOC,
    SAMPLE_MUE,
    SAMPLE_PTP,
    read_aoc_rows,
    read_mue_rows,
    read_ptp_rows,
)
from coding_service.validation.engine import EncounterFacts, ServiceLine, validate_encounter
from rcm_shared.issues import Severity

SAMPLE_EDITS = CodeSetEdits(
    ptp=tuple(DatedPtpEdit(**row) for row in read_ptp_rows(SAMPLE_PTP)),
    mue={row["code"]: MueEdit(**row) for row in read_mue_rows(SAMPLE_MUE)},
    addon=tuple(DatedAddonEdit(**row) for row in read_aoc_rows(SAMPLE_AOC)),
)
_PATIENT = re.compile(r"(?P<age>\d+)(?P<days>d?)(?P<sex>[FMU])")
_LINE = re.compile(r"(?P<code>[0-9A-Za-z]+)(?P<modifiers>(?:-[0-9A-Za-z]+)*)"
                   r"(?:\*(?P<units>\d+))?(?::(?P<pointers>[\d,]*))?(?P<free>\$0)?")


@dataclass(frozen=True)
class Encounter:
    facts: EncounterFacts
    diagnoses: list[str]
    lines: list[ServiceLine]


def parse(spec: str) -> Encounter:
    """One corpus line (see corpus.py) as the engine's input."""
    head, diagnoses, lines, *rest = [part.strip() for part in spec.split("|")] + [""]
    patient, place = head.split()
    match = _PATIENT.fullmatch(patient)
    assert match, spec
    age = int(match["age"])
    born = (date.fromordinal(DATE_OF_SERVICE.toordinal() - age) if match["days"]
            else DATE_OF_SERVICE.replace(year=DATE_OF_SERVICE.year - age))
    extra = dict(word.split("=", 1) for word in rest[0].split())
    facts = EncounterFacts(
        patient_birth_date=date.fromisoformat(extra.get("born", born.isoformat())),
        patient_sex=match["sex"],
        date_of_service=date.fromisoformat(extra.get("dos", DATE_OF_SERVICE.isoformat())),
        place_of_service=place,
        rendering_provider_npi=extra.get("npi", VALID_NPI),
        billing_provider_npi=VALID_NPI,
    )
    return Encounter(facts, diagnoses.split(), [_line(token) for token in lines.split()])


def _line(token: str) -> ServiceLine:
    match = _LINE.fullmatch(token)
    assert match, token
    pointers = match["pointers"]
    return ServiceLine(
        procedure_code=match["code"],
        modifiers=tuple(m for m in match["modifiers"].split("-") if m),
        units=int(match["units"] or 1),
        charge=Decimal("0.00" if match["free"] else "100.00"),
        diagnosis_pointers=(1,) if pointers is None else tuple(
            int(p) for p in pointers.split(",") if p
        ),
    )


def _errors(code_sets, encounter: Encounter) -> set[str]:
    issues = validate_encounter(
        encounter.facts, encounter.diagnoses, encounter.lines, code_sets,
        SAMPLE_EDITS.on(encounter.facts.date_of_service), TODAY,
    )
    return {issue.rule for issue in issues if issue.severity == Severity.ERROR}


CLEAN_CASES = [(kind, spec) for kind, specs in CLEAN.items() for spec in specs]


def test_the_corpus_is_as_large_as_promised():
    assert len(CLEAN_CASES) >= 200 and len(set(CLEAN_CASES)) == len(CLEAN_CASES)
    assert len(ONE_ERROR) >= 100 and len(set(ONE_ERROR)) == len(ONE_ERROR)
    assert set(CLEAN) >= {"primary care", "orthopedics", "obstetrics and gynecology",
                          "emergency", "pediatrics"}


@pytest.mark.parametrize(("kind", "spec"), CLEAN_CASES)
def test_a_clean_encounter_gives_no_error(shipped_code_sets, kind, spec):
    assert _errors(shipped_code_sets, parse(spec)) == set()


@pytest.mark.parametrize(("rule", "spec"), ONE_ERROR)
def test_an_encounter_with_one_known_error_gives_exactly_that_rule(shipped_code_sets, rule, spec):
    assert _errors(shipped_code_sets, parse(spec)) == {rule}
