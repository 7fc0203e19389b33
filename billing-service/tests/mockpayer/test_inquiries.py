"""The mock payer's real-time answers, over HTTP and as pure rules: 270 -> 271 from its
members, plans and accumulators; 276 -> 277 from where its claims are; estimates priced as it
adjudicates. Bad input is refused with a problem naming what is wrong."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from decimal import Decimal

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from billing_service.payers.adapter import Person
from billing_service.payers.clearinghouse import ClearinghouseAdapter
from billing_service.x12 import eligibility, status
from billing_service.x12.eligibility import EligibilityInquiry, read_271, write_270
from billing_service.x12.status import StatusInquiry, read_277, write_276
from billing_service.x12.syntax import Envelope, X12ReadError
from mockpayer import benefits
from mockpayer.app import create_app
from mockpayer.config import Settings
from mockpayer.engine import Accumulator, PayerRules
from rcm_shared.auth import ApiKeyRecord, hash_key

NOW = datetime(2026, 12, 5, 9, 30, tzinfo=UTC)
KEY = "key-account-a"
ANA = Person("Ana", "Silva", date(1980, 2, 1), "F")


def inquiry(member_id: str, payer_id: str = "MOCK-PPO",
            day: date = date(2026, 6, 1)) -> EligibilityInquiry:
    return EligibilityInquiry("TRACE1", payer_id, "Payer", "1234567893", "DEMO CLINIC",
                              "990000001", member_id, None, ANA, day, ("30",))


def envelope(functional_id: str, version: str) -> Envelope:
    return Envelope("RCMBILLING", "MOCKPAYER", 7, NOW, functional_id, version)


def client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                             base_url="http://clearinghouse.test",
                             headers={"Authorization": f"Bearer {KEY}"})


@pytest.fixture
async def app(mock_payer_database_url: str) -> AsyncIterator[FastAPI]:
    application = create_app(Settings(
        environment="production", database_url=mock_payer_database_url,
        api_keys=[ApiKeyRecord(key_sha256=hash_key(KEY), tenant_id="account-a")]))
    async with LifespanManager(application):
        yield application


# --- the rules --------------------------------------------------------------------------


def test_who_the_payer_answers_about(rules: dict[str, PayerRules]) -> None:
    ppo = rules["MOCK-PPO"]
    assert benefits.member_of_inquiry(ppo, inquiry("W123456789")) is None
    assert benefits.member_of_inquiry(ppo, inquiry("W12")) == "72"
    assert benefits.member_of_inquiry(ppo, inquiry("W000000000")) == "75"
    assert benefits.member_of_inquiry(rules["MOCK-OLD"], inquiry("L100000001", "MOCK-OLD")) \
        == "79"
    assert benefits.member_of_inquiry(None, inquiry("W123456789", "ACME")) == "79"


def test_what_remains_comes_from_the_accumulator(rules: dict[str, PayerRules]) -> None:
    fresh = benefits.answer(inquiry("W123456789"), rules["MOCK-PPO"], None)
    assert (fresh.deductible.remaining, fresh.out_of_pocket.remaining) == (  # type: ignore[union-attr]
        Decimal("500.00"), Decimal("3000.00"))
    used = benefits.answer(inquiry("W123456789"), rules["MOCK-PPO"],
                           Accumulator(Decimal("620.00"), Decimal("3100.00")))
    # Never below zero once met.
    assert (used.deductible.remaining, used.out_of_pocket.remaining) == (  # type: ignore[union-attr]
        Decimal("0.00"), Decimal("0.00"))
    ended = benefits.answer(inquiry("W100000001", day=date(2026, 4, 1)), rules["MOCK-PPO"], None)
    assert (ended.status, ended.plan_end) == ("inactive", date(2026, 3, 31))
    last_day = benefits.answer(inquiry("W100000001", day=date(2026, 3, 31)),
                               rules["MOCK-PPO"], None)
    assert last_day.status == "active"


def test_x12_readers_refuse_what_is_not_theirs() -> None:
    text_270 = write_270(inquiry("W123456789"), envelope(eligibility.INQUIRY_FUNCTIONAL_ID,
                                                         eligibility.VERSION))
    assert eligibility.read_270(text_270).member_id == "W123456789"
    with pytest.raises(X12ReadError, match="expected a 271"):
        read_271(text_270)
    with pytest.raises(X12ReadError, match="no service type"):
        eligibility.read_270(re.sub(r"SE\*(\d+)", lambda m: f"SE*{int(m[1]) - 1}",
                                    text_270.replace("EQ*30~\n", "")))
    asked = StatusInquiry("T1", "MOCK-PPO", "Payer", "RCMBILLING", "RCM", "1234567893",
                          "CLINIC", "W123456789", ANA, "C123", None, Decimal("150.00"),
                          date(2026, 6, 1), date(2026, 6, 3))
    text_276 = write_276(asked, envelope(status.INQUIRY_FUNCTIONAL_ID, status.VERSION))
    assert "DTP*472*RD8*20260601-20260603~" in text_276
    assert status.read_276(text_276) == asked
    with pytest.raises(X12ReadError, match="expected a 277"):
        read_277(text_276)


# --- over HTTP --------------------------------------------------------------------------


async def test_the_clearinghouse_answers_a_270_and_a_276(app: FastAPI) -> None:
    async with client(app) as http:
        payer = ClearinghouseAdapter(http)
        answer = read_271(await payer.check_eligibility(write_270(
            inquiry("W100000002"), envelope(eligibility.INQUIRY_FUNCTIONAL_ID,
                                            eligibility.VERSION))))
        assert answer.status == "active"
        assert answer.deductible.remaining == Decimal("0.00")  # type: ignore[union-attr]
        asked = StatusInquiry("T2", "MOCK-PPO", "Payer", "RCMBILLING", "RCM", "1234567893",
                              "CLINIC", "W123456789", ANA, "NEVER-SENT", None,
                              Decimal("10.00"), date(2026, 6, 1), date(2026, 6, 1))
        found = read_277(await payer.claim_status(write_276(
            asked, envelope(status.INQUIRY_FUNCTIONAL_ID, status.VERSION))))
        assert (found.category, found.status_code, found.trace_number) == ("A4", "35", "T2")


async def test_bad_inquiries_are_refused_with_a_problem(app: FastAPI) -> None:
    async with client(app) as http:
        for path in ("/v1/eligibility-inquiries", "/v1/claim-status-inquiries"):
            wrong_type = await http.post(path, content=b"ISA", headers={
                "Content-Type": "application/json"})
            assert wrong_type.status_code == 415
            garbage = await http.post(path, content=b"not x12", headers={
                "Content-Type": "application/edi-x12"})
            assert garbage.status_code == 422
            assert garbage.headers["content-type"] == "application/problem+json"
            assert garbage.json()["issues"][0]["rule"] == "x12.syntax"
        a_271_is_no_270 = await http.post(
            "/v1/claim-status-inquiries", headers={"Content-Type": "application/edi-x12"},
            content=write_270(inquiry("W123456789"), envelope(
                eligibility.INQUIRY_FUNCTIONAL_ID, eligibility.VERSION)).encode())
        assert a_271_is_no_270.status_code == 422
        unknown_member = await http.post("/v1/estimates", json={
            "payer_id": "MOCK-PPO", "member_id": "W000000000", "date_of_service": "2026-06-01",
            "lines": [{"procedure_code": "99213", "units": 1, "charge": "150.00"}]})
        assert unknown_member.status_code == 422
        assert unknown_member.json()["issues"][0]["path"] == "$.member_id"
        priced = await http.post("/v1/estimates", json={
            "payer_id": "MOCK-HMO", "member_id": "H12345678", "date_of_service": "2026-06-01",
            "lines": [{"procedure_code": "99213", "units": 1, "charge": "150.00"}]})
        assert priced.status_code == 200, priced.text
        [line] = priced.json()["lines"]
        assert {(a["group"], a["carc"]) for a in line["adjustments"]} >= {("PR", "3")}
