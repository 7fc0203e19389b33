"""POST /v1/remittances with 835 files written here by hand, not by the mock payer: claims
matched by CLP01 and lines by REF*6R, reversals, provider adjustments, unmatched and
unbalanced claims refused, the same file twice changing nothing."""

from __future__ import annotations

from typing import Any

import pytest

from billing_service.x12.validation import pyx12_findings

X12 = {"Content-Type": "application/edi-x12"}
CLINIC_B = {"Authorization": "Bearer demo-key-clinic-b", **X12}


def envelope(control: int, *body: str) -> str:
    """An interchange from another payer's clearinghouse holding one 835 of `body`."""
    segments = [
        f"ISA*00*          *00*          *ZZ*ACMECLEAR      *ZZ*RCMBILLING     *261127*1015*^*"
        f"00501*{control:09d}*0*P*:",
        f"GS*HP*ACMECLEAR*RCMBILLING*20261127*1015*{control}*X*005010X221A1",
        "ST*835*0001",
        *body,
    ]
    segments.append(f"SE*{len(segments) - 1}*0001")
    segments += [f"GE*1*{control}", f"IEA*1*{control:09d}"]
    return "~\n".join(segments) + "~\n"


def header(total: str, trace: str, handling: str = "I", method: str = "CHK") -> list[str]:
    return [
        f"BPR*{handling}*{total}*C*{method}************20261127",
        f"TRN*1*{trace}*1123456789",
        "DTM*405*20261127",
        "N1*PR*ACME HEALTH PLAN", "N3*PO BOX 500", "N4*HARTFORD*CT*06101",
        "PER*BL*EDI SUPPORT*TE*8005550100",
        "N1*PE*DEMO CLINIC*XX*1234567893",
        "LX*1",
    ]


async def state(billing: Any, claim_id: str) -> dict[str, Any]:
    """Everything posting may change on a claim."""
    return {
        "claim": await billing.get(f"/v1/claims/{claim_id}"),
        "remittance": await billing.get(f"/v1/claims/{claim_id}/remittance"),
        "events": (await billing.get(f"/v1/claims/{claim_id}/events"))["items"],
    }


async def post(client: Any, text: str, headers: dict[str, str] = X12) -> Any:
    return await client.post("/v1/remittances", content=text, headers=headers)


def line(code: str, charge: str) -> dict[str, Any]:
    return {"procedure_code": code, "modifiers": [], "units": 1, "charge": charge,
            "diagnosis_pointers": [1]}


