"""POST /v1/validate and /v1/validate/batch name the ICD-10-CM edition they checked against."""

from __future__ import annotations

import httpx
import pytest
from coding_factories import clean_codes, encounter_body

pytestmark = pytest.mark.asyncio


@pytest.mark.parametrize(
    ("date_of_service", "edition", "warned"),
    [
        ("2025-06-02", "2025-04", False),
        ("2026-05-04", "2026-04", False),
        ("2026-11-04", "2026-04", True),  # after April 2026's last day, 2026-09-30
        ("2025-12-01", "2025-04", True),  # in the FY2026 October edition, not loaded
    ],
)
async def test_the_answer_names_the_edition_of_the_date(client: httpx.AsyncClient,
                                                        date_of_service, edition, warned):
    body = encounter_body(date_of_service=date_of_service) | clean_codes()
    response = await client.post("/v1/validate", json=body)
    assert response.status_code == 200
    result = response.json()
    assert (result["icd10cm_edition"], result["valid"]) == (edition, True)
    rules = [issue["rule"] for issue in result["issues"]]
    assert rules == (["icd10cm.edition_not_loaded"] if warned else [])

    item = body | {"id": "one"}
    item.pop("external_id")
    batch = await client.post("/v1/validate/batch", json={"items": [item]})
    assert batch.json()["items"][0]["icd10cm_edition"] == edition


async def test_a_code_of_the_other_edition_is_not_valid_on_the_date(client: httpx.AsyncClient):
    codes = clean_codes()
    codes["diagnoses"] = [{"code": "S30.1XXA"}, {"code": "I10"}]  # deleted by FY2026
    older = await client.post("/v1/validate",
                              json=encounter_body(date_of_service="2025-06-02") | codes)
    assert older.json()["valid"] is True
    newer = (await client.post("/v1/validate", json=encounter_body() | codes)).json()
    assert (newer["valid"], newer["icd10cm_edition"]) == (False, "2026-04")
    assert [i["rule"] for i in newer["issues"]] == ["icd10cm.not_valid_on_date"]
