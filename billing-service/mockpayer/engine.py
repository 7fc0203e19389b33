"""How the mock payer judges a claim: front-end edits, pricing, cost sharing and reversals.

Pure functions over a claim, the payer's rules and the member's plan-year accumulator; no I/O.
Amounts are Decimal to the cent, rounded half up as payers round.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from billing_service.payers.adapter import (
    Adjustment,
    ClaimForPayer,
    ClaimLineForPayer,
    ClaimStatus,
    LineRemittance,
    PayerInfo,
    PlanInfo,
    Remittance,
    RemittanceStatus,
)
from mockpayer.cob import CARC_OTHER_PAYER_PRIMARY, coordinate_line, prior_line
from rcm_shared.money import ZERO, to_money
from rcm_shared.npi import is_valid_npi

HUNDRED = Decimal(100)
# 837P carries at most 50 service lines per claim.
MAX_LINES = 50
# Evaluation and management visits: the lines a per-visit copay attaches to.
E_M_RANGE = range(99202, 99500)
# NCCI bypass modifiers: 25 marks a separately identifiable visit; the others a distinct
# procedural service (separate encounter, structure, practitioner or unusual service).
E_M_BYPASS_MODIFIERS = frozenset({"25"})
PROCEDURE_BYPASS_MODIFIERS = frozenset({"59", "XE", "XP", "XS", "XU"})
ICD10CM_PATTERN = re.compile(r"^[A-Z]\d[0-9A-Z](\.[0-9A-Z]{1,4})?$")

# Claim adjustment reason codes (CARC) the payer uses.
CARC_COST_OVER_SCHEDULE = "45"
CARC_DEDUCTIBLE = "1"
CARC_COINSURANCE = "2"
CARC_COPAY = "3"
CARC_MISSING_INFORMATION = "16"
CARC_DUPLICATE = "18"
CARC_COVERAGE_ENDED = "27"
CARC_TIMELY_FILING = "29"
CARC_NOT_COVERED = "96"
CARC_BUNDLED = "97"
# Remittance advice remark codes (RARC).
RARC_DUPLICATE = "N522"
RARC_DIAGNOSIS = "M76"
RARC_UNITS = "M53"
RARC_CHARGE = "M79"
RARC_BUNDLED = "M15"
# Missing patient medical record for this service: sent with a line held for records review.
RARC_MEDICAL_RECORD = "M127"
# Secondary payment needs the primary payer's payment information: bill the primary first.
RARC_OTHER_PAYER_PRIMARY = "MA04"


@dataclass(frozen=True, slots=True)
class Member:
    """A member on file. Amounts already met apply at the start of every plan year."""

    member_id: str
    plan_code: str | None = None
    coverage_end: date | None = None
    deductible_met: Decimal = ZERO
    out_of_pocket_met: Decimal = ZERO
    on_file: bool = True
    # Another payer is primary for this member: a claim sent here as primary is denied CO-22.
    other_coverage_primary: bool = False
    # Medicare's crossover agreement: the supplement payer and member id it forwards claims to.
    crossover_payer_id: str | None = None
    crossover_member_id: str | None = None


@dataclass(frozen=True, slots=True)
class PayerRules:
    info: PayerInfo
    default_plan_code: str
    claim_number_prefix: str
    member_id_pattern: re.Pattern[str]
    timely_filing_days: int
    # Codes without a fee schedule amount are allowed this percentage of their charge.
    unlisted_allowed_percent: Decimal
    fee_schedule: Mapping[str, Decimal]
    # Procedure code (or "S*" for a prefix) -> the RARC sent with its CO-96 denial.
    non_covered: Mapping[str, str]
    # Preventive services the plan pays in full: no copay, deductible or coinsurance.
    preventive_codes: frozenset[str]
    # (column 1 code, column 2 code) -> NCCI modifier indicator "0" or "1".
    bundling: Mapping[tuple[str, str], str]
    roster: Mapping[str, Member]
    # A column 2 line payable only because of a distinct-procedure modifier (59, XE, XP, XS,
    # XU) is denied CO-97 until the payer has reviewed the medical record (an appeal).
    reviews_distinct_procedures: bool = False

    @property
    def payer_id(self) -> str:
        return self.info.payer_id

    def plan(self, code: str | None) -> PlanInfo | None:
        return next((plan for plan in self.info.plans if plan.code == code), None)


@dataclass(frozen=True, slots=True)
class Accumulator:
    """What a member has paid toward one plan year's deductible and out-of-pocket maximum."""

    deductible_met: Decimal = ZERO
    out_of_pocket_met: Decimal = ZERO


