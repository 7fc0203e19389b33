"""The 837P billing writes, for export and for the payer: pyx12 finds nothing wrong with any
claim scenario, the segments carry what the claim holds, control numbers are never reused,
and what pyx12 does not check (NPI check digits, pointers, code values) is refused first."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from billing_providers import BILLING_PROVIDER, register_providers
from payer_files import HOME_ADDRESS, billing_party, claim_file, rendering_party, valid_npi
from sqlalchemy import select

from billing_service.models.x12 import X12Interchange
from billing_service.payers.adapter import (
    Adjustment,
    ClaimForPayer,
    ClaimLineForPayer,
    DrugCode,
    Person,
    PostalAddress,
    PriorLineAdjudication,
    PriorPayerAdjudication,
    ProviderParty,
    ServiceFacility,
)
from billing_service.x12.checks import claim_issues
from billing_service.x12.claim837 import read_837p, write_837p
from billing_service.x12.config import X12Config
from billing_service.x12.syntax import Segment, read_interchange
from billing_service.x12.validation import pyx12_findings

X12_MEDIA_TYPE = "application/edi-x12"
SUBSCRIBER_ADDRESS = {"line1": "12 Oak Avenue", "line2": "Apt 4", "city": "Chicago",
                      "state": "IL", "postal_code": "60601-1234"}
# A Medicare beneficiary identifier's form.
MEDICARE_MEMBER = "1EG4TE5MK73"
CLINIC_B = {"Authorization": "Bearer demo-key-clinic-b"}
TWELVE_DIAGNOSES = ["E11.9", "I10", "M54.50", "M25.561", "J06.9", "R51.9", "E78.5", "K21.9",
                    "F41.1", "G47.00", "N39.0", "Z79.4"]
LAB_AND_VISIT_CODES = ["99213", "36415", "81002", "85025", "80053", "93000", "71046", "73560",
                       "20610", "96372"]


def line(code: str = "99213", charge: str = "150.00", pointers: list[int] | None = None,
         modifiers: list[str] | None = None) -> dict[str, Any]:
    return {"procedure_code": code, "modifiers": modifiers or [], "units": 1, "charge": charge,
            "diagnosis_pointers": pointers or [1]}


def segments(text: str) -> list[Segment]:
    return [seg for _, transaction in read_interchange(text).transactions()
            for seg in transaction.segments]


def loop_after(text: str, segment_id: str, qualifier: str) -> list[tuple[str, tuple[str, ...]]]:
    """The segments after the first `segment_id*qualifier`, up to the next NM1 or HL."""
    found = segments(text)
    start = next(n for n, seg in enumerate(found)
                 if seg.id == segment_id and seg.element(1) == qualifier)
    following = []
    for seg in found[start + 1:]:
        if seg.id in ("NM1", "HL", "CLM"):
            break
        following.append((seg.id, seg.elements))
    return following


def first(text: str, segment_id: str, qualifier: str | None = None) -> Segment:
    return next(seg for seg in segments(text)
                if seg.id == segment_id and (qualifier is None or seg.element(1) == qualifier))


async def exported(client: Any, claim_id: str) -> str:
    """The claim's 837P, checked by pyx12: not one finding."""
    response = await client.get(f"/v1/claims/{claim_id}/x12")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(X12_MEDIA_TYPE)
    assert pyx12_findings(response.text) == []
    return response.text


async def paid_claim(billing: Any, **encounter: Any) -> dict[str, Any]:
    claim = await billing.covered_claim(**encounter)
    paid = await billing.submitted_and_processed(claim["id"])
    assert paid["status"] == "paid", paid
    return paid


# --- every claim scenario, validated by pyx12 ---------------------------------------------


