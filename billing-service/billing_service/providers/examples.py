"""The documented examples of POST /v1/providers (rcm_shared.openapi.Example), sent in this
order by tests/contract/test_examples.py, which checks each answer's status."""

from __future__ import annotations

from typing import Any

from rcm_shared.openapi import Example

PROVIDER: dict[str, Any] = {
    "npi": "1679576722", "kind": "person", "first_name": "Rosa", "last_name": "Diaz",
    "taxonomy": "207Q00000X", "tax_id": None,
    "address": {"line1": "100 Main Street", "line2": None, "city": "Springfield", "state": "IL",
                "postal_code": "627010001"},
}

CREATE_PROVIDER = (
    Example("registered", "A physician who renders services", 201, PROVIDER, {
        **PROVIDER, "organization_name": None, "version": 1,
        "created_at": "2026-12-05T13:24:57.532140Z", "updated_at": "2026-12-05T13:24:57.532145Z"}),
    Example("already_registered", "The same NPI again", 409, PROVIDER, {
        "type": "https://rcm.dev/problems/conflict", "title": "Conflict", "status": 409,
        "detail": "NPI 1679576722 is already registered; change it with PATCH "
                  "/v1/providers/1679576722.",
        "instance": "/v1/providers", "npi": "1679576722"}),
    Example("bad_check_digit", "An NPI whose last digit is not its check digit", 422,
            {**PROVIDER, "npi": "1234567890"}, {
                "type": "https://rcm.dev/problems/validation", "title": "Invalid provider",
                "status": 422,
                "detail": "The provider cannot be billed as it is; the issues name each problem.",
                "instance": "/v1/providers",
                "issues": [{"rule": "npi.check_digit", "severity": "error", "path": "$.npi",
                            "message": "'1234567890' is not a valid NPI: its last digit is not "
                                       "the Luhn check digit of the first nine."}]}),
)

# The physician CREATE_PROVIDER registered, as the examples after it read it.
_READ: dict[str, Any] = {
    "npi": "1679576722", "kind": "person", "first_name": "Rosa", "last_name": "Diaz",
    "organization_name": None, "taxonomy": "207Q00000X", "tax_id": None,
    "address": PROVIDER["address"], "version": 1,
    "created_at": "2026-12-05T16:38:41.098132Z", "updated_at": "2026-12-05T16:38:41.098135Z",
}

LIST_PROVIDERS = (
    Example("people", "The providers who are people, by NPI", 200, None,
            # First, the demo rendering provider the service registers in development.
            {"items": [{**_READ, "npi": "1245319599", "first_name": "ROSA", "last_name": "DIAZ",
                        "address": {"line1": "100 MAIN STREET", "line2": None,
                                    "city": "SPRINGFIELD", "state": "IL",
                                    "postal_code": "627010001"},
                        "created_at": "2026-12-05T16:38:40.654179Z",
                        "updated_at": "2026-12-05T16:38:40.654181Z"},
                       _READ],
             "next_cursor": None},
            parameters={"kind": "person"}),
)

GET_PROVIDER = (
    Example("read", "The physician as registered", 200, None, _READ,
            parameters={"npi": "1679576722"}),
    Example("unknown", "An NPI the tenant has not registered", 404, None,
            {"type": "https://rcm.dev/problems/not-found", "title": "Not Found", "status": 404,
             "detail": "No provider with that id.", "instance": "/v1/providers/1881234567"},
            parameters={"npi": "1881234567"}),
)

UPDATE_PROVIDER = (
    Example("new_taxonomy", "The physician's specialty changed, at the version read", 200,
            {"taxonomy": "207R00000X"},
            {**_READ, "taxonomy": "207R00000X", "version": 2,
             "updated_at": "2026-12-05T16:38:41.130329Z"},
            parameters={"npi": "1679576722", "If-Match": "1"}),
)
