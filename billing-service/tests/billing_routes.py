"""billing-service's route facts for the tests that walk every endpoint
(rcm_shared.testing.routes lists the endpoints)."""

from __future__ import annotations

import re

# Authenticated by coding-service's signature, not by an API key.
SIGNED_ROUTES = {"/v1/webhooks/coding"}
# POSTs that create or change nothing: what they need is the right to read (or operate).
STATELESS_POSTS = {"/v1/claims/x12-batch", "/v1/admin/process", "/v1/webhooks/coding",
                   "/v1/estimates"}
UNKNOWN_ID = "00000000-0000-0000-0000-000000000000"


def path_params(path: str) -> set[str]:
    return set(re.findall(r"\{(\w+)\}", path))


def filled(path: str, values: dict[str, str]) -> str:
    """The route's path with its parameters replaced; every parameter must have a value."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in values, f"{path}: add a value for the path parameter '{name}'"
        return values[name]

    return re.sub(r"\{(\w+)\}", value, path)