async def test_clean_claim(billing, client) -> None:
    claim = await billing.covered_claim(diagnoses=["E11.9", "I10"],
                                        lines=[line(pointers=[1, 2]), line("36415", "25.00")])
    text = await exported(client, claim["id"])
    clm = first(text, "CLM")
    assert (clm.element(1), clm.element(2), clm.components(5)) == (
        claim["patient_control_number"], "175", ("11", "B", "1"))
    assert first(text, "HI").elements == ("ABK:E119", "ABF:I10")
    sv1 = first(text, "SV1")
    assert (sv1.components(1), sv1.element(2), sv1.element(3), sv1.element(4),
            sv1.components(7)) == (("HC", "99213"), "150", "UN", "1", ("1", "2"))
    assert [seg.element(2) for seg in segments(text) if seg.id == "REF"
            and seg.element(1) == "6R"] == [f"{claim['patient_control_number']}-1",
                                           f"{claim['patient_control_number']}-2"]
    assert first(text, "NM1", "85").element(9) == claim["billing_provider_npi"]
    assert first(text, "NM1", "82").element(9) == claim["rendering_provider_npi"]
    subscriber = first(text, "NM1", "IL")
    assert subscriber.element(8) == "MI" and subscriber.element(9).startswith("W")
    assert first(text, "SBR").element(2) == "18"
    # The patient is the subscriber: no patient loop, and no REF*F8 on an original claim.
    assert not [seg for seg in segments(text) if seg.id == "HL" and seg.element(3) == "23"]
    assert not [seg for seg in segments(text) if seg.id == "REF" and seg.element(1) == "F8"]


async def test_claim_of_a_dependent_has_its_patient_loop(billing, client, coding) -> None:
    encounter = coding.add()
    await billing.coverage(encounter["patient"]["id"], relationship="child",
                           subscriber={"first_name": "Rui", "last_name": "Silva",
                                       "birth_date": "1975-06-30", "sex": "M",
                                       "address": SUBSCRIBER_ADDRESS})
    claim = await billing.claim_for(encounter)
    text = await exported(client, claim["id"])
    assert first(text, "SBR").element(2) == ""
    assert [seg.elements[:3] for seg in segments(text) if seg.id == "HL"] == [
        ("1", "", "20"), ("2", "1", "22"), ("3", "2", "23")]
    assert first(text, "PAT").element(1) == "19"
    assert first(text, "NM1", "IL").element(3) == "Silva"
    # 2010BA: the subscriber's own address, from the coverage, right after its NM1.
    assert loop_after(text, "NM1", "IL")[:2] == [
        ("N3", ("12 Oak Avenue", "Apt 4")), ("N4", ("Chicago", "IL", "606011234"))]
    assert first(text, "NM1", "QC").elements[2:4] == ("Silva", "Ana")
    assert first(text, "DMG").element(2) == "19800201"


@pytest.mark.parametrize(("payer_id", "member_id", "indicator"), [
    ("MOCK-MCR", MEDICARE_MEMBER, "MB"), ("MOCK-PPO", None, "12"), ("MOCK-HMO", None, "HM"),
])
async def test_sbr09_is_the_plans_claim_filing_indicator(
    billing, client, payer_id: str, member_id: str | None, indicator: str,
) -> None:
    [plan] = (await billing.get(f"/v1/payers/{payer_id}"))["plans"]
    assert plan["claim_filing_indicator"] == indicator
    claim = await billing.covered_claim(payer_id=payer_id, member_id=member_id)
    text = await exported(client, claim["id"])
    assert first(text, "SBR").element(9) == indicator


async def test_twelve_diagnoses_and_four_pointers(billing, client) -> None:
    claim = await billing.covered_claim(diagnoses=TWELVE_DIAGNOSES, lines=[
        line(pointers=[1, 2, 3, 4]), line("81002", "20.00", [5, 6, 7, 8]),
        line("85025", "30.00", [9, 10, 11, 12])])
    text = await exported(client, claim["id"])
    hi = first(text, "HI")
    assert len(hi.elements) == 12
    assert [e.split(":")[0] for e in hi.elements] == ["ABK"] + ["ABF"] * 11
    assert hi.component(12, 2) == "Z794"
    assert [seg.components(7) for seg in segments(text) if seg.id == "SV1"] == [
        ("1", "2", "3", "4"), ("5", "6", "7", "8"), ("9", "10", "11", "12")]


async def test_fifty_lines(billing, client) -> None:
    lines = [line(LAB_AND_VISIT_CODES[n % 10], f"{10 + n}.00") for n in range(50)]
    claim = await billing.covered_claim(lines=lines)
    text = await exported(client, claim["id"])
    assert [seg.element(1) for seg in segments(text) if seg.id == "LX"] == [
        str(n) for n in range(1, 51)]
    assert first(text, "CLM").element(2) == str(sum(10 + n for n in range(50)))


async def test_four_modifiers(billing, client) -> None:
    claim = await billing.covered_claim(lines=[line("20610", "200.00",
                                                    modifiers=["RT", "59", "XS", "76"])])
    text = await exported(client, claim["id"])
    assert first(text, "SV1").components(1) == ("HC", "20610", "RT", "59", "XS", "76")


