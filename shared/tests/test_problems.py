import httpx
from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, field_validator
from sqlalchemy.exc import DBAPIError, OperationalError

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


class _PostgresError(Exception):
    """As SQLAlchemy's asyncpg adapter raises them: the SQLSTATE in `sqlstate`."""

    def __init__(self, sqlstate: str) -> None:
        super().__init__(f"error {sqlstate} on patient Ada Lovelace's row")
        self.sqlstate = sqlstate


def make_app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/things")
    async def create(body: Body) -> dict[str, int]:
        return {"units": body.units}

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret patient Ada Lovelace")

    @app.get("/deadlock")
    async def deadlock() -> None:
        raise DBAPIError("UPDATE claim_open_balances ...", {}, _PostgresError("40P01"))

    @app.get("/serialization")
    async def serialization() -> None:
        raise DBAPIError("UPDATE claims ...", {}, _PostgresError("40001"))

    @app.get("/locked")
    async def locked() -> None:
        raise OperationalError("INSERT INTO claims ...", {},
                               Exception("database is locked"))

    @app.get("/unique")
    async def unique() -> None:
        raise DBAPIError("INSERT INTO claims ...", {}, _PostgresError("23505"))

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


async def test_a_request_that_gave_way_to_a_concurrent_write_may_be_sent_again(caplog) -> None:
    transport = httpx.ASGITransport(app=make_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        for path in ("/deadlock", "/serialization", "/locked"):
            response = await client.get(path)
            assert response.status_code == 503, path
            assert response.headers["content-type"] == "application/problem+json"
            assert response.headers["retry-after"] == "1"
            body = response.json()
            assert body["type"].endswith("/concurrent-write")
            assert "Send it again" in body["detail"]
        # Any other database error is still the server's own: a 500 that says nothing.
        other = await client.get("/unique")
    assert other.status_code == 500
    assert other.json()["detail"] == "An unexpected error occurred."
    assert "Ada" not in caplog.text
