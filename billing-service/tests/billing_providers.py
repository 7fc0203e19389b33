"""The providers billing's tests register, as a clinic would before its first claim."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

# Valid NPIs (Luhn over the 80840 prefix).
BILLING_NPI = "1234567893"
RENDERING_NPI = "1245319599"
CLINIC_ADDRESS = {"line1": "100 Main Street", "line2": "Suite 200", "city": "Springfield",
                  "state": "IL", "postal_code": "62701-0001"}
# What every test tenant registers (POST /v1/providers) before billing.
BILLING_PROVIDER = {"npi": BILLING_NPI, "kind": "organization",
                    "organization_name": "Springfield Family Clinic", "taxonomy": "261QP2300X",
                    "tax_id": "990000001", "address": CLINIC_ADDRESS}
RENDERING_PROVIDER = {"npi": RENDERING_NPI, "kind": "person", "first_name": "Rosa",
                      "last_name": "Diaz", "taxonomy": "207Q00000X", "tax_id": None,
                      "address": CLINIC_ADDRESS}


async def register_providers(http: httpx.AsyncClient, headers: Mapping[str, str],
                             *providers: dict[str, Any]) -> None:
    """Registers each provider the tenant does not have yet."""
    for provider in providers:
        response = await http.post("/v1/providers", json=provider, headers=headers)
        assert response.status_code in (201, 409), response.text
