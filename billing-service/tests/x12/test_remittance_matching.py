"""Which claim an 835 claim payment is posted to: the one its CLP01 names (billing's patient
control number), of the payer the file names (REF*2U); a reversal may instead name the payer
claim a replacement or void undid, matched with its payer. Never a claim found by the payer's
claim number alone, which another payer, or another tenant's claim, may share."""

from __future__ import annotations

from typing import Any

from billing_835 import envelope, one_line_claim, payment
from payer_files import Delivering
from starlette.datastructures import State

from billing_service.main import payer_conversation

X12 = {"Content-Type": "application/edi-x12"}
PAID_LINE = [("CO", "45", "31.70"), ("PR", "2", "23.66")]


async def upload(client: Any, text: str) -> list[dict[str, Any]]:
    response = await client.post("/v1/remittances", content=text, headers=X12)
    assert response.status_code == 200, response.text
    return response.json()["payments"][0]["claims"]


async def test_a_payment_posts_only_to_a_claim_of_the_payer_the_file_names(
    billing, client
) -> None:
    claim = await billing.act((await billing.covered_claim())["id"], "submit")
    pcn = claim["patient_control_number"]
    pays = one_line_claim(pcn, "ACME8101", billed="150", paid="94.64", adjustments=PAID_LINE)

    [other_payer] = await upload(client, envelope(81_001, *payment(
        "94.64", "CHK81001", "MOCK-HMO", pays)))
    assert (other_payer["outcome"], other_payer["claim_id"]) == ("refused", None)
    assert [i["rule"] for i in other_payer["issues"]] == ["x12.835.unmatched_claim"]
    assert "of payer MOCK-HMO" in other_payer["issues"][0]["message"]
    assert (await billing.get(f"/v1/claims/{claim['id']}"))["status"] == "submitted"

    [own_payer] = await upload(client, envelope(81_002, *payment(
        "94.64", "CHK81002", "MOCK-PPO", pays)))
    assert (own_payer["outcome"], own_payer["claim_id"]) == ("posted", claim["id"])
    paid = await billing.get(f"/v1/claims/{claim['id']}")
    assert (paid["status"], paid["paid_amount"]) == ("paid", "94.64")
    await billing.process()


async def test_a_payment_naming_no_claim_is_not_posted_by_payer_claim_number(
    billing, client
) -> None:
    paid = await billing.submitted_and_processed((await billing.covered_claim())["id"])
    assert paid["status"] == "paid"
    number = paid["payer_claim_control_number"]

    [result] = await upload(client, envelope(81_101, *payment(
        "94.64", "CHK81101", "MOCK-PPO",
        one_line_claim("NOSUCHCLAIM000081101", number, billed="150", paid="94.64",
                       adjustments=PAID_LINE))))
    assert (result["outcome"], result["claim_id"]) == ("refused", None)
    after = await billing.get(f"/v1/claims/{paid['id']}")
    assert (after["paid_amount"], after["version"]) == (paid["paid_amount"], paid["version"])


async def test_the_payers_files_reach_no_other_tenants_claim_by_its_number(
    app, billing, client
) -> None:
    paid = await billing.submitted_and_processed((await billing.covered_claim())["id"])
    number = paid["payer_claim_control_number"]
    # The payer's mailbox serves every tenant: a claim payment whose CLP01 names no claim
    # (another tenant's claim mistyped, say) under a payer claim number clinic-a's claim has.
    text = envelope(81_201, *payment("94.64", "CHK81201", "MOCK-PPO", one_line_claim(
        "NOSUCHCLAIM000081201", number, billed="150", paid="94.64", adjustments=PAID_LINE)))
    state = State({"sessionmaker": app.state.sessionmaker, "settings": app.state.settings,
                   "payer_adapter": Delivering(app.state.payer_adapter, [text])})
    result = await payer_conversation(state).poll()
    assert result.files == 1
    after = await billing.get(f"/v1/claims/{paid['id']}")
    assert (after["paid_amount"], after["version"]) == (paid["paid_amount"], paid["version"])
    assert len((await billing.get(f"/v1/claims/{paid['id']}/remittance"))["remittances"]) == 1


async def test_a_reversal_by_payer_claim_number_needs_the_same_payer(billing, client) -> None:
    paid = await billing.submitted_and_processed((await billing.covered_claim())["id"])
    voided = await billing.act(paid["id"], "void")
    assert voided["status"] == "voided"
    number = paid["payer_claim_control_number"]

    def reversal(control: int, payer_id: str) -> str:
        return envelope(control, *payment(
            "0", f"CHK{control}", payer_id,
            one_line_claim("NOSUCHCLAIM0000REVRS", number, status="22", billed="-150",
                           paid="-94.64", adjustments=[("CO", "45", "-31.70"),
                                                       ("PR", "2", "-23.66")],
                           lines_of=paid["patient_control_number"]),
            provider_adjustment="-94.64"))

    [elsewhere] = await upload(client, reversal(81_301, "MOCK-HMO"))
    assert (elsewhere["outcome"], elsewhere["claim_id"]) == ("refused", None)
    assert "replaced or voided" in elsewhere["issues"][0]["message"]
    untouched = await billing.get(f"/v1/claims/{paid['id']}/remittance")
    assert len(untouched["remittances"]) == 1

    [undone] = await upload(client, reversal(81_302, "MOCK-PPO"))
    assert (undone["outcome"], undone["claim_id"]) == ("posted", paid["id"])
    history = (await billing.get(f"/v1/claims/{paid['id']}/remittance"))["remittances"]
    assert [(r["status"], r["paid"]) for r in history][1:] == [("reversed", "-94.64")]