async def test_reversal_provider_adjustment_and_unmatched_claim_posted_once(
    billing, client
) -> None:
    # Paid by the mock payer: 99213 allowed 118.30 (CO-45 31.70), coinsurance 23.66.
    paid = await billing.covered_claim(member_id="W100000002", lines=[line("99213", "150.00")])
    paid = await billing.submitted_and_processed(paid["id"])
    assert paid["paid_amount"] == "94.64"
    trace = (await billing.get(f"/v1/claims/{paid['id']}/remittance"))["remittances"][0]
    # Submitted, never answered: this file pays it.
    waiting = await billing.covered_claim(lines=[line("99214", "200.00"), line("36415", "30.00")])
    waiting = await billing.act(waiting["id"], "submit")
    pcn_paid, pcn_waiting = paid["patient_control_number"], waiting["patient_control_number"]
    pccn = paid["payer_claim_control_number"]

    # Claims: 160.00 - 94.64 + 50.00 = 115.36; less the 25.00 overpayment recovered: 90.36.
    text = envelope(41, *header("90.36", "ACH0001"),
        f"CLP*{pcn_waiting}*1*230*160*30*12*ACME0001*11*1",
        "NM1*QC*1*SILVA*ANA****MI*W123",
        "DTM*050*20261120",
        "SVC*HC:99214*200*140**1", "DTM*472*20261115", "CAS*CO*45*40", "CAS*PR*2*20",
        f"REF*6R*{pcn_waiting}-1", "AMT*B6*160",
        "SVC*HC:36415*30*20**1", "DTM*472*20261115", "CAS*CO*45*0*0*94*0", "CAS*PR*3*10",
        f"REF*6R*{pcn_waiting}-2", "AMT*B6*30", "LQ*HE*N130",
        f"CLP*{pcn_paid}*22*-150*-94.64*-23.66*12*{pccn}*11*1",
        "NM1*QC*1*SILVA*ANA****MI*W100000002",
        "SVC*HC:99213*-150*-94.64**-1", "CAS*CO*45*-31.7", "CAS*PR*2*-23.66",
        f"REF*6R*{pcn_paid}-1", "AMT*B6*-118.3",
        "CLP*NOSUCHCLAIM00000001*1*80*50*0*12*ACME0002*11*1",
        "NM1*QC*1*DOE*JANE****MI*W999",
        "SVC*HC:99212*80*50**1", "CAS*CO*45*30", "REF*6R*NOSUCHCLAIM00000001-1",
        "PLB*1234567893*20261231*WO:OVERPAY-7731*25",
    )
    assert pyx12_findings(text) == []

    response = await post(client, text)
    assert response.status_code == 200, response.text
    result = response.json()
    assert (result["previously_received"], result["posted"], result["ignored"],
            result["refused"]) == (False, 2, 0, 1)
    [payment] = result["payments"]
    assert (payment["trace_number"], payment["total"], payment["payee_id"]) == (
        "ACH0001", "90.36", "1234567893")
    assert payment["provider_adjustments"] == [{
        "provider_id": "1234567893", "reason": "WO", "reference": "OVERPAY-7731",
        "amount": "25.00"}]
    outcomes = {c["patient_control_number"]: c for c in payment["claims"]}
    assert (outcomes[pcn_waiting]["outcome"], outcomes[pcn_waiting]["claim_id"]) == (
        "posted", waiting["id"])
    assert (outcomes[pcn_paid]["outcome"], outcomes[pcn_paid]["claim_id"]) == (
        "posted", paid["id"])
    unmatched = outcomes["NOSUCHCLAIM00000001"]
    assert (unmatched["outcome"], unmatched["claim_id"]) == ("refused", None)
    assert [i["rule"] for i in unmatched["issues"]] == ["x12.835.unmatched_claim"]

    # The waiting claim: accepted and adjudicated from the file, to the cent.
    now_paid = await billing.get(f"/v1/claims/{waiting['id']}")
    assert (now_paid["status"], now_paid["payer_claim_control_number"], now_paid["paid_amount"],
            now_paid["patient_responsibility"], now_paid["adjustment_amount"],
            now_paid["balance"]) == ("paid", "ACME0001", "160.00", "30.00", "70.00", "0.00")
    [posted] = (await billing.get(f"/v1/claims/{waiting['id']}/remittance"))["remittances"]
    assert posted["trace_number"] == "ACH0001:ACME0001"
    assert [(ln["line_number"], ln["allowed"], ln["paid"], ln["rarc"],
             [(a["group"], a["carc"], a["amount"]) for a in ln["adjustments"]])
            for ln in posted["lines"]] == [
        (1, "160.00", "140.00", [], [("CO", "45", "40.00"), ("PR", "2", "20.00")]),
        (2, "30.00", "20.00", ["N130"], [("CO", "45", "0.00"), ("CO", "94", "0.00"),
                                         ("PR", "3", "10.00")]),
    ]
    # The paid claim: its payment reversed, the earlier remittance kept.
    reversed_claim = await billing.get(f"/v1/claims/{paid['id']}")
    assert (reversed_claim["paid_amount"], reversed_claim["patient_responsibility"],
            reversed_claim["adjustment_amount"]) == ("0.00", "0.00", "0.00")
    history = (await billing.get(f"/v1/claims/{paid['id']}/remittance"))["remittances"]
    assert [(r["status"], r["paid"], r["trace_number"]) for r in history] == [
        ("paid", "94.64", trace["trace_number"]), ("reversed", "-94.64", f"ACH0001:{pccn}:22")]
    history = (await billing.get(f"/v1/claims/{paid['id']}/events"))["items"]
    assert history[-1]["action"] == "reversal"

    before = [await state(billing, paid["id"]), await state(billing, waiting["id"])]
    again = await post(client, text)
    assert again.status_code == 200
    repeat = again.json()
    assert (repeat["file_id"], repeat["previously_received"], repeat["posted"],
            repeat["ignored"], repeat["refused"]) == (result["file_id"], True, 0, 2, 1)
    assert [await state(billing, paid["id"]), await state(billing, waiting["id"])] == before
    await billing.process()
    # The same payment in a new envelope (another control number) is still the same payment.
    rewrapped = await post(client, text.replace("000000041", "000000042")
                           .replace("*41*X*", "*42*X*").replace("GE*1*41", "GE*1*42"))
    assert (rewrapped.json()["previously_received"], rewrapped.json()["posted"]) == (False, 0)
    assert [await state(billing, paid["id"]), await state(billing, waiting["id"])] == before


