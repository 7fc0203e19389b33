"""DirectRoute: documented as FastAPI documents the endpoint, answering every request, valid or
not, exactly as FastAPI's own handling of the same endpoint answers it."""

from __future__ import annotations

from contextlib import asynccontextmanager
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

import httpx
import pytest
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.routing import APIRoute
from pydantic import Field

from rcm_shared import direct_route, schemas
from rcm_shared.app import create_service_app
from rcm_shared.auth import Principal, require_scope
from rcm_shared.direct_route import DirectRoute
from rcm_shared.jsonutil import FastJSONResponse
from rcm_shared.schemas import RequestModel
from rcm_shared.settings import ServiceSettings

Reader = Annotated[Principal, Depends(require_scope("coding:write"))]


class Line(RequestModel):
    code: str = Field(min_length=5, max_length=5, description="A procedure code")
    charge: Decimal = Field(ge=0, decimal_places=2, description="What the line costs")


class Visit(RequestModel):
    patient: str = Field(max_length=20, description="The patient's id")
    seen: date = Field(description="The date of service")
    lines: list[Line] = Field(min_length=1, description="The lines billed")


async def check(visit: Visit, request: Request, principal: Reader) -> FastJSONResponse:
    """Answers what it was given, and whose key sent it."""
    total = sum((line.charge for line in visit.lines), Decimal(0))
    return FastJSONResponse({"tenant": principal.tenant_id, "seen": visit.seen.isoformat(),
                             "total": str(total), "path": request.url.path})


def make_app(route_class: type[APIRoute]) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI):  # type: ignore[no-untyped-def]
        yield

    async def readiness(app: FastAPI) -> dict[str, Any]:
        return {}

    app = create_service_app(name="test", title="test", description="", version="0",
                             settings=ServiceSettings(), lifespan=lifespan,
                             readiness=readiness)
    router = APIRouter(prefix="/v1", tags=["visits"])
    router.add_api_route("/check", check, methods=["POST"], route_class_override=route_class,
                         summary="Check a visit", response_model=None)
    app.include_router(router)
    return app


KEY = {"Authorization": "Bearer demo-key-clinic-a"}
VISIT = {"patient": "MRN-1", "seen": "2026-11-30",
         "lines": [{"code": "99214", "charge": "180.00"}, {"code": "36415", "charge": 12.5}]}
JSON = {"Content-Type": "application/json"}

# (headers, body): every way a request can be right or wrong, in the order FastAPI checks.
REQUESTS: dict[str, tuple[dict[str, str], bytes]] = {
    "valid": ({**KEY, **JSON}, httpx.Request("POST", "/", json=VISIT).content),
    "valid, a JSON media type with parameters": (
        {**KEY, "Content-Type": "application/json; charset=utf-8"},
        httpx.Request("POST", "/", json=VISIT).content),
    "valid, a +json media type": ({**KEY, "Content-Type": "application/visit+json"},
                                  httpx.Request("POST", "/", json=VISIT).content),
    "not JSON": ({**KEY, **JSON}, b'{"patient": "MRN-1",'),
    "not text": ({**KEY, **JSON}, b'{"patient": "\xff"}'),
    "empty": ({**KEY, **JSON}, b""),
    "no media type": (KEY, httpx.Request("POST", "/", json=VISIT).content),
    "another media type": ({**KEY, "Content-Type": "text/plain"}, b"{}"),
    "a JSON array": ({**KEY, **JSON}, b"[]"),
    "fields wrong": ({**KEY, **JSON}, b'{"patient": "' + b"x" * 30 + b'", "seen": "2026-02-30",'
                     b' "lines": [{"code": "992", "charge": "1.005"}]}'),
    "a field missing and one unknown": ({**KEY, **JSON}, b'{"seen": "2026-11-30", "lines": '
                                        b'[{"code": "99214", "charge": 1}], "extra": 1}'),
    "a control character": ({**KEY, **JSON}, b'{"patient": "MRN\\u0001", "seen": "2026-11-30",'
                            b' "lines": [{"code": "99214", "charge": 1}]}'),
    "a raw DEL character": ({**KEY, **JSON}, b'{"patient": "MRN-1", "seen": "2026-11-30",'
                            b' "lines": [{"code": "99214", "charge": 1}, {"code": "9921\x7f",'
                            b' "charge": 1}]}'),
    "valid, an escaped tab and newline": ({**KEY, **JSON}, b'{"patient": "MRN\\t1\\n",'
                                          b' "seen": "2026-11-30", "lines": [{"code": "99214",'
                                          b' "charge": 1}]}'),
    "no key": (JSON, httpx.Request("POST", "/", json=VISIT).content),
    "an unknown key": ({"Authorization": "Bearer nobody", **JSON},
                       httpx.Request("POST", "/", json=VISIT).content),
    "a key without the scope": ({"Authorization": "Bearer demo-key-clinic-a-readonly", **JSON},
                                httpx.Request("POST", "/", json=VISIT).content),
    "no key and not JSON": (JSON, b"{"),
    "no key and fields wrong": (JSON, b'{"patient": 1}'),
}