@dataclass(frozen=True, slots=True)
class OriginalClaim:
    """What the payer knows of the claim a replacement (7) or void (8) points at."""

    payer_id: str
    member_id: str
    # False once it is reversed, or another replacement or void already points at it.
    replaceable: bool


@dataclass(frozen=True, slots=True)
class Adjudication:
    remittance: Remittance
    accumulator: Accumulator  # the member's plan-year totals after this claim


def find_member(rules: PayerRules, member_id: str) -> Member | None:
    """The scripted member, else an active member of the default plan if the id is
    well-formed; None when the payer has no such subscriber."""
    scripted = rules.roster.get(member_id)
    if scripted is not None:
        return scripted if scripted.on_file else None
    if rules.member_id_pattern.fullmatch(member_id):
        return Member(member_id)
    return None


def member_plan(rules: PayerRules, member: Member, requested_plan_code: str | None) -> PlanInfo:
    """The plan on file for the member wins over the plan code the claim names."""
    for code in (member.plan_code, requested_plan_code):
        plan = rules.plan(code)
        if plan is not None:
            return plan
    default = rules.plan(rules.default_plan_code)
    if default is None:
        raise ValueError(f"payer {rules.payer_id} has no plan {rules.default_plan_code}")
    return default


def opening_accumulator(member: Member) -> Accumulator:
    return Accumulator(member.deductible_met, member.out_of_pocket_met)


def plan_year(claim: ClaimForPayer) -> int:
    return claim.date_of_service.year


def front_end_errors(
    claim: ClaimForPayer, rules: PayerRules | None, original: OriginalClaim | None
) -> tuple[tuple[str, str], ...]:
    """277CA-style rejections (category:status[:entity], message); empty when accepted.

    Messages name no member, patient or code: they travel into logs and work queues.
    """
    if rules is None:
        return (("A3:116", f"Payer id {claim.payer_id} is not known to this payer."),)
    if not rules.info.active:
        return (
            (
                "A3:116",
                f"Payer id {claim.payer_id} no longer accepts claims; "
                "bill the patient's current payer.",
            ),
        )
    errors: list[tuple[str, str]] = []
    member = find_member(rules, claim.member_id)
    if member is None:
        errors.append(("A7:33", "Subscriber not found; the member id is not on file."))
    for npi, entity, role in (
        (claim.billing_provider_npi, "85", "Billing"),
        (claim.rendering_provider_npi, "82", "Rendering"),
    ):
        if not is_valid_npi(npi):
            errors.append((f"A7:562:{entity}", f"{role} provider NPI is not a valid NPI."))
    if not claim.diagnoses:
        errors.append(("A6:254", "The principal diagnosis is missing."))
    if not claim.lines:
        errors.append(("A6:21", "The claim has no service lines."))
    elif len(claim.lines) > MAX_LINES:
        errors.append(("A7:21", f"A professional claim carries at most {MAX_LINES} lines."))
    line_total = sum((line.charge for line in claim.lines), ZERO)
    if claim.lines and line_total != claim.total_charge:
        errors.append(
            (
                "A7:178",
                f"Total charge {claim.total_charge} does not equal the sum of the line "
                f"charges {line_total}.",
            )
        )
    if member is not None:
        plan = member_plan(rules, member, claim.plan_code)
        errors.extend(_frequency_errors(claim, plan, original))
    return tuple(errors)


def _frequency_errors(
    claim: ClaimForPayer, plan: PlanInfo, original: OriginalClaim | None
) -> list[tuple[str, str]]:
    if claim.frequency_code not in plan.accepts_frequency_codes:
        accepted = ", ".join(plan.accepts_frequency_codes)
        return [
            (
                "A7:535",
                f"{plan.name} accepts claim frequency code {accepted} only; replacements (7) "
                "and voids (8) are not accepted; ask the payer to reopen the claim instead.",
            )
        ]
    if claim.frequency_code == "1":
        return []
    if not claim.original_payer_claim_number:
        return [("A6:464", "A replacement or void must give the original payer claim number.")]
    if (
        original is None
        or original.payer_id != claim.payer_id
        or original.member_id != claim.member_id
    ):
        return [("A7:464", "The original payer claim number is not on file for this member.")]
    if not original.replaceable:
        return [("A7:464", "The original claim has already been replaced or voided.")]
    return []