async def test_replacement_refers_to_the_original_payer_claim(billing, client) -> None:
    encounter = billing.coding.add()
    await billing.coverage(encounter["patient"]["id"])
    original = await billing.submitted_and_processed((await billing.claim_for(encounter))["id"])
    billing.coding.recode(encounter, lines=[line("99214", "200.00")])
    replacement = (await billing.http.post(f"/v1/claims/{original['id']}/corrections",
                                           json={"encounter_coding_version": 2})).json()
    text = await exported(client, replacement["id"])
    assert first(text, "CLM").components(5) == ("11", "B", "7")
    assert first(text, "REF", "F8").element(2) == original["payer_claim_control_number"]


async def test_void_refers_to_its_own_payer_claim(billing, client) -> None:
    paid = await paid_claim(billing)
    await billing.act(paid["id"], "void")
    text = await exported(client, paid["id"])
    assert first(text, "CLM").components(5) == ("11", "B", "8")
    assert first(text, "REF", "F8").element(2) == paid["payer_claim_control_number"]


# --- control numbers, the batch, the submission path -------------------------------------


async def test_batch_export_puts_many_claims_in_one_interchange(billing, client) -> None:
    other_npi = valid_npi("138675944")
    await register_providers(client, client.headers, {**BILLING_PROVIDER, "npi": other_npi})
    claims = [await billing.covered_claim(), await billing.covered_claim(payer_id="MOCK-HMO"),
              await billing.covered_claim(billing_npi=other_npi)]
    response = await client.post("/v1/claims/x12-batch",
                                 json={"claim_ids": [c["id"] for c in claims]})
    assert response.status_code == 200, response.text
    assert pyx12_findings(response.text) == []
    batch = read_837p(response.text)
    assert [c.claim.patient_control_number for c in batch.claims] == [
        c["patient_control_number"] for c in claims]
    assert [c.claim.payer_id for c in batch.claims] == ["MOCK-PPO", "MOCK-HMO", "MOCK-PPO"]
    # One billing provider loop per billing NPI.
    assert [seg.element(9) for seg in segments(response.text)
            if seg.id == "NM1" and seg.element(1) == "85"] == ["1234567893", other_npi]


async def test_batch_export_names_each_claim_it_cannot_write(billing, client) -> None:
    good = await billing.covered_claim()
    bad_npi = await billing.covered_claim(billing_npi="1234567890")
    response = await client.post("/v1/claims/x12-batch", json={
        "claim_ids": [good["id"], "no-such-claim", bad_npi["id"]]})
    assert response.status_code == 422
    assert [(i["rule"], i["path"]) for i in response.json()["issues"]] == [
        ("claim.unknown", "$.claim_ids[1]"),
        ("npi.check_digit", "$.claim_ids[2].billing_provider_npi")]
    twice = await client.post("/v1/claims/x12-batch", json={"claim_ids": [good["id"]] * 2})
    assert twice.status_code == 422


async def test_a_claim_with_a_bad_npi_is_not_exported(billing, client) -> None:
    claim = await billing.covered_claim(billing_npi="1234567890")
    response = await client.get(f"/v1/claims/{claim['id']}/x12")
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    [finding] = response.json()["issues"]
    assert (finding["rule"], finding["path"]) == ("npi.check_digit", "$.billing_provider_npi")


async def test_another_tenants_claim_is_not_found(billing, client) -> None:
    claim = await billing.covered_claim()
    response = await client.get(f"/v1/claims/{claim['id']}/x12", headers=CLINIC_B)
    assert response.status_code == 404
    batch = await client.post("/v1/claims/x12-batch", json={"claim_ids": [claim["id"]]},
                              headers=CLINIC_B)
    assert [i["rule"] for i in batch.json()["issues"]] == ["claim.unknown"]


async def test_the_payer_receives_the_837p_written_once_per_submission(
    billing, client, app, payer
) -> None:
    claim = await billing.covered_claim()
    submitted = await billing.act(claim["id"], "submit")
    await payer.process()
    [sent] = [text for text in payer.recorder.sent
              if claim["patient_control_number"] in text]
    assert pyx12_findings(sent) == []
    assert first(sent, "REF", "D9").element(2)
    async with app.state.sessionmaker() as session:
        [row] = list(await session.scalars(select(X12Interchange).where(
            X12Interchange.submission_id == first(sent, "REF", "D9").element(2))))
    assert (row.purpose, row.content, row.claim_ids) == ("submission", sent, [claim["id"]])
    assert int(read_interchange(sent).control_number) == row.control_number
    assert submitted["status"] == "submitted"


