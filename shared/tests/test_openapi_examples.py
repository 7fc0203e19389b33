"""A route's examples (rcm_shared.openapi.examples) land in its own operation, request and
response paired by name, nulls kept; one answering a status the operation does not document
stops the document from being built."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from pydantic import BaseModel

from rcm_shared.openapi import DocumentInfo, Example, examples, install_document_rules
from rcm_shared.testing.examples import request_examples

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
    assert [(e.path, e.name, e.status) for e in request_examples(schema)] == [
        ("/things", "made", 201)]


def test_an_example_answering_an_undocumented_status_is_refused() -> None:
    with pytest.raises(ValueError, match="answers 409"):
        document(Example("clash", "A clash", 409, {"name": "a"}, PROBLEM))
