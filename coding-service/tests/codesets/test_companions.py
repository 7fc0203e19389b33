"""Which "code first" / "use additional code" instructions become rules, on note texts of the
April 2026 tabular list (each element's notes joined as the index reads them)."""

from __future__ import annotations

import pytest

from coding_service.codesets.companions import required_references

CATEGORIES = ["E08", "E09", "E10", "E11", "E13"]


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        ("code to identify stage of chronic kidney disease (N18.1-N18.6)", ["N18.1-N18.6"]),
        ("underlying chronic kidney disease (CKD) (N18.-)", ["N18"]),
        ("code to indicate outcome of delivery (Z37.0)", ["Z37.0"]),
        ("code to identify the type of HIV disease: Acquired immune deficiency syndrome (AIDS) "
         "(B20); Asymptomatic HIV status (Z21)", ["B20", "Z21"]),
        ("(T51-T65) to identify chemical and intent", ["T51-T65"]),
    ],
)
def test_an_unconditional_instruction_names_its_companions(text, labels):
    assert [r.label() for r in required_references(text, CATEGORIES)] == labels


@pytest.mark.parametrize(
    "text",
    [
        # conditional wording
        "code, if applicable, to identify resistance to antimicrobial drugs (Z16.-)",
        "code to identify body mass index (BMI), if known, for adults (Z68.1-Z68.45)",
        "any associated: diabetic chronic kidney disease (E08.22, E09.22, E10.22, E11.22, "
        "E13.22); hypertensive chronic kidney disease (I12.-, I13.-)",
        "underlying disease, such as: amyloidosis (E85.-)",
        "heart failure complicating abortion or ectopic or molar pregnancy (O00-O07, O08.8); "
        "heart failure due to hypertension (I11.0); rheumatic heart failure (I09.81)",
        "code to identify: Cardiomyopathy in diseases classified elsewhere (I43); Glomerular "
        "disorders in diseases classified elsewhere (N08)",
        "code (Chapter 20) to identify external cause or denture status (Z97.2)",
        # companions coded only when documented, whatever the wording
        "code to identify control using: insulin (Z79.4); oral antidiabetic drugs (Z79.84)",
        "code to identify: exposure to environmental tobacco smoke (Z77.22); tobacco use "
        "(Z72.0)",
        "code to identify: eosinophilic asthma (J82.83); tobacco dependence (F17.-)",
        "code (B95-B97) to identify infectious agent.",
        "code to identify dialysis status (Z99.2)",
        "external cause code to identify place (Y92)",
        # nothing this module can read
        "code(s) to identify all manifestations of HIV infection",
        "code for adverse effect to identify drug (T36-T50 with fifth or sixth character 5)",
    ],
)
def test_a_conditional_or_unreadable_instruction_is_dropped(text):
    assert required_references(text, CATEGORIES) == []
