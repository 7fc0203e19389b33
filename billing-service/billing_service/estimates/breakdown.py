"""A payer's priced services (its remittance for a predetermination) as a patient estimate:
per line and in total the allowed amount, what the payer pays and what the patient owes as
deductible, copay and coinsurance, each with a sentence a patient understands. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from billing_service.payers.adapter import LineRemittance, Remittance
from rcm_shared.money import ZERO

# The patient-responsibility reason codes (group PR) the estimate splits.
DEDUCTIBLE = "1"
COINSURANCE = "2"
COPAY = "3"


@dataclass(frozen=True, slots=True)
class PatientShare:
    deductible: Decimal = ZERO
    copay: Decimal = ZERO
    coinsurance: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.deductible + self.copay + self.coinsurance

    def __add__(self, other: PatientShare) -> PatientShare:
        return PatientShare(self.deductible + other.deductible, self.copay + other.copay,
                            self.coinsurance + other.coinsurance)


@dataclass(frozen=True, slots=True)
class EstimatedLine:
    procedure_code: str
    allowed: Decimal
    payer_pays: Decimal
    patient_owes: PatientShare
    explanation: str


@dataclass(frozen=True, slots=True)
class Estimate:
    lines: tuple[EstimatedLine, ...]
    allowed: Decimal
    payer_pays: Decimal
    patient_owes: PatientShare
    explanation: str


def estimate_of(remittance: Remittance, coinsurance_percent: Decimal | None) -> Estimate:
    lines = tuple(_line(line, coinsurance_percent) for line in remittance.lines)
    owed = sum((line.patient_owes for line in lines), PatientShare())
    allowed = sum((line.allowed for line in lines), ZERO)
    paid = sum((line.payer_pays for line in lines), ZERO)
    return Estimate(lines, allowed, paid, owed, _total_sentence(allowed, paid, owed, lines))


def _line(line: LineRemittance, coinsurance_percent: Decimal | None) -> EstimatedLine:
    share = PatientShare(
        deductible=_patient(line, DEDUCTIBLE), copay=_patient(line, COPAY),
        coinsurance=_patient(line, COINSURANCE))
    return EstimatedLine(line.procedure_code, line.allowed, line.paid, share,
                         _line_sentence(line, share, coinsurance_percent))


def _patient(line: LineRemittance, carc: str) -> Decimal:
    return sum((a.amount for a in line.adjustments if a.group == "PR" and a.carc == carc), ZERO)


def _line_sentence(line: LineRemittance, share: PatientShare,
                   coinsurance_percent: Decimal | None) -> str:
    code = line.procedure_code
    if line.allowed == ZERO:
        return (f"Your plan does not pay for service {code}, and under its terms with the "
                "provider you are not charged for it either.")
    if share.total == ZERO:
        return (f"Your plan allows ${line.allowed} for service {code} and pays all of it; you "
                "pay nothing.")
    parts = []
    if share.copay:
        parts.append(f"a ${share.copay} copay")
    if share.deductible:
        parts.append(f"${share.deductible} toward your deductible")
    if share.coinsurance:
        rate = f" ({coinsurance_percent.normalize():f}% of the rest)" \
            if coinsurance_percent else ""
        parts.append(f"${share.coinsurance} coinsurance{rate}")
    payer = f"your plan pays ${line.paid}" if line.paid else "your plan pays nothing"
    return (f"Your plan allows ${line.allowed} for service {code}: you pay ${share.total} "
            f"({_joined(parts)}) and {payer}.")


def _total_sentence(allowed: Decimal, paid: Decimal, owed: PatientShare,
                    lines: Sequence[EstimatedLine]) -> str:
    services = "this service" if len(lines) == 1 else f"these {len(lines)} services"
    split = []
    if owed.deductible:
        split.append(f"${owed.deductible} deductible")
    if owed.copay:
        split.append(f"${owed.copay} copay")
    if owed.coinsurance:
        split.append(f"${owed.coinsurance} coinsurance")
    you = f"you pay ${owed.total} ({_joined(split)})" if split else "you pay nothing"
    return (f"For {services} your plan allows ${allowed}; it pays ${paid} and {you}. This is an "
            "estimate from your plan's terms and what you have paid this plan year: other "
            "claims processed before this one can change it.")


def _joined(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]