def duplicate_key(claim: ClaimForPayer) -> str:
    """Same payer, member, billing provider, date of service and lines (in any order)
    -> same key: another practice seeing the member that day is no duplicate."""
    lines = sorted(
        "{}:{}:{}:{}:{}".format(
            line.procedure_code,
            ",".join(sorted(line.modifiers)),
            line.units,
            to_money(line.charge),
            line.date_of_service.isoformat(),
        )
        for line in claim.lines
    )
    text = "|".join(
        [
            claim.payer_id,
            claim.member_id,
            claim.billing_provider_npi,
            claim.date_of_service.isoformat(),
            *lines,
        ]
    )
    return hashlib.sha256(text.encode()).hexdigest()


def adjudicate(
    claim: ClaimForPayer,
    rules: PayerRules,
    *,
    accumulator: Accumulator,
    received_on: date,
    duplicate: bool,
    payer_claim_control_number: str,
    paid_date: date,
    predetermination: bool = False,
    reviewed_lines: frozenset[int] = frozenset(),
) -> Adjudication:
    """Price a front-end-accepted claim: claim-level denials, then line by line pricing,
    bundling and cost sharing against the member's plan-year accumulator.

    A predetermination (an estimate before the visit) is priced the same way, without the
    checks of a claim's paperwork: filing date, duplicates, diagnoses and pointers.
    `reviewed_lines`: lines whose distinct-procedure modifier the payer found documented in
    the medical record (an appeal): paid on it without a second review."""
    member = find_member(rules, claim.member_id)
    if member is None:
        raise ValueError("adjudicate() takes only claims that passed the front-end edits")
    plan = member_plan(rules, member, claim.plan_code)

    denial = _claim_level_denial(claim, rules, plan, member, received_on, duplicate,
                                 predetermination)
    if denial is not None:
        carc, remarks = denial
        lines = tuple(_denied_line(line, carc, ()) for line in claim.lines)
        return Adjudication(
            _remittance(claim, ClaimStatus.DENIED, lines, remarks, payer_claim_control_number,
                        paid_date),
            accumulator,
        )

    sharing = _CostSharing(plan, accumulator.deductible_met, accumulator.out_of_pocket_met)
    priced: list[LineRemittance] = []
    denied = 0
    for line in claim.lines:
        line_denial = _line_denial(line, claim.lines, rules,
                                   reviewed=line.line_number in reviewed_lines)
        if line_denial is not None:
            as_primary = _denied_line(line, *line_denial)
        else:
            as_primary = _priced_line(line, rules, sharing)
        before = prior_line(claim.prior_payers, line.line_number)
        # A supplement follows the payer before it, whatever its own exclusions say.
        if line_denial is not None and not (before is not None and plan.kind == "supplement"):
            denied += 1
        priced.append(
            as_primary if before is None else coordinate_line(line, as_primary, before, plan)
        )

    status: RemittanceStatus
    if denied == len(priced):
        status = ClaimStatus.DENIED
    elif denied:
        status = ClaimStatus.PARTIALLY_PAID
    else:
        # Processed lines are paid even when the whole allowed amount is the patient's.
        status = ClaimStatus.PAID
    remittance = _remittance(
        claim, status, tuple(priced), (), payer_claim_control_number, paid_date
    )
    if not claim.prior_payers:
        return Adjudication(
            remittance, Accumulator(sharing.deductible_met, sharing.out_of_pocket_met)
        )
    # After another payer the member's totals grow by what the member is left to pay, the
    # same amounts a reversal of this remittance gives back.
    deductible, out_of_pocket = _patient_share(remittance)
    return Adjudication(
        remittance,
        Accumulator(
            accumulator.deductible_met + deductible,
            accumulator.out_of_pocket_met + out_of_pocket,
        ),
    )


def _priced_line(
    line: ClaimLineForPayer, rules: PayerRules, sharing: _CostSharing
) -> LineRemittance:
    allowed = _allowed(line, rules)
    preventive = line.procedure_code in rules.preventive_codes
    copay, deductible, coinsurance = sharing.share(line.procedure_code, allowed, preventive)
    adjustments = [
        Adjustment("CO", CARC_COST_OVER_SCHEDULE, line.charge - allowed),
        Adjustment("PR", CARC_COPAY, copay),
        Adjustment("PR", CARC_DEDUCTIBLE, deductible),
        Adjustment("PR", CARC_COINSURANCE, coinsurance),
    ]
    return LineRemittance(
        line_number=line.line_number,
        procedure_code=line.procedure_code,
        billed=line.charge,
        allowed=allowed,
        paid=allowed - copay - deductible - coinsurance,
        adjustments=tuple(a for a in adjustments if a.amount != ZERO),
    )


