"""Rules on the encounter itself: provider NPIs, place of service, date of service."""

from __future__ import annotations

from datetime import date

from coding_service.codesets.types import CodeSets
from coding_service.validation import rules
from coding_service.validation.model import EncounterFacts, Issue

# An NPI is checked as if it were the 15-digit card-issuer number 80840 + NPI (ISO 7812),
# so the prefix adds this constant to the Luhn sum of the first nine digits.
_NPI_PREFIX_LUHN_SUM = 24


def npi_check_digit_ok(npi: str) -> bool:
    """The NPI's 10th digit is the Luhn check digit of 80840 followed by its first nine."""
    if len(npi) != 10 or not npi.isdigit():
        return False
    total = _NPI_PREFIX_LUHN_SUM
    # Doubling starts at the rightmost of the nine payload digits.
    for position, char in enumerate(reversed(npi[:9])):
        digit = ord(char) - 48
        if position % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10 == ord(npi[9]) - 48


def check_encounter(
    facts: EncounterFacts, code_sets: CodeSets, today: date, issues: list[Issue]
) -> None:
    for field in ("rendering_provider_npi", "billing_provider_npi"):
        npi: str = getattr(facts, field)
        path = f"$.{field}"
        label = field.split("_")[0]
        if len(npi) != 10 or not npi.isdigit():
            issues.append(rules.NPI_FORMAT.issue(
                path, f"The {label} provider NPI must be exactly 10 digits; '{npi}' is not."
            ))
        elif not npi_check_digit_ok(npi):
            issues.append(rules.NPI_CHECK_DIGIT.issue(
                path,
                f"The {label} provider NPI {npi} fails its check digit, so it is mistyped: "
                "compare it with the provider's record in the NPPES registry.",
            ))

    if facts.place_of_service not in code_sets.places_of_service:
        issues.append(rules.PLACE_OF_SERVICE_UNKNOWN.issue(
            "$.place_of_service",
            f"'{facts.place_of_service}' is not a CMS place-of-service code; use the two-digit "
            "code of where the service was given, e.g. 11 (office) or 22 (on-campus "
            "outpatient hospital).",
        ))

    if facts.date_of_service > today:
        issues.append(rules.DATE_OF_SERVICE_FUTURE.issue(
            "$.date_of_service",
            f"The date of service {facts.date_of_service.isoformat()} is in the future; "
            "code an encounter only after it has taken place.",
        ))
    if facts.date_of_service < facts.patient_birth_date:
        issues.append(rules.DATE_OF_SERVICE_BEFORE_BIRTH.issue(
            "$.date_of_service",
            "The date of service is before the patient's birth date; "
            "check both dates.",
        ))
