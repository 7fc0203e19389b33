"""Plain descriptions of the adjustment reason codes (CARC) and remark codes (RARC) the
billing screens, events and patient statements show. Short paraphrases, not the X12 text."""

from __future__ import annotations

CARC_DESCRIPTIONS: dict[str, str] = {
    "1": "Deductible",
    "2": "Coinsurance",
    "3": "Copay",
    "16": "The claim lacks information the payer needs",
    "18": "Duplicate of a claim already processed",
    "22": "Another payer may be responsible (coordination of benefits)",
    "27": "Service after the coverage ended",
    "29": "Filed after the payer's time limit",
    "45": "Charge above the payer's fee schedule",
    "96": "Service not covered by the plan",
    "97": "Included in the payment for another service billed on the same day",
    "119": "The plan's benefit maximum has been reached",
    "204": "Service not covered under the patient's current benefit plan",
}

RARC_DESCRIPTIONS: dict[str, str] = {
    "M15": "Separately billed services were bundled",
    "M51": "Missing or invalid procedure code",
    "M76": "Missing or invalid diagnosis",
    "M127": "The patient's medical record for this service is needed",
    "N19": "Procedure code incidental to the primary procedure",
    "N130": "Consult the plan's benefit documents for what is covered",
    "N522": "Duplicate of a claim already processed",
}


def describe_adjustment(group: str, carc: str) -> str:
    text = CARC_DESCRIPTIONS.get(carc, f"Adjustment reason {carc}")
    return f"{group}-{carc}: {text}"


def describe_remark(code: str) -> str:
    return f"{code}: {RARC_DESCRIPTIONS.get(code, 'see the payer remark')}"
