"""What the mock clearinghouse answers and accepts over HTTP. Amounts travel as decimal
strings (the payer directory's plans)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from billing_service.payers.adapter import PayerInfo
from rcm_shared.schemas import RequestModel

# A file id is the interchange control number (ISA13): nine digits.
FileId = Annotated[str, Field(pattern=r"^[0-9]{1,9}$")]


class ReceiptOut(BaseModel):
    interchange_control_number: str
    received: bool


class FileOut(BaseModel):
    """A 277CA or 835 for the account; `file_id` acknowledges it."""

    file_id: str
    content: str


class FileList(BaseModel):
    items: list[FileOut]


class AcknowledgmentIn(RequestModel):
    file_ids: list[FileId] = Field(min_length=1, max_length=10_000)


class PayerList(BaseModel):
    items: list[PayerInfo]
