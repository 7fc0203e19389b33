"""The mock clearinghouse over HTTP (`mockpayer serve`), and billing's HTTP payer adapter
talking to it: every call authenticated, every account reaching only its own files, bad
input refused with a problem, the payer's faults answered as a real clearinghouse's would be."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import replace

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from payer_files import ClaimsInX12, claim_file
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from billing_service.payers.adapter import AppealRequest, PayerRefused, PayerUnavailable
from billing_service.payers.clearinghouse import ClearinghouseAdapter, ClearinghouseError
from mockpayer.app import create_app
from mockpayer.config import MockPayerConfig, Settings
from rcm_shared.auth import ApiKeyRecord, hash_key

KEYS = {"key-account-a": "account-a", "key-account-b": "account-b"}


def make_app(url: str, **config: object) -> FastAPI:
    return create_app(Settings(
        environment="production", database_url=url,
        api_keys=[ApiKeyRecord(key_sha256=hash_key(key), tenant_id=account)
                  for key, account in KEYS.items()],
        mock_payer=MockPayerConfig(adjudication_delay_polls=0, **config),  # type: ignore[arg-type]
    ))


@pytest.fixture
async def app(mock_payer_database_url: str,
              sessionmaker: async_sessionmaker[AsyncSession]) -> AsyncIterator[FastAPI]:
    application = make_app(mock_payer_database_url)
    async with LifespanManager(application):
        yield application


def client(app: FastAPI, key: str | None = "key-account-a") -> httpx.AsyncClient:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                             base_url="http://clearinghouse.test", headers=headers)


def adapter(app: FastAPI, key: str = "key-account-a") -> ClaimsInX12:
    return ClaimsInX12(ClearinghouseAdapter(client(app, key)))


async def test_billings_http_adapter_walks_a_claim_to_paid(app: FastAPI, make_claim) -> None:
    payer = adapter(app)
    assert {p.payer_id for p in await payer.payers()} >= {"MOCK-PPO", "MOCK-HMO"}
    claim = make_claim(("99213", "150.00"))
    receipt = await payer.submit(claim)
    assert receipt.received
    # The same file again (a retry) is the same submission.
    assert await payer.submit(claim) == receipt
    ack, remittance = await payer.fetch_responses()
    assert ack.status == "accepted"
    assert remittance.status == "paid"
    assert remittance.payer_claim_control_number == ack.payer_claim_control_number
    assert await payer.fetch_responses() == []


async def test_every_call_needs_an_account_key(app: FastAPI) -> None:
    async with client(app, key=None) as anonymous, client(app, key="not-a-key") as stranger:
        for http in (anonymous, stranger):
            for method, path in (("GET", "/v1/files"), ("GET", "/v1/payers"),
                                 ("POST", "/v1/submissions"),
                                 ("POST", "/v1/files/acknowledgments")):
                response = await http.request(method, path)
                assert response.status_code == 401, (method, path)
                assert response.headers["content-type"] == "application/problem+json"


async def test_an_account_neither_sees_nor_acknowledges_another_accounts_files(
    app: FastAPI, make_claim
) -> None:
    ours, theirs = adapter(app, "key-account-a"), adapter(app, "key-account-b")
    await ours.submit(make_claim(("99213", "150.00")))
    async with client(app, "key-account-b") as other:
        assert (await other.get("/v1/files")).json() == {"items": []}
        async with client(app, "key-account-a") as own:
            files = (await own.get("/v1/files")).json()["items"]
            assert len(files) == 2
            taken = await other.post("/v1/files/acknowledgments",
                                     json={"file_ids": [f["file_id"] for f in files]})
            assert taken.status_code == 204
            assert (await own.get("/v1/files")).json()["items"] == files
    assert await theirs.fetch_responses() == []


@pytest.mark.parametrize(("body", "content_type", "status", "rule"), [
    (b"ISA*00*", "text/csv", 415, None),
    (b"\xff\xfe not ascii", "application/edi-x12", 422, "x12.encoding"),
    (b"GS*HC*not an interchange~", "application/edi-x12", 422, "x12.syntax"),
])
async def test_a_body_that_is_not_an_837p_is_refused_naming_the_rule(
    app: FastAPI, body: bytes, content_type: str, status: int, rule: str | None
) -> None:
    async with client(app) as http:
        response = await http.post("/v1/submissions", content=body,
                                   headers={"Content-Type": content_type})
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    if rule is not None:
        assert [issue["rule"] for issue in response.json()["issues"]] == [rule]


@pytest.mark.parametrize("file_ids", [[], ["12a"], ["1" * 10], ["1\x00"], "1"])
async def test_acknowledgments_refuse_what_is_not_a_list_of_file_ids(
    app: FastAPI, file_ids: object
) -> None:
    async with client(app) as http:
        response = await http.post("/v1/files/acknowledgments", json={"file_ids": file_ids})
    assert response.status_code == 422, response.text
    assert response.json()["issues"][0]["path"].startswith("$.file_ids")


async def test_a_payer_fault_is_a_503_and_the_adapter_retries_later(
    mock_payer_database_url: str, sessionmaker: async_sessionmaker[AsyncSession], make_claim
) -> None:
    failing = make_app(mock_payer_database_url, submit_error_rate=1.0)
    async with LifespanManager(failing):
        async with client(failing) as http:
            response = await http.post("/v1/submissions", headers={
                "Content-Type": "application/edi-x12"},
                content=claim_file(make_claim(("99213", "150.00"))))
            assert response.status_code == 503
            assert response.headers["retry-after"] == "1"
        with pytest.raises(PayerUnavailable):
            await adapter(failing).submit(make_claim(("99213", "150.00")))


async def test_the_adapter_tells_an_unreachable_clearinghouse_from_a_refusal(app: FastAPI) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    unreachable = ClearinghouseAdapter(httpx.AsyncClient(
        transport=httpx.MockTransport(refuse), base_url="http://clearinghouse.test"))
    with pytest.raises(PayerUnavailable):
        await unreachable.fetch_responses()
    with pytest.raises(ClearinghouseError, match="422"):
        await ClearinghouseAdapter(client(app)).submit("not an interchange")


@pytest.mark.parametrize("command", ["migrate", "serve"])
def test_a_bad_setting_stops_the_command_with_one_line_naming_it(
        monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    monkeypatch.setenv("MOCK_PAYER__SUBMIT_ERROR_RATE", "often")
    done = subprocess.run([sys.executable, "-m", "mockpayer.cli", command],
                          capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == ("mockpayer: bad setting: MOCK_PAYER__SUBMIT_ERROR_RATE: Input should "
                           "be a valid number, unable to parse string as a number\n")


async def test_an_appeal_over_http_is_recorded_once_and_decided_in_the_next_turn(
    app: FastAPI, make_claim
) -> None:
    ours = adapter(app)
    http_adapter = ours.adapter
    claim = make_claim(("97530", "60.00"), ("97140", "50.00", ("59",)))
    await ours.submit(claim)
    ack, denied = await ours.fetch_responses()
    assert denied.status == "partially_paid"
    request = AppealRequest(appeal_id="appeal-1", payer_id="MOCK-PPO",
                            payer_claim_control_number=str(ack.payer_claim_control_number),
                            patient_control_number=claim.patient_control_number, level=1,
                            letter="Line 2 is a distinct procedure, documented.")
    reference = await http_adapter.appeal(request)
    # Sent again (a retry), it is the same appeal.
    assert await http_adapter.appeal(request) == reference
    assert await http_adapter.appeal_decision(reference) is None
    # The next turn decides it, and its 835 takes back the partial payment and pays anew.
    reversal, paid = await ours.fetch_responses()
    assert (reversal.status, paid.status) == ("reversed", "paid")
    assert reversal.paid == -denied.paid
    decision = await http_adapter.appeal_decision(reference)
    assert decision is not None and decision.outcome == "overturned"
    assert "line 2" in decision.explanation
    # Another account neither sees the appeal nor appeals the claim.
    other = adapter(app, "key-account-b").adapter
    with pytest.raises(PayerRefused):
        await other.appeal_decision(reference)
    with pytest.raises(PayerRefused):
        await other.appeal(replace(request, appeal_id="appeal-2"))


async def test_an_appeal_of_a_claim_the_payer_never_adjudicated_is_refused(
    app: FastAPI,
) -> None:
    http_adapter = adapter(app).adapter
    with pytest.raises(PayerRefused):
        await http_adapter.appeal(AppealRequest(
            appeal_id="appeal-x", payer_id="MOCK-PPO", payer_claim_control_number="PPO404",
            patient_control_number="PCN404", level=1, letter="Please review."))
    with pytest.raises(PayerRefused):
        await http_adapter.appeal_decision("999999")
    async with client(app) as http:
        response = await http.post("/v1/appeals", json={
            "appeal_id": "appeal-y", "payer_id": "MOCK-PPO",
            "payer_claim_control_number": "PPO404", "patient_control_number": "PCN404",
            "level": 3, "letter": "Please review."})
        assert response.status_code == 422
        assert "level" in response.text


async def test_an_appeal_of_a_claim_voided_before_its_decision_is_upheld(
    app: FastAPI, make_claim
) -> None:
    ours = adapter(app)
    claim = make_claim(("97530", "60.00"), ("97140", "50.00", ("59",)))
    await ours.submit(claim)
    ack, _ = await ours.fetch_responses()
    number = str(ack.payer_claim_control_number)
    reference = await ours.adapter.appeal(AppealRequest(
        appeal_id="appeal-void", payer_id="MOCK-PPO", payer_claim_control_number=number,
        patient_control_number=claim.patient_control_number, level=1, letter="Review."))
    await ours.submit(replace(claim, submission_id=f"{claim.submission_id}-void",
                              frequency_code="8", original_payer_claim_number=number))
    # One turn: the void reverses the claim first, so the appeal has nothing to review.
    responses = await ours.fetch_responses()
    assert [getattr(r, "status", None) for r in responses] == ["accepted", "reversed"]
    decision = await ours.adapter.appeal_decision(reference)
    assert decision is not None and decision.outcome == "upheld"
    assert "replaced or voided" in decision.explanation
