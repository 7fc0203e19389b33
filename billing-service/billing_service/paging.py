"""Keyset cursors over (created_at, id), the order every billing listing uses."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol, TypeVar

from rcm_shared.pagination import cursor_time, decode_cursor, encode_cursor


class Keyed(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def created_at(self) -> datetime: ...


def position_after(cursor: str | None) -> tuple[datetime, str] | None:
    if cursor is None:
        return None
    created_at, row_id = decode_cursor(cursor, cursor_time, str)
    return created_at, row_id


RowT = TypeVar("RowT", bound=Keyed)


def cut_page(rows: Sequence[RowT], limit: int) -> tuple[list[RowT], str | None]:
    """`rows` was fetched with limit + 1: the extra row only says another page exists."""
    if len(rows) <= limit:
        return list(rows), None
    kept = list(rows[:limit])
    return kept, encode_cursor(kept[-1].created_at.isoformat(), kept[-1].id)
