"""Code references in Excludes1 notes, on note texts from the April 2026 tabular list."""

from __future__ import annotations

import pytest

from coding_service.codesets.references import CodeRange, parse_references

DIABETES_CATEGORIES = ["E08", "E09", "E10", "E11", "E13"]


@pytest.mark.parametrize(
    ("note", "labels"),
    [
        ("gestational diabetes (O24.4-)", ["O24.4"]),
        ("type 1 diabetes mellitus (E10.-)", ["E10"]),
        ("neonatal diabetes mellitus (P70.2)", ["P70.2"]),
        ("malignant neoplasm (C00-C96)", ["C00-C96"]),
        ("code to identify stage of chronic kidney disease (N18.1-N18.6)", ["N18.1-N18.6"]),
        ("pancreatitis and other diseases of the pancreas (K85-K86.-)", ["K85-K86"]),
        ("diabetic retinopathy (E08.3-, E09.3-, E10.3-, E11.3-, E13.3-)",
         ["E08.3", "E09.3", "E10.3", "E11.3", "E13.3"]),
        ("accidents (A00-R94 and T80-T88.6)", ["A00-R94", "T80-T88.6"]),
        ("respiratory distress syndrome of newborn (P28.3- - P28.4-)", ["P28.3-P28.4"]),
        ("rheumatic fever with heart involvement (I01.0 -I01.9)", ["I01.0-I01.9"]),
        ("tic disorders (F98.2.-F98.3)", ["F98.2-F98.3"]),
        ("Neurodevelopmental disorders (QA0.-)", ["QA0"]),
        ("torticollis NOS M43.6", ["M43.6"]),
        ("hearing loss as classified in H90.-", ["H90"]),
    ],
)
def test_written_forms_of_a_reference_are_read(note, labels):
    assert [r.label() for r in parse_references(note)] == labels


def test_a_category_range_with_a_suffix_expands_per_existing_category():
    ranges = parse_references("diabetes mellitus (E08-E13 with .42)", DIABETES_CATEGORIES)
    assert [r.label() for r in ranges] == ["E08.42", "E09.42", "E10.42", "E11.42", "E13.42"]
    spans = parse_references("diabetic foot ulcer (E08-E13 with .51-.52)", DIABETES_CATEGORIES)
    assert spans[0] == CodeRange("E0851", "E0852")


@pytest.mark.parametrize(
    "note",
    [
        "poisoning (T36-T65 with fifth or sixth character 1-4 or 6)",
        "dysarthria following cerebrovascular disease (I69. with final characters -22)",
        "diabetic acidosis - see categories E08-E10, E11, E13 with ketoacidosis",
        "pedestrian collision with other land transport vehicle (V01-V09 with 5th character 9)",
    ],
)
def test_a_reference_narrowed_in_words_is_dropped_rather_than_widened(note):
    assert parse_references(note, DIABETES_CATEGORIES) == []


@pytest.mark.parametrize(
    "note",
    [
        "certain localized infections - see body system-related chapters",
        "glucose-6-phosphate dehydrogenase (G6PD) deficiency anemia",
        "human immunodeficiency virus [HIV] disease NOS",
    ],
)
def test_words_that_look_like_codes_are_not_references(note):
    assert parse_references(note) == []


def test_codes_outside_parentheses_are_ignored_when_the_note_has_some_inside():
    note = "coalworker pneumoconiosis with tuberculosis, any type in A15 (J65)"
    assert [r.label() for r in parse_references(note)] == ["J65"]


@pytest.mark.parametrize(
    ("code_range", "code", "held"),
    [
        (CodeRange("E10", "E10"), "E109", True),
        (CodeRange("E10", "E10"), "E119", False),
        (CodeRange("E08", "E13"), "E1165", True),
        (CodeRange("E08", "E13"), "E15", False),
        (CodeRange("N181", "N186"), "N1832", True),
        (CodeRange("N181", "N186"), "N189", False),
        (CodeRange("O00", "O9A"), "O9A211", True),
        (CodeRange("O00", "O9A"), "P00", False),
    ],
)
def test_a_range_holds_the_codes_under_its_bounds(code_range, code, held):
    assert code_range.holds(code) is held
