"""The payer as tests watch it: the app's payer adapter, every file each way recorded."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI
from starlette.datastructures import State

from billing_service.main import payer_conversation
from billing_service.payers.adapter import PayerInfo, ResponseFile, SubmissionReceipt
from billing_service.submissions.service import ProcessResult


class RecordingPayer:
    """The app's payer adapter, keeping every interchange billing sent and every file the
    payer sent back."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.sent: list[str] = []
        self.received: list[str] = []

    async def submit(self, interchange: str) -> SubmissionReceipt:
        self.sent.append(interchange)
        receipt: SubmissionReceipt = await self.real.submit(interchange)
        return receipt

    async def fetch_responses(self) -> list[ResponseFile]:
        files: list[ResponseFile] = await self.real.fetch_responses()
        self.received += [file.content for file in files]
        return files

    async def acknowledge(self, file_ids: Sequence[str]) -> None:
        await self.real.acknowledge(file_ids)

    async def payers(self) -> list[PayerInfo]:
        payers: list[PayerInfo] = await self.real.payers()
        return payers


class Payer:
    def __init__(self, app: FastAPI) -> None:
        self.recorder = RecordingPayer(app.state.payer_adapter)
        self.state = State({"sessionmaker": app.state.sessionmaker,
                            "settings": app.state.settings, "payer_adapter": self.recorder})

    async def process(self) -> ProcessResult:
        """What POST /v1/admin/process does for clinic-a, with the files recorded."""
        return await payer_conversation(self.state).process_until_idle("clinic-a")