async def test_unbalanced_or_unmatched_claims_are_refused_and_the_rest_posted(
    billing, client
) -> None:
    good = await billing.act((await billing.covered_claim())["id"], "submit")
    wrong_line = await billing.act((await billing.covered_claim())["id"], "submit")
    short = await billing.act((await billing.covered_claim())["id"], "submit")
    bad_code = await billing.act((await billing.covered_claim())["id"], "submit")

    def claim(pcn: str, number: str, paid: str, adjustment: str, reference: str,
              carc: str = "45") -> list[str]:
        return [f"CLP*{pcn}*1*150*{paid}*0*12*{number}*11*1", "NM1*QC*1*SILVA*ANA",
                f"SVC*HC:99213*150*{paid}**1", f"CAS*CO*{carc}*{adjustment}",
                f"REF*6R*{reference}"]

    text = envelope(51, *header("400", "CHK5100"),
                    *claim(good["patient_control_number"], "G1", "100", "50",
                           f"{good['patient_control_number']}-1"),
                    *claim(wrong_line["patient_control_number"], "G2", "100", "50",
                           f"{wrong_line['patient_control_number']}-9"),
                    *claim(short["patient_control_number"], "G3", "100", "40",
                           f"{short['patient_control_number']}-1"),
                    *claim(bad_code["patient_control_number"], "G4", "100", "50",
                           f"{bad_code['patient_control_number']}-1", carc="X7"))
    response = await post(client, text)
    assert response.status_code == 200, response.text
    outcomes = {c["patient_control_number"]: c for c in response.json()["payments"][0]["claims"]}
    assert outcomes[good["patient_control_number"]]["outcome"] == "posted"
    expected_refusals = {
        wrong_line["patient_control_number"]: ["x12.835.unmatched_line"],
        short["patient_control_number"]: ["x12.835.line_balance", "x12.835.claim_balance"],
        bad_code["patient_control_number"]: ["x12.835.carc"],
    }
    for pcn, rules in expected_refusals.items():
        assert outcomes[pcn]["outcome"] == "refused"
        assert [i["rule"] for i in outcomes[pcn]["issues"]] == rules
    for claim_out in (wrong_line, short, bad_code):
        after = await billing.get(f"/v1/claims/{claim_out['id']}")
        assert (after["status"], after["version"]) == ("submitted", claim_out["version"])
    assert (await billing.get(f"/v1/claims/{good['id']}"))["status"] == "paid"
    await billing.process()


async def test_a_file_whose_total_does_not_balance_posts_nothing(billing, client) -> None:
    claim = await billing.act((await billing.covered_claim())["id"], "submit")
    pcn = claim["patient_control_number"]
    text = envelope(61, *header("99", "CHK6100"),
                    f"CLP*{pcn}*1*150*100*0*12*H1*11*1", "NM1*QC*1*SILVA*ANA",
                    "SVC*HC:99213*150*100**1", "CAS*CO*45*50", f"REF*6R*{pcn}-1")
    response = await post(client, text)
    assert response.status_code == 422
    assert [i["rule"] for i in response.json()["issues"]] == ["x12.835.payment_balance"]
    after = await billing.get(f"/v1/claims/{claim['id']}")
    assert (after["status"], after["version"]) == ("submitted", claim["version"])
    await billing.process()


