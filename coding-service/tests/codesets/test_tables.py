"""The small code tables shipped as CSV files, and the checks that guard them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coding_service.codesets import tables
from coding_service.codesets.tables import DATA_DIR, TableError


def test_every_table_names_its_source_and_version(code_sets):
    for name in ("procedures", "modifiers", "places_of_service", "demographic_edits",
                 "icd10cm_code_history"):
        assert code_sets.sources[name], name
        assert code_sets.versions[name], name
    assert code_sets.versions["icd10cm"] == "2026-04"
    assert "simple-icd-10-cm" in code_sets.sources["icd10cm"]


@pytest.mark.parametrize(
    ("code", "system", "evaluation_management", "sex"),
    [
        ("99213", "CPT", True, None),
        ("99385", "CPT", True, None),
        ("99285", "CPT", True, None),
        ("20610", "CPT", False, None),
        ("36415", "CPT", False, None),
        ("55250", "CPT", False, "M"),
        ("59400", "CPT", False, "F"),
        ("58300", "CPT", False, "F"),
        ("G0438", "HCPCS", False, None),
        ("J3301", "HCPCS", False, None),
        ("Q2035", "HCPCS", False, None),
    ],
)
def test_procedures_carry_their_system_and_flags(code_sets, code, system, evaluation_management,
                                                 sex):
    procedure = code_sets.procedures[code]
    assert (procedure.code_system, procedure.is_evaluation_management, procedure.sex) == (
        system, evaluation_management, sex
    )
    assert procedure.description


def test_the_evaluation_and_management_ranges_are_all_there(code_sets):
    wanted = [*range(99202, 99206), *range(99211, 99216), *range(99221, 99224),
              *range(99281, 99286), *range(99381, 99388), *range(99391, 99398)]
    for number in wanted:
        assert code_sets.procedures[str(number)].is_evaluation_management, number
    flagged = {c for c, p in code_sets.procedures.items() if p.is_evaluation_management}
    assert all(c.isdigit() and 99202 <= int(c) <= 99499 for c in flagged)
    assert len(code_sets.procedures) >= 300


@pytest.mark.parametrize(
    ("code", "bypass"),
    [("59", True), ("XE", True), ("XS", True), ("XP", True), ("XU", True), ("LT", True),
     ("RT", True), ("25", True), ("91", True), ("F5", True), ("TA", True), ("E4", True),
     ("RC", True), ("26", False), ("TC", False), ("50", False), ("51", False), ("76", False),
     ("GA", False), ("QW", False), ("95", False)],
)
def test_ncci_associated_modifiers_may_bypass_an_edit(code_sets, code, bypass):
    assert code_sets.modifiers[code].ncci_bypass is bypass


def test_places_of_service_are_the_assigned_cms_codes(code_sets):
    places = code_sets.places_of_service
    assert places["11"] == "Office"
    assert places["02"].startswith("Telehealth")
    assert places["10"] == "Telehealth Provided in Patient's Home"
    assert places["23"] == "Emergency Room - Hospital"
    assert places["99"] == "Other Place of Service"
    for unassigned in ("28", "30", "35", "59", "63", "80", "98", "00"):
        assert unassigned not in places
    assert len(places) == 52


def _edits_for(code_sets, code):
    return [e for e in code_sets.demographic_edits
            if e.first <= code[:len(e.first)] and code[:len(e.last)] <= e.last]


@pytest.mark.parametrize(
    ("code", "sex"),
    [("O80", "F"), ("O9A211", "F"), ("C539", "F"), ("N952", "F"), ("Z3A20", "F"),
     ("C61", "M"), ("N400", "M"), ("N529", "M"), ("Z125", "M"),
     ("I10", None), ("N390", None), ("Z3800", None), ("N99", None)],
)
def test_sex_edits_cover_the_sex_specific_chapters(code_sets, code, sex):
    sexes = {e.sex for e in _edits_for(code_sets, code) if e.sex}
    assert sexes == ({sex} if sex else set())


def test_age_edits_cover_newborn_and_maternity_codes(code_sets):
    perinatal = [e for e in _edits_for(code_sets, "P599") if e.max_age_days is not None]
    assert [e.max_age_days for e in perinatal] == [28]
    maternity = [e for e in _edits_for(code_sets, "O80") if e.min_age_years is not None]
    assert [(e.min_age_years, e.max_age_years) for e in maternity] == [(9, 64)]
    assert all(e.source for e in code_sets.demographic_edits)
    assert [e for e in _edits_for(code_sets, "I10") if e.max_age_days or e.max_age_years] == []


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(DATA_DIR, tmp_path / "data"))


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("procedures.csv", "99213,CPT", "9921,CPT", "'9921' is not a well-formed CPT code"),
        ("procedures.csv", "G0438,HCPCS", "G0438,CPT", "'G0438' is not a well-formed CPT code"),
        ("procedures.csv", ",true,,XXX,office\n", ",yes,,XXX,office\n", "expected true or false"),
        ("procedures.csv", ",false,,010,\n", ",false,,011,\n", "global_days must be one of"),
        ("procedures.csv", ",XXX,office\n", ",XXX,clinic\n", "visit_family must be one of"),
        ("modifiers.csv", ",true,true\n", ",true,yes\n", "expected true or false"),
        ("demographic-edits.csv", ",28,warning,", ",28,fatal,", "age_severity must be one of"),
        ("demographic-edits.csv", "M,,,,,CMS", "M,,,,error,CMS", "age_severity is set on a row"),
        ("first-listed-edits.csv", "Z68,Z68", "Z68,Z67", "the range Z68-Z67 is empty"),
        ("preventive-age-bands.csv", "99382,1,4", "99382,4,1", "the band 4-1 is empty"),
        ("place-of-service-groups.csv", "emergency,only,23", "emergency,only,2B",
         "'2B' is not a well-formed place-of-service code"),
        ("place-of-service-groups.csv", "home,only", "home,sometimes", "kind must be one of"),
        ("modifiers.csv", "\n59,", "\n5,", "'5' is not a well-formed modifier"),
        ("places-of-service.csv", "11,Office", "11,", "the name is empty"),
        ("demographic-edits.csv", "N40,N53,M", "N53,N40,M", "the range N53-N40 is empty"),
        ("demographic-edits.csv", "C60,C63", "C6,C63", "'C6' is not a well-formed ICD-10-CM"),
        ("icd10cm-code-history.csv", ",2025-10-01,", ",2025-13-01,", "month must be in 1..12"),
    ],
)
def test_a_malformed_row_stops_the_load_naming_file_and_line(data_copy, file, old, new, message):
    _replace(data_copy / file, old, new)
    readers = {
        "procedures.csv": tables.read_procedures,
        "modifiers.csv": tables.read_modifiers,
        "places-of-service.csv": tables.read_places_of_service,
        "demographic-edits.csv": tables.read_demographic_edits,
        "icd10cm-code-history.csv": tables.read_code_history,
        "first-listed-edits.csv": tables.read_first_listed_edits,
        "preventive-age-bands.csv": tables.read_age_bands,
        "place-of-service-groups.csv": tables.read_place_of_service_groups,
    }
    with pytest.raises(TableError, match=rf"{file} line \d+: .*{message}"):
        readers[file](data_copy)


def test_a_duplicate_code_stops_the_load(data_copy):
    path = data_copy / "modifiers.csv"
    path.write_text(path.read_text() + "59,Distinct procedural service,true,false\n")
    with pytest.raises(TableError, match="59 appears twice"):
        tables.read_modifiers(data_copy)


def test_a_table_without_its_source_line_is_refused(data_copy):
    path = data_copy / "places-of-service.csv"
    path.write_text("".join(
        line for line in path.read_text().splitlines(keepends=True)
        if not line.startswith("# source:")
    ))
    with pytest.raises(TableError, match="source"):
        tables.read_places_of_service(data_copy)


def test_the_line_number_of_an_error_is_the_file_line(data_copy):
    path = data_copy / "places-of-service.csv"
    lines = path.read_text().splitlines(keepends=True)
    bad = next(i for i, line in enumerate(lines) if line.startswith("11,"))
    lines[bad] = "1,Office\n"
    path.write_text("".join(lines))
    with pytest.raises(TableError, match=rf"line {bad + 1}:"):
        tables.read_places_of_service(data_copy)
