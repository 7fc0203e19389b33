import httpx
from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, field_validator

from rcm_shared.problems import ProblemError, install_problem_handlers


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")
    units: int

    @field_validator("units")
    @classmethod
    def _even(cls, value: int) -> int:
        if value % 2:
            raise ValueError("units must be even")
        return value


def make_app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/things")
    async def create(body: Body) -> dict[str, int]:
        return {"units": body.units}

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret patient Ada Lovelace")

    @app.get("/conflict")
    async def conflict() -> None:
        raise ProblemError(409, "Conflict", "Nope.", type_="conflict")

    return app


async def test_validation_errors_are_problem_json_naming_the_field() -> None:
    transport = httpx.ASGITransport(app=make_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.post("/things", json={"units": "many", "extra": 1})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    paths = {i["path"] for i in body["issues"]}
    assert paths == {"$.units", "$.extra"}
    assert body["status"] == 422 and body["type"].endswith("/validation")


async def test_rule_messages_are_the_rule_alone() -> None:
    transport = httpx.ASGITransport(app=make_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.post("/things", json={"units": 3})
    assert response.status_code == 422
    assert [i["message"] for i in response.json()["issues"]] == ["units must be even"]


async def test_unexpected_errors_hide_their_message(caplog) -> None:
    transport = httpx.ASGITransport(app=make_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.get("/boom")
    assert response.status_code == 500
    assert "Ada" not in response.text and "Traceback" not in response.text
    assert response.headers["content-type"] == "application/problem+json"
    record = next(r for r in caplog.records if r.name == "rcm.problems")
    # Where it happened is logged, what it said is not.
    assert record.error_type == "RuntimeError"
    assert any(frame.startswith("test_problems.py:") and "boom" in frame
               for frame in record.frames)
    assert "Ada" not in record.getMessage()


async def test_problem_error_and_unknown_route() -> None:
    transport = httpx.ASGITransport(app=make_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        conflict = await client.get("/conflict")
        missing = await client.get("/nowhere")
    assert conflict.status_code == 409 and conflict.json()["detail"] == "Nope."
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
