"""The base of every request body both services accept, and the forms both read."""

from __future__ import annotations

import re
from typing import Annotated, Any

from annotated_types import Interval
from pydantic import BaseModel, ConfigDict, StrictInt, ValidationInfo, field_validator

# Tab, newline and carriage return may stand in free text; other control characters (NUL
# above all, which PostgreSQL cannot store in text) never belong in a request.
_CONTROL = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
CONTROL_CHARACTERS = re.compile(f"[{_CONTROL}]")
# A JSON document holds a control character in its text only as one of these bytes or as a
# \u escape of one (a JSON string cannot hold the others unescaped); an escaped tab or newline
# matches too, and is then only checked field by field like the rest. Two searches: one
# alternation of both costs three times as much.
_RAW_CONTROL = re.compile(f"[{_CONTROL}]".encode())
_ESCAPED_CONTROL = re.compile(rb"\\u00[01][0-9a-fA-F]|\\u007[fF]")
# The validation context of a body whose raw JSON was found free of control characters.
NO_CONTROL_CHARACTERS: dict[str, bool] = {"no_control_characters": True}
# The same rule for free text outside a body (a query parameter), where no model validates.
TEXT_PATTERN = f"^[^{_CONTROL}]*$"


def _refuse_control_characters(value: Any) -> None:
    if isinstance(value, str):
        if CONTROL_CHARACTERS.search(value):
            raise ValueError("control characters are not allowed in text")
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            _refuse_control_characters(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_control_characters(key)
            _refuse_control_characters(item)


def text_check_context(raw: bytes) -> dict[str, bool] | None:
    """The context to validate a raw JSON body with: one search of its bytes instead of a
    check of every field, when they hold no control character."""
    if _RAW_CONTROL.search(raw) or (b"\\u" in raw and _ESCAPED_CONTROL.search(raw)):
        return None
    return NO_CONTROL_CHARACTERS


class RequestModel(BaseModel):
    """Unknown fields and control characters in text are refused with a 422 naming the field."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any, info: ValidationInfo) -> Any:
        if info.context is not NO_CONTROL_CHARACTERS:
            _refuse_control_characters(value)
        return value


# A service line's integers, as coding-service takes them and billing-service reads them back.
# The caps only keep values sane; whether one is right (units of at least 1 and within the
# code's MUE, a pointer naming one of the encounter's diagnoses) is a validation rule.
MAX_DIAGNOSES = 40  # the most an encounter's codes may list
DiagnosisPointer = Annotated[StrictInt, Interval(ge=1, le=MAX_DIAGNOSES)]
Units = Annotated[StrictInt, Interval(ge=-9999, le=99_999)]
