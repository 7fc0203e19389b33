"""Optimistic concurrency over HTTP: ETag from a version, If-Match back to a version."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Depends, Header

from rcm_shared.openapi import IF_MATCH_REQUIRED
from rcm_shared.problems import ProblemError

# ASCII digits only: str.isdigit() also accepts superscripts that int() refuses.
_VERSION = re.compile(r"[0-9]{1,18}")


def etag(version: int) -> str:
    return f'"{version}"'


def _parse_if_match(value: str | None) -> int | None:
    if value is None:
        return None
    text = value.strip()
    if text.startswith("W/"):
        text = text[2:]
    text = text.strip('"')
    if not _VERSION.fullmatch(text):
        raise ProblemError(
            400, "Bad If-Match", "If-Match must be the resource version, e.g. 3 or \"3\".",
            type_="bad-if-match",
            issues=[{"rule": "http.if_match", "severity": "error", "path": "header:If-Match",
                     "message": "Not a version number."}],
        )
    return int(text)


# What _parse_if_match takes: 3, "3" or W/"3". Documented only: the parser itself answers
# another value with its own 400 (bad-if-match), not FastAPI's 422.
IF_MATCH_SCHEMA = {"pattern": r'^(W/)?"?[0-9]{1,18}"?$'}


# async although it never waits: FastAPI would run a plain `def` in a worker thread.
async def if_match_header(
    if_match: Annotated[str | None, Header(alias="If-Match", max_length=40,
                                           json_schema_extra=IF_MATCH_SCHEMA)] = None,
) -> int | None:
    return _parse_if_match(if_match)


# Missing, it is still answered by the service (428 with the current version), not by
# FastAPI's 422: only the document says it is required (rcm_shared.openapi).
async def required_if_match_header(
    if_match: Annotated[str | None, Header(
        alias="If-Match", max_length=40,
        json_schema_extra={**IF_MATCH_SCHEMA, IF_MATCH_REQUIRED: True})] = None,
) -> int | None:
    return _parse_if_match(if_match)


IfMatch = Annotated[int | None, Depends(if_match_header)]
"""If-Match of a change that also applies without it."""

IfMatchRequired = Annotated[int | None, Depends(required_if_match_header)]
"""If-Match of a change answered 428 without it (check_version(required=True))."""


def check_version(expected: int | None, current: int, *, required: bool = True) -> None:
    """412 when the caller's version is stale; 428 when a required If-Match is missing."""
    if expected is None:
        if required:
            raise ProblemError(
                428, "Precondition Required",
                "Send If-Match with the resource's current version.", type_="if-match-required",
                extra={"current_version": current},
            )
        return
    if expected != current:
        raise ProblemError(
            412, "Precondition Failed",
            f"The resource is at version {current}, not {expected}; fetch it and retry.",
            type_="stale-version", extra={"current_version": current},
        )


