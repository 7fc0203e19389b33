"""The documented examples of the eligibility checks (rcm_shared.openapi.Example), sent after
the coverage examples by tests/contract/test_examples.py, which checks each answer's status:
the coverage of createCoverage's example asked about with the in-process mock payer."""

from __future__ import annotations

from billing_service.coverages.examples import COVERAGE_ID
from rcm_shared.openapi import Example

_CHECK = "2184d4be-c0db-449f-9d2d-40e17622604a"  # the check CHECK_ELIGIBILITY's answer shows
_UNKNOWN = "3f1c2a9e-0000-4000-8000-000000000000"

_ASKED = {"coverage_id": COVERAGE_ID, "date_of_service": "2026-05-04",
          "service_type_codes": ["30"]}
# The mock payer's answer: the PPO Gold plan's benefits, nothing of them used yet.
_ANSWERED = {
    "id": _CHECK, **_ASKED, "status": "active",
    "plan": {"code": "PPO-GOLD", "name": "Mock PPO Gold"}, "errors": [],
    "benefits": {"deductible": {"amount": "500.00", "remaining": "500.00"},
                 "out_of_pocket": {"amount": "3000.00", "remaining": "3000.00"},
                 "copay": "0.00", "coinsurance_percent": "20.00"},
    "checked_at": "2026-12-05T16:38:41.167337Z",
}

CHECK_ELIGIBILITY = (
    Example("active", "An office visit's eligibility (service type 30)", 201, _ASKED, _ANSWERED),
)

GET_ELIGIBILITY_CHECK = (
    Example("read", "The check as answered", 200, None, _ANSWERED,
            parameters={"check_id": _CHECK}),
    Example("unknown", "An id the tenant has no check with", 404, None,
            {"type": "https://rcm.dev/problems/not-found", "title": "Not Found", "status": 404,
             "detail": "No eligibility check with that id.",
             "instance": f"/v1/eligibility-checks/{_UNKNOWN}"},
            parameters={"check_id": _UNKNOWN}),
)

# The levels the 270 asks about and the 271 answers on: the payer, the provider and the
# subscriber.
_LEVELS = ("HL*1**20*1~\n"
           "NM1*PR*2*Mock Commercial PPO*****PI*MOCK-PPO~\n"
           "HL*2*1*21*1~\n"
           "NM1*1P*2*DEMO CLINIC*****XX*1234567893~\n"
           "HL*3*2*22*0~\n")

GET_ELIGIBILITY_FILES = (
    Example("files", "The 270 sent and the 271 answered", 200, None,
            {"inquiry": ("ISA*00*          *00*          *ZZ*RCMBILLING     *ZZ*"
                         "MOCKPAYER      *261205*1638*^*00501*000000001*0*T*:~\n"
                         "GS*HS*RCMBILLING*MOCKPAYER*20261205*1638*1*X*005010X279A1~\n"
                         "ST*270*0001*005010X279A1~\n"
                         "BHT*0022*13*77B1542BA46D47D88BAAD91FCABBC67F*20261205*1638~\n"
                         + _LEVELS +
                         "TRN*1*77B1542BA46D47D88BAAD91FCABBC67F*1990000001~\n"
                         "NM1*IL*1*Lovelace*Ada****MI*W123456789~\n"
                         "REF*6P*G-200~\n"
                         "DMG*D8*19800214*F~\n"
                         "DTP*291*D8*20260504~\n"
                         "EQ*30~\n"
                         "SE*14*0001~\n"
                         "GE*1*1~\n"
                         "IEA*1*000000001~\n"),
             "answer": ("ISA*00*          *00*          *ZZ*MOCKPAYER      *ZZ*"
                        "RCMBILLING     *261205*1638*^*00501*000000001*0*T*:~\n"
                        "GS*HB*MOCKPAYER*RCMBILLING*20261205*1638*1*X*005010X279A1~\n"
                        "ST*271*0001*005010X279A1~\n"
                        "BHT*0022*11*77B1542BA46D47D88BAAD91FCABBC67F*20261205*1638~\n"
                        + _LEVELS +
                        "TRN*2*77B1542BA46D47D88BAAD91FCABBC67F*1990000001~\n"
                        "NM1*IL*1*Lovelace*Ada****MI*W123456789~\n"
                        "REF*18*PPO-GOLD~\n"
                        "DMG*D8*19800214*F~\n"
                        "DTP*346*D8*20260101~\n"
                        "EB*1*IND*30*PR*Mock PPO Gold~\n"
                        "EB*C*IND*30***23*500~\n"
                        "EB*C*IND*30***29*500~\n"
                        "EB*G*IND*30***23*3000~\n"
                        "EB*G*IND*30***29*3000~\n"
                        "EB*B*IND*30***27*0~\n"
                        "EB*A*IND*30*****0.2~\n"
                        "SE*20*0001~\n"
                        "GE*1*1~\n"
                        "IEA*1*000000001~\n")},
            parameters={"check_id": _CHECK}),
)
