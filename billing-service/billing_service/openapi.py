"""Problem answers a route documents beyond those rcm_shared.openapi derives from its shape
(a path parameter's 404, a body's 422, ...)."""

from __future__ import annotations

from typing import Any

from rcm_shared.problems import PROBLEM_MEDIA_TYPE

_PROBLEM = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}


def problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": _PROBLEM}


# Answers of the routes that read coding-service on the caller's behalf.
FROM_CODING: dict[int | str, dict[str, Any]] = {
    502: problem("coding-service refused billing's request"),
    503: problem("coding-service could not be reached; nothing was stored: retry after "
                 "Retry-After seconds"),
}
