"""JSON encoding with orjson, decimals as strings (money never becomes a float)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import orjson
from starlette.responses import JSONResponse


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dumps(value: Any) -> bytes:
    return orjson.dumps(value, default=_default, option=orjson.OPT_NON_STR_KEYS)


loads = orjson.loads


class FastJSONResponse(JSONResponse):
    def render(self, content: Any) -> bytes:
        return dumps(content)