# --- the reader and the checks pyx12 does not make ---------------------------------------

PATIENT = Person("Ann", "Lee", date(1980, 4, 2), "F")


def payer_claim(**changes: Any) -> ClaimForPayer:
    fields: dict[str, Any] = {
        "submission_id": "a1b2c3", "patient_control_number": "PCN00000000000000001",
        "frequency_code": "1", "original_payer_claim_number": None, "payer_id": "MOCK-PPO",
        "plan_code": None, "member_id": "W123456789", "group_number": "G-100",
        "relationship": "self", "subscriber": PATIENT, "patient": PATIENT,
        "patient_id": "MRN-77", "billing_provider_npi": "1234567893",
        "rendering_provider_npi": "1245319599", "place_of_service": "11",
        "billing_provider": billing_party(), "rendering_provider": rendering_party(),
        "patient_address": HOME_ADDRESS,
        "date_of_service": date(2026, 11, 2), "diagnoses": ("J06.9", "I10"),
        "lines": (ClaimLineForPayer(1, "99213", ("25",), 1, Decimal("150.00"), (1, 2),
                                    date(2026, 11, 2)),),
        "total_charge": Decimal("150.00"),
    }
    return ClaimForPayer(**{**fields, **changes})


def test_an_837p_reads_back_into_the_claim_it_was_written_from() -> None:
    claim = payer_claim()
    [read] = read_837p(claim_file(claim)).claims
    assert read.claim == claim
    assert read.line_item_control_numbers == ("PCN00000000000000001-1",)
    dependent = payer_claim(relationship="spouse", patient=Person("Bo", "Lee", date(1979, 1, 5),
                                                                  "M"),
                            frequency_code="7", original_payer_claim_number="PPO0000000042")
    [read] = read_837p(claim_file(dependent)).claims
    # The subscriber's birth date travels only when the subscriber is the patient.
    assert read.claim == payer_claim(
        relationship="spouse", patient=dependent.patient, frequency_code="7",
        original_payer_claim_number="PPO0000000042",
        subscriber=Person("Ann", "Lee", None, "U"), subscriber_address=HOME_ADDRESS)


def test_every_loop_the_data_allows_reads_back() -> None:
    facility = ServiceFacility("Springfield Surgery Center", "1356402390",
                               PostalAddress("9 Hospital Road", "Building B", "Springfield",
                                             "IL", "627020002"))
    claim = payer_claim(
        relationship="child", subscriber_address=PostalAddress(
            "12 Oak Avenue", None, "Chicago", "IL", "606011234"),
        referring_provider=ProviderParty("1467560003", True, "Okafor", "Ngozi"),
        service_facility=facility, prior_authorization="PA-2026-0042", place_of_service="22",
        lines=(ClaimLineForPayer(1, "J3301", (), 4, Decimal("60.00"), (1,), date(2026, 11, 2),
                                 ndc=DrugCode("00003029320", "ML", Decimal("1.5"))),
               ClaimLineForPayer(2, "99490", (), 1, Decimal("90.00"), (2,), date(2026, 11, 1),
                                 date_of_service_to=date(2026, 11, 30))),
        total_charge=Decimal("150.00"), date_of_service=date(2026, 11, 1))
    text = claim_file(claim)
    assert pyx12_findings(text) == []
    [read] = read_837p(text).claims
    assert read.claim == replace(claim, subscriber=Person("Ann", "Lee", None, "U"))


def test_a_valid_claim_has_no_findings() -> None:
    assert claim_issues(payer_claim()) == []


