"""The documented examples of the payer directory (rcm_shared.openapi.Example), sent by
tests/contract/test_examples.py, which checks each answer's status."""

from __future__ import annotations

from rcm_shared.openapi import Example

# The payer the claim examples bill.
_PPO = {"payer_id": "MOCK-PPO", "name": "Mock Commercial PPO", "active": True,
        "plans": [{"code": "PPO-GOLD", "name": "Mock PPO Gold", "kind": "ppo",
                   "claim_filing_indicator": "12", "deductible": "500.00", "copay": "0.00",
                   "coinsurance_percent": "20", "out_of_pocket_max": "3000.00",
                   "accepts_frequency_codes": ["1", "7", "8"], "timely_filing_days": 180}]}

LIST_PAYERS = (
    Example("payers", "The payers claims can go to, with their plans", 200, None,
            {"items": [{"payer_id": "MOCK-HMO", "name": "Mock Health HMO", "active": True,
                        "plans": [{"code": "HMO-SELECT", "name": "Mock HMO Select", "kind": "hmo",
                                   "claim_filing_indicator": "HM", "deductible": "0.00",
                                   "copay": "25.00", "coinsurance_percent": "10",
                                   "out_of_pocket_max": "2000.00",
                                   "accepts_frequency_codes": ["1", "7", "8"],
                                   "timely_filing_days": 90}]},
                       {"payer_id": "MOCK-MCR", "name": "Mock Medicare Part B", "active": True,
                        "plans": [{"code": "MCR-B", "name": "Mock Medicare Part B",
                                   "kind": "medicare", "claim_filing_indicator": "MB",
                                   "deductible": "257.00", "copay": "0.00",
                                   "coinsurance_percent": "20", "out_of_pocket_max": "999999.99",
                                   "accepts_frequency_codes": ["1"], "timely_filing_days": 365}]},
                       {"payer_id": "MOCK-OLD", "name": "Mock Legacy Health (closed)",
                        "active": False,
                        "plans": [{"code": "OLD-BASIC", "name": "Mock Legacy Basic", "kind": "ppo",
                                   "claim_filing_indicator": "12", "deductible": "1000.00",
                                   "copay": "0.00", "coinsurance_percent": "30",
                                   "out_of_pocket_max": "5000.00",
                                   "accepts_frequency_codes": ["1", "7", "8"],
                                   "timely_filing_days": 90}]},
                       _PPO,
                       {"payer_id": "MOCK-SUPP", "name": "Mock Medicare Supplement", "active": True,
                        "plans": [{"code": "SUPP-F", "name": "Mock Medicare Supplement Plan F",
                                   "kind": "supplement", "claim_filing_indicator": "CI",
                                   "deductible": "0.00", "copay": "0.00",
                                   "coinsurance_percent": "0", "out_of_pocket_max": "0.00",
                                   "accepts_frequency_codes": ["1", "7", "8"],
                                   "timely_filing_days": 365}]}]}),
)

GET_PAYER = (
    Example("read", "One payer and its plans", 200, None, _PPO,
            parameters={"payer_id": "MOCK-PPO"}),
    Example("unknown", "A payer this service does not bill", 404, None,
            {"type": "https://rcm.dev/problems/not-found", "title": "Not Found", "status": 404,
             "detail": "No payer with that id.", "instance": "/v1/payers/ACME-HEALTH"},
            parameters={"payer_id": "ACME-HEALTH"}),
)
