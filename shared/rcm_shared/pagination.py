"""Keyset pagination, the one way every list pages: ?limit=&cursor= -> {"items", "next_cursor"}.

A listing names its order as a `Keyset` (columns, the last one unique); the keyset adds the
WHERE past the cursor's position, the ORDER BY and LIMIT limit + 1 to the listing's query,
and cuts the rows into a page whose `next_cursor` is the position of its last row.

A cursor is base64url JSON of that position and a checksum of it. The checksum holds no
secret (a cursor is only a position in the caller's own, tenant-scoped list); it makes an
edited or made-up cursor answer 400 instead of silently paging from somewhere else.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar, TypeVarTuple

import orjson
from fastapi import Query
from pydantic import BaseModel
from sqlalchemy import ColumnElement, Select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import QueryableAttribute

from rcm_shared.ids import Cursor
from rcm_shared.issues import issue
from rcm_shared.problems import ProblemError

T = TypeVar("T")
RowT = TypeVar("RowT")
Columns = TypeVarTuple("Columns")
DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_CURSOR_ID = 2**63 - 1
MAX_CURSOR_TEXT = 255
_CHECKSUM_KEY = b"rcm-cursor-v1"
_CHECKSUM_BYTES = 9


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode((text + "=" * (-len(text) % 4)).encode())


def _checksum(payload: bytes) -> bytes:
    return hmac.digest(_CHECKSUM_KEY, payload, hashlib.sha256)[:_CHECKSUM_BYTES]


def encode_cursor(*key: Any) -> str:
    payload = orjson.dumps(list(key))
    return f"{_b64(payload)}.{_b64(_checksum(payload))}"


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


def cursor_text(value: Any) -> str:
    if not isinstance(value, str) or len(value) > MAX_CURSOR_TEXT:
        raise ValueError("cursor text is not a key")
    return value


def decode_cursor(
    cursor: str, *parsers: Callable[[Any], Any], unchecked_ok: bool = False
) -> list[Any]:
    """The key encode_cursor packed, each part passed through its parser (cursor_id, ...).

    `unchecked_ok`: also take a cursor written before cursors carried a checksum (bare
    base64url JSON), for positions a client keeps, like the feed's.
    """
    try:
        encoded, dot, checksum = cursor.partition(".")
        payload = _unb64(encoded)
        if (dot or not unchecked_ok) and not hmac.compare_digest(_unb64(checksum),
                                                                 _checksum(payload)):
            raise ValueError("cursor checksum")
        key = orjson.loads(payload)
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
        issues=[issue("pagination.cursor", "query:cursor", "Unrecognised cursor.")],
    )


@dataclass(frozen=True, slots=True)
class Slice(Generic[RowT]):
    """One page of rows and the cursor of the next page (None on the last)."""

    rows: list[RowT]
    next_cursor: str | None

    def page(self, convert: Callable[[RowT], T]) -> Page[T]:
        return Page[Any](items=[convert(row) for row in self.rows], next_cursor=self.next_cursor)


def _parser(column: QueryableAttribute[Any]) -> Callable[[Any], Any]:
    # A TypeDecorator (UTCDateTime) answers for the type it stores as.
    python_type = getattr(column.type, "impl_instance", column.type).python_type
    if python_type is datetime:
        return cursor_time
    if python_type is int:
        return cursor_id
    if python_type is str:
        return cursor_text
    raise TypeError(f"no cursor form for a {python_type.__name__} key ({column.key})")


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


class Keyset:
    """The order of one listing: its key columns, the last one unique, all ascending or all
    descending (newest first)."""

    def __init__(self, *columns: QueryableAttribute[Any], descending: bool = False,
                 unchecked_ok: bool = False) -> None:
        """`unchecked_ok`: see decode_cursor."""
        self.columns = columns
        self.descending = descending
        self.unchecked_ok = unchecked_ok
        self._parsers = tuple(_parser(column) for column in columns)

    def _past(self, cursor: str) -> ColumnElement[bool]:
        position = decode_cursor(cursor, *self._parsers, unchecked_ok=self.unchecked_ok)
        if len(self.columns) == 1:
            key: Any = self.columns[0]
            position_value: Any = position[0]
        else:
            key, position_value = tuple_(*self.columns), tuple(position)
        past: ColumnElement[bool] = (key < position_value if self.descending
                                     else key > position_value)
        return past

    def select(self, statement: Select[*Columns], cursor: str | None,
               limit: int) -> Select[*Columns]:
        """`statement` past the cursor, in the keyset's order, one row more than a page."""
        if cursor:
            statement = statement.where(self._past(cursor))
        order = [column.desc() if self.descending else column.asc() for column in self.columns]
        return statement.order_by(*order).limit(limit + 1)

    def cursor_of(self, row: object) -> str:
        return encode_cursor(*(_jsonable(getattr(row, column.key)) for column in self.columns))

    def cut(self, rows: Sequence[RowT], limit: int,
            keyed_by: Callable[[RowT], object] | None = None) -> Slice[RowT]:
        """`rows` came from select(): the extra row only says another page exists.
        `keyed_by`: the object holding the key columns, when each row is a tuple."""
        if len(rows) <= limit:
            return Slice(list(rows), None)
        kept = list(rows[:limit])
        last = kept[-1] if keyed_by is None else keyed_by(kept[-1])
        return Slice(kept, self.cursor_of(last))

    async def scalars(self, session: AsyncSession, statement: Select[RowT],
                      cursor: str | None, limit: int) -> Slice[RowT]:
        """One page of the entities `statement` selects."""
        rows = (await session.scalars(self.select(statement, cursor, limit))).all()
        return self.cut(rows, limit)


LimitParam = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size")]
CursorParam = Annotated[Cursor | None, Query(description="next_cursor of the previous page")]