def test_what_pyx12_lets_through_is_refused() -> None:
    one_line = payer_claim().lines[0]

    def rules(**changes: Any) -> list[tuple[str, str]]:
        return [(f["rule"], f["path"]) for f in claim_issues(payer_claim(**changes))]

    assert rules(billing_provider_npi="1234567890") == [
        ("npi.check_digit", "$.billing_provider_npi")]
    assert rules(rendering_provider_npi="1245319598") == [
        ("npi.check_digit", "$.rendering_provider_npi")]
    assert rules(diagnoses=("J06.9",)) == [
        ("x12.pointer_range", "$.lines[0].diagnosis_pointers[1]")]
    assert rules(lines=(ClaimLineForPayer(1, "99213", (), 1, Decimal("150.00"),
                                          (1, 2, 1, 2, 1), date(2026, 11, 2)),)) == [
        ("x12.pointer_count", "$.lines[0].diagnosis_pointers")]
    assert rules(diagnoses=tuple(TWELVE_DIAGNOSES) + ("R05.9",)) == [
        ("x12.diagnosis_count", "$.diagnoses")]
    assert rules(lines=(ClaimLineForPayer(1, "20610", ("RT", "59", "XS", "76", "LT"), 1,
                                          Decimal("150.00"), (1,), date(2026, 11, 2)),)) == [
        ("x12.modifier_count", "$.lines[0].modifiers")]
    assert rules(frequency_code="6") == [("x12.frequency_code", "$.frequency_code")]
    assert rules(frequency_code="8") == [
        ("x12.original_claim_number", "$.original_payer_claim_number")]
    assert rules(frequency_code="8", original_payer_claim_number="PPO1") == []
    assert rules(lines=(one_line,) * 51) == [("x12.line_count", "$.lines")]


def test_registered_providers_are_named_and_addressed() -> None:
    claim = payer_claim(rendering_provider=ProviderParty(
        "1245319599", True, "Díaz", "Rosa", "207Q00000X"))
    text = write_837p([claim], X12Config(usage="P"), control_number=7,
                      created_at=datetime(2026, 11, 27, 9, 0, tzinfo=UTC), payer_names={})
    assert pyx12_findings(text) == []
    assert first(text, "PRV", "BI").elements == ("BI", "PXC", "261QP2300X")
    assert first(text, "NM1", "85").elements[:3] == ("85", "2", "DEMO CLINIC")
    assert (first(text, "N3").elements, first(text, "N4").elements) == (
        ("100 MAIN STREET",), ("SPRINGFIELD", "IL", "627010001"))
    assert first(text, "REF", "EI").element(2) == "990000001"
    # A person, accents folded to X12's character set, with the taxonomy payers price by.
    assert first(text, "NM1", "82").elements == ("82", "1", "Diaz", "Rosa", "", "", "", "XX",
                                                 "1245319599")
    assert first(text, "PRV", "PE").elements == ("PE", "PXC", "207Q00000X")
    assert read_interchange(text).usage == "P"


def test_no_rendering_loop_when_the_billing_provider_rendered_the_care() -> None:
    text = claim_file(payer_claim(rendering_provider_npi="1234567893",
                                  rendering_provider=billing_party()))
    assert pyx12_findings(text) == []
    assert not [seg for seg in segments(text) if seg.id == "NM1" and seg.element(1) == "82"]
    assert not [seg for seg in segments(text) if seg.id == "PRV" and seg.element(1) == "PE"]


def test_unregistered_providers_are_refused() -> None:
    rules = [(f["rule"], f["path"]) for f in claim_issues(payer_claim(
        billing_provider=None, rendering_provider=None))]
    assert rules == [("x12.billing_provider", "$.billing_provider_npi"),
                     ("x12.rendering_provider", "$.rendering_provider_npi")]
    # The billing provider rendering the care needs no registration of its own as renderer.
    assert claim_issues(payer_claim(rendering_provider_npi="1234567893",
                                    rendering_provider=None)) == []


# --- a claim to the next payer: loops 2320, 2330A, 2330B and 2430 ------------------------
# pyx12 finds nothing wrong, the amounts balance as the guide requires, and a payer reads the
# same adjudications back.

VISIT = date(2026, 11, 2)
LINES = (
    ClaimLineForPayer(1, "99214", (), 1, Decimal("200.00"), (1,), VISIT),
    ClaimLineForPayer(2, "36415", (), 1, Decimal("15.00"), (1,), VISIT),
)
MEDICARE = PriorPayerAdjudication(
    payer_id="MOCK-MCR", payer_name="Mock Medicare Part B", member_id="1EG4TE5MK74",
    subscriber=PATIENT, relationship="self", payer_sequence="P", claim_filing_indicator="MB",
    paid=Decimal("105.60"), patient_responsibility=Decimal("26.40"), claim_adjustments=(),
    lines=(
        PriorLineAdjudication(1, "99214", Decimal("103.20"), (
            Adjustment("CO", "45", Decimal("71.00")), Adjustment("PR", "2", Decimal("25.80"))),
            date(2026, 11, 20)),
        PriorLineAdjudication(2, "36415", Decimal("2.40"), (
            Adjustment("CO", "45", Decimal("12.00")), Adjustment("PR", "2", Decimal("0.60"))),
            date(2026, 11, 20)),
    ),
)


