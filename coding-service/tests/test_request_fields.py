"""Every string and integer coding-service reads from a request is checked before anything is done
with it: a control character in any text, or an integer past its bounds, answers 422 naming
the field. The fields are read from the app's OpenAPI document, so a new one is covered."""

from __future__ import annotations

from fastapi import FastAPI

from rcm_shared.testing.fields import (
    not_refused,
    out_of_bounds,
    request_fields,
    unbounded,
    with_control_character,
)


async def test_a_control_character_in_any_request_text_is_refused(app: FastAPI, client) -> None:
    fields = request_fields(app, "string")
    assert {f.location for f in fields} == {"body", "path", "query"}
    missed = await not_refused(client, fields, with_control_character)
    assert not missed, "\n".join(missed)


def test_every_request_integer_has_bounds_within_64_bits(app: FastAPI) -> None:
    missing = unbounded(request_fields(app, "integer"))
    assert not missing, "\n".join(missing)


async def test_an_integer_past_its_bounds_is_refused(app: FastAPI, client) -> None:
    missed = await not_refused(client, request_fields(app, "integer"), out_of_bounds)
    assert not missed, "\n".join(missed)
