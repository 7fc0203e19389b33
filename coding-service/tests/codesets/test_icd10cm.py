"""The ICD-10-CM index on real codes: the April 2026 edition, and April 2025 where said."""

from __future__ import annotations

from datetime import date

import pytest


def test_the_edition_holds_every_code_and_the_billable_leaves(edition):
    assert edition.name == "2026-04"
    assert (edition.effective_from, edition.effective_to) == (date(2026, 4, 1), date(2026, 9, 30))
    # 98,186 codes from chapter headers down to 7th characters; the billable ones are the
    # leaves of the tree (the tabular list and the code list agree on 74,719).
    assert edition.code_count == 98_186
    assert edition.billable_count == 74_719


@pytest.mark.parametrize("spelling", ["E11.9", "E119", "e11.9", " e119 "])
def test_a_code_is_found_dotted_or_not_in_any_case(edition, spelling):
    code = edition.get(spelling)
    assert code is not None
    assert (code.code, code.title) == ("E11.9", "Type 2 diabetes mellitus without complications")
    assert (code.billable, code.chapter, code.block) == (True, 4, "E08-E13")


@pytest.mark.parametrize("absent", ["E11.99", "E14", "Z99.999", "", "11.9"])
def test_a_code_the_edition_lacks_is_none(edition, absent):
    assert edition.get(absent) is None


def test_a_header_code_lists_its_billable_children_in_code_order(edition):
    header = edition.get("E11")
    assert header is not None and not header.billable
    children = edition.billable_children("E11", limit=5)
    assert [c.code for c in children] == ["E11.00", "E11.01", "E11.10", "E11.11", "E11.21"]
    assert all(c.billable for c in children)
    assert len(edition.billable_children("E11")) == 50
    assert edition.billable_descendant_count("E11") > 50


def test_a_billable_code_has_no_children(edition):
    assert edition.billable_children("E11.9") == []
    assert edition.billable_descendant_count("E11.9") == 0


def test_a_fracture_needs_its_seventh_character(edition):
    assert edition.get("S72.001A").billable
    stem = edition.get("S72.001")
    assert stem is not None and not stem.billable
    rule = edition.seventh_character_rule("S72.001")
    assert rule is not None and rule.base == "S72"
    assert rule.allowed["A"] == "initial encounter for closed fracture"
    assert set(rule.allowed) == set("ABCDEFGHJKMNPQRS")
    assert edition.get("S72.001A").title == (
        "Fracture of unspecified part of neck of right femur, initial encounter for closed fracture"
    )
    assert edition.get("S72.001Z") is None


def test_the_nearest_seventh_character_definition_applies(edition):
    # E08.32 defines laterality (1, 2, 3, 9) for the codes under it; E08.3 defines none.
    assert edition.seventh_character_rule("E08.321").allowed == {
        "1": "right eye", "2": "left eye", "3": "bilateral", "9": "unspecified eye",
    }
    assert edition.seventh_character_rule("E08.311") is None
    assert edition.seventh_character_rule("E11.9") is None


@pytest.mark.parametrize(
    ("short", "full"),
    [("T15.10A", "T15.10XA"), ("T07A", "T07.XXXA"), ("O32.00", "O32.0XX0")],
)
def test_a_code_shorter_than_six_characters_takes_placeholder_x(edition, short, full):
    assert edition.get(short) is None
    assert edition.get(full).billable
    assert edition.with_placeholder(short).code == full


def test_no_placeholder_form_for_a_character_the_rule_does_not_allow(edition):
    assert edition.with_placeholder("T15.10B") is None
    assert edition.with_placeholder("E11.9") is None


@pytest.mark.parametrize(
    ("code", "manifestation"),
    [
        ("G63", True),  # Polyneuropathy in diseases classified elsewhere
        ("F02.80", True),  # Dementia in other diseases classified elsewhere, ...
        ("H36.89", True),
        ("D63.1", True),  # Anemia in chronic kidney disease, under D63 "... classified elsewhere"
        ("B95.0", False),  # "as the cause of diseases classified elsewhere": an agent code
        ("J18.9", False),  # carries a "code first, if applicable" note, yet may be first-listed
        ("E11.9", False),
    ],
)
def test_manifestation_codes_are_flagged(edition, code, manifestation):
    assert edition.get(code).manifestation is manifestation


def test_an_excludes1_pair_conflicts_both_ways(edition):
    conflicts = edition.excludes1_conflicts(["E11.9", "E10.9", "I10"])
    assert {(c.code, c.excluded) for c in conflicts} == {("E11.9", "E10.9"), ("E10.9", "E11.9")}
    note_of = {c.code: c.note for c in conflicts}
    assert note_of["E11.9"] == "type 1 diabetes mellitus (E10.-)"
    assert note_of["E10.9"] == "type 2 diabetes mellitus (E11.-)"


def test_codes_without_an_excludes1_relation_do_not_conflict(edition):
    assert edition.excludes1_conflicts(["E11.9", "I10", "Z79.4"]) == []
    assert edition.excludes1_conflicts(["E11.9", "E11.9"]) == []
    assert edition.excludes1_conflicts(["E11.9", "not-a-code"]) == []


def test_a_category_range_with_a_suffix_is_an_exclusion(edition):
    conflicts = edition.excludes1_conflicts(["g63", "e11.42"])
    assert [(c.code, c.excluded, c.note) for c in conflicts] == [
        ("G63", "E11.42", "diabetes mellitus (E08-E13 with .42)"),
    ]
    assert edition.excludes1_conflicts(["G63", "E11.40"]) == []


