"""The documented examples of POST /v1/claims/{claim_id}/status-inquiries
(rcm_shared.openapi.Example), sent after the claim examples by tests/contract/test_examples.py,
which checks each answer's status."""

from __future__ import annotations

from billing_service.claims.examples import CLAIM, SECOND_CLAIM
from rcm_shared.openapi import Example

# The levels the 276 asks about and the 277 answers on: the payer, the information receiver
# (this service), the provider and the subscriber.
_LEVELS = ("HL*1**20*1~\n"
           "NM1*PR*2*Mock Commercial PPO*****PI*MOCK-PPO~\n"
           "HL*2*1*21*1~\n"
           "NM1*41*2*RCM BILLING SERVICE*****46*RCMBILLING~\n"
           "HL*3*2*19*1~\n"
           "NM1*1P*2*DEMO CLINIC*****XX*1234567893~\n"
           "HL*4*3*22*0~\n")

INQUIRE_CLAIM_STATUS = (
    Example("not_there_yet", "Where the submitted claim is: still queued, so the payer answers "
            "it has no such claim (A4)", 201, None,
            {"id": "b4e1bc9e-0c36-45fc-bc3a-8cb48550b1a9",
             "claim_id": "b6dc6ece-fa32-4108-8eb2-aafdf81eda94", "sent_by": "key:90db94607739",
             "checked_at": "2026-12-05T16:38:41.355581Z",
             "status": {"category": "A4", "category_description": "not found at the payer",
                        "status_code": "35", "status_description": "claim not found",
                        "status_date": "2026-12-05", "payer_claim_control_number": None,
                        "paid": None, "adjudicated_on": None},
             "inquiry": ("ISA*00*          *00*          *ZZ*RCMBILLING     *ZZ*"
                         "MOCKPAYER      *261205*1638*^*00501*000000002*0*T*:~\n"
                         "GS*HR*RCMBILLING*MOCKPAYER*20261205*1638*2*X*005010X212~\n"
                         "ST*276*0001*005010X212~\n"
                         "BHT*0010*13*B4E1BC9E0C3645FCBC3A8CB48550B1A9*20261205*1638~\n"
                         + _LEVELS +
                         "DMG*D8*19800214*F~\n"
                         "NM1*IL*1*Lovelace*Ada****MI*W123456789~\n"
                         "TRN*1*B4E1BC9E0C3645FCBC3A8CB48550B1A9~\n"
                         "REF*EJ*8AC5F426B10B4C61B372~\n"
                         "AMT*T3*180~\n"
                         "DTP*472*D8*20260504~\n"
                         "SE*16*0001~\n"
                         "GE*1*2~\n"
                         "IEA*1*000000002~\n"),
             "answer": ("ISA*00*          *00*          *ZZ*MOCKPAYER      *ZZ*"
                        "RCMBILLING     *261205*1638*^*00501*000000002*0*T*:~\n"
                        "GS*HN*MOCKPAYER*RCMBILLING*20261205*1638*2*X*005010X212~\n"
                        "ST*277*0001*005010X212~\n"
                        "BHT*0010*08*B4E1BC9E0C3645FCBC3A8CB48550B1A9*20261205*1638*DG~\n"
                        + _LEVELS +
                        "NM1*IL*1*Lovelace*Ada****MI*W123456789~\n"
                        "TRN*2*B4E1BC9E0C3645FCBC3A8CB48550B1A9~\n"
                        "STC*A4:35*20261205**180~\n"
                        "REF*EJ*8AC5F426B10B4C61B372~\n"
                        "DTP*472*D8*20260504~\n"
                        "SE*15*0001~\n"
                        "GE*1*2~\n"
                        "IEA*1*000000002~\n")}, parameters={"claim_id": CLAIM}),
    Example("never_sent", "A canceled claim the payer never had", 409, None,
            {"type": "https://rcm.dev/problems/conflict", "title": "Conflict", "status": 409,
             "detail": "The claim is 'canceled': it was never sent to the payer, which has "
                       "nothing to say about it.",
             "instance": "/v1/claims/b6a74fe7-a2be-45c9-9b3b-04eb646b2204/status-inquiries",
             "claim_status": "canceled"},
            parameters={"claim_id": SECOND_CLAIM}),
)
