"""Encounter coding -> claim: diagnoses for the HI segment, renumbered pointers, totals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from billing_service.claims.builder import EncounterLine, build_claim
from billing_service.x12.claim_shape import dotted_icd

DOS = date(2026, 3, 2)


def line(code: str, charge: str, pointers: tuple[int, ...], units: int = 1,
         modifiers: tuple[str, ...] = ()) -> EncounterLine:
    return EncounterLine(code, modifiers, units, Decimal(charge), pointers)


def test_icd_codes_are_dotted_and_upper_case() -> None:
    assert dotted_icd("e119") == "E11.9"
    assert dotted_icd("S52.521A") == "S52.521A"
    assert dotted_icd(" i10 ") == "I10"
    assert dotted_icd("z0000") == "Z00.00"


def test_simple_encounter_keeps_order_pointers_and_sums_the_total() -> None:
    built = build_claim(
        ["E11.9", "I10"],
        [line("99214", "180.00", (1, 2), modifiers=("25",)), line("36415", "12.35", (1,)),
         line("82947", "0.10", (1,)), line("81002", "0.20", (2,))],
        DOS,
    )
    assert built.diagnoses == ("E11.9", "I10")
    assert [ln.line_number for ln in built.lines] == [1, 2, 3, 4]
    assert [ln.diagnosis_pointers for ln in built.lines] == [(1, 2), (1,), (1,), (2,)]
    assert built.lines[0].modifiers == ("25",)
    assert all(ln.date_of_service == DOS for ln in built.lines)
    assert built.total_charge == Decimal("192.65")
    assert built.omitted_diagnoses == ()


def test_duplicate_diagnoses_collapse_and_pointers_follow() -> None:
    built = build_claim(["E11.9", "I10", "e119", "J45.909"],
                        [line("99213", "100.00", (3, 4)), line("94640", "40.00", (2,))], DOS)
    assert built.diagnoses == ("E11.9", "I10", "J45.909")
    assert built.lines[0].diagnosis_pointers == (1, 3)
    assert built.lines[1].diagnosis_pointers == (2,)


def test_more_than_twelve_diagnoses_keep_the_ones_lines_point_at() -> None:
    codes = [f"Z{n:02d}.0" for n in range(16)]  # Z00.0 .. Z15.0
    built = build_claim(codes, [line("99215", "250.00", (15, 16)), line("36415", "10.00", (3,))],
                        DOS)
    assert len(built.diagnoses) == 12
    # Principal first, then the pointed-at ones, then the earliest others, in encounter order.
    assert built.diagnoses[0] == "Z00.0"
    assert "Z14.0" in built.diagnoses and "Z15.0" in built.diagnoses
    # Left out of the HI segment, Z10.0 to Z13.0 are no line's: nothing the payer misses.
    assert not {"Z10.0", "Z11.0", "Z12.0", "Z13.0"} & set(built.diagnoses)
    assert built.omitted_diagnoses == ()
    assert built.diagnoses[built.lines[0].diagnosis_pointers[0] - 1] == "Z14.0"
    assert built.diagnoses[built.lines[0].diagnosis_pointers[1] - 1] == "Z15.0"
    assert built.diagnoses[built.lines[1].diagnosis_pointers[0] - 1] == "Z02.0"


def test_twelve_or_fewer_diagnoses_omit_nothing() -> None:
    codes = [f"Z{n:02d}.0" for n in range(12)]
    built = build_claim(codes, [line("99215", "250.00", (12,))], DOS)
    assert built.diagnoses == tuple(codes)
    assert built.omitted_diagnoses == ()
    assert built.lines[0].diagnosis_pointers == (12,)


def test_when_lines_point_at_more_than_twelve_the_rest_is_reported_omitted() -> None:
    codes = [f"Z{n:02d}.0" for n in range(14)]
    lines = [line("99215", "100.00", (1, 2, 3, 4)), line("99211", "10.00", (5, 6, 7, 8)),
             line("36415", "10.00", (9, 10, 11, 12)), line("81002", "5.00", (13, 14))]
    built = build_claim(codes, lines, DOS)
    assert built.omitted_diagnoses == ("Z12.0", "Z13.0")
    assert built.lines[3].diagnosis_pointers == ()


def test_pointer_to_no_diagnosis_is_left_for_the_scrubber() -> None:
    built = build_claim(["E11.9"], [line("99213", "100.00", (1, 3))], DOS)
    assert built.lines[0].diagnosis_pointers == (1, 3)
