"""An encounter too large for one claim, split: every line billed once on a claim holding its
own diagnoses, at most 12 diagnoses and 50 lines a claim, pointers renumbered."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

from billing_service.claims.builder import EncounterLine, build_claim
from billing_service.claims.split import NOWHERE, EncounterPart, split_encounter

DOS = date(2026, 3, 2)
FOURTEEN = ["E11.9", "I10", "M54.50", "M25.561", "J06.9", "R51.9", "E78.5", "K21.9", "F41.1",
            "G47.00", "N39.0", "Z79.4", "J45.909", "L40.0"]


def line(charge: str, *pointers: int) -> EncounterLine:
    return EncounterLine("99213", (), 1, Decimal(charge), pointers)


def diagnoses_of(part: EncounterPart, ln: EncounterLine) -> set[str]:
    return {part.diagnoses[p - 1] for p in ln.diagnosis_pointers}


def assert_every_line_once_with_its_diagnoses(
    diagnoses: list[str], lines: list[EncounterLine], parts: list[EncounterPart]
) -> None:
    """Each part fits one claim, and each encounter line is on exactly one part, pointing at
    the same diagnoses as in the encounter (lines are told apart by their charge)."""
    own = {ln.charge: {diagnoses[p - 1] for p in ln.diagnosis_pointers} for ln in lines}
    billed = Counter(ln.charge for part in parts for ln in part.lines)
    assert billed == Counter(ln.charge for ln in lines)
    assert set(billed.values()) == {1}
    for part in parts:
        assert 1 <= len(part.diagnoses) <= 12
        assert 1 <= len(part.lines) <= 50
        assert len(set(part.diagnoses)) == len(part.diagnoses)
        # Exactly the diagnoses its lines point at.
        assert set(part.diagnoses) == set().union(*(diagnoses_of(part, ln) for ln in part.lines))
        for ln in part.lines:
            assert all(1 <= p <= len(part.diagnoses) for p in ln.diagnosis_pointers)
            assert diagnoses_of(part, ln) == own[ln.charge]


def test_an_encounter_one_claim_holds_is_left_whole() -> None:
    twelve = FOURTEEN[:12]
    lines = [line(f"{n}.00", n % 12 + 1) for n in range(1, 51)]
    parts = split_encounter(twelve + ["Z00.00", "Z01.00"], lines)
    # 14 diagnoses, but the lines point at 12: one claim, unreferenced ones kept for the HI.
    assert parts == [EncounterPart(tuple(twelve + ["Z00.00", "Z01.00"]), tuple(lines))]


def test_lines_pointing_at_thirteen_diagnoses_become_two_claims() -> None:
    thirteen = FOURTEEN[:13]
    lines = [line("10.00", 1, 2, 3, 4), line("20.00", 5, 6, 7, 8), line("30.00", 9, 10, 11, 12),
             line("40.00", 13, 1)]
    parts = split_encounter(thirteen, lines)
    assert [(p.diagnoses, [ln.charge for ln in p.lines]) for p in parts] == [
        (tuple(thirteen[:12]), [Decimal("10.00"), Decimal("20.00"), Decimal("30.00")]),
        (("E11.9", "J45.909"), [Decimal("40.00")]),
    ]
    # Renumbered into its claim's diagnoses: J45.909 is the second there, E11.9 the first.
    assert parts[1].lines[0].diagnosis_pointers == (2, 1)
    assert_every_line_once_with_its_diagnoses(thirteen, lines, parts)


def test_fifty_one_lines_become_two_claims_of_fifty_and_one() -> None:
    lines = [line(f"{n}.00", 1) for n in range(1, 52)]
    parts = split_encounter(["E11.9"], lines)
    assert [len(p.lines) for p in parts] == [50, 1]
    assert [p.diagnoses for p in parts] == [("E11.9",), ("E11.9",)]
    assert_every_line_once_with_its_diagnoses(["E11.9"], lines, parts)


def test_fourteen_diagnoses_and_sixty_lines() -> None:
    lines = [line(f"{100 + n}.00", n % 14 + 1, (n + 5) % 14 + 1, (n + 9) % 14 + 1)
             for n in range(60)]
    parts = split_encounter(FOURTEEN, lines)
    assert len(parts) >= 2
    assert_every_line_once_with_its_diagnoses(FOURTEEN, lines, parts)
    # Each part then builds a claim as it is: nothing omitted, pointers unchanged.
    for part in parts:
        built = build_claim(part.diagnoses, part.lines, DOS)
        assert built.diagnoses == part.diagnoses
        assert built.omitted_diagnoses == ()
        assert [ln.diagnosis_pointers for ln in built.lines] == [
            ln.diagnosis_pointers for ln in part.lines]
        assert [ln.line_number for ln in built.lines] == list(range(1, len(part.lines) + 1))


def test_lines_keep_the_encounters_order_on_each_claim() -> None:
    lines = [line(f"{n}.00", n % 14 + 1) for n in range(1, 61)]
    parts = split_encounter(FOURTEEN, lines)
    for part in parts:
        charges = [ln.charge for ln in part.lines]
        assert charges == sorted(charges)


def test_a_duplicated_diagnosis_counts_once() -> None:
    # Thirteen entries, twelve codes: one claim.
    codes = [*FOURTEEN[:12], "e119"]
    lines = [line(f"{n}.00", n) for n in range(1, 14)]
    assert len(split_encounter(codes, lines)) == 1


def test_a_pointer_at_no_diagnosis_stays_out_of_range_for_the_scrubber() -> None:
    lines = [line("10.00", 1, 2, 3, 4), line("20.00", 5, 6, 7, 8), line("30.00", 9, 10, 11, 12),
             line("40.00", 13, 99)]
    parts = split_encounter(FOURTEEN[:13], lines)
    assert parts[1].lines[0].diagnosis_pointers == (1, NOWHERE)
