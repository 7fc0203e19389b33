"""The OpenAPI document lists each operation's problem answers; 405 names every method."""

from contextlib import asynccontextmanager
from typing import Annotated, Any

import httpx
from fastapi import Depends, FastAPI
from pydantic import BaseModel

from rcm_shared.app import create_service_app
from rcm_shared.auth import Principal, require_scope
from rcm_shared.http import if_match_header, required_if_match_header
from rcm_shared.pagination import CursorParam
from rcm_shared.settings import ServiceSettings

Reader = Annotated[Principal, Depends(require_scope("coding:read"))]


class Thing(BaseModel):
    name: str


def make_app() -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield

    async def readiness(app: FastAPI) -> dict[str, Any]:
        return {}

    app = create_service_app(name="t", title="t", description="", version="0",
                             settings=ServiceSettings(), lifespan=lifespan, readiness=readiness)

    @app.get("/v1/things")
    async def list_things(principal: Reader, cursor: CursorParam = None) -> list[Thing]:
        return []

    @app.post("/v1/things/search")
    async def search_things(principal: Reader) -> list[Thing]:
        return []

    @app.get("/v1/things/{thing_id}")
    async def get_thing(thing_id: str, principal: Reader) -> Thing:
        return Thing(name=thing_id)

    @app.delete("/v1/things/{thing_id}", status_code=204)
    async def delete_thing(thing_id: str, principal: Reader) -> None:
        return None

    @app.put("/v1/things/{thing_id}")
    async def put_thing(thing_id: str, body: Thing, principal: Reader,
                        if_match: Annotated[int | None, Depends(if_match_header)]) -> Thing:
        return body

    @app.patch("/v1/labels/{thing_id}")
    async def patch_thing(thing_id: str, body: Thing, principal: Reader,
                          if_match: Annotated[int | None, Depends(required_if_match_header)]
                          ) -> Thing:
        return body

    return app


def responses(schema: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    return schema["paths"][path][method]["responses"]


def test_each_operation_documents_the_problems_it_can_answer() -> None:
    schema = make_app().openapi()
    assert set(responses(schema, "get", "/v1/things")) == {"200", "400", "401", "403", "422"}
    assert set(responses(schema, "get", "/v1/things/{thing_id}")) == {
        "200", "401", "403", "404", "422"}
    # A write may be rolled back for a concurrent one (503, Retry-After); a read may not.
    assert set(responses(schema, "put", "/v1/things/{thing_id}")) == {
        "200", "400", "401", "403", "404", "409", "412", "413", "422", "503"}
    assert set(responses(schema, "patch", "/v1/labels/{thing_id}")) == {
        "200", "400", "401", "403", "404", "409", "412", "413", "422", "428", "503"}
    assert "Retry-After" in responses(schema, "put", "/v1/things/{thing_id}")["503"]["headers"]
    problem = responses(schema, "get", "/v1/things/{thing_id}")["404"]["content"]
    assert problem == {"application/problem+json": {
        "schema": {"$ref": "#/components/schemas/Problem"}}}
    assert responses(schema, "get", "/healthz").keys() == {"200"}
    assert "503" in responses(schema, "get", "/readyz")


def test_problem_schemas_replace_the_framework_validation_error() -> None:
    schemas = make_app().openapi()["components"]["schemas"]
    assert {"Problem", "IssueOut"} <= set(schemas)
    assert "HTTPValidationError" not in schemas and "ValidationError" not in schemas
    assert schemas["Problem"]["required"] == ["type", "title", "status", "detail"]


def test_operations_declare_the_bearer_key() -> None:
    schema = make_app().openapi()
    assert schema["components"]["securitySchemes"]["apiKey"] == {
        "type": "http", "scheme": "bearer", "description": schema["components"][
            "securitySchemes"]["apiKey"]["description"]}
    assert schema["paths"]["/v1/things"]["get"]["security"] == [{"apiKey": []}]
    assert schema["paths"]["/healthz"]["get"]["security"] == [], "public, said outright"


async def test_405_names_every_method_the_path_serves() -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=make_app()),
                                 base_url="http://t") as client:
        item = await client.patch("/v1/things/7")
        collection = await client.post("/v1/things")
        search = await client.options("/v1/things/search")
    assert item.status_code == 405 and item.headers["allow"] == "DELETE, GET, PUT"
    assert item.headers["content-type"] == "application/problem+json"
    assert collection.headers["allow"] == "GET"
    # A path a route names literally is that route's, not an id of /v1/things/{thing_id}.
    assert search.status_code == 405 and search.headers["allow"] == "POST"