def reverse(remittance: Remittance, *, paid_date: date) -> Remittance:
    """The reversal (CLP02 = 22) of an earlier remittance: every amount negated, so a
    replacement or void takes back what was paid and the patient's share with it."""
    return Remittance(
        patient_control_number=remittance.patient_control_number,
        payer_claim_control_number=remittance.payer_claim_control_number,
        status="reversed",
        billed=_negate(remittance.billed),
        paid=_negate(remittance.paid),
        patient_responsibility=_negate(remittance.patient_responsibility),
        lines=tuple(
            LineRemittance(
                line_number=line.line_number,
                procedure_code=line.procedure_code,
                billed=_negate(line.billed),
                allowed=_negate(line.allowed),
                paid=_negate(line.paid),
                adjustments=tuple(_negate_adjustment(a) for a in line.adjustments),
                rarc=line.rarc,
            )
            for line in remittance.lines
        ),
        claim_adjustments=tuple(_negate_adjustment(a) for a in remittance.claim_adjustments),
        remittance_id=f"{remittance.payer_claim_control_number}-R",
        paid_date=paid_date,
        payer_sequence=remittance.payer_sequence,
    )


def give_back(accumulator: Accumulator, reversed_remittance: Remittance) -> Accumulator:
    """The accumulator as it would be without the remittance being reversed."""
    deductible, out_of_pocket = _patient_share(reversed_remittance)
    return Accumulator(
        accumulator.deductible_met - deductible, accumulator.out_of_pocket_met - out_of_pocket
    )


def _patient_share(remittance: Remittance) -> tuple[Decimal, Decimal]:
    """(deductible, out of pocket) the remittance leaves to the patient."""
    deductible = ZERO
    out_of_pocket = ZERO
    for line in remittance.lines:
        for adjustment in line.adjustments:
            if adjustment.group != "PR":
                continue
            out_of_pocket += adjustment.amount
            if adjustment.carc == CARC_DEDUCTIBLE:
                deductible += adjustment.amount
    return deductible, out_of_pocket


def is_e_m(procedure_code: str) -> bool:
    return procedure_code.isdigit() and int(procedure_code) in E_M_RANGE


def non_covered_remark(rules: PayerRules, procedure_code: str) -> str | None:
    """The RARC of the payer's exclusion covering the code, None when it is covered."""
    exact = rules.non_covered.get(procedure_code)
    if exact is not None:
        return exact
    for pattern, remark in rules.non_covered.items():
        if pattern.endswith("*") and procedure_code.startswith(pattern[:-1]):
            return remark
    return None


@dataclass(slots=True)
class _CostSharing:
    """The member's share of one claim, line by line, with the running plan-year totals."""

    plan: PlanInfo
    deductible_met: Decimal
    out_of_pocket_met: Decimal
    copay_taken: bool = False

    def share(
        self, procedure_code: str, allowed: Decimal, preventive: bool
    ) -> tuple[Decimal, Decimal, Decimal]:
        """(copay, deductible, coinsurance) of one line; past the out-of-pocket maximum
        the plan pays the rest in full."""
        if preventive:
            return ZERO, ZERO, ZERO
        room = max(ZERO, self.plan.out_of_pocket_max - self.out_of_pocket_met)
        copay = ZERO
        if not self.copay_taken and self.plan.copay > ZERO and is_e_m(procedure_code):
            self.copay_taken = True
            copay = min(self.plan.copay, allowed, room)
        remaining = allowed - copay
        room -= copay
        deductible_left = max(ZERO, self.plan.deductible - self.deductible_met)
        deductible = min(deductible_left, remaining, room)
        remaining -= deductible
        room -= deductible
        coinsurance = min(to_money(remaining * self.plan.coinsurance_percent / HUNDRED), room)
        self.deductible_met += deductible
        self.out_of_pocket_met += copay + deductible + coinsurance
        return copay, deductible, coinsurance


