"""coding-service over HTTP: timeouts, retries with exponential backoff and jitter on
connection errors, timeouts and 5xx, never on 4xx. The caller's own Authorization header is
forwarded, so coding-service decides what the caller's tenant may see."""

from __future__ import annotations

import logging
from typing import Any, TypeVar
from urllib.parse import quote, urlencode

import httpx
import stamina
from pydantic import BaseModel, ValidationError

from billing_service.codingclient.schemas import CodedEncounter, EncounterSummary, EventPage

logger = logging.getLogger("billing.coding_client")
ModelT = TypeVar("ModelT", bound=BaseModel)


class CodingServiceUnavailable(Exception):
    """coding-service did not answer usefully after every attempt."""


class EncounterNotFound(Exception):
    """coding-service answered 404: no such encounter (or coding version) for this tenant."""


class CodingServiceRefused(Exception):
    """coding-service answered another 4xx, or a body billing cannot read."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


class _ServerError(Exception):
    """coding-service answered 5xx: worth another try."""


class CodingClient:
    def __init__(self, http: httpx.AsyncClient, *, attempts: int,
                 backoff_seconds: float) -> None:
        self._http = http
        self._attempts = attempts
        self._backoff_seconds = backoff_seconds

    async def encounter(self, encounter_id: str, authorization: str) -> EncounterSummary:
        path = f"/v1/encounters/{quote(encounter_id, safe='')}"
        return await self._get(path, authorization, EncounterSummary)

    async def coding_version(
        self, encounter_id: str, coding_version: int, authorization: str
    ) -> CodedEncounter:
        path = f"/v1/encounters/{quote(encounter_id, safe='')}/coding-versions/{coding_version}"
        return await self._get(path, authorization, CodedEncounter)

    async def events(self, after: str | None, limit: int, authorization: str) -> EventPage:
        """The tenant's encounter events after the cursor `after` (from the start if None)."""
        query = {"limit": limit} if after is None else {"after": after, "limit": limit}
        return await self._get(f"/v1/events?{urlencode(query)}", authorization, EventPage)

    async def _get(self, path: str, authorization: str, model: type[ModelT]) -> ModelT:
        response = await self._with_retries(path, authorization)
        if response.status_code == 404:
            raise EncounterNotFound(path)
        if response.status_code >= 400:
            raise CodingServiceRefused(response.status_code, _problem_detail(response))
        try:
            return model.model_validate(response.json())
        except (ValueError, ValidationError) as exc:
            raise CodingServiceRefused(
                502, f"coding-service answered {path} with a body billing cannot read."
            ) from exc

    async def _with_retries(self, path: str, authorization: str) -> httpx.Response:
        headers = {"Authorization": authorization, "Accept": "application/json"}
        # stamina waits backoff * 2^(retry-1) plus up to backoff more at random (at most its
        # 5 s), so callers retrying together spread out. No overall deadline of its own: each
        # attempt has the client's timeouts.
        retrying = stamina.retry_context(
            on=(httpx.TransportError, _ServerError), attempts=self._attempts, timeout=None,
            wait_initial=self._backoff_seconds, wait_jitter=self._backoff_seconds)
        try:
            async for attempt in retrying:
                with attempt:
                    response = await self._attempt(path, headers, attempt.num)
        except (httpx.TransportError, _ServerError) as exc:
            raise CodingServiceUnavailable(_failure(exc)) from exc
        return response

    async def _attempt(self, path: str, headers: dict[str, str], number: int) -> httpx.Response:
        try:
            response = await self._http.get(path, headers=headers)
            if response.status_code >= 500:
                raise _ServerError(f"HTTP {response.status_code}")
        except (httpx.TransportError, _ServerError) as exc:  # refused, reset, timeouts, 5xx
            logger.warning("coding-service attempt failed",
                           extra={"attempt": number, "error_type": _failure(exc)})
            raise
        return response


def _failure(exc: Exception) -> str:
    return str(exc) if isinstance(exc, _ServerError) else type(exc).__name__


class CodingReader:
    """coding-service read with one API key: the caller's own (so coding-service decides what
    the caller's tenant may see), or the key billing is configured with for a tenant."""

    def __init__(self, client: CodingClient, authorization: str) -> None:
        self._client = client
        self._authorization = authorization

    async def encounter(self, encounter_id: str) -> EncounterSummary:
        return await self._client.encounter(encounter_id, self._authorization)

    async def coding_version(self, encounter_id: str, coding_version: int) -> CodedEncounter:
        return await self._client.coding_version(encounter_id, coding_version,
                                                 self._authorization)

    async def events(self, after: str | None, limit: int) -> EventPage:
        return await self._client.events(after, limit, self._authorization)


def _problem_detail(response: httpx.Response) -> str:
    try:
        body: Any = response.json()
    except ValueError:
        body = None
    detail = body.get("detail") if isinstance(body, dict) else None
    if isinstance(detail, str):
        return detail
    return f"coding-service answered HTTP {response.status_code}."
