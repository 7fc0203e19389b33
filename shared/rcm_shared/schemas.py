"""The base of every request body both services accept."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

# Tab, newline and carriage return may stand in free text; other control characters (NUL
# above all, which PostgreSQL cannot store in text) never belong in a request.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _refuse_control_characters(value: Any) -> None:
    if isinstance(value, str):
        if _CONTROL_CHARACTERS.search(value):
            raise ValueError("control characters are not allowed in text")
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            _refuse_control_characters(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_control_characters(key)
            _refuse_control_characters(item)


class RequestModel(BaseModel):
    """Unknown fields and control characters in text are refused with a 422 naming the field."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        _refuse_control_characters(value)
        return value