def _claim_level_denial(
    claim: ClaimForPayer,
    rules: PayerRules,
    plan: PlanInfo,
    member: Member,
    received_on: date,
    duplicate: bool,
    predetermination: bool,
) -> tuple[str, tuple[str, ...]] | None:
    if member.coverage_end is not None and claim.date_of_service > member.coverage_end:
        return CARC_COVERAGE_ENDED, ()
    # A supplement never pays first; a member whose other plan is primary is billed there first.
    if not claim.prior_payers and (plan.kind == "supplement" or member.other_coverage_primary):
        return CARC_OTHER_PAYER_PRIMARY, (RARC_OTHER_PAYER_PRIMARY,)
    if predetermination:
        return None
    if (received_on - claim.date_of_service).days > rules.timely_filing_days:
        return CARC_TIMELY_FILING, ()
    if duplicate:
        return CARC_DUPLICATE, (RARC_DUPLICATE,)
    remarks = _missing_information(claim)
    if remarks:
        return CARC_MISSING_INFORMATION, remarks
    return None


def _missing_information(claim: ClaimForPayer) -> tuple[str, ...]:
    """Remark codes for content the front end lets through but a claim cannot be paid on."""
    remarks: list[str] = []
    diagnosis_count = len(claim.diagnoses)
    bad_diagnosis = any(not ICD10CM_PATTERN.fullmatch(code) for code in claim.diagnoses)
    bad_pointer = any(
        not line.diagnosis_pointers
        or any(not 1 <= pointer <= diagnosis_count for pointer in line.diagnosis_pointers)
        for line in claim.lines
    )
    if bad_diagnosis or bad_pointer:
        remarks.append(RARC_DIAGNOSIS)
    if any(line.units < 1 for line in claim.lines):
        remarks.append(RARC_UNITS)
    if any(line.charge <= ZERO for line in claim.lines):
        remarks.append(RARC_CHARGE)
    return tuple(remarks)


def _line_denial(
    line: ClaimLineForPayer, lines: tuple[ClaimLineForPayer, ...], rules: PayerRules,
    *, reviewed: bool = False,
) -> tuple[str, tuple[str, ...]] | None:
    remark = non_covered_remark(rules, line.procedure_code)
    if remark is not None:
        return CARC_NOT_COVERED, (remark,)
    bundling = _bundling(line, lines, rules)
    if bundling is Bundling.BUNDLED:
        return CARC_BUNDLED, (RARC_BUNDLED,)
    if bundling is Bundling.BY_MODIFIER and rules.reviews_distinct_procedures and not reviewed:
        return CARC_BUNDLED, (RARC_BUNDLED, RARC_MEDICAL_RECORD)
    return None


class Bundling(StrEnum):
    """How NCCI treats a line beside the claim's other lines."""

    SEPARATE = "separate"  # no edit pairs it with another line
    BY_MODIFIER = "by_modifier"  # paired, payable only by its distinct-procedure modifier
    BUNDLED = "bundled"  # paired, and no modifier on it makes it payable


def _bundling(
    line: ClaimLineForPayer, lines: tuple[ClaimLineForPayer, ...], rules: PayerRules
) -> Bundling:
    """Column 2 of a covered column 1 code on another line is bundled, unless the edit allows
    a modifier (indicator 1) and the line carries one that bypasses it."""
    bypass = E_M_BYPASS_MODIFIERS if is_e_m(line.procedure_code) else PROCEDURE_BYPASS_MODIFIERS
    found = Bundling.SEPARATE
    for other in lines:
        if other.line_number == line.line_number:
            continue
        indicator = rules.bundling.get((other.procedure_code, line.procedure_code))
        if indicator is None or non_covered_remark(rules, other.procedure_code) is not None:
            continue
        if indicator == "1" and bypass.intersection(line.modifiers):
            if bypass is PROCEDURE_BYPASS_MODIFIERS:
                found = Bundling.BY_MODIFIER
            continue
        return Bundling.BUNDLED
    return found


@dataclass(frozen=True, slots=True)
class AppealReview:
    """What the payer decided on appeal: the lines it now pays, and why, in a sentence
    naming no patient."""

    overturned_lines: frozenset[int]
    explanation: str

    @property
    def outcome(self) -> Literal["overturned", "upheld"]:
        return "overturned" if self.overturned_lines else "upheld"


