"""Walking the claim state machine's table over HTTP: from every status, each way the table
says leads on (a biller's action, the payer's answer, or, from a final status, the claim that
carries the visit on) is taken on a real claim and works."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from fastapi import FastAPI

from billing_service.claims.schemas import BILLER_ACTIONS
from billing_service.claims.state_machine import (
    CONTINUATIONS,
    PAYER_ACTIONS,
    TRANSITIONS,
    ClaimAction,
    ClaimStatus,
    allowed_actions,
)
from billing_service.main import payer_conversation

Claim = dict[str, Any]
PAYER = "payer"


def visit(code: str = "99213", charge: str = "150.00") -> dict[str, Any]:
    return {"procedure_code": code, "modifiers": [], "units": 1, "charge": charge,
            "diagnosis_pointers": [1]}


def ways_on(status: ClaimStatus) -> list[str]:
    """Every way the table names from `status`."""
    actions = allowed_actions(status)
    ways = [action.value for action in actions if action in BILLER_ACTIONS]
    # The payer adjudicates a denied claim again only after an appeal it overturned:
    # tests/appeals walks that way.
    if any(action in PAYER_ACTIONS - {ClaimAction.READJUDICATE} for action in actions):
        ways.append(PAYER)
    if status in CONTINUATIONS:
        ways.append(CONTINUATIONS[status].value)
    return ways


WALK = [(status, way) for status in ClaimStatus for way in ways_on(status)]


class Walker:
    def __init__(self, billing: Any, app: FastAPI) -> None:
        self.billing = billing
        self.app = app

    async def claim_in(self, status: ClaimStatus) -> Claim:
        """A fresh claim brought to `status` the way a biller and the payer would."""
        billing = self.billing
        if status is ClaimStatus.CROSSED_OVER:
            # Medicare forwards what the patient still owes to the supplement by itself. The
            # scripted member is other tests' too: a day of its own keeps this visit no
            # duplicate of theirs.
            encounter = billing.coding.add(lines=[visit("99214", "200.00")],
                                           date_of_service=date.today() - timedelta(days=17))
            patient = encounter["patient"]["id"]
            await billing.coverage(patient, payer_id="MOCK-MCR", member_id="1EG4TE5MK74")
            await billing.coverage(patient, payer_id="MOCK-SUPP", member_id="S100000001",
                                   priority="secondary")
            await billing.submitted_and_processed((await billing.claim_for(encounter))["id"])
            listed = await billing.get(f"/v1/claims?encounter_id={encounter['encounter_id']}")
            return next(c for c in listed["items"] if c["payer_sequence"] == "secondary")
        if status is ClaimStatus.REJECTED:
            return await billing.submitted_and_processed(
                (await billing.covered_claim(member_id="W000000000"))["id"])
        lines = {ClaimStatus.DENIED: [visit("97810", "80.00")],
                 ClaimStatus.PARTIALLY_PAID: [visit(), visit("97810", "80.00")]}.get(
            status, [visit()])
        claim = await billing.covered_claim(lines=lines)
        if status is ClaimStatus.READY:
            return claim
        if status is ClaimStatus.CANCELED:
            return await billing.act(claim["id"], "cancel")
        submitted = await billing.act(claim["id"], "submit")
        if status is ClaimStatus.SUBMITTED:
            return submitted
        if status is ClaimStatus.ACCEPTED:
            # One round: the payer acknowledges now and pays a poll later.
            conversation = payer_conversation(self.app.state)
            await conversation.send_due("clinic-a")
            await conversation.poll()
            return await billing.get(f"/v1/claims/{claim['id']}")
        await billing.process()
        adjudicated = await billing.get(f"/v1/claims/{claim['id']}")
        if status is ClaimStatus.VOIDED:
            return await billing.act(claim["id"], "void")
        if status is ClaimStatus.REPLACED:
            await self.correct(adjudicated)
            return await billing.get(f"/v1/claims/{claim['id']}")
        return adjudicated

    async def correct(self, claim: Claim) -> Claim:
        self.billing.coding.recode(
            {"encounter_id": claim["encounter_id"], **self.encounter_body(claim)},
            lines=[visit("99214", "200.00")])
        response = await self.billing.http.post(f"/v1/claims/{claim['id']}/corrections",
                                                json={"encounter_coding_version": 2})
        assert response.status_code == 201, response.text
        return response.json()

    def encounter_body(self, claim: Claim) -> dict[str, Any]:
        return self.billing.coding.versions[("clinic-a", claim["encounter_id"], 1)]

    async def take(self, claim: Claim, way: str) -> None:
        """Take `way` from the claim's status and check that it led on."""
        billing = self.billing
        status = ClaimStatus(claim["status"])
        onward = {t.value for (s, _), targets in TRANSITIONS.items() if s is status
                  for t in targets}
        claim_url = f"/v1/claims/{claim['id']}"
        if way in ("submit", "resubmit", "void", "cancel"):
            after = await billing.act(claim["id"], way)
            assert after["status"] in onward - {status.value}
        elif way == "change_coverage":
            await billing.end_coverage(claim["coverage_id"])
            other = await billing.coverage(claim["patient"]["id"], payer_id="MOCK-HMO",
                                           effective_from="2021-01-01")
            response = await billing.http.patch(claim_url, json={"coverage_id": other["id"]},
                                                headers={"If-Match": str(claim["version"])})
            assert response.status_code == 200, response.text
            assert (response.json()["payer_id"], response.json()["version"]) == (
                "MOCK-HMO", claim["version"] + 1)
        elif way == "correct":
            replacement = await self.correct(claim)
            assert replacement["frequency_code"] == "7"
            assert (await billing.get(claim_url))["status"] == "replaced"
        elif way == PAYER:
            # A payer forwarded a claim to answers it in a later turn of its day.
            await billing.process()
            await billing.process()
            moves = {(e["actor"], e["from"], e["to"])
                     for e in (await billing.get(f"{claim_url}/events"))["items"]}
            assert {("payer", status.value, target) for target in onward} & moves
        elif way == "replacement":
            replacement = await billing.get(f"/v1/claims/{claim['replaced_by_claim_id']}")
            assert "submit" in replacement["allowed_actions"]
            await billing.act(replacement["id"], "submit")
        elif way == "bill_anew":
            response = await billing.http.post("/v1/claims",
                                               json={"encounter_id": claim["encounter_id"]})
            assert response.status_code == 201, response.text
            assert response.json()["status"] == "ready"
        else:
            raise AssertionError(f"no way to take {way!r}")


def test_every_status_has_a_way_on() -> None:
    assert {status for status, _ in WALK} == set(ClaimStatus)


@pytest.mark.parametrize(("status", "way"), WALK)
async def test_each_way_on_from_each_status_works(billing, app, status: ClaimStatus,
                                                  way: str) -> None:
    walker = Walker(billing, app)
    claim = await walker.claim_in(status)
    assert claim["status"] == status.value
    assert claim["allowed_actions"] == [w for w in ways_on(status) if w in BILLER_ACTIONS]
    await walker.take(claim, way)
