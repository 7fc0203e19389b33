"""Rules on the encounter itself: provider NPIs, place of service, date of service."""

from __future__ import annotations

from datetime import date

from coding_service.codesets.types import CodeSets
from coding_service.validation import rules
from coding_service.validation.model import EncounterFacts
from rcm_shared.address import postal_code_problem, state_problem
from rcm_shared.issues import Issue
from rcm_shared.npi import is_npi_format, is_valid_npi

_NPI_LABELS = {
    "$.rendering_provider_npi": "rendering provider",
    "$.billing_provider_npi": "billing provider",
    "$.referring_provider.npi": "referring provider",
    "$.service_facility.npi": "service facility",
}


def check_encounter(
    facts: EncounterFacts, code_sets: CodeSets, today: date, issues: list[Issue]
) -> None:
    npis = [("$.rendering_provider_npi", facts.rendering_provider_npi),
            ("$.billing_provider_npi", facts.billing_provider_npi), *facts.other_npis]
    for path, npi in npis:
        label = _NPI_LABELS.get(path, "provider")
        if not is_npi_format(npi):
            issues.append(rules.NPI_FORMAT.issue(
                path, f"The {label} NPI must be exactly 10 digits; '{npi}' is not."
            ))
        elif not is_valid_npi(npi):
            issues.append(rules.NPI_CHECK_DIGIT.issue(
                path,
                f"The {label} NPI {npi} fails its check digit, so it is mistyped: "
                "compare it with the provider's record in the NPPES registry.",
            ))
    for address in facts.addresses:
        state = state_problem(address.state)
        if state is not None:
            issues.append(rules.ADDRESS_STATE.issue(f"{address.path}.state", state))
        postal_code = postal_code_problem(address.postal_code)
        if postal_code is not None:
            issues.append(rules.ADDRESS_POSTAL_CODE.issue(
                f"{address.path}.postal_code", postal_code
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