def secondary() -> ClaimForPayer:
    return payer_claim(payer_id="MOCK-SUPP", member_id="S100000001", lines=LINES,
                       total_charge=Decimal("215.00"), diagnoses=("E11.9",), payer_sequence="S",
                       prior_payers=(MEDICARE,))


def test_a_secondary_claim_passes_pyx12_and_reads_back_whole() -> None:
    claim = secondary()
    text = claim_file(claim)
    assert pyx12_findings(text) == []
    [read] = read_837p(text).claims
    # Loop 2330A names the other coverage's subscriber but carries no birth date or sex.
    named_only = replace(MEDICARE, subscriber=Person("Ann", "Lee", None, "U"))
    assert read.claim == replace(claim, prior_payers=(named_only,))


def test_the_loops_say_who_paid_what_and_balance() -> None:
    text = claim_file(secondary())
    segments = [seg for _, transaction in read_interchange(text).transactions()
                for seg in transaction.segments]
    sbr = [seg for seg in segments if seg.id == "SBR"]
    # The claim's own payer second (S), Medicare first (P) in 2320 with its filing indicator.
    assert [(s.element(1), s.element(9)) for s in sbr] == [("S", "CI"), ("P", "MB")]
    amounts = {seg.element(1): Decimal(seg.element(2)) for seg in segments if seg.id == "AMT"
               and seg.element(1) == "D"}
    assert amounts == {"D": Decimal("105.60")}
    svd = [seg for seg in segments if seg.id == "SVD"]
    assert [(s.element(1), Decimal(s.element(2))) for s in svd] == [
        ("MOCK-MCR", Decimal("103.20")), ("MOCK-MCR", Decimal("2.40"))]
    assert sum(Decimal(s.element(2)) for s in svd) == amounts["D"]
    # Each line's charge less its 2430 adjustments is what Medicare paid on it.
    for line, prior in zip(LINES, MEDICARE.lines, strict=True):
        assert line.charge - sum((a.amount for a in prior.adjustments), Decimal(0)) == prior.paid
    assert [seg.element(2) for seg in segments if seg.id == "DTP"
            and seg.element(1) == "573"] == ["D8", "D8"]
    other_payer = [seg for seg in segments if seg.id == "NM1" and seg.element(1) == "PR"]
    assert [seg.element(9) for seg in other_payer] == ["MOCK-SUPP", "MOCK-MCR"]


def test_a_primary_claim_has_no_coordination_loops() -> None:
    text = claim_file(payer_claim())
    assert "SVD*" not in text and "AMT*D*" not in text
    assert pyx12_findings(text) == []


# --- each datum beyond codes, from where it is entered to its segment ------------------

REFERRING = {"npi": "1467560003", "first_name": "Ngozi", "last_name": "Okafor"}
FACILITY = {"name": "Springfield Surgery Center", "npi": "1356402390",
            "address": {"line1": "9 Hospital Road", "line2": "Building B",
                        "city": "Springfield", "state": "IL", "postal_code": "627020002"}}
SUBSCRIBER = {"first_name": "Rui", "last_name": "Silva", "birth_date": "1975-06-30",
              "sex": "M", "address": {"line1": "12 Oak Avenue", "line2": None,
                                      "city": "Chicago", "state": "IL",
                                      "postal_code": "60601-1234"}}


def drug_line(**fields: Any) -> dict[str, Any]:
    return {"procedure_code": "J3301", "modifiers": [], "units": 4, "charge": "60.00",
            "diagnosis_pointers": [1], **fields}


def n3_n4(text: str, entity: str) -> list[tuple[str, tuple[str, ...]]]:
    return [seg for seg in loop_after(text, "NM1", entity) if seg[0] in ("N3", "N4")]


