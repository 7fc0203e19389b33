"""The catalogue of rule ids: each id is stable API, documented in docs/validation-rules.md."""

from __future__ import annotations

from dataclasses import dataclass

from rcm_shared.issues import Issue, Severity

ERROR = Severity.ERROR
WARNING = Severity.WARNING


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: Severity
    summary: str

    def issue(self, path: str, message: str, severity: Severity | None = None) -> Issue:
        return Issue(self.id, severity or self.severity, path, message)


# Encounter
NPI_FORMAT = Rule("npi.format", ERROR, "An NPI is not 10 digits.")
NPI_CHECK_DIGIT = Rule("npi.check_digit", ERROR, "An NPI fails the Luhn check digit.")
PLACE_OF_SERVICE_UNKNOWN = Rule(
    "place_of_service.unknown", ERROR, "The place of service is not a CMS POS code."
)
DATE_OF_SERVICE_FUTURE = Rule(
    "date_of_service.future", ERROR, "The date of service is in the future."
)
DATE_OF_SERVICE_BEFORE_BIRTH = Rule(
    "date_of_service.before_birth", ERROR, "The date of service is before the birth date."
)
ADDRESS_STATE = Rule("address.state", ERROR, "An address's state is not a USPS state code.")
ADDRESS_POSTAL_CODE = Rule(
    "address.postal_code", ERROR, "An address's ZIP code is not 5 or 9 digits."
)

# Diagnoses
DIAGNOSIS_EMPTY = Rule("diagnosis.empty", ERROR, "The encounter has no diagnosis.")
DIAGNOSIS_TOO_MANY = Rule(
    "diagnosis.too_many", WARNING, "More than 12 diagnoses: more than one claim holds."
)
DIAGNOSIS_DUPLICATE = Rule("diagnosis.duplicate", ERROR, "A diagnosis is listed twice.")
ICD_FORMAT = Rule("icd10cm.format", ERROR, "Not shaped like an ICD-10-CM code.")
ICD_UNKNOWN = Rule("icd10cm.unknown_code", ERROR, "Not a code of the ICD-10-CM edition.")
ICD_NOT_VALID_ON_DATE = Rule(
    "icd10cm.not_valid_on_date", ERROR, "The code is not valid on the date of service."
)
ICD_HEADER = Rule("icd10cm.header_code", ERROR, "A category or subcategory, not billable.")
ICD_SEVENTH_MISSING = Rule(
    "icd10cm.seventh_character_missing", ERROR, "The code needs a 7th character."
)
ICD_SEVENTH_INVALID = Rule(
    "icd10cm.seventh_character_invalid", ERROR, "The 7th character is not defined for the code."
)
ICD_PLACEHOLDER_MISSING = Rule(
    "icd10cm.placeholder_missing", ERROR, "The placeholder X before the 7th character is missing."
)
DIAGNOSIS_MANIFESTATION_FIRST = Rule(
    "diagnosis.manifestation_first", ERROR, "A manifestation code is first-listed or alone."
)
DIAGNOSIS_EXTERNAL_CAUSE_FIRST = Rule(
    "diagnosis.external_cause_first", ERROR, "An external-cause code (V00-Y99) is first-listed."
)
DIAGNOSIS_EXCLUDES1 = Rule(
    "diagnosis.excludes1", WARNING, "Two diagnoses form an Excludes1 pair."
)
DIAGNOSIS_SEX_CONFLICT = Rule(
    "diagnosis.sex_conflict", ERROR, "The diagnosis is for the other sex."
)
DIAGNOSIS_AGE_CONFLICT = Rule(
    "diagnosis.age_conflict", WARNING,
    "The diagnosis is outside its age range (error for the age-specific examination codes).",
)
DIAGNOSIS_NOT_FIRST_LISTED = Rule(
    "diagnosis.not_first_listed", ERROR, "A code that may only follow another is first-listed."
)

