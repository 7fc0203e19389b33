"""The PayerAdapter over HTTP (PAYER_ADAPTER=http): a clearinghouse reached at
CLEARINGHOUSE_URL with the account credential CLEARINGHOUSE_API_KEY, as `mockpayer serve`
answers. Submitting posts the 837P text; the 277CA and 835 files are collected from the
account's mailbox and acknowledged once billing has kept them."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

import httpx
from pydantic import TypeAdapter

from billing_service.payers.adapter import (
    AppealDecision,
    AppealRequest,
    EstimateRequest,
    PayerInfo,
    PayerRefused,
    PayerUnavailable,
    Remittance,
    ResponseFile,
    SubmissionReceipt,
)

# The payer directory changes seldom and is read on every claim built: kept this long.
PAYERS_TTL_SECONDS = 60.0
_payer_list = TypeAdapter(list[PayerInfo])
_remittance = TypeAdapter(Remittance)
X12_HEADERS = {"Content-Type": "application/edi-x12"}


class ClearinghouseError(Exception):
    """The clearinghouse refused a request (a 4xx): sending it again changes nothing."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail  # the clearinghouse's own reason


class ClearinghouseAdapter:
    def __init__(self, client: httpx.AsyncClient) -> None:
        """`client` carries the base URL, the credential and the timeouts."""
        self._client = client
        self._payers: tuple[float, list[PayerInfo]] | None = None

    async def submit(self, interchange: str) -> SubmissionReceipt:
        body = await self._call("POST", "/v1/submissions", content=interchange.encode("ascii"),
                                headers={"Content-Type": "application/edi-x12"})
        return SubmissionReceipt(interchange_control_number=str(body["interchange_control_number"]),
                                 received=bool(body["received"]))

    async def fetch_responses(self) -> list[ResponseFile]:
        body = await self._call("GET", "/v1/files")
        return [ResponseFile(str(item["file_id"]), str(item["content"]))
                for item in body["items"]]

    async def acknowledge(self, file_ids: Sequence[str]) -> None:
        if file_ids:
            await self._call("POST", "/v1/files/acknowledgments",
                             json={"file_ids": list(file_ids)})

    async def check_eligibility(self, inquiry: str) -> str:
        return await self._x12_call("/v1/eligibility-inquiries", inquiry)

    async def claim_status(self, inquiry: str) -> str:
        return await self._x12_call("/v1/claim-status-inquiries", inquiry)

    async def estimate(self, request: EstimateRequest) -> Remittance:
        body = {
            "payer_id": request.payer_id, "plan_code": request.plan_code,
            "member_id": request.member_id,
            "date_of_service": request.date_of_service.isoformat(),
            "lines": [{"procedure_code": line.procedure_code, "modifiers": list(line.modifiers),
                       "units": line.units, "charge": str(line.charge),
                       "date_of_service": line.date_of_service.isoformat()}
                      for line in request.lines],
        }
        try:
            answer = await self._call("POST", "/v1/estimates", json=body)
        except ClearinghouseError as exc:
            raise PayerRefused(exc.detail) from exc
        return _remittance.validate_python(answer)

    async def appeal(self, request: AppealRequest) -> str:
        body = {"appeal_id": request.appeal_id, "payer_id": request.payer_id,
                "payer_claim_control_number": request.payer_claim_control_number,
                "patient_control_number": request.patient_control_number,
                "level": request.level, "letter": request.letter}
        try:
            answer = await self._call("POST", "/v1/appeals", json=body)
        except ClearinghouseError as exc:
            raise PayerRefused(exc.detail) from exc
        return str(answer["reference"])

    async def appeal_decision(self, reference: str) -> AppealDecision | None:
        try:
            answer = await self._call("GET", f"/v1/appeals/{reference}")
        except ClearinghouseError as exc:
            raise PayerRefused(exc.detail) from exc
        if answer["status"] not in ("overturned", "upheld"):
            return None
        return AppealDecision(outcome=answer["status"],
                              decided_on=date.fromisoformat(answer["decided_on"]),
                              explanation=str(answer["explanation"]))

    async def _x12_call(self, path: str, text: str) -> str:
        """The X12 answer to an X12 inquiry, failing as _call does."""
        try:
            response = await self._client.post(path, content=text.encode("ascii"),
                                               headers=X12_HEADERS)
        except httpx.TransportError as exc:
            raise PayerUnavailable(f"The clearinghouse did not answer ({type(exc).__name__}).") \
                from exc
        _raise_for(response, "POST", path)
        return response.text

    async def payers(self) -> list[PayerInfo]:
        now = time.monotonic()
        if self._payers is None or now - self._payers[0] > PAYERS_TTL_SECONDS:
            body = await self._call("GET", "/v1/payers")
            self._payers = (now, _payer_list.validate_python(body["items"]))
        return self._payers[1]

    async def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        """The JSON answer; PayerUnavailable when the clearinghouse could not be reached, did
        not answer in time or answered 5xx (the request may have reached it: send it again),
        ClearinghouseError on any other refusal."""
        try:
            response = await self._client.request(method, path, **kwargs)
        except httpx.TransportError as exc:
            raise PayerUnavailable(f"The clearinghouse did not answer ({type(exc).__name__}).") \
                from exc
        _raise_for(response, method, path)
        return response.json() if response.content else None


def _raise_for(response: httpx.Response, method: str, path: str) -> None:
    if response.status_code >= 500:
        raise PayerUnavailable(f"The clearinghouse answered {response.status_code}.")
    if response.status_code >= 400:
        raise ClearinghouseError(
            f"The clearinghouse refused {method} {path} with {response.status_code}: "
            f"{_detail(response)}", _detail(response))


def _detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    return str(body.get("detail", ""))[:200] if isinstance(body, dict) else ""


@asynccontextmanager
async def clearinghouse_adapter(
    url: str, api_key: str, timeout_seconds: float
) -> AsyncIterator[ClearinghouseAdapter]:
    async with httpx.AsyncClient(
        base_url=url, timeout=timeout_seconds, headers={"Authorization": f"Bearer {api_key}"},
        # Only paths under base_url are requested: a plain-http clearinghouse never loads
        # the CA bundle.
        verify=httpx.URL(url).scheme != "http",
    ) as client:
        yield ClearinghouseAdapter(client)
