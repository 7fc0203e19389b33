"""Every property in a service's document is described: by its model, else by the glossary,
for its schema first, then for its name; what neither describes is named by the rules."""

from __future__ import annotations

from fastapi import FastAPI
from pydantic import BaseModel, Field

from rcm_shared.openapi import DocumentInfo, install_document_rules
from rcm_shared.testing.document import document_rule_breaches


class Visit(BaseModel):
    id: str
    date_of_service: str = Field(description="The day of the visit, as the model says")
    status: str
    mood: str


class Leg(BaseModel):
    status: str


def document(properties: dict[str, str]) -> dict[str, object]:
    app = FastAPI()

    @app.get("/visit", response_model=Visit)
    def read_visit() -> Visit:
        raise NotImplementedError

    @app.get("/leg", response_model=Leg)
    def read_leg() -> Leg:
        raise NotImplementedError

    install_document_rules(app, DocumentInfo(tags={}, properties=properties))
    return app.openapi()


def described(schema: dict[str, object], name: str) -> dict[str, str | None]:
    components = schema["components"]["schemas"]  # type: ignore[index]
    return {prop: body.get("description")
            for prop, body in components[name]["properties"].items()}


def test_the_model_first_then_the_schema_s_entry_then_the_name_s() -> None:
    schema = document({"status": "Where it stands", "Visit.status": "Where the visit stands",
                       "mood": "How it went", "date_of_service": "Not this one"})
    assert described(schema, "Visit") == {
        "id": "Its id, issued by the service",  # the shared glossary
        "date_of_service": "The day of the visit, as the model says",
        "status": "Where the visit stands",
        "mood": "How it went",
    }
    assert described(schema, "Leg") == {"status": "Where it stands"}


def test_a_property_nothing_describes_breaks_the_rules() -> None:
    schema = document({"status": "Where it stands"})
    breaches = document_rule_breaches(schema)
    assert "schema Visit: property 'mood' has no description" in breaches
    assert not [breach for breach in breaches if "'status'" in breach]