async def test_a_dependents_claim_carries_every_loop_the_data_allows(billing, client) -> None:
    encounter = billing.coding.add(
        referring_provider=REFERRING, service_facility=FACILITY,
        prior_authorization="PA-2026-0042",
        lines=[drug_line(ndc={"code": "00003029320", "unit": "ML", "quantity": "1.5"}),
               {"procedure_code": "99490", "modifiers": [], "units": 1, "charge": "90.00",
                "diagnosis_pointers": [1], "date_of_service": "2026-11-01",
                "date_of_service_to": "2026-11-30"}])
    await billing.coverage(encounter["patient"]["id"], relationship="child",
                           subscriber=SUBSCRIBER)
    claim = await billing.claim_for(encounter)
    assert claim["referring_provider"] == REFERRING
    assert claim["service_facility"] == FACILITY
    assert claim["patient"]["address"] == encounter["patient"]["address"]
    assert [(line["date_of_service_to"], line["ndc"]) for line in claim["lines"]] == [
        (None, {"code": "00003029320", "unit": "ML", "quantity": "1.5"}), ("2026-11-30", None)]
    text = await exported(client, claim["id"])

    # 2010BA: the subscriber's address (coverage); 2010CA: the patient's own (encounter).
    assert n3_n4(text, "IL") == [("N3", ("12 Oak Avenue",)),
                                 ("N4", ("Chicago", "IL", "606011234"))]
    assert n3_n4(text, "QC") == [("N3", ("42 Elm Street",)),
                                 ("N4", ("Springfield", "IL", "62704"))]
    # 2300 REF*G1, 2310A referring, 2310C service facility.
    assert first(text, "REF", "G1").element(2) == "PA-2026-0042"
    assert first(text, "NM1", "DN").elements == ("DN", "1", "Okafor", "Ngozi", "", "", "",
                                                 "XX", "1467560003")
    assert first(text, "NM1", "77").elements == ("77", "2", "Springfield Surgery Center", "",
                                                 "", "", "", "XX", "1356402390")
    assert n3_n4(text, "77") == [("N3", ("9 Hospital Road", "Building B")),
                                 ("N4", ("Springfield", "IL", "627020002"))]
    # 2400 DTP*472 per line (RD8 for the month), 2410 LIN/CTP for the drug.
    dates = [seg.elements for seg in segments(text) if seg.id == "DTP"
             and seg.element(1) == "472"]
    assert dates[1] == ("472", "RD8", "20261101-20261130")
    assert dates[0][1] == "D8" and dates[0][2] == encounter["date_of_service"].replace("-", "")
    assert first(text, "LIN").elements == ("", "N4", "00003029320")
    assert first(text, "CTP").elements == ("", "", "", "1.5", "ML")


async def test_the_situational_rules_on_the_file(billing, client) -> None:
    # The patient is the subscriber, on the Medicare plan, seen by a registered physician.
    encounter = billing.coding.add()
    await billing.coverage(encounter["patient"]["id"], payer_id="MOCK-MCR",
                           member_id=MEDICARE_MEMBER)
    claim = await billing.claim_for(encounter)
    assert claim["scrub_issues"] == []
    text = await exported(client, claim["id"])
    # 2010AA: the registry's clinic with its ZIP+4 and EIN.
    assert n3_n4(text, "85") == [("N3", ("100 Main Street", "Suite 200")),
                                 ("N4", ("Springfield", "IL", "627010001"))]
    assert len(first(text, "N4").element(3)) == 9
    assert first(text, "REF", "EI").element(2) == "990000001"
    # SBR09 is the plan's: MB for Medicare Part B.
    assert first(text, "SBR").elements[:2] == ("P", "18")
    assert first(text, "SBR").element(9) == "MB"
    # 2010BA N3/N4: the patient's own address, the patient being the subscriber.
    assert n3_n4(text, "IL") == [("N3", ("42 Elm Street",)),
                                 ("N4", ("Springfield", "IL", "62704"))]
    # No 2000C patient loop, and the rendering physician is a person with a taxonomy.
    assert not [seg for seg in segments(text) if seg.id == "NM1" and seg.element(1) == "QC"]
    assert first(text, "NM1", "82").elements[:4] == ("82", "1", "Diaz", "Rosa")
    assert first(text, "PRV", "PE").elements == ("PE", "PXC", "207Q00000X")
    # No line range, no drug: D8 and no LIN.
    assert first(text, "DTP", "472").element(2) == "D8"
    assert not [seg for seg in segments(text) if seg.id in ("LIN", "CTP", "NM1")
                and seg.element(1) in ("", "DN", "77")]
