"""835 files written by hand, as a payer or its clearinghouse sends them: one payment (BPR,
TRN), the payer named in its loop (REF*2U, the payer id billing knows), then the claim
payments, each a claim of one service line."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal


def envelope(control: int, *body: str) -> str:
    """An interchange holding one 835 transaction set of `body`."""
    segments = [
        f"ISA*00*          *00*          *ZZ*ACMECLEAR      *ZZ*RCMBILLING     *261127*1015*^*"
        f"00501*{control:09d}*0*P*:",
        f"GS*HP*ACMECLEAR*RCMBILLING*20261127*1015*{control}*X*005010X221A1",
        "ST*835*0001",
        *body,
    ]
    segments.append(f"SE*{len(segments) - 1}*0001")
    segments += [f"GE*1*{control}", f"IEA*1*{control:09d}"]
    return "~\n".join(segments) + "~\n"


def payment(total: str, trace: str, payer_id: str | None, *claims: Sequence[str],
            provider_adjustment: str | None = None) -> list[str]:
    """BPR to PLB: `total` paid under check `trace` by `payer_id` (no REF*2U when None);
    `provider_adjustment` is a forward balance (PLB FB) carried to make the total."""
    handling, method = ("I", "CHK") if total not in ("0", "0.00") else ("H", "NON")
    segments = [
        f"BPR*{handling}*{total}*C*{method}************20261127",
        f"TRN*1*{trace}*1123456789",
        "DTM*405*20261127",
        "N1*PR*ACME HEALTH PLAN", "N3*PO BOX 500", "N4*HARTFORD*CT*06101",
        *([f"REF*2U*{payer_id}"] if payer_id else []),
        "PER*BL*EDI SUPPORT*TE*8005550100",
        "N1*PE*DEMO CLINIC*XX*1234567893",
        "LX*1",
    ]
    for claim in claims:
        segments += claim
    if provider_adjustment is not None:
        segments.append(f"PLB*1234567893*20261231*FB:{trace}*{provider_adjustment}")
    return segments


def one_line_claim(
    patient_control_number: str,
    payer_claim_number: str,
    *,
    billed: str,
    paid: str,
    adjustments: Sequence[tuple[str, str, str]],
    status: str = "1",
    allowed: str | None = None,
    lines_of: str | None = None,
) -> list[str]:
    """A CLP loop paying line 1, a 99213, of the claim (REF*6R "<pcn>-1"), or of the claim
    `lines_of` names; the patient's share (CLP05) is the sum of the PR adjustments."""
    patient = sum((Decimal(amount) for group, _, amount in adjustments if group == "PR"),
                  Decimal("0.00"))
    units = "-1" if status == "22" else "1"
    return [
        f"CLP*{patient_control_number}*{status}*{billed}*{paid}*{patient}*12*"
        f"{payer_claim_number}*11*1",
        "NM1*QC*1*SILVA*ANA",
        f"SVC*HC:99213*{billed}*{paid}**{units}",
        *(f"CAS*{group}*{carc}*{amount}" for group, carc, amount in adjustments),
        f"REF*6R*{lines_of or patient_control_number}-1",
        *([f"AMT*B6*{allowed}"] if allowed is not None else []),
    ]
