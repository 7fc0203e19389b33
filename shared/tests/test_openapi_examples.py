"""A route's examples (rcm_shared.openapi.examples) land in its own operation, request and
response paired by name, nulls kept; one answering a status the operation does not document
stops the document from being built."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from pydantic import BaseModel

from rcm_shared.openapi import DocumentInfo, Example, examples, install_document_rules
from rcm_shared.testing.examples import (
    _given_ids,
    request_examples,
    shape_difference,
    undocumented_operations,
)

PROBLEM = {"type": "https://rcm.dev/problems/validation", "title": "Request validation failed",
           "status": 422, "detail": "The request does not match the schema at: $.name.",
           "issues": []}


class Thing(BaseModel):
    name: str
    note: str | None = None


def document(*named: Example) -> dict[str, Any]:
    app = FastAPI()

    @app.post("/things", status_code=201, response_model=Thing,
              openapi_extra=examples(*named))
    def create_thing(body: Thing) -> Thing:
        return body

    @app.post("/others", status_code=201, response_model=Thing)
    def create_other(body: Thing) -> Thing:
        return body

    @app.get("/status", responses={503: {"description": "Down", "content": {
        "application/problem+json": {"schema": {"type": "object"}}}}}, openapi_extra=examples(
        Example("up", "Up", 200, response={"status": "ok"}),
        Example("down", "Down", 503, response={**PROBLEM, "status": 503})))
    def status() -> dict[str, str]:
        return {"status": "ok"}

    @app.delete("/things/{name}", status_code=204, openapi_extra=examples(
        Example("deleted", "Deleted", 204, parameters={"name": "a"})))
    def delete_thing(name: str) -> None:
        return None

    install_document_rules(app, DocumentInfo(tags={}))
    return app.openapi()


def test_request_and_response_paired_by_name_in_their_own_operation() -> None:
    schema = document(
        Example("made", "A thing", 201, {"name": "a", "note": None}, {"name": "a", "note": None}),
        Example("refused", "The answer to a bad name", 422, None, PROBLEM))
    things = schema["paths"]["/things"]["post"]
    assert things["requestBody"]["content"]["application/json"]["examples"] == {
        "made": {"summary": "A thing", "value": {"name": "a", "note": None}}}
    assert things["responses"]["201"]["content"]["application/json"]["examples"]["made"][
        "value"] == {"name": "a", "note": None}
    assert things["responses"]["422"]["content"]["application/problem+json"]["examples"] == {
        "refused": {"summary": "The answer to a bad name", "value": PROBLEM}}
    others = schema["paths"]["/others"]["post"]["responses"]["422"]
    assert "examples" not in others["content"]["application/problem+json"]
    # An operation that takes nothing is asked for its success examples; a 204 has no body to
    # show.
    assert [(e.method, e.path, e.name, e.status) for e in request_examples(schema)] == [
        ("POST", "/things", "made", 201), ("GET", "/status", "up", 200),
        ("DELETE", "/things/{name}", "deleted", 204)]
    assert undocumented_operations(schema) == ["POST /others"]


def test_ids_the_server_gave_are_found_where_the_documented_answer_shows_them() -> None:
    documented = {"id": "d-1", "patient_id": "MRN-1", "lines": [{"claim_id": "d-2"}],
                  "location": "Encounter/3f1c2a9e-0000-4000-8000-000000000000/_history/2"}
    given = {"id": "g-1", "patient_id": "MRN-1", "lines": [{"claim_id": "g-2"}],
             "location": "Encounter/84b9daa6-ab21-4a13-81fe-a9d7b47b27ff/_history/2"}
    assert {d: g for d, g in _given_ids(documented, given) if d != g} == {
        "d-1": "g-1", "d-2": "g-2",
        "3f1c2a9e-0000-4000-8000-000000000000": "84b9daa6-ab21-4a13-81fe-a9d7b47b27ff"}


def test_an_example_answering_an_undocumented_status_is_refused() -> None:
    with pytest.raises(ValueError, match="answers 409"):
        document(Example("clash", "A clash", 409, {"name": "a"}, PROBLEM))


def test_an_answer_of_another_shape_than_documented_is_named_where_it_differs() -> None:
    documented = {"id": "d-1", "lines": [{"paid": None}], "total": "10.00"}
    assert shape_difference(documented, {"id": "g-7", "lines": [{"paid": None}],
                                         "total": "12.50"}) is None
    assert shape_difference(documented, {**documented, "extra": 1}) == \
        "$.extra: answered, not documented"
    assert shape_difference(documented, {"id": "d-1", "lines": [{"paid": None}]}) == \
        "$.total: documented, not answered"
    assert shape_difference(documented, {**documented, "lines": []}) == \
        "$.lines: 0 items answered, 1 documented"
    assert shape_difference(documented, {**documented, "lines": [{"paid": "5.00"}]}) == \
        "$.lines[0].paid: str answered, NoneType documented"
