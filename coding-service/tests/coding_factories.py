"""Request bodies for the encounter API, valid unless a test changes them."""

from __future__ import annotations

import uuid
from typing import Any

VALID_NPI = "1234567893"
CLINIC_A = {"Authorization": "Bearer demo-key-clinic-a"}
CLINIC_B = {"Authorization": "Bearer demo-key-clinic-b"}


def encounter_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "external_id": f"ehr-visit-{uuid.uuid4().hex[:12]}",
        "patient": {"id": f"MRN-{uuid.uuid4().hex[:8]}", "first_name": "Ada",
                    "last_name": "Lovelace", "birth_date": "1980-02-14", "sex": "F"},
        "date_of_service": "2026-05-04",
        "place_of_service": "11",
        "rendering_provider_npi": VALID_NPI,
        "billing_provider_npi": VALID_NPI,
    }
    body.update(overrides)
    return body


def clean_codes() -> dict[str, Any]:
    return {
        "diagnoses": [{"code": "E11.9"}, {"code": "I10"}],
        "service_lines": [
            {"procedure_code": "99214", "modifiers": ["25"], "units": 1, "charge": "180.00",
             "diagnosis_pointers": [1, 2]},
            {"procedure_code": "20610", "modifiers": ["RT"], "units": 1, "charge": "240.00",
             "diagnosis_pointers": [2]},
        ],
    }