async def test_an_upload_posts_to_the_callers_claims_only(billing, client) -> None:
    claim = await billing.act((await billing.covered_claim())["id"], "submit")
    pcn = claim["patient_control_number"]
    text = envelope(71, *header("100", "CHK7100"),
                    f"CLP*{pcn}*1*150*100*0*12*T1*11*1", "NM1*QC*1*SILVA*ANA",
                    "SVC*HC:99213*150*100**1", "CAS*CO*45*50", f"REF*6R*{pcn}-1")
    response = await post(client, text, CLINIC_B)
    [result] = response.json()["payments"][0]["claims"]
    assert (result["outcome"], result["claim_id"]) == ("refused", None)
    assert (await billing.get(f"/v1/claims/{claim['id']}"))["status"] == "submitted"
    await billing.process()


async def test_an_835_sent_as_a_files_bytes_is_posted_as_its_text(billing, client) -> None:
    claim = await billing.act((await billing.covered_claim())["id"], "submit")
    pcn = claim["patient_control_number"]
    text = envelope(72, *header("100", "CHK7200"),
                    f"CLP*{pcn}*1*150*100*0*12*T1*11*1", "NM1*QC*1*SILVA*ANA",
                    "SVC*HC:99213*150*100**1", "CAS*CO*45*50", f"REF*6R*{pcn}-1")
    response = await post(client, text, {"Content-Type": "application/octet-stream"})
    assert response.status_code == 200
    [result] = response.json()["payments"][0]["claims"]
    assert (result["outcome"], result["claim_id"]) == ("posted", claim["id"])
    assert (await billing.get(f"/v1/claims/{claim['id']}"))["paid_amount"] == "100.00"


async def test_what_is_not_an_835_is_refused(client) -> None:
    garbage = await post(client, "hello")
    assert garbage.status_code == 422
    assert garbage.json()["issues"][0]["rule"] == "x12.syntax"
    as_json = await client.post("/v1/remittances", json={"835": "ISA*..."})
    assert as_json.status_code == 415
    claim_file = envelope(81, "BHT*0019*00*1*20261127*1200*CH").replace("GS*HP", "GS*HC")
    not_remittance = await post(client, claim_file)
    assert not_remittance.status_code == 422


@pytest.mark.parametrize(("clean", "corrupt", "element"), [
    ("TRN*1*CHK9100*", "TRN*1*CHK\x009100*", "TRN02"),
    ("N1*PR*ACME HEALTH PLAN", "N1*PR*ACME\x00HEALTH PLAN", "N102"),
    ("N1*PR*ACME HEALTH PLAN", "N1*PR*ACME\x1b[31mHEALTH PLAN", "N102"),
])
async def test_a_control_character_in_an_element_posts_nothing(billing, client, clean: str,
                                                               corrupt: str,
                                                               element: str) -> None:
    # PostgreSQL cannot store a NUL: it answered 500; SQLite posted it as sent.
    claim = await billing.act((await billing.covered_claim())["id"], "submit")
    pcn = claim["patient_control_number"]
    text = envelope(91, *header("100", "CHK9100"),
                    f"CLP*{pcn}*1*150*100*0*12*C1*11*1", "NM1*QC*1*SILVA*ANA",
                    "SVC*HC:99213*150*100**1", "CAS*CO*45*50", f"REF*6R*{pcn}-1")
    response = await post(client, text.replace(clean, corrupt))
    assert response.status_code == 422
    [found] = response.json()["issues"]
    assert found["rule"] == "x12.syntax"
    assert found["message"].startswith(f"{element} holds a control character")
    after = await billing.get(f"/v1/claims/{claim['id']}")
    assert (after["status"], after["version"]) == ("submitted", claim["version"])
    assert (await billing.get(f"/v1/claims/{claim['id']}/remittance"))["remittances"] == []
    await billing.process()
