"""What a provider registration must hold, each problem with its rule id. Pure."""

from __future__ import annotations

import re
from typing import Any

from rcm_shared.address import postal_code_problem, state_problem
from rcm_shared.issues import IssueDict, issue
from rcm_shared.npi import is_valid_npi

# NUCC health care provider taxonomy: 3 digits, 6 digits or capital letters, then X.
TAXONOMY = re.compile(r"[0-9]{3}[0-9A-Z]{6}X")
TAX_ID = re.compile(r"[0-9]{9}")


def registration_issues(provider: dict[str, Any]) -> list[IssueDict]:
    """Every problem of a whole registration (a new one, or one after a PATCH)."""
    findings: list[IssueDict] = []
    npi = provider["npi"]
    if not is_valid_npi(npi):
        findings.append(issue("npi.check_digit", "$.npi",
                              f"{npi!r} is not a valid NPI: its last digit is not the Luhn "
                              "check digit of the first nine."))
    if provider["kind"] == "person":
        for field in ("first_name", "last_name"):
            if not provider.get(field):
                findings.append(issue("provider.person_name", f"$.{field}",
                                      f"A person needs {field} (NM103/NM104 of the 837P)."))
        if provider.get("organization_name"):
            findings.append(issue("provider.person_name", "$.organization_name",
                                  "A person has first_name and last_name, not "
                                  "organization_name."))
    else:
        if not provider.get("organization_name"):
            findings.append(issue("provider.organization_name", "$.organization_name",
                                  "An organization needs organization_name (NM103 of the "
                                  "837P)."))
        for field in ("first_name", "last_name"):
            if provider.get(field):
                findings.append(issue("provider.organization_name", f"$.{field}",
                                      f"An organization has organization_name, not {field}."))
    taxonomy = provider.get("taxonomy")
    if taxonomy is not None and not TAXONOMY.fullmatch(taxonomy):
        findings.append(issue("provider.taxonomy", "$.taxonomy",
                              f"{taxonomy!r} is not a NUCC taxonomy code: 10 characters, "
                              "3 digits, 6 digits or capital letters, then X (207Q00000X)."))
    tax_id = provider.get("tax_id")
    if tax_id is not None and not TAX_ID.fullmatch(tax_id):
        findings.append(issue("provider.tax_id", "$.tax_id",
                              f"{tax_id!r} is not a tax id: 9 digits (an EIN without its "
                              "hyphen), or null."))
    address = provider.get("address")
    if address is not None:
        state = state_problem(address["state"])
        if state is not None:
            findings.append(issue("address.state", "$.address.state", state))
        postal_code = postal_code_problem(address["postal_code"])
        if postal_code is not None:
            findings.append(issue("address.postal_code", "$.address.postal_code", postal_code))
    return findings