async def answers(route_class: type[APIRoute]) -> dict[str, tuple[int, Any]]:
    transport = httpx.ASGITransport(app=make_app(route_class))
    found = {}
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        for name, (headers, body) in REQUESTS.items():
            response = await client.post("/v1/check", headers=headers, content=body)
            found[name] = (response.status_code, response.json())
    return found


async def test_every_request_is_answered_as_fastapi_answers_it() -> None:
    direct, fastapi = await answers(DirectRoute), await answers(APIRoute)
    for name in REQUESTS:
        assert direct[name] == fastapi[name], name
    assert direct["valid"] == (200, {"tenant": "clinic-a", "seen": "2026-11-30",
                                     "total": "192.50", "path": "/v1/check"})
    statuses = {name: status for name, (status, _) in direct.items()}
    assert statuses == {
        "valid": 200, "valid, a JSON media type with parameters": 200,
        "valid, a +json media type": 200, "not JSON": 422, "not text": 400, "empty": 422,
        "no media type": 422, "another media type": 422, "a JSON array": 422,
        "fields wrong": 422, "a field missing and one unknown": 422, "a control character": 422,
        "a raw DEL character": 422, "valid, an escaped tab and newline": 200,
        "no key": 401, "an unknown key": 401, "a key without the scope": 403,
        "no key and not JSON": 422, "no key and fields wrong": 401,
    }
    paths = {issue["path"] for issue in direct["fields wrong"][1]["issues"]}
    assert paths == {"$.patient", "$.seen", "$.lines[0].code", "$.lines[0].charge"}
    assert [i["path"] for i in direct["a control character"][1]["issues"]] == ["$.patient"]
    assert [i["path"] for i in direct["a raw DEL character"][1]["issues"]] == [
        "$.lines[1].code"]


def test_the_document_is_the_one_fastapi_writes() -> None:
    assert make_app(DirectRoute).openapi() == make_app(APIRoute).openapi()


async def test_a_valid_body_is_validated_once_from_its_bytes(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """No JSON decoding in Python, no second validation (FastAPI's path is not taken) and no
    search for control characters field by field: the raw body holds none."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("FastAPI's body handling ran")

    async def refuse_async(*args: object, **kwargs: object) -> None:
        refuse()

    monkeypatch.setattr(direct_route, "request_body_to_args", refuse_async)
    monkeypatch.setattr(direct_route, "_received_body", refuse)
    monkeypatch.setattr(schemas, "_refuse_control_characters", refuse)
    transport = httpx.ASGITransport(app=make_app(DirectRoute), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        valid = await client.post("/v1/check", headers=KEY, json=VISIT)
        invalid = await client.post("/v1/check", headers=KEY, json={"patient": 1})
    assert valid.status_code == 200 and valid.json()["total"] == "192.50"
    assert invalid.status_code == 500  # the invalid one did take FastAPI's path


async def test_an_endpoint_it_cannot_answer_is_refused_when_built() -> None:
    async def with_query(visit: Visit, page: int) -> FastJSONResponse:
        return FastJSONResponse({})

    async def with_other_dependency(visit: Visit,
                                    user: Annotated[str, Depends(lambda: "x")]
                                    ) -> FastJSONResponse:
        return FastJSONResponse({})

    async def without_body(principal: Reader) -> FastJSONResponse:
        return FastJSONResponse({})

    for endpoint, message in ((with_query, "takes a body, scope checks and the Request"),
                              (with_other_dependency, "dependencies must be scope checks"),
                              (without_body, "needs one body parameter")):
        with pytest.raises(TypeError, match=message):
            DirectRoute("/x", endpoint, methods=["POST"]).get_route_handler()
