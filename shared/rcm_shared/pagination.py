"""Opaque cursors for keyset pagination: ?limit=&cursor= -> {"items": [...], "next_cursor"}."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

import orjson
from fastapi import Query
from pydantic import BaseModel

from rcm_shared.ids import Cursor
from rcm_shared.problems import ProblemError

T = TypeVar("T")
DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


def encode_cursor(*key: Any) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(list(key))).decode().rstrip("=")


MAX_CURSOR_ID = 2**63 - 1


def cursor_id(value: Any) -> int:
    """A row id from a cursor: a whole number a BIGINT column can hold."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_CURSOR_ID:
        raise ValueError("cursor id out of range")
    return value


def cursor_time(value: Any) -> datetime:
    """A timestamp from a cursor: ISO 8601 with its UTC offset, as encode_cursor wrote it."""
    if not isinstance(value, str):
        raise ValueError("cursor time is not text")
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError("cursor time has no UTC offset")
    return parsed


def decode_cursor(cursor: str, *parsers: Callable[[Any], Any]) -> list[Any]:
    """The key encode_cursor packed, each part passed through its parser (int, ...)."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = orjson.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(key, list) or len(key) != len(parsers):
            raise ValueError("cursor arity")
        return [parse(part) for parse, part in zip(parsers, key, strict=True)]
    except (binascii.Error, ValueError, TypeError, OverflowError, orjson.JSONDecodeError) as exc:
        raise _bad_cursor() from exc


def _bad_cursor() -> ProblemError:
    return ProblemError(
        400,
        "Bad cursor",
        "The cursor is not one this API issued; pass next_cursor back unchanged.",
        type_="bad-cursor",
        issues=[{"rule": "pagination.cursor", "severity": "error", "path": "query:cursor",
                 "message": "Unrecognised cursor."}],
    )


LimitParam = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size")]
CursorParam = Annotated[Cursor | None, Query(description="next_cursor of the previous page")]
