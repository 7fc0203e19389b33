"""The README's walk-through driven by the clients an integrator generates from the OpenAPI
documents (`make clients`): the TypeScript client (openapi-typescript types, openapi-fetch,
compiled by tsc --strict) run by Node, and the Python client (openapi-python-client), each
against both services running as real processes. Both stories print what they end with; the
assertions here hold for each alike."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

import httpx
import pytest

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[3]
BUILD = REPO / "docs" / "api" / "build"
FEE_SCHEDULE = REPO / "billing-service" / "mockpayer" / "data" / "fee_schedule.csv"
STORY_TIMEOUT_SECONDS = 120


class RunningServices(Protocol):
    """What the harness in conftest.py yields."""

    coding_url: str
    billing_url: str

STORIES = {
    "typescript": (["node", str(BUILD / "js" / "clients" / "story.js")], {}),
    "python": ([sys.executable, str(REPO / "docs" / "api" / "clients" / "story.py")],
               {"PYTHONPATH": str(BUILD / "python")}),
}
# A member of its own per client, so each starts the plan year with the whole deductible.
MEMBERS = {"typescript": "W700000001", "python": "W700000002"}


def built_clients() -> None:
    """The clients `make clients` built; CI builds them before the tests, elsewhere a run
    without them skips (they need Node)."""
    missing = [path for path in (BUILD / "js" / "clients" / "story.js",
                                 BUILD / "python" / "coding_client",
                                 BUILD / "python" / "billing_client") if not path.exists()]
    if missing:
        reason = f"the generated clients are missing ({missing[0]}): run make clients"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


def allowed(payer_id: str, *codes: str) -> Decimal:
    rows = csv.DictReader(line for line in FEE_SCHEDULE.read_text().splitlines()
                          if line.strip() and not line.startswith("#"))
    fees = {(row["payer_id"], row["procedure_code"]): Decimal(row["allowed"]) for row in rows}
    return sum((fees[(payer_id, code)] for code in codes), Decimal("0.00"))


def run_story(client: str, services: RunningServices) -> dict[str, Any]:
    command, extra_env = STORIES[client]
    completed = subprocess.run(command, cwd=REPO, capture_output=True, text=True,
                               timeout=STORY_TIMEOUT_SECONDS, env={
                                   **os.environ, **extra_env,
                                   "CODING_URL": services.coding_url,
                                   "BILLING_URL": services.billing_url,
                                   "API_KEY": "demo-key-clinic-a",
                                   "PATIENT_ID": f"MRN-{client}",
                                   "MEMBER_ID": MEMBERS[client],
                                   "DATE_OF_SERVICE": (date.today()
                                                       - timedelta(days=3)).isoformat()})
    assert completed.returncode == 0, completed.stderr
    summary: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return summary


@pytest.mark.parametrize("client", sorted(STORIES))
def test_generated_client_walks_the_readme_story(
    client: str, own_services: RunningServices
) -> None:
    built_clients()
    # Generated from the documents the services serve, not from older ones.
    for name, url in (("coding", own_services.coding_url),
                      ("billing", own_services.billing_url)):
        served = httpx.get(f"{url}/openapi.json", timeout=10).json()
        assert json.loads((BUILD / f"{name}.json").read_text()) == served, (
            f"the {name} client was generated from another document: run make clients")

    story = run_story(client, own_services)

    assert story["first_search_code"].startswith("E11")
    assert (story["coded_version"], story["coded_errors"]) == (2, 0)
    assert (story["finalized_status"], story["finalized_coding_version"]) == ("finalized", 1)
    assert story["feed_finalized"] is True
    assert story["provider_tax_id"]
    assert "MOCK-PPO" in story["payer_ids"]
    assert (story["claim_status"], story["claim_total_charge"]) == ("ready", "420.00")
    assert (story["submitted_status"], story["pending_jobs"]) == ("submitted", 0)
    # The first visit of the plan year goes wholly to the $500.00 deductible (PPO-GOLD has no
    # copay): paid 0.00, the patient owes the fee schedule's allowed amount.
    owed = str(allowed("MOCK-PPO", "99214", "20610"))
    assert owed == "250.90"
    assert (story["adjudicated_status"], story["paid_amount"]) == ("paid", "0.00")
    totals = story["remittance_totals"]
    assert (totals["billed"], totals["allowed"], totals["paid"],
            totals["patient_responsibility"], totals["adjustments"],
            totals["balance"]) == ("420.00", owed, "0.00", owed, "420.00", "0.00")
    assert story["claim_actions"] == ["create", "submit", "acknowledge", "adjudicate"]
    assert story["you_owe"] == owed
    # A claim paid as the plan says leaves nothing for a biller.
    assert story["worklist_claim_ids"] == []
