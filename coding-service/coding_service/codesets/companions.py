"""Which "code first" and "use additional code" instructions of the tabular list become rules.

The tabular writes both kinds the same way whether the companion code is always due or only
when the record documents it, and the Official Guidelines (I.B.7) say a "use additional code"
note asks for the secondary code "if known". A warning on a code that routinely stands alone
would be noise, so an instruction is kept only when the companion is part of the coded
condition itself (the stage of the kidney disease of E11.22, the type of heart failure of
I11.0, the neoplasm of D63.0, the outcome of delivery of O80) and dropped when:

- its wording makes it conditional: "if applicable", "if known", "any", "associated",
  "such as" (the list is examples, not the complete choice), "complicating", "due to",
  "following" (a cause the condition may or may not have; I50's "code first heart failure
  due to hypertension (I11.0)" does not apply to heart failure without hypertension), "in
  diseases classified elsewhere" (manifestations a disease may cause: gout, M10, lists six
  of them), "external cause" (reported only where required, I.C.20);
- it names a companion the Guidelines code only when documented, whatever the wording
  (`OPTIONAL_COMPANIONS`), e.g. E11's "use additional code to identify control using insulin
  (Z79.4), oral antidiabetic drugs (Z79.84) ...": a type 2 diabetes treated by diet alone
  takes no Z79 code (I.C.4.a.3), so E11.9 on its own is correct;
- it names no code this module can read (a narrowed reference such as "(T36-T50 with fifth
  or sixth character 5)" drops the instruction, as it drops an Excludes1 note).

Pure rules, no I/O: the index build applies them once per edition.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from coding_service.codesets.references import CodeRange, parse_references

_CONDITIONAL = re.compile(
    r"\bif\b|\bwhere applicable\b|\bwhen\b|\bany\b|\bassociated\b|\bsuch as\b|\be\.g\.|"
    r"\bcomplicating\b|\bdue to\b|\bfollowing\b|\bclassified elsewhere\b|\bexternal cause\b",
    re.IGNORECASE,
)

# Companions coded only when the record documents them, each with why. An instruction naming
# any of them lists things "to identify" that a patient may not have.
OPTIONAL_COMPANIONS: tuple[tuple[CodeRange, str], ...] = (
    (CodeRange("V00", "Y99"), "external causes: no national requirement to report (I.C.20)"),
    (CodeRange("B95", "B97"), "the infectious agent, when identified"),
    (CodeRange("F10", "F19"), "substance use, when the provider documents it (I.C.5.b)"),
    (CodeRange("Z16", "Z16"), "drug resistance, when documented (I.C.1.c)"),
    (CodeRange("Z17", "Z17"), "receptor status, when known"),
    (CodeRange("Z5731", "Z5731"), "tobacco smoke exposure, when documented"),
    (CodeRange("Z720", "Z720"), "tobacco use, when documented"),
    (CodeRange("Z7722", "Z7722"), "tobacco smoke exposure, when documented"),
    (CodeRange("Z79", "Z79"), "long-term drug therapy: none for diet-controlled diabetes "
                              "(I.C.4.a.3)"),
    (CodeRange("Z87891", "Z87891"), "history of nicotine dependence, when documented"),
    (CodeRange("Z99", "Z99"), "dependence on machines: end-stage kidney disease is not always "
                              "on dialysis"),
    (CodeRange("P9681", "P9681"), "perinatal tobacco smoke exposure, when documented"),
    (CodeRange("L49", "L49"), "skin exfoliation: erythema multiforme minor (L51.0) has none"),
    (CodeRange("R78", "R78"), "alcohol or drugs found in blood: a test (Z02.83) may find none"),
    (CodeRange("Z87890", "Z87890"), "sex reassignment: F64.1 does not imply it"),
)


def required_references(text: str, categories: Iterable[str]) -> list[CodeRange]:
    """The code ranges an instruction names when it is kept as a rule; [] when it is not."""
    if _CONDITIONAL.search(text):
        return []
    ranges = parse_references(text, categories)
    if any(_overlaps(found, optional) for found in ranges for optional, _ in OPTIONAL_COMPANIONS):
        return []
    return ranges


def _overlaps(found: CodeRange, optional: CodeRange) -> bool:
    """Whether the two ranges share a code: either one holds the other's first code."""
    return optional.holds(found.first) or found.holds(optional.first)
