"""The documented examples of the 837P exports (rcm_shared.openapi.Example), sent after the
claim examples by tests/contract/test_examples.py, which checks each answer's status."""

from __future__ import annotations

from billing_service.claims.examples import CLAIM
from rcm_shared.openapi import Example

_UNKNOWN = "3f1c2a9e-0000-4000-8000-000000000000"

# The interchange the server wrote for the submitted claim on the day these examples were taken
# (its control numbers and dates are its own): the claim's 837P, and a batch of that claim alone.
_INTERCHANGE = ("ISA*00*          *00*          *ZZ*RCMBILLING     *ZZ*MOCKPAYER      *261205*"
                "1638*^*00501*000000003*0*T*:~\n"
                "GS*HC*RCMBILLING*MOCKPAYER*20261205*1638*3*X*005010X222A1~\n"
                "ST*837*0001*005010X222A1~\n"
                "BHT*0019*00*3*20261205*1638*CH~\n"
                "NM1*41*2*RCM BILLING SERVICE*****46*RCMBILLING~\n"
                "PER*IC*BILLING SUPPORT*TE*5555550100~\n"
                "NM1*40*2*MOCK PAYER CLEARINGHOUSE*****46*MOCKPAYER~\n"
                "HL*1**20*1~\n"
                "PRV*BI*PXC*261QP2300X~\n"
                "NM1*85*2*DEMO CLINIC*****XX*1234567893~\n"
                "N3*100 MAIN STREET~\n"
                "N4*SPRINGFIELD*IL*627010001~\n"
                "REF*EI*990000001~\n"
                "HL*2*1*22*0~\n"
                "SBR*P*18*G-200******12~\n"
                "NM1*IL*1*Lovelace*Ada****MI*W123456789~\n"
                "N3*12 St James Square~\n"
                "N4*Springfield*IL*62704~\n"
                "DMG*D8*19800214*F~\n"
                "NM1*PR*2*Mock Commercial PPO*****PI*MOCK-PPO~\n"
                "CLM*8AC5F426B10B4C61B372*180***11:B:1*Y*A*Y*Y~\n"
                "REF*D9*6b446a486e81477499626fedaeb37856~\n"
                "REF*EA*MRN-77~\n"
                "HI*ABK:E119*ABF:I10~\n"
                "LX*1~\n"
                "SV1*HC:99214:25*180*UN*1***1:2~\n"
                "DTP*472*D8*20260504~\n"
                "REF*6R*8AC5F426B10B4C61B372-1~\n"
                "SE*27*0001~\n"
                "GE*1*3~\n"
                "IEA*1*000000003~\n")

EXPORT_BATCH = (
    Example("one_claim", "The submitted claim as one interchange", 200, {"claim_ids": [CLAIM]},
            _INTERCHANGE),
    Example("unknown_claim", "A claim id the tenant does not have", 422,
            {"claim_ids": [CLAIM, _UNKNOWN]},
            {"type": "https://rcm.dev/problems/x12", "title": "Cannot write the 837P",
             "status": 422,
             "detail": "A payer would refuse what the claims hold now; the issues name each "
                       "problem.",
             "instance": "/v1/claims/x12-batch",
             "issues": [{"rule": "claim.unknown", "severity": "error", "path": "$.claim_ids[1]",
                         "message": "No claim with id "
                                    "'3f1c2a9e-0000-4000-8000-000000000000'."}]}),
)

EXPORT_CLAIM = (
    Example("claim", "The claim's 837P, as sent to the payer", 200, None, _INTERCHANGE,
            parameters={"claim_id": CLAIM}),
)
