"""A claim shows what its payer denied, by category, and the days left to file it; the
worklist counts every denial by category."""

from __future__ import annotations

import importlib.util
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import update
from tests.conftest import office_visit

from billing_service.models.claim import Claim

MIGRATION = (Path(__file__).parents[2] / "migrations" / "versions"
             / "0018_claim_denials.py")


async def work_item(billing: Any, claim_id: str) -> dict[str, Any]:
    path, cursor = "/v1/worklist?limit=200", None
    while True:
        page = await billing.get(path + (f"&cursor={cursor}" if cursor else ""))
        found = next((i for i in page["items"] if i["claim_id"] == claim_id), None)
        if found is not None or page["next_cursor"] is None:
            assert found is not None
            return found
        cursor = page["next_cursor"]


def counts(worklist: dict[str, Any]) -> dict[str, tuple[int, int]]:
    return {c["category"]: (c["claims"], c["denials"]) for c in worklist["denials"]}


async def test_a_bundled_line_shows_as_a_bundling_denial_and_is_counted(billing) -> None:
    before = counts(await billing.get("/v1/worklist"))
    claim = await billing.covered_claim(lines=[office_visit("20610", "120.00"),
                                               office_visit("99213", "150.00")])
    assert claim["denials"] == []
    done = await billing.submitted_and_processed(claim["id"])
    assert done["status"] == "partially_paid"
    assert done["denials"] == [{
        "line": 2, "procedure_code": "99213", "group_code": "CO", "carc": "97",
        "rarcs": ["M15"], "amount": "150.00", "category": "bundling",
        "description": "CO-97: Included in the payment for another service billed on the "
                       "same day"}]
    assert done["timely_filing_days_left"] is None
    after = counts(await billing.get("/v1/worklist"))
    assert list(after) == ["eligibility", "authorization", "coding", "medical_necessity",
                           "timely_filing", "duplicate", "bundling", "other"]
    assert after["bundling"] == (before["bundling"][0] + 1, before["bundling"][1] + 1)
    assert after["timely_filing"] == before["timely_filing"]


async def test_a_claim_filed_too_late_counts_down_then_is_denied_for_timely_filing(
        billing) -> None:
    # MOCK-PPO takes claims within 180 days of the date of service.
    payers = await billing.get("/v1/payers")
    ppo = next(p for p in payers["items"] if p["payer_id"] == "MOCK-PPO")
    assert ppo["plans"][0]["timely_filing_days"] == 180
    before = counts(await billing.get("/v1/worklist"))
    late = await billing.covered_claim(date_of_service=date.today() - timedelta(days=200),
                                       lines=[office_visit("99213", "150.00")])
    in_time = await billing.covered_claim(date_of_service=date.today() - timedelta(days=10))
    assert late["timely_filing_days_left"] == -20
    assert in_time["timely_filing_days_left"] == 170
    denied = await billing.submitted_and_processed(late["id"])
    assert denied["status"] == "denied"
    assert [(d["line"], d["carc"], d["category"], d["amount"]) for d in denied["denials"]] == [
        (1, "29", "timely_filing", "150.00")]
    assert denied["timely_filing_days_left"] is None
    item = await work_item(billing, late["id"])
    assert item["denial_categories"] == ["timely_filing"]
    assert item["timely_filing_days_left"] is None
    after = counts(await billing.get("/v1/worklist"))
    assert after["timely_filing"] == (before["timely_filing"][0] + 1,
                                      before["timely_filing"][1] + 1)


async def test_a_rejected_claim_on_the_worklist_shows_its_days_left(billing) -> None:
    encounter = billing.coding.add(date_of_service=date.today() - timedelta(days=30))
    await billing.coverage(encounter["patient"]["id"], member_id="W000000000")
    claim = await billing.claim_for(encounter)
    rejected = await billing.submitted_and_processed(claim["id"])
    assert (rejected["status"], rejected["timely_filing_days_left"]) == ("rejected", 150)
    item = await work_item(billing, claim["id"])
    assert (item["kind"], item["timely_filing_days_left"], item["denial_categories"]) == (
        "rejected", 150, [])


async def test_the_upgrade_gives_claims_already_denied_their_denials(app, billing) -> None:
    partly = await billing.covered_claim(lines=[office_visit("20610", "120.00"),
                                                office_visit("99213", "150.00")])
    late = await billing.covered_claim(date_of_service=date.today() - timedelta(days=300))
    expected = {}
    for claim in (partly, late):
        expected[claim["id"]] = (await billing.submitted_and_processed(claim["id"]))["denials"]
    assert all(expected.values())
    # As a database of the revision before 0018 holds them: nothing kept with the claim.
    async with app.state.sessionmaker() as session, session.begin():
        await session.execute(update(Claim).where(Claim.id.in_(list(expected)))
                              .values(denials=[]))
    spec = importlib.util.spec_from_file_location("claim_denials", MIGRATION)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    async with app.state.engine.begin() as connection:
        await connection.run_sync(migration.backfill_denials)
    for claim_id, denials in expected.items():
        assert (await billing.get(f"/v1/claims/{claim_id}"))["denials"] == denials


async def test_a_next_payers_claim_learns_its_plans_limit_when_submitted(app, billing) -> None:
    encounter = billing.coding.add(date_of_service=date.today() - timedelta(days=12),
                                   lines=[office_visit("99213", "150.00")])
    patient = encounter["patient"]["id"]
    await billing.coverage(patient, payer_id="MOCK-PPO")
    await billing.coverage(patient, payer_id="MOCK-HMO", priority="secondary")
    primary = await billing.claim_for(encounter)
    assert primary["timely_filing_days_left"] == 168  # the PPO's 180 days
    await billing.submitted_and_processed(primary["id"])
    listed = (await billing.get(
        f"/v1/claims?encounter_id={encounter['encounter_id']}"))["items"]
    secondary = next(c for c in listed if c["payer_sequence"] == "secondary")
    # Built from the PPO's remittance, before billing asked the HMO's plan for its limit.
    assert (secondary["status"], secondary["timely_filing_days_left"]) == ("ready", None)
    submitted = await billing.act(secondary["id"], "submit")
    assert submitted["timely_filing_days_left"] == 78  # the HMO's 90 days
    await billing.process()