def test_block_and_chapter_notes_apply_to_every_code_under_them(edition):
    # Block G60-G65 excludes neuralgia NOS (M79.2); chapter 4 excludes P70-P74.
    assert [c.excluded for c in edition.excludes1_conflicts(["G62.9", "M79.2"])] == ["M79.2"]
    assert [c.note for c in edition.excludes1_conflicts(["E03.9", "P72.2"])] == [
        "transitory endocrine and metabolic disorders specific to newborn (P70-P74)",
    ]
    assert edition.excludes1_conflicts(["E03.9", "P75"]) == []


def test_excludes1_notes_name_where_they_are_written(edition):
    notes = edition.excludes1_notes("E11.9")
    sources = {n.source for n in notes}
    assert {"E11", "E11.9", "chapter 4"} <= sources
    own = next(n for n in notes if n.source == "E11.9")
    assert own.references == ("E11.A",)
    assert edition.excludes1_notes("E14") == []


def test_chapters_and_blocks_of_codes(edition):
    assert (edition.get("S72.001A").chapter, edition.get("S72.001A").block) == (19, "S70-S79")
    assert (edition.get("B20").chapter, edition.get("B20").block) == (1, "B20")
    # FY2026 brought the first category with a letter in second place.
    assert (edition.get("QA0").chapter, edition.get("QA0").block) == (17, "QA0")


def test_the_edition_in_force_is_picked_by_date(code_sets):
    icd = code_sets.icd10cm
    assert [e.name for e in icd.editions] == ["2025-04", "2026-04"]
    for on, name in [(date(2025, 4, 1), "2025-04"), (date(2025, 9, 30), "2025-04"),
                     (date(2026, 4, 1), "2026-04"), (date(2026, 9, 30), "2026-04")]:
        assert icd.edition_for(on).name == name
        assert icd.in_force(on).name == name
    # Outside every edition's dates, the nearest one answers, and none is in force: before
    # April 2025, in the half year the FY2026 October edition (not loaded) covers, after
    # September 2026.
    for on, nearest in [(date(2020, 1, 1), "2025-04"), (date(2025, 3, 31), "2025-04"),
                        (date(2025, 10, 1), "2025-04"), (date(2026, 3, 31), "2026-04"),
                        (date(2026, 10, 1), "2026-04"), (date(2030, 1, 1), "2026-04")]:
        assert icd.edition_for(on).name == nearest
        assert icd.in_force(on) is None


def test_the_april_2025_edition_is_read_from_the_shipped_files(code_sets):
    older, newer = code_sets.icd10cm.editions
    assert (older.effective_from, older.effective_to) == (date(2025, 4, 1), date(2025, 9, 30))
    assert (older.code_count, older.billable_count) == (97_584, 74_260)
    assert older.source == "simple-icd-10-cm 1.4.0: icd10cm-tabular-April-2025.xml.gz"
    # Deleted by FY2026: S30.1XXA; G35 became a header over G35.A-G35.D; E11.A is new.
    assert older.get("S30.1XXA").billable and newer.get("S30.1XXA") is None
    assert older.get("G35").billable and not newer.get("G35").billable
    assert older.get("E11.A") is None and newer.get("E11.A").billable


@pytest.mark.parametrize(
    ("code", "kind", "source", "references"),
    [
        ("E11.22", "use_additional", "E11.22", ["N18.1-N18.6"]),
        ("I12.9", "use_additional", "I12.9", ["N18.1-N18.4", "N18.9"]),
        ("D63.1", "code_first", "D63.1", ["N18"]),
        ("O80", "use_additional", "O80", ["Z37.0"]),
        ("Z3A.39", "code_first", "Z3A", ["O09-O60", "O80-O82", "O94-O9A"]),
        # Written at the subcategory, it applies to the codes under it.
        ("I70.231", "use_additional", "I70.23", ["L97"]),
        ("T20.40XA", "code_first", "T20.4", ["T51-T65"]),
    ],
)
def test_unconditional_companion_notes_apply_to_the_code_and_those_under_it(
        code_sets, code, kind, source, references):
    for edition in code_sets.icd10cm.editions:
        [note] = edition.companion_notes(code)
        assert (note.kind, note.source) == (kind, source)
        assert [r.label() for r in note.references] == references


@pytest.mark.parametrize(
    "code",
    [
        "E11.9",  # control using insulin (Z79.4) ...: none for a diet-controlled diabetes
        "I10",  # the block's "code to identify: exposure to environmental tobacco smoke ..."
        "J45.909",  # the chapter's tobacco note, "where applicable"
        "I50.9",  # "code first heart failure due to hypertension (I11.0) ..."
        "N18.6",  # "code to identify dialysis status (Z99.2)": not every ESRD is on dialysis
        "L03.115",  # the block's "code (B95-B97) to identify infectious agent"
        "M10.9",  # the manifestations gout may cause, "in diseases classified elsewhere"
        "K25.9",  # "alcohol abuse and dependence (F10.-)": when documented
        "G63",  # "code first underlying disease, such as: ...": examples, not the choice
        "A41.9",  # the chapter's "resistance to antimicrobial drugs (Z16.-)"
        "Z00.00",
    ],
)
def test_conditional_companion_notes_are_not_kept(code_sets, code):
    for edition in code_sets.icd10cm.editions:
        assert edition.get(code) is not None
        assert edition.companion_notes(code) == ()


def test_codes_new_in_fy2026_carry_their_first_valid_date(code_sets):
    icd = code_sets.icd10cm
    assert icd.valid_from("E11.A") == date(2025, 10, 1)
    assert icd.valid_from("e11a") == date(2025, 10, 1)
    assert icd.valid_from("QA0.0") == date(2025, 10, 1)
    assert icd.valid_from("E11.9") is None