def review_appeal(claim: ClaimForPayer, remittance: Remittance, rules: PayerRules) -> AppealReview:
    """The payer's decision on an appeal of `remittance`, its standing adjudication of
    `claim`, from the claim and the payer's own rules (the same at either level).

    A line denied CO-97 that NCCI lets through by the distinct-procedure modifier it carries
    (59, XE, XP, XS, XU on a column 2 code of modifier indicator 1) is overturned: the
    payer's review of the medical record finds the distinct procedure documented. Every other
    denial is upheld, each with the reason: filing past the limit (CO-29), a bundling no
    modifier bypasses, a duplicate, coverage ended, an excluded service, another payer first,
    missing information (a corrected claim, not an appeal, fixes it)."""
    # A line is denied when the payer paid nothing and left the patient nothing: a line
    # whose allowed amount all went to the deductible was processed, not denied.
    denied = {line.line_number: line for line in remittance.lines
              if line.paid == ZERO and not any(a.group == "PR" for a in line.adjustments)}
    overturned: list[int] = []
    upheld: list[str] = []
    for item in claim.lines:
        line = denied.get(item.line_number)
        if line is None:
            continue
        carcs = {a.carc for a in line.adjustments if a.carc != CARC_COST_OVER_SCHEDULE}
        if carcs == {CARC_BUNDLED} and _bundling(item, claim.lines, rules) is Bundling.BY_MODIFIER:
            overturned.append(item.line_number)
        else:
            upheld.append(f"line {item.line_number} ({', '.join(sorted(carcs))}): "
                          f"{_UPHELD.get(min(carcs), _UPHELD_OTHERWISE)}")
    said = []
    if overturned:
        said.append("Overturned for line " + ", ".join(str(n) for n in overturned)
                    + ": the medical record documents a distinct procedure; the line is "
                    "repriced and paid.")
    if upheld:
        said.append("Upheld for " + "; ".join(upheld) + ".")
    if not said:
        said.append("Upheld: nothing on the claim was denied.")
    return AppealReview(frozenset(overturned), " ".join(said))


_UPHELD = {
    CARC_TIMELY_FILING: "the claim reached the payer after its timely filing limit",
    CARC_BUNDLED: "the service is part of another one billed that day and no modifier "
                  "makes it separately payable",
    CARC_DUPLICATE: "the claim duplicates one already processed",
    CARC_COVERAGE_ENDED: "the date of service is after the coverage ended",
    CARC_NOT_COVERED: "the plan does not cover the service",
    CARC_OTHER_PAYER_PRIMARY: "another payer pays first",
    CARC_MISSING_INFORMATION: "the claim lacks information; send a corrected claim",
}
_UPHELD_OTHERWISE = "the denial stands"


def _allowed(line: ClaimLineForPayer, rules: PayerRules) -> Decimal:
    rate = rules.fee_schedule.get(line.procedure_code)
    if rate is None:
        ceiling = line.charge * rules.unlisted_allowed_percent / HUNDRED
    else:
        ceiling = rate * line.units
    return to_money(min(line.charge, ceiling))


def _denied_line(line: ClaimLineForPayer, carc: str, remarks: tuple[str, ...]) -> LineRemittance:
    return LineRemittance(
        line_number=line.line_number,
        procedure_code=line.procedure_code,
        billed=line.charge,
        allowed=ZERO,
        paid=ZERO,
        adjustments=(Adjustment("CO", carc, line.charge),),
        rarc=remarks,
    )


def _remittance(
    claim: ClaimForPayer,
    status: RemittanceStatus,
    lines: tuple[LineRemittance, ...],
    remark_codes: tuple[str, ...],
    payer_claim_control_number: str,
    paid_date: date,
) -> Remittance:
    patient_share = sum(
        (a.amount for line in lines for a in line.adjustments if a.group == "PR"), ZERO
    )
    return Remittance(
        patient_control_number=claim.patient_control_number,
        payer_claim_control_number=payer_claim_control_number,
        status=status,
        billed=sum((line.billed for line in lines), ZERO),
        paid=sum((line.paid for line in lines), ZERO),
        patient_responsibility=patient_share,
        lines=lines,
        remark_codes=remark_codes,
        remittance_id=payer_claim_control_number,
        paid_date=paid_date,
        payer_sequence=claim.payer_sequence,
    )


def _negate(amount: Decimal) -> Decimal:
    # ZERO - x rather than -x: a reversed 0.00 stays "0.00", not "-0.00".
    return ZERO - amount


def _negate_adjustment(adjustment: Adjustment) -> Adjustment:
    return Adjustment(adjustment.group, adjustment.carc, _negate(adjustment.amount))
