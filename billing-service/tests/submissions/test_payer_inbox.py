"""No payer response is lost: every file the payer adapter delivers is kept before anything
is applied from it; a claim that cannot be posted is refused alone; a file that can never be
applied stays kept as failed with its reason; one whose application failed is applied again
until it succeeds or is given up (kept as failed)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from billing_835 import envelope, one_line_claim, payment
from payer_files import Delivering
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from starlette.datastructures import State

from billing_service.cli import list_payer_files
from billing_service.inbox import acknowledgments
from billing_service.inbox import service as inbox
from billing_service.main import payer_conversation
from billing_service.models.x12 import PayerFile
from billing_service.remittances import service as remittances
from billing_service.remittances.service import RemittanceService, file_hash

PAID_LINE = [("CO", "45", "31.70"), ("PR", "2", "23.66")]


@pytest.fixture
def delivering(app: Any) -> Delivering:
    return Delivering(app.state.payer_adapter)


@pytest.fixture
def poll(app: Any, delivering: Delivering) -> Any:
    state = State({"sessionmaker": app.state.sessionmaker, "settings": app.state.settings,
                   "payer_adapter": delivering})

    async def once(*files: str) -> Any:
        delivering.files = list(files)
        return await payer_conversation(state).poll()

    return once


async def kept(app: Any, text: str) -> PayerFile:
    async with app.state.sessionmaker() as session:
        [row] = list(await session.scalars(
            select(PayerFile).where(PayerFile.sha256 == file_hash(text))))
        return row


async def submitted(billing: Any) -> dict[str, Any]:
    return await billing.act((await billing.covered_claim())["id"], "submit")


def pays(claim: dict[str, Any], number: str) -> list[str]:
    return one_line_claim(claim["patient_control_number"], number, billed="150",
                          paid="94.64", adjustments=PAID_LINE)


async def two_paid_in_one_file(billing: Any, control: int
                               ) -> tuple[dict[str, Any], dict[str, Any], str]:
    """Two submitted claims, and an 835 (interchange `control`) paying both under one check."""
    first, second = await submitted(billing), await submitted(billing)
    text = envelope(control, *payment("189.28", f"CHK{control}", "MOCK-PPO",
                                      pays(first, f"ACME{control}1"),
                                      pays(second, f"ACME{control}2")))
    return first, second, text


async def test_one_unpostable_claim_leaves_the_others_posted(app, billing, poll) -> None:
    good, bad = await submitted(billing), await submitted(billing)
    # The second claim payment carries amounts no 835 can (CLP03, SVC02 and its CAS):
    # it is refused on its own. Delivered twice, the file is kept once.
    text = envelope(91_001, *payment(
        "94.64", "CHK91001", "MOCK-PPO", pays(good, "ACME9101"),
        one_line_claim(bad["patient_control_number"], "ACME9102", billed="100000000.00",
                       paid="0", adjustments=[("CO", "45", "100000000.00")])))
    result = await poll(text, text)
    assert (result.files, result.received, result.applied) == (2, 2, 1)

    posted = await billing.get(f"/v1/claims/{good['id']}")
    assert (posted["status"], posted["paid_amount"]) == ("paid", "94.64")
    untouched = await billing.get(f"/v1/claims/{bad['id']}")
    assert (untouched["status"], untouched["version"]) == ("submitted", bad["version"])
    row = await kept(app, text)
    assert (row.status, row.attempts, row.last_error) == ("applied", 1, None)
    [paid] = row.results
    assert [(c["patient_control_number"], c["outcome"], [i["rule"] for i in c["issues"]])
            for c in paid["claims"]] == [
        (good["patient_control_number"], "posted", []),
        (bad["patient_control_number"], "refused", ["x12.835.amount"] * 3)]
    await billing.process()


async def test_a_file_that_can_never_be_applied_is_kept_as_failed(
    app, billing, poll, database_url, capsys
) -> None:
    claim = await submitted(billing)
    garbage = "this is not an interchange"
    unbalanced = envelope(91_101, *payment("1.00", "CHK91101", "MOCK-PPO",
                                           pays(claim, "ACME9111")))
    good = envelope(91_102, *payment("94.64", "CHK91102", "MOCK-PPO", pays(claim, "ACME9112")))
    await poll(garbage, unbalanced, good)

    assert (await billing.get(f"/v1/claims/{claim['id']}"))["status"] == "paid"
    for text, reason in ((garbage, "Not a readable interchange"),
                         (unbalanced, "The 835 does not balance: BPR02 1.00")):
        row = await kept(app, text)
        assert (row.status, row.attempts, row.content) == ("failed", 1, text)
        assert row.last_error is not None and row.last_error.startswith(reason), row.last_error
    # Failed is final: later rounds leave it as it is.
    await poll()
    assert (await kept(app, garbage)).attempts == 1
    # An operator sees it, and why, without the file's content.
    capsys.readouterr()
    assert await list_payer_files(database_url) == 1
    listed = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    row = await kept(app, garbage)
    [(status, reason)] = [(f[1], f[4]) for f in listed if f[0] == str(row.id)]
    assert (status, reason) == ("failed", row.last_error)
    assert garbage not in "\n".join("\t".join(f) for f in listed)


async def test_a_file_that_failed_to_apply_is_applied_on_a_later_round(
    app, billing, poll, monkeypatch
) -> None:
    claim = await submitted(billing)
    text = envelope(91_201, *payment("94.64", "CHK91201", "MOCK-PPO", pays(claim, "ACME9121")))
    real = RemittanceService.post
    failures = [RuntimeError("the database went away")]

    async def failing_once(self: RemittanceService, document: Any) -> Any:
        if document.interchange_control_number == "000091201" and failures:
            raise failures.pop()
        return await real(self, document)

    monkeypatch.setattr(RemittanceService, "post", failing_once)
    await poll(text)
    row = await kept(app, text)
    assert (row.status, row.attempts, row.last_error) == (
        "received", 1, "could not be applied (RuntimeError)")
    assert (await billing.get(f"/v1/claims/{claim['id']}"))["status"] == "submitted"

    await poll()
    row = await kept(app, text)
    assert (row.status, row.attempts, row.last_error) == ("applied", 2, None)
    assert (await billing.get(f"/v1/claims/{claim['id']}"))["status"] == "paid"


async def test_a_file_failing_every_time_is_given_up_but_kept(
    app, billing, poll, monkeypatch
) -> None:
    claim = await submitted(billing)
    text = envelope(91_301, *payment("94.64", "CHK91301", "MOCK-PPO", pays(claim, "ACME9131")))
    real = RemittanceService.post

    async def always_failing(self: RemittanceService, document: Any) -> Any:
        if document.interchange_control_number == "000091301":
            raise RuntimeError("still broken")
        return await real(self, document)

    monkeypatch.setattr(RemittanceService, "post", always_failing)
    await poll(text)
    for _ in range(inbox.MAX_ATTEMPTS):
        await poll()
    row = await kept(app, text)
    assert (row.status, row.attempts, row.content) == ("failed", inbox.MAX_ATTEMPTS, text)
    assert row.last_error == (f"could not be applied (RuntimeError); gave up after "
                              f"{inbox.MAX_ATTEMPTS} attempts")
    assert (await billing.get(f"/v1/claims/{claim['id']}"))["status"] == "submitted"
    await billing.process()


async def test_a_claim_payment_failing_unexpectedly_is_retried_alone(
    app, billing, poll, monkeypatch
) -> None:
    first, second, text = await two_paid_in_one_file(billing, 91_401)
    real = remittances.post_remittance
    # It fails with the file's other payments, and again when posted on its own.
    failures = [RuntimeError("deadlock detected"), RuntimeError("deadlock detected")]

    async def second_fails_twice(session: Any, claim: Any, remittance: Any) -> Any:
        if claim.id == second["id"] and failures:
            raise failures.pop()
        return await real(session, claim, remittance)

    monkeypatch.setattr(remittances, "post_remittance", second_fails_twice)
    await poll(text)
    assert failures == []
    assert (await billing.get(f"/v1/claims/{first['id']}"))["status"] == "paid"
    assert (await billing.get(f"/v1/claims/{second['id']}"))["status"] == "submitted"
    row = await kept(app, text)
    assert (row.status, row.attempts) == ("received", 1)
    assert [(c["outcome"], [i["rule"] for i in c["issues"]])
            for c in row.results[0]["claims"]] == [
        ("posted", []), ("refused", ["x12.835.posting_failed"])]

    await poll()
    row = await kept(app, text)
    assert (row.status, row.attempts) == ("applied", 2)
    assert [c["outcome"] for c in row.results[0]["claims"]] == ["ignored", "posted"]
    for claim in (first, second):
        done = await billing.get(f"/v1/claims/{claim['id']}")
        assert (done["status"], done["paid_amount"]) == ("paid", "94.64")
    await billing.process()


async def test_a_claim_payment_posted_meanwhile_by_another_request_is_ignored_not_refused(
    app, billing, poll, monkeypatch
) -> None:
    first, second, text = await two_paid_in_one_file(billing, 91_451)
    real = remittances.post_remittance

    async def second_posted_meanwhile(session: Any, claim: Any, remittance: Any) -> Any:
        posted = await real(session, claim, remittance)
        if claim.id == second["id"]:
            # What the trace number's unique key answers, once the claim has been changed,
            # when another request posted the payment between this one's check and insert.
            raise IntegrityError("INSERT INTO remittance_postings", {},
                                 Exception("duplicate key value"))
        return posted

    monkeypatch.setattr(remittances, "post_remittance", second_posted_meanwhile)
    await poll(text)
    row = await kept(app, text)
    assert row.status == "applied"
    assert [(c["outcome"], c["claim_id"], c["reason"]) for c in row.results[0]["claims"]] == [
        ("posted", first["id"], "Posted as paid (trace number CHK91451:ACME914511)."),
        ("ignored", second["id"], "Already posted (trace number CHK91451:ACME914512).")]


async def test_a_claim_payment_failing_once_with_the_others_is_posted_on_its_own(
    app, billing, poll, monkeypatch
) -> None:
    first, second, third = (await submitted(billing), await submitted(billing),
                            await submitted(billing))
    text = envelope(91_501, *payment("283.92", "CHK91501", "MOCK-PPO",
                                     pays(first, "ACME9151"), pays(second, "ACME9152"),
                                     pays(third, "ACME9153")))
    real = remittances.post_remittance
    failures = [RuntimeError("deadlock detected")]
    posted: list[str] = []

    async def second_fails_once(session: Any, claim: Any, remittance: Any) -> Any:
        if claim.id == second["id"] and failures:
            raise failures.pop()
        posted.append(claim.id)
        return await real(session, claim, remittance)

    monkeypatch.setattr(remittances, "post_remittance", second_fails_once)
    await poll(text)
    # The file's savepoint is rolled back and each payment posted alone: the first is posted
    # again (once: the rolled back posting left nothing), the second gets through.
    assert posted == [first["id"], first["id"], second["id"], third["id"]]
    row = await kept(app, text)
    assert (row.status, row.attempts, row.last_error) == ("applied", 1, None)
    assert [c["outcome"] for c in row.results[0]["claims"]] == ["posted"] * 3
    for claim in (first, second, third):
        done = await billing.get(f"/v1/claims/{claim['id']}")
        assert (done["status"], done["paid_amount"]) == ("paid", "94.64")
        history = await billing.get(f"/v1/claims/{claim['id']}/events")
        assert [e["action"] for e in history["items"]].count("adjudicate") == 1
    await billing.process()


async def test_an_acknowledgment_failing_once_with_the_others_is_applied_on_its_own(
    billing, monkeypatch
) -> None:
    first, second = await submitted(billing), await submitted(billing)
    ours = {first["id"], second["id"]}
    real = acknowledgments._apply
    failures = [RuntimeError("deadlock detected")]
    applied: list[str] = []

    def second_fails_once(session: Any, ack: Any, job: Any, claim: Any) -> bool:
        if claim is not None and claim.id == second["id"] and failures:
            raise failures.pop()
        if claim is not None and claim.id in ours:
            applied.append(claim.id)
        changed: bool = real(session, ack, job, claim)
        return changed

    monkeypatch.setattr(acknowledgments, "_apply", second_fails_once)
    await billing.process()
    # The 277CA's savepoint is rolled back and each acknowledgment applied alone: the first
    # again (once: the rolled back one left nothing), the second gets through.
    assert failures == [] and Counter(applied) == {first["id"]: 2, second["id"]: 1}
    for claim in (first, second):
        done = await billing.get(f"/v1/claims/{claim['id']}")
        history = await billing.get(f"/v1/claims/{claim['id']}/events")
        assert done["status"] == "paid"
        assert [e["action"] for e in history["items"]].count("acknowledge") == 1
