"""Whether a claim may be appealed now, and the appeal letter written from it. Pure.

The letter goes to the payer, not into logs: it names the claim, the payer's claim number and
the patient's account id, and no more about the patient than that.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from billing_service.claims.codes import describe_adjustment, describe_remark

# Claims a payer adjudicated with something denied: the ones an appeal can dispute.
APPEALABLE = ("denied", "partially_paid")


@dataclass(frozen=True, slots=True)
class EarlierAppeal:
    level: int
    status: str  # submitted | overturned | upheld


def refusal(claim_status: str, denials: Sequence[Mapping[str, Any]],
            earlier: Sequence[EarlierAppeal], level: int) -> tuple[str, str] | None:
    """(field, why) when the claim cannot be appealed at `level` now; None when it can.

    Only a claim its payer denied, whole or in part, can be appealed; one appeal at a time;
    level 1 once; level 2 once, after level 1 was upheld."""
    if claim_status not in APPEALABLE or not denials:
        return ("$", f"The claim is '{claim_status}' with nothing denied: only a denied or "
                "partially paid claim with a denial can be appealed.")
    if any(appeal.status == "submitted" for appeal in earlier):
        return ("$", "An appeal of this claim awaits the payer's decision: one at a time.")
    if any(appeal.level == level for appeal in earlier):
        return ("$.level", f"The claim was already appealed at level {level}.")
    if level == 2 and not any(a.level == 1 and a.status == "upheld" for a in earlier):
        return ("$.level", "Level 2 follows a level 1 appeal the payer upheld.")
    return None


@dataclass(frozen=True, slots=True)
class LetterLine:
    line_number: int
    procedure_code: str
    modifiers: tuple[str, ...]
    date_of_service: date
    charge: str


@dataclass(frozen=True, slots=True)
class LetterFacts:
    written_on: date
    level: int
    payer_name: str
    payer_id: str
    claim_id: str
    patient_control_number: str
    payer_claim_control_number: str
    patient_account_id: str
    billing_provider_npi: str
    date_of_service: date
    total_charge: str
    lines: tuple[LetterLine, ...]
    denials: tuple[Mapping[str, Any], ...]  # the claim's denials, as the claim keeps them
    reason: str


def write_letter(facts: LetterFacts) -> str:
    """The appeal letter: the claim, each denial with its line's code and modifiers, CARC and
    remark codes, and the biller's reason."""
    level = "First-level" if facts.level == 1 else "Second-level"
    lines = {line.line_number: line for line in facts.lines}
    text = [
        f"{facts.written_on.isoformat()}",
        "",
        f"To: {facts.payer_name} ({facts.payer_id}), appeals",
        f"Re: {level} appeal (level {facts.level}) of payer claim "
        f"{facts.payer_claim_control_number}",
        f"Claim {facts.claim_id}, patient control number {facts.patient_control_number}",
        f"Patient account {facts.patient_account_id}; billing provider NPI "
        f"{facts.billing_provider_npi}",
        f"Date of service {facts.date_of_service.isoformat()}; billed {facts.total_charge}",
        "",
        "We ask you to reconsider the denial of:",
    ]
    for denial in facts.denials:
        rarcs = [describe_remark(code) for code in denial["rarcs"]]
        said = describe_adjustment(denial["group_code"], denial["carc"])
        if rarcs:
            said += f" (remarks {'; '.join(rarcs)})"
        line = lines.get(denial["line"]) if denial["line"] is not None else None
        if line is None:
            text.append(f"- the claim: {said}, {denial['amount']}")
            continue
        modifiers = f"-{'-'.join(line.modifiers)}" if line.modifiers else ""
        text.append(f"- line {line.line_number}, {line.procedure_code}{modifiers} on "
                    f"{line.date_of_service.isoformat()}, billed {line.charge}: {said}, "
                    f"denied {denial['amount']}")
    text += ["", "Reason for this appeal:", facts.reason.strip(), "",
             "The medical record supporting these services is available on request.", ""]
    return "\n".join(text)
