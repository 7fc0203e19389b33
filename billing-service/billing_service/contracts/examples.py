"""The documented examples of a payer contract (rcm_shared.openapi.Example), sent in this order
by tests/contract/test_examples.py, which checks each answer's status: loaded, read,
removed."""

from __future__ import annotations

from rcm_shared.openapi import Example

_RATES = {"rates": [
    {"procedure_code": "99213", "modifier": None, "allowed": "130.00"},
    {"procedure_code": "99214", "modifier": None, "allowed": "185.00"},
    {"procedure_code": "99214", "modifier": "25", "allowed": "175.00"},
]}
_LOADED = {"payer_id": "MOCK-PPO", "loaded_at": "2026-12-05T16:44:55.317863Z", **_RATES}

PUT_CONTRACT = (
    Example("loaded", "Office visits' allowed amounts with the PPO, one with modifier 25", 200,
            _RATES, _LOADED, parameters={"payer_id": "MOCK-PPO"}),
    Example("unknown_payer", "A payer GET /v1/payers does not list", 404, _RATES,
            {"type": "https://rcm.dev/problems/not-found", "title": "Not Found", "status": 404,
             "detail": "No payer with that id.", "instance": "/v1/payers/ACME-HEALTH/contract"},
            parameters={"payer_id": "ACME-HEALTH"}),
)

GET_CONTRACT = (
    Example("read", "The contract as loaded", 200, None, _LOADED,
            parameters={"payer_id": "MOCK-PPO"}),
)

DELETE_CONTRACT = (
    Example("removed", "The contract removed", 204, parameters={"payer_id": "MOCK-PPO"}),
    Example("none_loaded", "Removed again: no contract is loaded", 404, None,
            {"type": "https://rcm.dev/problems/not-found", "title": "Not Found", "status": 404,
             "detail": "No contract with MOCK-PPO with that id.",
             "instance": "/v1/payers/MOCK-PPO/contract"},
            parameters={"payer_id": "MOCK-PPO"}),
)