# Service lines
SERVICE_LINES_EMPTY = Rule("service_lines.empty", ERROR, "The encounter has no service line.")
SERVICE_LINES_TOO_MANY = Rule(
    "service_lines.too_many", WARNING, "More than 50 service lines: more than one claim holds."
)
PROCEDURE_FORMAT = Rule("procedure.format", ERROR, "Not shaped like a CPT or HCPCS code.")
PROCEDURE_UNKNOWN = Rule(
    "procedure.unknown_code", WARNING, "Well-formed but not in the shipped procedure table."
)
PROCEDURE_SEX_CONFLICT = Rule(
    "procedure.sex_conflict", ERROR, "The procedure is for the other sex."
)
PROCEDURE_AGE_BAND = Rule(
    "procedure.age_band", ERROR, "The procedure code is for another age band."
)
PROCEDURE_PLACE_OF_SERVICE = Rule(
    "procedure.place_of_service", ERROR, "The visit code is not billed at this place of service."
)
EM_MODIFIER_25_MISSING = Rule(
    "em.modifier_25_missing", ERROR, "An E/M visit beside a minor procedure lacks modifier 25."
)
EM_MODIFIER_57_MISSING = Rule(
    "em.modifier_57_missing", ERROR, "An E/M visit beside a major procedure lacks modifier 57."
)
EM_MULTIPLE_VISITS = Rule(
    "em.multiple_visits", ERROR, "More than one E/M visit by the provider on the same day."
)
MODIFIER_FORMAT = Rule("modifier.format", ERROR, "A modifier is not two letters or digits.")
MODIFIER_TOO_MANY = Rule("modifier.too_many", ERROR, "More than 4 modifiers on a line.")
MODIFIER_UNKNOWN = Rule("modifier.unknown", WARNING, "A modifier is not in the modifier table.")
MODIFIER_DUPLICATE = Rule("modifier.duplicate", ERROR, "A modifier is repeated on a line.")
MODIFIER_25_REQUIRES_EM = Rule(
    "modifier.25_requires_em", ERROR, "Modifier 25 on a code that is not E/M."
)
MODIFIER_59_WITH_X = Rule(
    "modifier.59_with_x", ERROR, "Modifier 59 together with XE, XS, XP or XU."
)
MODIFIER_26_WITH_TC = Rule("modifier.26_with_tc", ERROR, "Modifiers 26 and TC on one line.")
MODIFIER_50_WITH_LATERALITY = Rule(
    "modifier.50_with_laterality", ERROR, "Modifier 50 together with LT or RT."
)
LINE_DATE_FUTURE = Rule(
    "service_line.date_future", ERROR, "A service line's date is in the future."
)
LINE_DATE_BEFORE_BIRTH = Rule(
    "service_line.date_before_birth", ERROR, "A service line's date is before the birth date."
)
LINE_DATE_RANGE = Rule(
    "service_line.date_range", ERROR, "A service line's date range ends before it starts."
)
NDC_FORMAT = Rule("ndc.format", ERROR, "An NDC is not 11 digits or a hyphenated 10-digit form.")
UNITS_MINIMUM = Rule("units.minimum", ERROR, "Units below 1.")
UNITS_MUE = Rule("units.mue", ERROR, "Units above the Medically Unlikely Edit.")
CHARGE_POSITIVE = Rule("charge.positive", ERROR, "The charge is not above zero.")
POINTER_COUNT = Rule("pointer.count", ERROR, "A line points at no diagnosis or at more than 4.")
POINTER_RANGE = Rule("pointer.range", ERROR, "A pointer names no diagnosis of the encounter.")
POINTER_DUPLICATE = Rule("pointer.duplicate", ERROR, "A line points at a diagnosis twice.")
NCCI_PTP = Rule(
    "ncci.ptp", ERROR, "Column-2 code billed with its column-1 code (NCCI PTP edit)."
)
NCCI_ADDON_WITHOUT_PRIMARY = Rule(
    "ncci.addon_without_primary", ERROR,
    "An add-on code without one of its primary codes (warning for edit types 2 and 3).",
)

# ICD-10-CM editions by date, and the tabular's "code first" / "use additional code" notes
ICD_EDITION_NOT_LOADED = Rule(
    "icd10cm.edition_not_loaded", WARNING,
    "No loaded ICD-10-CM edition covers the date of service; the nearest one is used.",
)
DIAGNOSIS_CODE_FIRST = Rule(
    "diagnosis.code_first", WARNING,
    "None of the codes a 'code first' note names is listed before the diagnosis.",
)
DIAGNOSIS_USE_ADDITIONAL_CODE = Rule(
    "diagnosis.use_additional_code", WARNING,
    "None of the codes a 'use additional code' note names is on the encounter.",
)

RULES: tuple[Rule, ...] = tuple(
    value for value in list(globals().values()) if isinstance(value, Rule)
)
